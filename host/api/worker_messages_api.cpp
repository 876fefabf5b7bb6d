#include <api/http_io.hpp>
#include <api/message_log_api.hpp>
#include <api/people_api.hpp>
#include <api/worker_messages_api.hpp>

#include <agency/people.hpp>
#include <agency/staff_messages.hpp>
#include <common/json_reader.hpp>

#include <spdlog/spdlog.h>


namespace extcomm::host {
namespace json = boost::json;

namespace {

// The request as the body and the Idempotency-Key header give it, checked; or what is wrong with it.
std::optional<FieldError> read_request(const Poco::Net::HTTPServerRequest& request, const json::object& body,
                                       agency::WorkerMessageRequest& out) {
    JsonReader r(body, "");
    r.only({"type", "subject", "body", "recipients", "idempotency_key"});
    constexpr const char* kTypes = "must be a collaboration type: conversation, alert, notification, discussion, "
                                   "event-notification, workflow, reminder";
    std::string type;
    if (!r.text("type", type)) r.fail("type", "is required");
    else if (auto parsed = rendering::collaboration_type_from(type)) out.type = *parsed;
    else r.fail("type", kTypes);
    if (!r.text("subject", out.subject)) r.fail("subject", "is required");
    if (r.ok() && out.subject.empty()) r.fail("subject", "is empty");
    r.text("body", out.body);
    r.text("idempotency_key", out.idempotency_key);
    if (r.ok()) r.fail(idempotency_key(request, out.idempotency_key));

    const json::value* recipients = r.member("recipients");
    constexpr const char* kRecipients = "is required: {\"workers\": [ids], \"categories\": [ids]}";
    if (!recipients) r.fail("recipients", kRecipients);
    if (!r.ok()) return r.error();
    JsonReader rr(*recipients, "recipients", kRecipients);
    rr.only({"workers", "categories"});
    constexpr const char* kIdForm = "must be an id (1 to 64 of A-Z a-z 0-9 . _ -)";
    rr.ids("workers", out.workers, agency::is_valid_id, kIdForm);
    rr.ids("categories", out.categories, agency::is_valid_id, kIdForm);
    if (rr.ok() && out.workers.empty() && out.categories.empty())
        rr.fail("recipients", "names no worker and no worker category");
    return rr.error();
}

void post_worker_message(ApiContext& context, Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response) {
    auto body = object_body(request, response);
    if (!body) return;
    agency::WorkerMessageRequest r;
    if (auto error = read_request(request, *body, r)) return send_invalid(response, *error);

    auto result = send_now(context, response, "worker message",
                           [&](const agency::SettingsSnapshot& snapshot) { return context.staff_messages.send(snapshot, r); });
    if (!result) return;
    if (auto* e = std::get_if<FieldError>(&*result)) return send_invalid(response, {"recipients." + e->field, e->reason});
    auto& sent = std::get<sending::SentRequest>(*result);
    if (!sent.replayed) context.dispatcher.wake();
    send_json(response, sent.replayed ? 200 : 202, request_json(sent.request, sent.decisions, sent.replayed));
}

} // namespace

bool route_worker_messages(ApiContext& context, const std::string& method, const std::string& path,
                           Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response) {
    return route_message_requests(context, "worker-message", rendering::MessageKind::collaboration_message, &post_worker_message, method, path, request, response);
}

} // namespace extcomm::host
