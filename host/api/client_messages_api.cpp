#include <api/client_messages_api.hpp>
#include <api/http_io.hpp>
#include <api/json_input.hpp>
#include <api/message_log_api.hpp>
#include <api/people_api.hpp>

#include <agency/client_messages.hpp>

#include <spdlog/spdlog.h>


namespace extcomm::host {
namespace json = boost::json;

namespace {

void invalid(Poco::Net::HTTPServerResponse& response, const FieldError& error) {
    send_error(response, 400, "invalid", error.reason, error.field);
}

// The field a refusal is about, for the caller's form.
std::string refusal_field(const std::string& code) {
    if (code == "context-not-allowed") return "context";
    if (code == "channel-disabled" || code == "no-transport" || code == "no-consent" || code == "no-usable-channel")
        return "channel";
    return {};
}

// 202 (sent on some channel), 200 (a replay), or 403 with the refusal; the decisions either way.
void answer(Poco::Net::HTTPServerResponse& response, const sending::SentRequest& sent) {
    json::object body = request_json(sent.request, sent.decisions, sent.replayed);
    if (sent.request.refusal.empty()) return send_json(response, sent.replayed ? 200 : 202, body);
    json::object error{{"code", sent.request.refusal_code}, {"message", sent.request.refusal}};
    if (auto field = refusal_field(sent.request.refusal_code); !field.empty()) error["field"] = field;
    body["error"] = std::move(error);
    send_json(response, 403, body);
}

void post_client_message(ApiContext& context, Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response) {
    auto body = object_body(request, response);
    if (!body) return;
    const json::object& o = *body;
    if (auto e = input::only(o, {"client", "context", "subject", "body", "channel", "idempotency_key"}))
        return invalid(response, *e);

    agency::ClientMessageRequest r;
    std::optional<FieldError> error;
    std::string context_name, channel;
    if (!input::string(o, "client", "", r.client, error) && !error) error = FieldError{"client", "is required"};
    if (!error && !agency::is_valid_id(r.client)) error = FieldError{"client", "must be a client id (1 to 64 of A-Z a-z 0-9 . _ -)"};
    if (!error && !input::string(o, "context", "", context_name, error) && !error)
        error = FieldError{"context", "is required"};
    if (error) return invalid(response, *error);
    auto ctx = agency::client_context_from(context_name);
    if (!ctx)
        return invalid(response, {"context", "must be one of billing-account-summary, billing-policy, profile, case, "
                                             "service-file, service-event, group, group-event"});
    r.context = *ctx;
    if (!input::string(o, "subject", "", r.subject, error) && !error) error = FieldError{"subject", "is required"};
    if (!error && r.subject.empty()) error = FieldError{"subject", "is empty"};
    if (!error && !input::string(o, "body", "", r.body, error) && !error) error = FieldError{"body", "is required"};
    if (!error && r.body.empty()) error = FieldError{"body", "is empty"};
    if (!error && input::string(o, "channel", "", channel, error)) {
        r.channel = channel_from(channel);
        if (!r.channel) error = FieldError{"channel", "must be 'email' or 'sms' (or left out: every consented channel)"};
    }
    if (!error) input::string(o, "idempotency_key", "", r.idempotency_key, error);
    if (error) return invalid(response, *error);
    if (r.idempotency_key.empty() && request.has("Idempotency-Key")) r.idempotency_key = request.get("Idempotency-Key");
    if (r.idempotency_key.size() > 200) return invalid(response, {"idempotency_key", "is longer than 200 characters"});

    if (!context.client_messages) return send_error(response, 503, "unavailable", "client messages are not available on this host");
    std::variant<sending::SentRequest, FieldError> result;
    try {
        result = context.client_messages->send(*context.settings->current(), r);
    } catch (const std::exception& e) {
        spdlog::error("client message: {}", e.what());
        return send_error(response, 503, "store_unavailable", "the message store could not commit; try again");
    }
    if (auto* e = std::get_if<FieldError>(&result)) {
        if (e->field == "client") return send_error(response, 404, "not_found", e->reason, "client");
        return invalid(response, *e);
    }
    auto& sent = std::get<sending::SentRequest>(result);
    if (!sent.replayed && sent.request.refusal.empty()) context.dispatcher.wake();
    answer(response, sent);
}

} // namespace

bool route_client_messages(ApiContext& context, const std::string& method, const std::string& path,
                           Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response) {
    return route_message_requests(context, "client-message", rendering::MessageKind::client_message, &post_client_message, method, path, request, response);
}

} // namespace extcomm::host
