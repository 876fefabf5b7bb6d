#include <triggers/record_store.hpp>
#include <triggers/records.hpp>
#include <triggers/rule_store.hpp>
#include <triggers/tasks.hpp>

#include <agency/settings_json.hpp>
#include <store/rows.hpp>

#include <algorithm>

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

namespace {

// Where Client Delivery lets staff start client communications, as for a client message.
std::optional<TaskRefused> staff_may_not(const agency::ClientDeliverySettings& delivery, const Task& task) {
    if (!delivery.enabled)
        return TaskRefused{"client-delivery-disabled", "", "Client Delivery is disabled for the agency"};
    if (!delivery.contexts.contains(*task.context))
        return TaskRefused{"context-not-allowed", "context",
                           "the agency does not allow staff to start client communications from '" +
                               std::string(agency::to_string(*task.context)) + "' (Client Delivery > Client Communications)"};
    return std::nullopt;
}

// A client's task is about client-facing documents the store knows.
std::optional<FieldError> documents_problem(Database::Connection& c, const Task& task) {
    if (task.templates.empty()) return FieldError{"templates", "is required for a client's task: the documents to complete"};
    for (std::size_t i = 0; i < task.templates.size(); ++i) {
        auto tmpl = find_template(c, task.templates[i]);
        const std::string at = "templates[" + std::to_string(i) + "]";
        if (!tmpl) return FieldError{at, "no document template '" + task.templates[i] + "'"};
        if (!tmpl->client_facing) return FieldError{at, "document template '" + tmpl->id + "' is not client-facing"};
    }
    return std::nullopt;
}

constexpr int kOverdueBatch = 100;

} // namespace

std::variant<TaskCreated, FieldError, TaskRefused> Tasks::create_for_client(Database::Connection& c,
                                                                            const agency::SettingsSnapshot& snapshot, Task task) {
    if (!task.context) return FieldError{"context", "is required for a client's task: where staff started it (a Client Delivery context)"};
    if (auto refused = staff_may_not(snapshot.settings.client_delivery, task)) return *refused;
    auto client = people_.client(c, task.assignee.id);
    if (!client) return FieldError{"assignee.id", "no client '" + task.assignee.id + "'"};
    if (auto problem = documents_problem(c, task)) return *problem;
    if (auto why = client_unreachable(snapshot.settings, client->id, client, firing_.task_links()))
        return TaskRefused{"not-reachable", "assignee.id", *why};
    const TimeMs now = clock_.now_ms();
    sending::Batch batch(pipeline_, c, snapshot, now);
    TaskCreated created{send_client_task(c, batch, std::move(task), std::move(*client), firing_.task_links(), now).task, {}};
    for (const OutboundMessage& m : batch.enqueue()) created.message_ids.push_back(m.id);
    return created;
}

std::variant<TaskCreated, FieldError, TaskRefused> Tasks::create(const agency::SettingsSnapshot& snapshot, Task task) try {
    const TimeMs now = clock_.now_ms();
    auto c = pipeline_.database().connect();
    Poco::Data::Transaction tx(c.session());
    if (task.assignee.type == AssigneeType::client) {
        auto created = create_for_client(c, snapshot, std::move(task));
        if (std::holds_alternative<TaskCreated>(created)) tx.commit();
        return created;
    }
    auto worker = people_.worker(c, task.assignee.id);
    if (!worker) return FieldError{"assignee.id", "no worker '" + task.assignee.id + "'"};
    TaskCreated created{insert_task(c, std::move(task), now), {}};
    sending::Batch batch(pipeline_, c, snapshot, now);
    batch.add(announcement(created.task, std::move(*worker), "", ""));
    for (const OutboundMessage& m : batch.enqueue()) created.message_ids.push_back(m.id);
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

std::map<std::string, TaskDocument> Tasks::documents(const std::string& id) {
    return on_connection(pipeline_.database(), [&](Database::Connection& c) { return find_task_documents(c, id); });
}

std::variant<TaskPage, LinkProblem> Tasks::page_of(Database::Connection& c, const agency::SettingsSnapshot& snapshot,
                                                   const std::string& link_id) {
    auto task = find_task_by_link(c, link_id);
    if (!task) return LinkProblem::unknown;
    if (task->state == TaskState::completed) return LinkProblem::completed;
    TaskPage page{std::move(*task), {}, {}, 0};
    page.expires_at = link_expires_at(page.task, snapshot.settings);
    if (clock_.now_ms() >= page.expires_at) return LinkProblem::expired;
    for (const std::string& id : page.task.templates)
        if (auto tmpl = find_template(c, id)) page.documents.push_back(std::move(*tmpl));
    page.stored = find_task_documents(c, page.task.id);
    return page;
}

std::variant<TaskPage, LinkProblem> Tasks::open_link(const agency::SettingsSnapshot& snapshot, const std::string& link_id) {
    return on_connection(pipeline_.database(), [&](Database::Connection& c) { return page_of(c, snapshot, link_id); });
}

// The submitted document's template fires its "completed" (and answer) rules with the client's answers, as
// output of the rule that made the task (its chain); the last document completes the task.
std::size_t Tasks::submitted(Database::Connection& c, const agency::SettingsSnapshot& snapshot, Answered& answered) {
    const Task& task = answered.page.task;
    const auto tmpl = std::find_if(answered.page.documents.begin(), answered.page.documents.end(),
                                   [&](const DocumentTemplate& d) { return d.id == answered.document; });
    Subject subject;
    subject.record = "task/" + task.id + "/" + tmpl->id;
    subject.label = "document " + tmpl->title + " of task " + task.id;
    subject.version = 1;
    subject.triggers = {Trigger::document_completed, Trigger::answer_meets_condition};
    subject.document_template = tmpl->id;
    subject.facts = {{"fields", boost::json::object()}, {"agency_fields", boost::json::object()}, {"answers", answered.read.answers}};
    subject.client = task.assignee.id;
    subject.chain = task.chain;
    subject.chain_record = task.record;
    const std::size_t messages = fire(firing_, pipeline_, c, snapshot, subject, clock_.now_ms()).message_ids.size();
    answered.page.stored = find_task_documents(c, task.id);
    const bool all = std::all_of(task.templates.begin(), task.templates.end(), [&](const std::string& id) {
        auto d = answered.page.stored.find(id);
        return d != answered.page.stored.end() && d->second.submitted_at != 0;
    });
    if (all) complete_task(c, answered.page.task, clock_.now_ms());
    return messages;
}

std::variant<Answered, LinkProblem> Tasks::answer(const agency::SettingsSnapshot& snapshot, const std::string& link_id,
                                                  const std::string& document, const FormFields& form, AnswerUse use) try {
    auto c = pipeline_.database().connect();
    Poco::Data::Transaction tx(c.session());
    lock_task_of_link(c, link_id);
    auto page = page_of(c, snapshot, link_id);
    if (auto* problem = std::get_if<LinkProblem>(&page)) return *problem;
    Answered answered{std::move(std::get<TaskPage>(page)), document, {}, false, 0};
    const auto& docs = answered.page.documents;
    const auto tmpl = std::find_if(docs.begin(), docs.end(), [&](const DocumentTemplate& d) { return d.id == document; });
    if (tmpl == docs.end()) return LinkProblem::unknown; // a form of no document of this task
    answered.read = read_answers(*tmpl, form, use);
    if (!answered.read.ok()) return answered;
    const TimeMs now = clock_.now_ms();
    const Stored stored = use == AnswerUse::submit ? submit_document(c, answered.page.task.id, document, answered.read.answers, now)
                                                   : save_document(c, answered.page.task.id, document, answered.read.answers, now);
    answered.submitted_already = stored == Stored::submitted_already;
    if (!answered.submitted_already && use == AnswerUse::submit) answered.messages = submitted(c, snapshot, answered);
    else answered.page.stored = find_task_documents(c, answered.page.task.id);
    tx.commit();
    firing_.after_commit();
    if (answered.page.task.state == TaskState::completed && on_completed_) on_completed_(answered.page.task);
    return answered;
} catch (const Poco::Exception& e) {
    store_error(e);
}

std::size_t Tasks::tell_overdue(const agency::SettingsSnapshot& snapshot) try {
    const TimeMs now = clock_.now_ms();
    auto c = pipeline_.database().connect();
    Poco::Data::Transaction tx(c.session());
    sending::Batch batch(pipeline_, c, snapshot, now);
    for (const Task& task : untold_overdue_tasks(c, now, kOverdueBatch)) {
        if (!claim_overdue_notice(c, task.id) || task.notify.empty()) continue;
        sending::Intent intent;
        intent.kind = rendering::MessageKind::trigger_notification;
        intent.idempotency_key = "task-overdue:" + task.id;
        intent.about = task.id;
        intent.subject = "Overdue: " + task.title;
        intent.client = task.assignee.id;
        for (agency::Worker& w : people_.workers(c, task.notify)) intent.recipients.emplace_back(std::move(w));
        // The rule by its name now, as its own alerts name it; its id if it was deleted since.
        const auto rule = find_rule(c, task.rule);
        intent.facts = rendering::TriggerFacts{intent.subject, "The client has not completed task " + task.id + " by its due date.",
                                               rule ? rule->name : task.rule, task.record.empty() ? "task " + task.id : task.record};
        intent.metadata = {{"task", task.id}};
        if (!intent.recipients.empty()) batch.add(intent);
    }
    const std::size_t enqueued = batch.enqueue().size();
    tx.commit();
    return enqueued;
} catch (const Poco::Exception& e) {
    store_error(e);
}

} // namespace extcomm::triggers
