#pragma once
// Workflow tasks as the API sees them: created by staff (POST /v1/tasks: due date required; the assignee
// must be stored), read, listed and completed. A task for a worker is announced to them as a message of
// kind task-workflow (a collaboration message of type Workflow) through the sending pipeline, in the
// transaction that stores the task, whoever made it: staff here, or a rule's Workflow action (firing.cpp).
// A task for a client (client_tasks.hpp) is sent by Engage or ClientConnect; staff may create one only
// where Client Delivery lets them start client communications. Its page (/t/{token}) opens it by its
// link, saves and submits each document once (task_documents.hpp); a submitted document fires its
// template's "completed" rules with the client's answers (loop protection: the task's chain), and the
// last one completes the task. Open client tasks past due are told once to the workers the rule named.
#include <triggers/answers.hpp>
#include <triggers/client_tasks.hpp>
#include <triggers/document_template.hpp>
#include <triggers/firing.hpp>
#include <triggers/task_documents.hpp>
#include <triggers/task_store.hpp>

#include <agency/people_store.hpp>
#include <common/clock.hpp>
#include <sending/pipeline.hpp>

#include <functional>
#include <map>
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

// A staff task for a client that Client Delivery does not allow (the API answers 403 with the code).
struct TaskRefused {
    std::string code; // "client-delivery-disabled", "context-not-allowed", "not-reachable"
    std::string field;
    std::string reason;
};

// What a client task's link opens: the task, its documents (in the task's order) and what was stored.
struct TaskPage {
    Task task;
    std::vector<DocumentTemplate> documents;
    std::map<std::string, TaskDocument> stored;
    TimeMs expires_at = 0;
};
enum class LinkProblem { unknown, expired, completed };

// A document's answers posted from the page: the page as it is now, and how they were taken.
struct Answered {
    TaskPage page;
    std::string document;
    ReadAnswers read;              // errors: nothing was stored
    bool submitted_already = false;
    std::size_t messages = 0;      // enqueued by the rules the submission fired
};

class Tasks {
public:
    Tasks(sending::Pipeline& pipeline, agency::PeopleStore& people, Firing& firing, const Clock& clock)
        : pipeline_(pipeline), people_(people), firing_(firing), clock_(clock) {}

    std::variant<TaskCreated, FieldError, TaskRefused> create(const agency::SettingsSnapshot& snapshot, Task task);
    std::optional<Task> find(const std::string& id);
    std::vector<Task> list(const TaskFilter& filter);
    std::variant<Task, NoSuchTask, AlreadyCompleted> complete(const std::string& id);
    // A client task's documents by template id (GET /v1/tasks/{id} shows their answers).
    std::map<std::string, TaskDocument> documents(const std::string& id);

    // The page of a client task's link at `snapshot`'s settings (the grace days).
    std::variant<TaskPage, LinkProblem> open_link(const agency::SettingsSnapshot& snapshot, const std::string& link_id);
    // Saves or submits one document's answers from the page.
    std::variant<Answered, LinkProblem> answer(const agency::SettingsSnapshot& snapshot, const std::string& link_id,
                                               const std::string& document, const FormFields& form, AnswerUse use);
    // Tells the workers of open client tasks past due, once each; returns how many messages were enqueued.
    std::size_t tell_overdue(const agency::SettingsSnapshot& snapshot);

    // Runs after a completion committed (staff's, or a client's last document), with the completed task (its
    // chain says what led to it); tests chain a record change through it.
    void set_on_completed(std::function<void(const Task&)> hook) { on_completed_ = std::move(hook); }

    TimeMs now() const { return clock_.now_ms(); }

private:
    sending::Pipeline& pipeline_;
    std::variant<TaskCreated, FieldError, TaskRefused> create_for_client(Database::Connection& c,
                                                                         const agency::SettingsSnapshot& snapshot, Task task);
    std::variant<TaskPage, LinkProblem> page_of(Database::Connection& c, const agency::SettingsSnapshot& snapshot,
                                                const std::string& link_id);
    std::size_t submitted(Database::Connection& c, const agency::SettingsSnapshot& snapshot, Answered& answered);

    agency::PeopleStore& people_;
    Firing& firing_;
    const Clock& clock_;
    std::function<void(const Task&)> on_completed_;
};

} // namespace extcomm::triggers
