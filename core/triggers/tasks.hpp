#pragma once
// Workflow tasks as the API sees them: created by staff (POST /v1/tasks: due date required; the assignee
// must be stored), read, listed and completed. A task for a worker is announced to them as a message of
// kind task-workflow (a collaboration message of type Workflow) through the sending pipeline, in the
// transaction that stores the task, whoever made it: staff here, or a rule's Workflow action (firing.cpp).
// Client tasks are stored and listed; reaching the client with them is the next release's.
#include <triggers/task_store.hpp>

#include <agency/people_store.hpp>
#include <common/clock.hpp>
#include <sending/pipeline.hpp>

#include <functional>
#include <optional>
#include <string>
#include <variant>
#include <vector>

namespace extcomm::triggers {

// The task's announcement to its worker: keyed by the task, so it goes once.
sending::Intent announcement(const Task& task, agency::Worker worker, const std::string& rule_name,
                             const std::string& record_label);

struct NoSuchTask {};
struct AlreadyCompleted {
    Task task;
};

struct TaskCreated {
    Task task;
    std::vector<std::string> message_ids; // its announcement
};

class Tasks {
public:
    Tasks(sending::Pipeline& pipeline, agency::PeopleStore& people, const Clock& clock)
        : pipeline_(pipeline), people_(people), clock_(clock) {}

    std::variant<TaskCreated, FieldError> create(const agency::SettingsSnapshot& snapshot, Task task);
    std::optional<Task> find(const std::string& id);
    std::vector<Task> list(const TaskFilter& filter);
    std::variant<Task, NoSuchTask, AlreadyCompleted> complete(const std::string& id);

    // Runs after a completion committed, with the completed task (its chain says what led to it). The
    // next release's client answers feed back through it; tests chain a record change through it.
    void set_on_completed(std::function<void(const Task&)> hook) { on_completed_ = std::move(hook); }

    TimeMs now() const { return clock_.now_ms(); }

private:
    sending::Pipeline& pipeline_;
    agency::PeopleStore& people_;
    const Clock& clock_;
    std::function<void(const Task&)> on_completed_;
};

} // namespace extcomm::triggers
