#include <api/http_io.hpp>
#include <api/json_input.hpp>
#include <api/message_log_api.hpp>
#include <api/people_api.hpp>
#include <api/worker_messages_api.hpp>

#include <agency/worker_messages.hpp>

#include <spdlog/spdlog.h>


namespace extcomm::host {
namespace json = boost::json;

namespace {

void invalid(Poco::Net::HTTPServerResponse& response, const FieldError& error) {
    send_error(response, 400, "invalid", error.reason, error.field);
}

void post_worker_message(ApiContext& context, Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response) {
    auto body = object_body(request, response);
    if (!body) return;
    const json::object& o = *body;
    if (auto e = input::only(o, {"type", "subject", "body", "recipients", "idempotency_key"})) return invalid(response, *e);

    agency::WorkerMessageRequest r;
    std::optional<FieldError> error;
    std::string type;
    if (!input::string(o, "type", "", type, error) && !error) error = FieldError{"type", "is required"};
    if (error) return invalid(response, *error);
    auto t = rendering::collaboration_type_from(type);
    if (!t)
        return invalid(response, {"type", "must be a collaboration type: conversation, alert, notification, discussion, "
                                          "event-notification, workflow, reminder"});
    r.type = *t;
    if (!input::string(o, "subject", "", r.subject, error) && !error) error = FieldError{"subject", "is required"};
    if (!error && r.subject.empty()) error = FieldError{"subject", "is empty"};
    if (!error) input::string(o, "body", "", r.body, error);
    if (!error) input::string(o, "idempotency_key", "", r.idempotency_key, error);
    if (error) return invalid(response, *error);
    if (r.idempotency_key.empty() && request.has("Idempotency-Key")) r.idempotency_key = request.get("Idempotency-Key");
    if (r.idempotency_key.size() > 200) return invalid(response, {"idempotency_key", "is longer than 200 characters"});

    const auto* recipients = o.if_contains("recipients");
    if (!recipients || !recipients->is_object())
        return invalid(response, {"recipients", "is required: {\"workers\": [ids], \"categories\": [ids]}"});
    const auto& ro = recipients->as_object();
    if (auto e = input::only(ro, {"workers", "categories"}, "recipients")) return invalid(response, *e);
    input::ids(ro, "workers", "recipients", r.workers, error);
    if (!error) input::ids(ro, "categories", "recipients", r.categories, error);
    if (error) return invalid(response, *error);
    if (r.workers.empty() && r.categories.empty())
        return invalid(response, {"recipients", "names no worker and no worker category"});

    if (!context.worker_messages) return send_error(response, 503, "unavailable", "worker messages are not available on this host");
    std::variant<sending::SentRequest, FieldError> result;
    try {
        result = context.worker_messages->send(*context.settings->current(), r);
    } catch (const std::exception& e) {
        spdlog::error("worker message: {}", e.what());
        return send_error(response, 503, "store_unavailable", "the message store could not commit; try again");
    }
    if (auto* e = std::get_if<FieldError>(&result)) return invalid(response, {"recipients." + e->field, e->reason});
    auto& sent = std::get<sending::SentRequest>(result);
    if (!sent.replayed) context.dispatcher.wake();
    send_json(response, sent.replayed ? 200 : 202, request_json(sent.request, sent.decisions, sent.replayed));
}

} // namespace

bool route_worker_messages(ApiContext& context, const std::string& method, const std::string& path,
                           Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response) {
    return route_message_requests(context, "worker-message", rendering::MessageKind::collaboration_message, &post_worker_message, method, path, request, response);
}

} // namespace extcomm::host
