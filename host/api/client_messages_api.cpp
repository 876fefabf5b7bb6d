#include <api/client_messages_api.hpp>
#include <api/http_io.hpp>
#include <api/message_log_api.hpp>
#include <api/people_api.hpp>

#include <agency/people.hpp>
#include <agency/staff_messages.hpp>
#include <common/json_reader.hpp>

#include <spdlog/spdlog.h>


namespace extcomm::host {
namespace json = boost::json;

namespace {

// The request as the body and the Idempotency-Key header give it, checked; or what is wrong with it.
std::optional<FieldError> read_request(const Poco::Net::HTTPServerRequest& request, const json::object& body,
                                       agency::ClientMessageRequest& out) {
    JsonReader r(body, "");
    r.only({"client", "context", "subject", "body", "channel", "idempotency_key"});
    if (!r.text("client", out.client)) r.fail("client", "is required");
    if (r.ok() && !agency::is_valid_id(out.client)) r.fail("client", "must be a client id (1 to 64 of A-Z a-z 0-9 . _ -)");
    std::string context_name;
    if (!r.text("context", context_name)) r.fail("context", "is required");
    else if (auto parsed = agency::client_context_from(context_name)) out.context = *parsed;
    else r.fail("context", "must be one of billing-account-summary, billing-policy, profile, case, service-file, "
                           "service-event, group, group-event");
    if (!r.text("subject", out.subject)) r.fail("subject", "is required");
    if (r.ok() && out.subject.empty()) r.fail("subject", "is empty");
    if (!r.text("body", out.body)) r.fail("body", "is required");
    if (r.ok() && out.body.empty()) r.fail("body", "is empty");
    std::string channel;
    if (r.text("channel", channel) && !(out.channel = channel_from(channel)))
        r.fail("channel", "must be 'email' or 'sms' (or left out: every consented channel)");
    r.text("idempotency_key", out.idempotency_key);
    if (r.ok()) r.fail(idempotency_key(request, out.idempotency_key));
    return r.error();
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
    agency::ClientMessageRequest r;
    if (auto error = read_request(request, *body, r)) return send_invalid(response, *error);

    auto result = send_now(context, response, "client message",
                           [&](const agency::SettingsSnapshot& snapshot) { return context.staff_messages.send(snapshot, r); });
    if (!result) return;
    if (auto* e = std::get_if<FieldError>(&*result)) {
        if (e->field == "client") return send_error(response, 404, "not_found", e->reason, "client");
        return send_invalid(response, *e);
    }
    auto& sent = std::get<sending::SentRequest>(*result);
    if (!sent.replayed && sent.request.refusal.empty()) context.dispatcher.wake();
    answer(response, sent);
}

} // namespace

bool route_client_messages(ApiContext& context, const std::string& method, const std::string& path,
                           Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response) {
    return route_message_requests(context, "client-message", rendering::MessageKind::client_message, &post_client_message, method, path, request, response);
}

} // namespace extcomm::host
