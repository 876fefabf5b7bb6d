#include <api/http_io.hpp>
#include <api/messages_api.hpp>
#include <rendering/message_kind.hpp>
#include <agency/channels.hpp>
#include <outbox/recipient.hpp>

#include <spdlog/spdlog.h>

#include <regex>

namespace extcomm::host {
namespace json = boost::json;
namespace {

constexpr std::size_t kMaxBatch = 10'000;

struct InputError {
    std::string field, message;
};

const json::value* member(const json::object& o, const char* key) { return o.if_contains(key); }

// Reads an optional string member; a member of another type is an error.
bool string_member(const json::object& o, const char* key, const std::string& path, std::string& out,
                   std::optional<InputError>& error) {
    const json::value* v = member(o, key);
    if (!v || v->is_null()) return false;
    if (!v->is_string()) {
        error = InputError{path_join(path, key), "must be a string"};
        return false;
    }
    out = std::string(v->as_string());
    return true;
}

// One message of the request, checked; `path` is "" for a single message, "messages[3]" in a batch.
// `settings`: the agency's, for the transport of each channel (none on a host without settings).
std::optional<InputError> parse_message(const ApiContext& context, const agency::AgencySettings* settings,
                                        const json::value& value, const std::string& path, NewMessage& out) {
    if (!value.is_object()) return InputError{path.empty() ? "body" : path, "must be a JSON object"};
    const json::object& o = value.as_object();
    std::optional<InputError> error;
    std::string channel_text;
    if (!string_member(o, "channel", path, channel_text, error)) return error ? error : InputError{path_join(path, "channel"), "is required (email or sms)"};
    auto channel = channel_from(channel_text);
    if (!channel) return InputError{path_join(path, "channel"), "must be 'email' or 'sms'"};
    out.channel = *channel;

    if (!string_member(o, "to", path, out.to, error)) return error ? error : InputError{path_join(path, "to"), "is required"};
    if (std::string problem = recipient_problem(out.channel, out.to); !problem.empty())
        return InputError{path_join(path, "to"), problem};

    if (!string_member(o, "body", path, out.body, error)) return error ? error : InputError{path_join(path, "body"), "is required"};
    if (out.body.empty()) return InputError{path_join(path, "body"), "is empty"};
    string_member(o, "subject", path, out.subject, error);
    if (error) return error;
    if (out.subject.find_first_of("\r\n") != std::string::npos)
        return InputError{path_join(path, "subject"), "contains a line break"};
    string_member(o, "html_body", path, out.html_body, error);
    if (error) return error;
    if (string_member(o, "kind", path, out.kind, error)) {
        static const std::regex kind_form("^[a-z0-9_-]{1,40}$");
        if (!std::regex_match(out.kind, kind_form))
            return InputError{path_join(path, "kind"), "must be 1 to 40 of a-z, 0-9 and - (e.g. booking-notice)"};
        // The spelling with underscores is read as the one spelling for this release (README, compatibility).
        out.kind = rendering::canonical_kind_name(out.kind);
    } else if (error) {
        return error;
    }
    string_member(o, "idempotency_key", path, out.idempotency_key, error);
    if (error) return error;
    if (out.idempotency_key.size() > 200) return InputError{path_join(path, "idempotency_key"), "is longer than 200 characters"};

    if (const json::value* m = member(o, "metadata"); m && !m->is_null()) {
        if (!m->is_object()) return InputError{path_join(path, "metadata"), "must be a JSON object"};
        out.metadata_json = json::serialize(*m);
    }
    if (const json::value* e = member(o, "expires_in_seconds"); e && !e->is_null()) {
        if (!e->is_int64() || e->as_int64() <= 0)
            return InputError{path_join(path, "expires_in_seconds"), "must be a positive integer"};
        out.expires_at = -e->as_int64(); // resolved against the clock by the caller
    }

    std::string transport;
    if (string_member(o, "transport", path, transport, error)) {
        const TransportConfig* configured = context.config.transport(transport);
        if (!configured || !configured->enabled)
            return InputError{path_join(path, "transport"), "no enabled transport named '" + transport + "'"};
        if (auto t = context.transports.find(transport)) {
            uint32_t bit = out.channel == Channel::email ? EXTCOMM_CHANNEL_EMAIL : EXTCOMM_CHANNEL_SMS;
            if (!(t->plugin().channels & bit))
                return InputError{path_join(path, "transport"), "'" + transport + "' does not carry " + channel_text};
        }
        out.transport = transport;
    } else if (error) {
        return error;
    } else {
        auto t = context.transports.default_for(out.channel,
                                                settings ? agency::transport_for(*settings, out.channel) : std::string());
        if (!t) return InputError{path_join(path, "channel"), "no enabled transport carries " + channel_text};
        out.transport = t->name();
    }
    return std::nullopt;
}

json::object summary(const OutboundMessage& m) {
    return {{"id", m.id}, {"state", to_string(m.state)}, {"transport", m.transport}};
}

} // namespace

void post_messages(ApiContext& context, Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response) {
    auto parsed = json_body(request, response);
    if (!parsed) return;
    const json::value& doc = *parsed;

    agency::SnapshotPtr snapshot = context.settings ? context.settings->current() : nullptr;
    const agency::AgencySettings* settings = snapshot ? &snapshot->settings : nullptr;
    std::vector<NewMessage> messages;
    bool batch = doc.is_object() && doc.as_object().contains("messages");
    if (batch) {
        const json::value& list = doc.as_object().at("messages");
        if (!list.is_array() || list.as_array().empty())
            return send_error(response, 400, "invalid", "must be a non-empty array", "messages");
        if (list.as_array().size() > kMaxBatch)
            return send_error(response, 400, "invalid", "at most " + std::to_string(kMaxBatch) + " messages per request", "messages");
        const auto& items = list.as_array();
        messages.resize(items.size());
        for (std::size_t i = 0; i < items.size(); ++i)
            if (auto error = parse_message(context, settings, items[i], path_index("messages", i), messages[i]))
                return send_error(response, 400, "invalid", error->message, error->field);
    } else {
        messages.resize(1);
        if (auto error = parse_message(context, settings, doc, "", messages[0]))
            return send_error(response, 400, "invalid", error->message, error->field);
        if (request.has("Idempotency-Key") && messages[0].idempotency_key.empty()) {
            messages[0].idempotency_key = request.get("Idempotency-Key");
            if (messages[0].idempotency_key.size() > 200)
                return send_error(response, 400, "invalid", "is longer than 200 characters", "Idempotency-Key");
        }
    }
    // expires_in_seconds was parked as a negative number; now is the moment of acceptance. Without it,
    // the message lives as long as its kind may on its transport.
    TimeMs accepted_at = SystemClock().now_ms();
    for (auto& m : messages)
        m.expires_at = accepted_at + (m.expires_at < 0 ? -m.expires_at : context.config.max_age_seconds(m.transport, m.kind)) * 1000;

    std::vector<OutboundMessage> stored;
    try {
        stored = context.outbox.enqueue(std::move(messages));
    } catch (const std::exception& e) {
        // Nothing was acknowledged, so nothing is lost: the caller retries.
        spdlog::error("enqueue failed: {}", e.what());
        return send_error(response, 503, "store_unavailable", "the message store could not commit; try again");
    }
    context.dispatcher.wake();
    if (!batch) return send_json(response, 202, summary(stored.front()));
    json::array out;
    for (const auto& m : stored) out.push_back(summary(m));
    send_json(response, 202, json::object{{"messages", out}});
}

void get_message(ApiContext& context, const std::string& id, Poco::Net::HTTPServerResponse& response) {
    auto message = context.outbox.find(id);
    if (!message) return send_error(response, 404, "not_found", "no message with id '" + id + "'", "id");
    json::array attempts;
    for (const Attempt& a : context.outbox.attempts(id))
        attempts.push_back({{"number", a.number}, {"at_ms", a.at}, {"outcome", a.outcome},
                            {"provider_code", a.provider_code}, {"provider_text", a.provider_text},
                            {"provider_message_id", a.provider_message_id}});
    json::array receipts, replies;
    if (context.receipts) {
        for (const StoredReceipt& r : context.receipts->receipts_of(id))
            receipts.push_back({{"status", to_string(r.status)}, {"provider_code", r.provider_code},
                                {"provider_text", r.provider_text},
                                {"occurred_at_ms", r.occurred_at ? json::value(r.occurred_at) : json::value(nullptr)},
                                {"received_at_ms", r.received_at}});
        for (const StoredReply& r : context.receipts->replies_to(id))
            replies.push_back({{"from", r.from}, {"text", r.text},
                               {"occurred_at_ms", r.occurred_at ? json::value(r.occurred_at) : json::value(nullptr)},
                               {"received_at_ms", r.received_at}});
    }
    const OutboundMessage& m = *message;
    send_json(response, 200,
              json::object{{"id", m.id}, {"idempotency_key", m.idempotency_key}, {"channel", to_string(m.channel)},
                           {"transport", m.transport}, {"kind", m.kind}, {"to", m.to}, {"subject", m.subject}, {"state", to_string(m.state)},
                           {"attempt_count", m.attempts}, {"created_at_ms", m.created_at}, {"run_at_ms", m.run_at},
                           {"expires_at_ms", m.expires_at}, {"provider_message_id", m.provider_message_id},
                           {"last_code", m.last_code}, {"last_text", m.last_text}, {"attempts", attempts},
                           {"receipts", receipts}, {"replies", replies}});
}

} // namespace extcomm::host
