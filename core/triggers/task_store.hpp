#pragma once
// Where workflow tasks are kept. Calls join the caller's transaction; store failures throw (Poco exceptions).
// Lists are newest first and page back by a task's number (`before`), like the other logs.
#include <triggers/task.hpp>

#include <store/database.hpp>

#include <optional>
#include <string>
#include <vector>

namespace extcomm::triggers {

// Stores `task` as new and open, with a server-assigned id and created_at = now; returns it as stored.
// `link_id`: a client task's link (events/confirm_token.hpp); "" for none.
Task insert_task(Database::Connection& c, Task task, TimeMs now, const std::string& link_id = "");
std::optional<Task> find_task(Database::Connection& c, const std::string& id);
// The task a client task's link opens.
std::optional<Task> find_task_by_link(Database::Connection& c, const std::string& link_id);
// Holds the row of the task a link opens until the caller's transaction ends (a write that changes
// nothing), so that two hosts submitting its last two documents see each other's and one completes it.
void lock_task_of_link(Database::Connection& c, const std::string& link_id);
// Open client tasks due by `now` whose workers were not told yet, oldest first (at most `limit`).
std::vector<Task> untold_overdue_tasks(Database::Connection& c, TimeMs now, int limit);
// Marks the task's workers told; false when another host (or an earlier run) did: they are told once.
bool claim_overdue_notice(Database::Connection& c, const std::string& id);
// An open task becomes completed at `now`; false when it was completed already (nothing written).
bool complete_task(Database::Connection& c, Task& task, TimeMs now);

struct TaskFilter {
    std::optional<Assignee> assignee;
    std::optional<TaskState> state;      // overdue: open and due by now; open: open and not due yet
    std::optional<TimeMs> due_before;    // due strictly before
    std::optional<std::int64_t> before;  // a task's number (t-12: 12): only older tasks
    int limit = 50;
};
std::vector<Task> find_tasks(Database::Connection& c, const TaskFilter& filter, TimeMs now);

// "t-12" ↔ 12: the number orders tasks.
std::optional<std::int64_t> task_number(const std::string& id);

} // namespace extcomm::triggers
