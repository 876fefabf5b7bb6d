#pragma once
// A workflow task: one resource for every assignee (a worker, or a client: client_tasks.hpp), made
// by an action trigger's Workflow action (one task per worker recipient) or by staff (POST /v1/tasks).
//
// Invariants: a stored task is open or completed; "overdue" is never stored but read (an open task whose
// due time has passed), so a task turns overdue without anything writing it. A task made by a rule names
// the rule and the record it fired on, and the chain of rule firings that led to it (loop protection:
// a change its completion causes must not fire the same rule on the same record again).
#include <triggers/chain.hpp>
#include <triggers/rule.hpp>

#include <agency/settings.hpp>
#include <common/clock.hpp>
#include <common/field_error.hpp>

#include <boost/json.hpp>

#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace extcomm::triggers {

enum class AssigneeType { worker, client };
std::string_view to_string(AssigneeType type); // "worker", "client"
std::optional<AssigneeType> assignee_type_from(std::string_view name);

enum class TaskState { open, completed, overdue };
std::string_view to_string(TaskState state); // "open", "completed", "overdue"
std::optional<TaskState> task_state_from(std::string_view name);

struct Assignee {
    AssigneeType type = AssigneeType::worker;
    std::string id;
};

struct Task {
    std::string id; // server-assigned ("t-12")
    Assignee assignee;
    WorkflowType workflow = WorkflowType::general;
    std::string title;
    std::string message;                // rich text
    std::vector<std::string> templates; // document templates the task is about
    TimeMs due_at = 0;                  // UTC ms
    TaskState state = TaskState::open;  // as stored: open or completed
    TimeMs created_at = 0;
    TimeMs completed_at = 0;            // 0 while open
    std::string rule;                   // the action trigger that made it; "" = staff
    std::string record;                 // what it fired on ("case/c-1"); "" = staff
    Chain chain;                        // the firings that led to it, its own last (chain.hpp)
    // Client tasks: how it reached the client; where staff started it (a staff task); the workers told
    // when it turns overdue (a rule's worker recipients).
    std::optional<agency::TaskDelivery> delivery;
    std::optional<agency::ClientContext> context;
    std::vector<std::string> notify;

    // open, completed, or overdue when open past its due time at `now`.
    TaskState state_at(TimeMs now) const;
};

// The body of POST /v1/tasks: assignee, workflow_type (default general), title, message, templates,
// due_at_ms (required: staff set the due date) and context (where staff started it: Tasks::create requires
// it for a client, as Client Delivery must allow it). Every refusal names the field.
std::variant<Task, FieldError> task_from_api(const boost::json::value& body);
// The API's form at `now` (its state read then); without the chain, which is the store's business.
boost::json::object to_json(const Task& task, TimeMs now);

// The stored form: the API's form with the stored state and the chain; read back by task_from_stored.
std::string stored_text(const Task& task);
std::optional<Task> task_from_stored(const std::string& text);

} // namespace extcomm::triggers
