#include <api/http_io.hpp>
#include <api/poco_exchange.hpp>
#include <api/messages_api.hpp>
#include <rendering/message_kind.hpp>
#include <agency/channels.hpp>
#include <common/json_reader.hpp>
#include <common/strict_json.hpp>
#include <outbox/recipient.hpp>

#include <spdlog/spdlog.h>

#include <algorithm>
#include <map>
#include <regex>

namespace extcomm::host {
namespace json = boost::json;
namespace {

constexpr std::size_t kMaxBatch = 10'000;
constexpr std::int64_t kMaxExpiresIn = 366 * 24 * 3600; // as the configuration's max_age_seconds

// The transport named in the request, when it is enabled and carries the message's channel; else the
// agency's transport for the channel, else the first that carries it.
void choose_transport(const ApiContext& context, const agency::AgencySettings& settings, JsonReader& r,
                      const std::string& channel_text, NewMessage& out) {
    std::string transport;
    if (r.text("transport", transport)) {
        const TransportConfig* configured = context.config.transport(transport);
        if (!configured || !configured->enabled)
            return r.fail(r.at("transport"), "no enabled transport named '" + transport + "'");
        if (auto t = context.transports.find(transport); t && !t->plugin().carries(out.channel))
            return r.fail(r.at("transport"), "'" + transport + "' does not carry " + channel_text);
        out.transport = transport;
    } else if (r.ok()) {
        auto t = context.transports.default_for(out.channel, agency::transport_for(settings, out.channel));
        if (!t) return r.fail(r.at("channel"), "no enabled transport carries " + channel_text);
        out.transport = t->name();
    }
}

// What a request said about a message beyond the message itself: whether it named the transport (else one
// was chosen, and a repeat may be given another), and where its idempotency key came from.
struct Asked {
    bool transport_named = false;
    std::string key_field; // "idempotency_key", "messages[3].idempotency_key" or "Idempotency-Key"
};

// One message of the request, checked; `path` is "" for a single message, "messages[3]" in a batch.
std::optional<FieldError> parse_message(const ApiContext& context, const agency::AgencySettings& settings,
                                        const json::value& value, const std::string& path, NewMessage& out,
                                        Asked& asked) {
    JsonReader r(value, path);
    std::string channel_text;
    if (!r.text("channel", channel_text)) r.fail(r.at("channel"), "is required (email or sms)");
    else if (auto channel = channel_from(channel_text)) out.channel = *channel;
    else r.fail(r.at("channel"), "must be 'email' or 'sms'");
    if (!r.text("to", out.to)) r.fail(r.at("to"), "is required");
    else if (std::string problem = recipient_problem(out.channel, out.to); !problem.empty()) r.fail(r.at("to"), problem);
    if (!r.text("body", out.body)) r.fail(r.at("body"), "is required");
    else if (out.body.empty()) r.fail(r.at("body"), "is empty");
    if (r.text("subject", out.subject) && out.subject.find_first_of("\r\n") != std::string::npos)
        r.fail(r.at("subject"), "contains a line break");
    r.text("html_body", out.html_body);
    static const std::regex kind_form("^[a-z0-9_-]{1,40}$");
    if (r.text("kind", out.kind) && !std::regex_match(out.kind, kind_form))
        r.fail(r.at("kind"), "must be 1 to 40 of a-z, 0-9 and - (e.g. booking-notice)");
    // The spelling with underscores is read as the one spelling for this release (README, compatibility).
    out.kind = rendering::canonical_kind_name(out.kind);
    asked.key_field = r.at("idempotency_key");
    if (r.text("idempotency_key", out.idempotency_key))
        r.fail(check_idempotency_key(out.idempotency_key, asked.key_field));
    if (const json::value* m = r.member("metadata")) {
        if (!m->is_object()) r.fail(r.at("metadata"), "must be a JSON object");
        else out.metadata_json = json::serialize(*m);
    }
    std::int64_t expires_in = 0;
    if (r.integer("expires_in_seconds", expires_in, 1, kMaxExpiresIn, "must be between 1 and 31622400 (366 days)"))
        out.expires_at = -expires_in; // resolved against the clock by the caller
    asked.transport_named = r.member("transport") != nullptr;
    choose_transport(context, settings, r, channel_text, out);
    return r.error();
}

// A key names one message: a repeat must carry the first one's channel, recipient, subject, body and
// transport (when it names one). What differs first, or "" when it is the same message.
template <class First>
std::string differs(const First& first, const NewMessage& repeat, bool transport_named) {
    if (first.channel != repeat.channel) return "channel";
    if (first.to != repeat.to) return "to";
    if (first.subject != repeat.subject) return "subject";
    if (first.body != repeat.body) return "body";
    if (transport_named && first.transport != repeat.transport) return "transport";
    return "";
}

// Before anything is written: a key used before, stored or earlier in this request, for another message is
// answered 409 naming the key's field (so a batch stays all or nothing). Returns whether it answered.
bool refused_reused_key(ApiContext& context, const std::vector<NewMessage>& messages, const std::vector<Asked>& asked,
                        Poco::Net::HTTPServerResponse& response) {
    std::vector<std::string> keys;
    for (const auto& m : messages)
        if (!m.idempotency_key.empty()) keys.push_back(m.idempotency_key);
    if (keys.empty()) return false;
    std::map<std::string, OutboundMessage> stored;
    for (auto& m : context.outbox.find_by_keys(keys)) stored.emplace(m.idempotency_key, std::move(m));
    std::map<std::string, const NewMessage*> earlier;
    for (std::size_t i = 0; i < messages.size(); ++i) {
        const NewMessage& m = messages[i];
        if (m.idempotency_key.empty()) continue;
        std::string what;
        if (auto s = stored.find(m.idempotency_key); s != stored.end())
            what = differs(s->second, m, asked[i].transport_named);
        else if (auto [e, first] = earlier.emplace(m.idempotency_key, &m); !first)
            what = differs(*e->second, m, asked[i].transport_named);
        if (!what.empty()) {
            send_key_reused(response, m.idempotency_key, what, asked[i].key_field);
            return true;
        }
    }
    return false;
}

json::object summary(const OutboundMessage& m) {
    return {{"id", m.id}, {"state", to_string(m.state)}, {"transport", m.transport}};
}

// What a request offered besides its messages, kept for its answer after the commit.
struct Offered {
    bool batch = false;
    std::vector<Asked> asked;
    std::vector<std::pair<std::size_t, NewMessage>> keyed; // the keyed messages as offered, by position
};

// The answer once the commit is done (on the committer's thread): 202 with the messages as stored, 409 when
// a key stands for another message, 503 when the commit failed (nothing was acknowledged: the caller retries).
void answer_enqueued(ApiContext& context, const Offered& offered, const std::vector<OutboundMessage>& stored,
                     const std::exception_ptr& failed, Poco::Net::HTTPServerResponse& response) {
    if (failed) {
        try {
            std::rethrow_exception(failed);
        } catch (const std::exception& e) {
            spdlog::error("enqueue failed: {}", e.what());
        }
        return send_error(response, 503, "store_unavailable", "the message store could not commit; try again");
    }
    // Messages the dispatcher took at the commit (state `sending`) need no claim; any left queued do.
    if (std::any_of(stored.begin(), stored.end(), [](const OutboundMessage& m) { return m.state == MessageState::queued; }))
        context.dispatcher.wake();
    for (const auto& [i, message] : offered.keyed)
        if (std::string what = differs(stored[i], message, offered.asked[i].transport_named); !what.empty())
            return send_key_reused(response, message.idempotency_key, what, offered.asked[i].key_field);
    if (!offered.batch) return send_json(response, 202, summary(stored.front()));
    json::array out;
    for (const auto& m : stored) out.push_back(summary(m));
    send_json(response, 202, json::object{{"messages", out}});
}

} // namespace

bool posts_one_message(std::string_view body) {
    // A request this large takes long enough to parse to hold up the other connections of its I/O thread.
    constexpr std::size_t kLargest = 64 * 1024;
    if (body.size() > kLargest) return false;
    StrictJson parsed = parse_strict_json(body);
    return !(parsed.value.is_object() && parsed.value.as_object().contains("messages"));
}

void post_messages(ApiContext& context, Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response) {
    auto parsed = json_body(request, response);
    if (!parsed) return;
    const json::value& doc = *parsed;

    agency::SnapshotPtr snapshot = context.settings.current();
    const agency::AgencySettings& settings = snapshot->settings;
    std::vector<NewMessage> messages;
    std::vector<Asked> asked;
    bool batch = doc.is_object() && doc.as_object().contains("messages");
    if (batch) {
        const json::value& list = doc.as_object().at("messages");
        if (!list.is_array() || list.as_array().empty())
            return send_error(response, 400, "invalid", "must be a non-empty array", "messages");
        if (list.as_array().size() > kMaxBatch)
            return send_error(response, 400, "invalid", "at most " + std::to_string(kMaxBatch) + " messages per request", "messages");
        const auto& items = list.as_array();
        messages.resize(items.size());
        asked.resize(items.size());
        for (std::size_t i = 0; i < items.size(); ++i)
            if (auto error = parse_message(context, settings, items[i], JsonReader::indexed("messages", i), messages[i], asked[i]))
                return send_invalid(response, *error);
    } else {
        messages.resize(1);
        asked.resize(1);
        if (auto error = parse_message(context, settings, doc, "", messages[0], asked[0]))
            return send_invalid(response, *error);
        if (messages[0].idempotency_key.empty()) asked[0].key_field = "Idempotency-Key";
        if (auto error = idempotency_key(request, messages[0].idempotency_key)) return send_invalid(response, *error);
    }
    // expires_in_seconds was parked as a negative number; now is the moment of acceptance. Without it,
    // the message lives as long as its kind may on its transport.
    TimeMs accepted_at = SystemClock().now_ms();
    for (auto& m : messages)
        m.expires_at = accepted_at + (m.expires_at < 0 ? -m.expires_at : context.config.max_age_seconds(m.transport, m.kind)) * 1000;

    // A batch is all or nothing: a key reused for another message, stored or earlier in the batch, refuses
    // it before anything is written. A single message needs no look first: its key is checked after the
    // commit, as every key is (a request racing this one may have been first), and a stored key writes nothing.
    try {
        if (batch && refused_reused_key(context, messages, asked, response)) return;
    } catch (const std::exception& e) {
        spdlog::error("looking up idempotency keys failed: {}", e.what());
        return send_error(response, 503, "store_unavailable", "the message store could not be read; try again");
    }
    // What keyed messages offered, to compare with what their key stands for after the commit.
    Offered offered;
    offered.batch = batch;
    offered.asked = std::move(asked);
    for (std::size_t i = 0; i < messages.size(); ++i)
        if (!messages[i].idempotency_key.empty()) offered.keyed.emplace_back(i, messages[i]);
    // The answer waits for the commit, not a handler thread: the committer answers (store/group_commit.hpp).
    LaterAnswer answer = answer_later(response);
    context.outbox.enqueue(std::move(messages), [&context, answer, offered = std::move(offered)](
                                                    std::vector<OutboundMessage> stored, std::exception_ptr failed) {
        answer([&](Poco::Net::HTTPServerResponse& later) { answer_enqueued(context, offered, stored, failed, later); });
    });
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
    for (const StoredReceipt& r : context.receipts.receipts_of(id))
        receipts.push_back({{"status", to_string(r.status)}, {"provider_code", r.provider_code},
                            {"provider_text", r.provider_text},
                            {"occurred_at_ms", r.occurred_at ? json::value(r.occurred_at) : json::value(nullptr)},
                            {"received_at_ms", r.received_at}});
    for (const StoredReply& r : context.receipts.replies_to(id))
        replies.push_back({{"from", r.from}, {"text", r.text},
                           {"occurred_at_ms", r.occurred_at ? json::value(r.occurred_at) : json::value(nullptr)},
                           {"received_at_ms", r.received_at}});
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
