#include <triggers/rule_store.hpp>
#include <triggers/task_store.hpp>

#include <store/rows.hpp>

#include <charconv>
#include <limits>

using namespace Poco::Data::Keywords;

namespace extcomm::triggers {
namespace {

std::vector<Task> tasks_of(std::vector<std::string> texts) {
    std::vector<Task> out;
    for (const std::string& text : texts)
        if (auto task = task_from_stored(text)) out.push_back(std::move(*task));
    return out;
}

std::string text_column(const Row& row) { return row.text(0); }

} // namespace

std::optional<std::int64_t> task_number(const std::string& id) {
    if (!id.starts_with("t-")) return std::nullopt;
    std::int64_t n = 0;
    auto [end, ec] = std::from_chars(id.data() + 2, id.data() + id.size(), n);
    if (ec != std::errc() || end != id.data() + id.size() || n < 1) return std::nullopt;
    return n;
}

Task insert_task(Database::Connection& c, Task task, TimeMs created_at, const std::string& link_id) {
    // Not named `now`: that is Poco's keyword that runs the statement.
    Poco::Int64 seq = next_number(c, "task"), due = task.due_at, at = created_at;
    task.id = "t-" + std::to_string(seq);
    task.state = TaskState::open;
    task.created_at = created_at;
    task.completed_at = 0;
    std::string id = task.id, type(to_string(task.assignee.type)), assignee = task.assignee.id, text = stored_text(task),
                link = link_id;
    c.session() << c.sql("INSERT INTO tasks (seq, id, assignee_type, assignee_id, state, due_at, created_at, task, link_id) "
                         "VALUES (?, ?, ?, ?, 'open', ?, ?, ?, NULLIF(?, ''))"),
        use(seq), use(id), use(type), use(assignee), use(due), use(at), use(text), use(link), now;
    return task;
}

std::optional<Task> find_task(Database::Connection& c, const std::string& id) {
    return first_of(tasks_of(select_rows(c, "SELECT task FROM tasks WHERE id = ?", text_column, id)));
}

std::optional<Task> find_task_by_link(Database::Connection& c, const std::string& link_id) {
    return first_of(tasks_of(select_rows(c, "SELECT task FROM tasks WHERE link_id = ?", text_column, link_id)));
}

void lock_task_of_link(Database::Connection& c, const std::string& link_id) {
    std::string link = link_id;
    c.session() << c.sql("UPDATE tasks SET state = state WHERE link_id = ?"), use(link), now;
}

std::vector<Task> untold_overdue_tasks(Database::Connection& c, TimeMs now, int limit) {
    Poco::Int64 by = now, most = limit;
    return tasks_of(select_rows(c,
                                "SELECT task FROM tasks WHERE assignee_type = 'client' AND overdue_noticed = 0 "
                                "AND state = 'open' AND due_at <= ? ORDER BY due_at LIMIT ?",
                                text_column, by, most));
}

bool claim_overdue_notice(Database::Connection& c, const std::string& id) {
    std::string task = id;
    Poco::Data::Statement update(c.session());
    update << c.sql("UPDATE tasks SET overdue_noticed = 1 WHERE id = ? AND overdue_noticed = 0"), use(task);
    return update.execute() == 1;
}

bool complete_task(Database::Connection& c, Task& task, TimeMs now) {
    Task done = task;
    done.state = TaskState::completed;
    done.completed_at = now;
    std::string id = task.id, text = stored_text(done);
    Poco::Data::Statement update(c.session());
    update << c.sql("UPDATE tasks SET state = 'completed', task = ? WHERE id = ? AND state = 'open'"), use(text), use(id);
    if (update.execute() == 0) return false;
    task = std::move(done);
    return true;
}

std::vector<Task> find_tasks(Database::Connection& c, const TaskFilter& filter, TimeMs now) {
    // The state as a stored state and a range of due times: overdue is open and due by now.
    std::string type = filter.assignee ? std::string(to_string(filter.assignee->type)) : "",
                assignee = filter.assignee ? filter.assignee->id : "", stored;
    Poco::Int64 due_after = std::numeric_limits<Poco::Int64>::min(), due_by = std::numeric_limits<Poco::Int64>::max();
    if (filter.state) {
        switch (*filter.state) {
        case TaskState::open: stored = "open", due_after = now; break;
        case TaskState::overdue: stored = "open", due_by = now; break;
        case TaskState::completed: stored = "completed"; break;
        }
    }
    if (filter.due_before) due_by = std::min<Poco::Int64>(due_by, *filter.due_before - 1);
    Poco::Int64 below = filter.before.value_or(std::numeric_limits<Poco::Int64>::max()),
                limit = filter.limit;
    return tasks_of(select_rows(c,
                                "SELECT task FROM tasks WHERE (? = '' OR assignee_type = ?) AND (? = '' OR assignee_id = ?) "
                                "AND (? = '' OR state = ?) AND due_at > ? AND due_at <= ? AND seq < ? ORDER BY seq DESC LIMIT ?",
                                text_column, type, type, assignee, assignee, stored, stored, due_after, due_by, below, limit));
}

} // namespace extcomm::triggers
