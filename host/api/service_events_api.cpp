#include <api/confirm_links_api.hpp>
#include <api/http_io.hpp>
#include <api/message_log_api.hpp>
#include <api/service_events_api.hpp>
#include <api/trigger_firings_api.hpp>

#include <agency/people.hpp>
#include <events/service_event_json.hpp>
#include <events/service_events.hpp>

#include <regex>

namespace extcomm::host {
namespace json = boost::json;

namespace {

// Schedules run at instants; shown in the event's own offset so they read like its start.
json::array schedules_json(const std::vector<events::Schedule>& schedules, int offset_minutes) {
    json::array out;
    for (const auto& s : schedules)
        out.push_back(json::object{{"recipient", s.recipient},
                                   {"recipient_kind", events::to_client(s.kind) ? "client" : "worker"},
                                   {"kind", events::to_string(s.kind)},
                                   {"run_at", events::format_offset_time(s.run_at, offset_minutes)},
                                   {"run_at_ms", s.run_at}});
    return out;
}

// A notice the change called for: {kind, skipped, request, replayed, decisions}, the decisions as the
// message log has them (per recipient and channel, sent with the message or skipped with the reason).
// `kind_key`: "update" for the clients' booking or reschedule notice, "kind" for the workers' notice.
json::object notice_json(const events::EventNotice& notice, const char* kind_key) {
    json::object out{{kind_key, notice.kind ? json::value(rendering::to_string(*notice.kind)) : json::value(nullptr)},
                     {"skipped", notice.skipped ? json::value(sending::to_string(*notice.skipped)) : json::value(nullptr)}};
    json::array decisions;
    if (notice.sent)
        for (const auto& d : notice.sent->decisions) decisions.push_back(decision_json(d));
    out["request"] = notice.sent ? json::value(notice.sent->request.id) : json::value(nullptr);
    out["replayed"] = notice.sent && notice.sent->replayed;
    out["decisions"] = std::move(decisions);
    return out;
}

void put_event(ApiContext& context, const std::string& id, Poco::Net::HTTPServerRequest& request,
               Poco::Net::HTTPServerResponse& response) {
    auto doc = json_body(request, response);
    if (!doc) return;
    auto parsed = events::service_event_from_api(*doc, id);
    if (auto* error = std::get_if<FieldError>(&parsed)) return send_invalid(response, *error);
    const events::ServiceEvent& event = std::get<events::ServiceEvent>(parsed);

    // The settings as they are now decide the notices and schedules; a due schedule is rendered later
    // with the settings as they are then.
    auto snapshot = context.settings.current();
    const events::EventApplied applied = context.service_events.put(*snapshot, event);

    json::object answer{{"event", events::to_api_json(applied.current)},
                        {"previous", applied.previous ? json::value(events::to_api_json(*applied.previous)) : json::value(nullptr)},
                        {"happened", events::to_string(applied.change.what)},
                        {"timing", events::to_string(applied.change.when)}};
    answer["original_start"] =
        applied.change.what == events::Happening::rescheduled
            ? json::value(events::format_offset_time(applied.change.original_start,
                                                     applied.previous ? applied.previous->start_offset_minutes : 0))
            : json::value(nullptr);
    answer["client_notices"] = notice_json(applied.client_notice, "update");
    answer["worker_notice"] = notice_json(applied.worker_notice, "kind");
    json::array ids;
    for (const auto& m : applied.message_ids) ids.emplace_back(m);
    answer["message_ids"] = std::move(ids);
    answer["schedules"] = schedules_json(applied.schedules, applied.current.start_offset_minutes);
    add_fired(context, applied.firings, answer);
    send_json(response, applied.previous ? 200 : 201, answer);
    if (!applied.message_ids.empty()) context.dispatcher.wake();
}

void get_event(ApiContext& context, const std::string& id, Poco::Net::HTTPServerResponse& response) {
    auto found = context.service_events.find(id);
    if (!found) return send_error(response, 404, "not_found", "no service event '" + id + "'", "id");
    const auto& stored = found->stored;
    send_json(response, 200,
              json::object{{"event", events::to_api_json(stored.current)},
                           {"previous", stored.previous ? json::value(events::to_api_json(*stored.previous))
                                                        : json::value(nullptr)},
                           {"schedules", schedules_json(found->schedules, stored.current.start_offset_minutes)},
                           {"confirmations", event_confirmations_json(context, id, stored.current.start_offset_minutes)}});
}

} // namespace

bool route_service_events(ApiContext& context, const std::string& method, const std::string& path,
                          Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response) {
    static const std::regex event_path(R"(^/v1/service-events/([^/]*)$)");
    std::smatch m;
    if (!std::regex_match(path, m, event_path)) return false;
    const std::string id = m[1];
    if (method != "PUT" && method != "GET") {
        response.set("Allow", "GET, PUT");
        send_error(response, 405, "method_not_allowed", method + " is not allowed on " + path);
        return true;
    }
    if (!agency::is_valid_id(id)) {
        send_error(response, 400, "invalid", "must be 1 to 64 of A-Z a-z 0-9 . _ -", "id");
        return true;
    }
    if (method == "PUT") put_event(context, id, request, response);
    else get_event(context, id, response);
    return true;
}

} // namespace extcomm::host
