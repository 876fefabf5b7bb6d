#include <triggers/task.hpp>

#include <agency/people.hpp>
#include <agency/settings_json.hpp>
#include <common/enum_names.hpp>
#include <common/json_reader.hpp>

namespace extcomm::triggers {
namespace json = boost::json;
namespace {

constexpr EnumNames<AssigneeType, 2> kAssigneeNames{{"worker", "client"}};
constexpr EnumNames<TaskState, 3> kStateNames{{"open", "completed", "overdue"}};

void read_assignee(JsonReader& top, Assignee& out) {
    const json::value* v = top.member("assignee");
    if (!v) return top.fail(top.at("assignee"), "is required: {\"type\": \"worker\" or \"client\", \"id\": …}");
    JsonReader r(*v, top.at("assignee"));
    r.only({"type", "id"});
    if (!r.parsed("type", out.type, [](std::string_view s) { return kAssigneeNames.parse(s); }, "must be worker or client") && r.ok())
        r.fail(r.at("type"), "is required: worker or client");
    if ((!r.text("id", out.id) || !agency::is_valid_id(out.id)) && r.ok()) r.fail(r.at("id"), "is required: a worker's or client's id");
    top.fail(r.error());
}

json::array strings(const std::vector<std::string>& items) {
    json::array out;
    for (const auto& s : items) out.emplace_back(s);
    return out;
}

std::vector<std::string> strings_of(const json::object& o, std::string_view key) {
    std::vector<std::string> out;
    if (const json::value* v = o.if_contains(key); v && v->is_array())
        for (const json::value& s : v->as_array())
            if (s.is_string()) out.emplace_back(s.as_string());
    return out;
}

std::string text_of(const json::object& o, std::string_view key) {
    const json::value* v = o.if_contains(key);
    return v && v->is_string() ? std::string(v->as_string()) : std::string();
}

std::int64_t number_of(const json::object& o, std::string_view key) {
    const json::value* v = o.if_contains(key);
    return v && v->is_int64() ? v->as_int64() : 0;
}

} // namespace

std::string_view to_string(AssigneeType type) { return kAssigneeNames(type); }
std::optional<AssigneeType> assignee_type_from(std::string_view name) { return kAssigneeNames.parse(name); }
std::string_view to_string(TaskState state) { return kStateNames(state); }
std::optional<TaskState> task_state_from(std::string_view name) { return kStateNames.parse(name); }

TaskState Task::state_at(TimeMs now) const {
    return state == TaskState::open && due_at <= now ? TaskState::overdue : state;
}

std::variant<Task, FieldError> task_from_api(const json::value& body) {
    JsonReader r(body, "");
    r.only({"assignee", "workflow_type", "title", "message", "templates", "due_at_ms", "context"});
    Task task;
    read_assignee(r, task.assignee);
    if (r.member("workflow_type")) read_workflow_type(r, task.workflow);
    if ((!r.text("title", task.title, 200) || task.title.empty()) && r.ok()) r.fail(r.at("title"), "is required: what the task is");
    r.text("message", task.message, 20'000);
    r.ids("templates", task.templates, agency::is_valid_id, "must be a document template's id");
    if (!r.integer("due_at_ms", task.due_at, 0, INT64_MAX, "must be a time in Unix milliseconds") && r.ok())
        r.fail(r.at("due_at_ms"), "is required: when the task is due (Unix milliseconds)");
    r.parsed("context", task.context, agency::client_context_from, "must be where staff started it (a Client Delivery context)");
    if (auto e = r.error()) return *e;
    return task;
}

json::object to_json(const Task& task, TimeMs now) {
    json::object out{{"id", task.id},
                     {"assignee", {{"type", to_string(task.assignee.type)}, {"id", task.assignee.id}}},
                     {"workflow_type", to_string(task.workflow)},
                     {"title", task.title},
                     {"message", task.message},
                     {"templates", strings(task.templates)},
                     {"due_at_ms", task.due_at},
                     {"state", to_string(task.state_at(now))},
                     {"created_at_ms", task.created_at}};
    out["completed_at_ms"] = task.completed_at ? json::value(task.completed_at) : json::value(nullptr);
    out["rule"] = task.rule.empty() ? json::value(nullptr) : json::value(task.rule);
    out["record"] = task.record.empty() ? json::value(nullptr) : json::value(task.record);
    out["delivery"] = task.delivery ? json::value(agency::to_string(*task.delivery)) : json::value(nullptr);
    out["context"] = task.context ? json::value(agency::to_string(*task.context)) : json::value(nullptr);
    return out;
}

std::string stored_text(const Task& task) {
    json::object out = to_json(task, 0); // read at 0: the stored state, never overdue
    out["chain"] = strings(task.chain);
    out["notify"] = strings(task.notify);
    return json::serialize(out);
}

std::optional<Task> task_from_stored(const std::string& text) {
    std::error_code ec;
    json::value v = json::parse(text, ec);
    if (ec || !v.is_object()) return std::nullopt;
    const json::object& o = v.as_object();
    auto read = task_from_api(json::object{{"assignee", o.at("assignee")}, {"workflow_type", o.at("workflow_type")},
                                           {"title", o.at("title")}, {"message", o.at("message")},
                                           {"templates", o.at("templates")}, {"due_at_ms", o.at("due_at_ms")}});
    auto* task = std::get_if<Task>(&read);
    if (!task) return std::nullopt;
    task->id = text_of(o, "id");
    task->state = task_state_from(text_of(o, "state")).value_or(TaskState::open);
    task->created_at = number_of(o, "created_at_ms");
    task->completed_at = number_of(o, "completed_at_ms");
    task->rule = text_of(o, "rule");
    task->record = text_of(o, "record");
    task->chain = strings_of(o, "chain");
    task->notify = strings_of(o, "notify");
    task->delivery = agency::task_delivery_from(text_of(o, "delivery"));
    task->context = agency::client_context_from(text_of(o, "context"));
    return std::move(*task);
}

} // namespace extcomm::triggers
