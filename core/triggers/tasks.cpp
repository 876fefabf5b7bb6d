#include <triggers/tasks.hpp>

#include <store/rows.hpp>

#include <Poco/Data/Transaction.h>

namespace extcomm::triggers {

sending::Intent announcement(const Task& task, agency::Worker worker, const std::string& rule_name,
                             const std::string& record_label) {
    sending::Intent intent;
    intent.kind = rendering::MessageKind::task_workflow;
    intent.idempotency_key = "task:" + task.id;
    intent.about = task.id;
    intent.subject = task.title;
    intent.recipients.emplace_back(std::move(worker));
    intent.facts = rendering::TaskFacts{task.id, task.title, task.message, task.due_at, rule_name, record_label};
    intent.metadata = {{"task", task.id}};
    if (!task.rule.empty()) intent.metadata["rule"] = task.rule;
    if (!task.record.empty()) intent.metadata["record"] = task.record;
    return intent;
}

std::variant<TaskCreated, FieldError> Tasks::create(const agency::SettingsSnapshot& snapshot, Task task) try {
    const TimeMs now = clock_.now_ms();
    auto c = pipeline_.database().connect();
    Poco::Data::Transaction tx(c.session());
    std::optional<agency::Worker> worker;
    if (task.assignee.type == AssigneeType::worker) {
        worker = people_.worker(c, task.assignee.id);
        if (!worker) return FieldError{"assignee.id", "no worker '" + task.assignee.id + "'"};
    } else if (!people_.client(c, task.assignee.id)) {
        return FieldError{"assignee.id", "no client '" + task.assignee.id + "'"};
    }
    TaskCreated created{insert_task(c, std::move(task), now), {}};
    if (worker) {
        sending::Batch batch(pipeline_, c, snapshot, now);
        batch.add(announcement(created.task, std::move(*worker), "", ""));
        for (const OutboundMessage& m : batch.enqueue()) created.message_ids.push_back(m.id);
    }
    tx.commit();
    return created;
} catch (const Poco::Exception& e) {
    store_error(e);
}

std::optional<Task> Tasks::find(const std::string& id) {
    return on_connection(pipeline_.database(), [&](Database::Connection& c) { return find_task(c, id); });
}

std::vector<Task> Tasks::list(const TaskFilter& filter) {
    return on_connection(pipeline_.database(), [&](Database::Connection& c) { return find_tasks(c, filter, clock_.now_ms()); });
}

std::variant<Task, NoSuchTask, AlreadyCompleted> Tasks::complete(const std::string& id) {
    auto done = on_connection(pipeline_.database(), [&](Database::Connection& c) -> std::variant<Task, NoSuchTask, AlreadyCompleted> {
        auto task = find_task(c, id);
        if (!task) return NoSuchTask{};
        if (!complete_task(c, *task, clock_.now_ms())) return AlreadyCompleted{std::move(*task)};
        return std::move(*task);
    });
    if (auto* task = std::get_if<Task>(&done); task && on_completed_) on_completed_(*task);
    return done;
}

} // namespace extcomm::triggers
