#include <api/http_io.hpp>
#include <api/tasks_api.hpp>
#include <api/trigger_firings_api.hpp>

#include <triggers/tasks.hpp>

#include <Poco/URI.h>

#include <charconv>
#include <regex>

namespace extcomm::host {
namespace json = boost::json;
namespace {

using Poco::Net::HTTPServerRequest;
using Poco::Net::HTTPServerResponse;

bool refuse_method(const std::string& method, const std::string& allowed, const std::string& path, HTTPServerResponse& response) {
    // Compared exactly: "GET, POST" takes GET and POST, nothing that is part of either.
    for (std::size_t at = 0; at <= allowed.size();) {
        const std::size_t comma = std::min(allowed.find(", ", at), allowed.size());
        if (allowed.compare(at, comma - at, method) == 0) return false;
        at = comma + 2;
    }
    response.set("Allow", allowed);
    send_error(response, 405, "method_not_allowed", method + " is not allowed on " + path);
    return true;
}

// "worker/ana" or "client/jo".
std::optional<triggers::Assignee> assignee_from(const std::string& text) {
    const auto slash = text.find('/');
    if (slash == std::string::npos) return std::nullopt;
    auto type = triggers::assignee_type_from(text.substr(0, slash));
    if (!type || slash + 1 == text.size()) return std::nullopt;
    return triggers::Assignee{*type, text.substr(slash + 1)};
}

// Reads one query parameter into `filter`; false with a 400 sent when it is refused.
bool read_query(const std::string& key, const std::string& value, triggers::TaskFilter& filter, HTTPServerResponse& response) {
    if (auto paged = read_paging(key, value, filter.limit, filter.before, response)) return *paged;
    std::int64_t due = 0;
    auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), due);
    if (key == "assignee" && (filter.assignee = assignee_from(value))) return true;
    if (key == "state" && (filter.state = triggers::task_state_from(value))) return true;
    if (key == "due_before" && ec == std::errc() && end == value.data() + value.size()) {
        filter.due_before = due;
        return true;
    }
    if (key == "assignee") send_error(response, 400, "invalid", "must be worker/<id> or client/<id>", key);
    else if (key == "state") send_error(response, 400, "invalid", "must be open, completed or overdue", key);
    else if (key == "due_before") send_error(response, 400, "invalid", "must be a time in Unix milliseconds", key);
    else send_error(response, 400, "invalid", "is not a parameter of /v1/tasks (assignee, state, due_before, limit, before)", key);
    return false;
}

void list_tasks(ApiContext& context, HTTPServerRequest& request, HTTPServerResponse& response) {
    triggers::TaskFilter filter;
    for (const auto& [key, value] : Poco::URI(request.getURI()).getQueryParameters())
        if (!read_query(key, value, filter, response)) return;
    const auto found = context.tasks.list(filter);
    const TimeMs now = context.tasks.now();
    json::array tasks;
    for (const auto& t : found) tasks.push_back(triggers::to_json(t, now));
    json::object answer{{"tasks", std::move(tasks)}};
    answer["next_before"] = found.size() == static_cast<std::size_t>(filter.limit)
                                ? json::value(*triggers::task_number(found.back().id))
                                : json::value(nullptr);
    send_json(response, 200, answer);
}

void create_task(ApiContext& context, HTTPServerRequest& request, HTTPServerResponse& response) {
    auto body = json_body(request, response);
    if (!body) return;
    auto read = triggers::task_from_api(*body);
    if (auto* error = std::get_if<FieldError>(&read)) return send_invalid(response, *error);
    auto created = context.tasks.create(*context.settings.current(), std::get<triggers::Task>(std::move(read)));
    if (auto* error = std::get_if<FieldError>(&created)) return send_invalid(response, *error);
    if (auto* refused = std::get_if<triggers::TaskRefused>(&created))
        return send_error(response, 403, refused->code, refused->reason, refused->field);
    const auto& done = std::get<triggers::TaskCreated>(created);
    json::object answer = triggers::to_json(done.task, context.tasks.now());
    json::array ids;
    for (const auto& id : done.message_ids) ids.emplace_back(id);
    answer["message_ids"] = std::move(ids);
    send_json(response, 201, answer);
    if (!done.message_ids.empty()) context.dispatcher.wake();
}

void complete(ApiContext& context, const std::string& id, HTTPServerResponse& response) {
    auto done = context.tasks.complete(id);
    const TimeMs now = context.tasks.now();
    if (auto* task = std::get_if<triggers::Task>(&done)) return send_json(response, 200, triggers::to_json(*task, now));
    if (std::holds_alternative<triggers::NoSuchTask>(done))
        return send_error(response, 404, "not_found", "no task '" + id + "'", "id");
    send_error(response, 409, "already_completed", "task '" + id + "' was completed already", "id");
}

// The task, and a client task's documents with the client's answers (for the case-management system).
void get_task(ApiContext& context, const std::string& id, HTTPServerResponse& response) {
    auto task = context.tasks.find(id);
    if (!task) return send_error(response, 404, "not_found", "no task '" + id + "'", "id");
    json::object answer = triggers::to_json(*task, context.tasks.now());
    if (task->assignee.type == triggers::AssigneeType::client) {
        const auto stored = context.tasks.documents(id);
        json::array documents;
        for (const std::string& tmpl : task->templates) {
            auto d = stored.find(tmpl);
            const bool any = d != stored.end();
            documents.push_back(json::object{
                {"template", tmpl},
                {"answers", any ? d->second.answers : json::object()},
                {"saved_at_ms", any ? json::value(d->second.saved_at) : json::value(nullptr)},
                {"submitted_at_ms", any && d->second.submitted_at ? json::value(d->second.submitted_at) : json::value(nullptr)}});
        }
        answer["documents"] = std::move(documents);
    }
    send_json(response, 200, answer);
}

} // namespace

bool route_tasks(ApiContext& context, const std::string& method, const std::string& path, HTTPServerRequest& request,
                 HTTPServerResponse& response) {
    static const std::regex one(R"(^/v1/tasks/([^/]*)(/completion)?$)");
    std::smatch m;
    if (path == "/v1/tasks") {
        if (refuse_method(method, "GET, POST", path, response)) return true;
        if (method == "POST") create_task(context, request, response);
        else list_tasks(context, request, response);
        return true;
    }
    if (!std::regex_match(path, m, one)) return false;
    const std::string id = m[1];
    if (m[2].matched) {
        if (!refuse_method(method, "POST", path, response)) complete(context, id, response);
        return true;
    }
    if (!refuse_method(method, "GET", path, response)) get_task(context, id, response);
    return true;
}

} // namespace extcomm::host
