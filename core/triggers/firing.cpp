#include <triggers/firing.hpp>
#include <triggers/error_log.hpp>
#include <triggers/firing_log.hpp>
#include <triggers/tasks.hpp>

#include <agency/settings_json.hpp>

#include <spdlog/spdlog.h>

#include <algorithm>

namespace extcomm::triggers {
namespace json = boost::json;
namespace {

json::value or_null(const json::value* v) { return v ? *v : json::value(nullptr); }

json::object outcome(const std::string& field, Comparison comparison, const json::value& value, const json::value* actual,
                     bool held) {
    json::object out{{"field", field}, {"comparison", to_string(comparison)}};
    if (comparison != Comparison::empty && comparison != Comparison::not_empty) out["value"] = value;
    out["actual"] = or_null(actual);
    out["holds"] = held;
    return out;
}

// An answer condition fires when this change makes it true: it holds now and did not before.
bool condition_met(const Rule& rule, const Subject& subject, json::object& entry) {
    const Parameters& p = rule.parameters;
    const std::string field = "answers." + p.question;
    const json::value* now = value_at(subject.facts, field);
    const bool holds_now = holds(p.comparison, now, p.value);
    const bool held_before = !subject.facts_before.empty() && holds(p.comparison, value_at(subject.facts_before, field), p.value);
    json::object condition = outcome(field, p.comparison, p.value, now, holds_now);
    condition["held_before"] = held_before;
    entry["condition"] = std::move(condition);
    if (!holds_now) entry["reason"] = "the answer does not meet the condition";
    else if (held_before) entry["reason"] = "the answer met the condition before this change already";
    return holds_now && !held_before;
}

bool criteria_hold(const Rule& rule, const Subject& subject, json::object& entry) {
    json::array outcomes;
    bool all = true;
    for (const Criterion& c : rule.criteria) {
        const json::value* actual = value_at(subject.facts, c.field);
        const bool held = holds(c.comparison, actual, c.value);
        all = all && held;
        outcomes.push_back(outcome(c.field, c.comparison, c.value, actual, held));
    }
    entry["criteria"] = std::move(outcomes);
    if (!all && !entry.contains("reason")) entry["reason"] = "a criterion does not hold";
    return all;
}

sending::Intent intent_of(const Rule& rule, const Subject& subject, std::vector<agency::Worker> workers) {
    sending::Intent intent;
    intent.kind = rule.action.type == ActionType::alert ? rendering::MessageKind::trigger_alert
                                                        : rendering::MessageKind::trigger_notification;
    intent.idempotency_key = "trigger:" + rule.id + ":" + subject.record + ":" + std::to_string(subject.version);
    if (!subject.occurrence.empty()) intent.idempotency_key += ":" + subject.occurrence;
    intent.about = rule.id;
    intent.subject = rule.action.title;
    intent.client = subject.client;
    for (agency::Worker& w : workers) intent.recipients.emplace_back(std::move(w));
    intent.facts = rendering::TriggerFacts{rule.action.title, rule.action.message, rule.name, subject.label};
    intent.metadata = {{"rule", rule.id}, {"record", subject.record}};
    return intent;
}

constexpr TimeMs kDayMs = 86'400'000;

// A rule's task for one assignee, due its action's days after it fired.
Task task_for(const Rule& rule, const Subject& subject, Assignee assignee, TimeMs now) {
    const Action& a = rule.action;
    Task task;
    task.assignee = std::move(assignee);
    task.workflow = a.workflow;
    task.title = a.title;
    task.message = a.message;
    task.templates = a.templates;
    for (const ChecklistItem& item : a.checklist) task.templates.push_back(item.document_template);
    task.due_at = now + a.due_days * kDayMs;
    task.rule = rule.id;
    task.record = subject.record;
    task.chain = subject.chain;
    task.chain.push_back(chain_link(rule.id, subject.loop_record()));
    return task;
}

json::object entry_head(const Rule& rule, const Subject& subject, TimeMs now) {
    json::object entry{{"rule", rule.id}, {"rule_name", rule.name}, {"trigger", to_string(rule.trigger)},
                       {"record", subject.record}, {"version", subject.version}, {"fired_at_ms", now}};
    if (!subject.chain.empty()) {
        json::array chain;
        for (const std::string& link : subject.chain) chain.emplace_back(link);
        entry["chain"] = std::move(chain);
    }
    return entry;
}

// Why loop protection keeps `rule` from evaluating `subject`, if it does.
std::optional<std::string> looped(const Rule& rule, const Subject& subject) {
    if (subject.chain.size() >= kMaxChainDepth)
        return "the chain of changes caused by action triggers is " + std::to_string(subject.chain.size()) +
               " deep: cut (at most " + std::to_string(kMaxChainDepth) + ")";
    if (std::find(subject.chain.begin(), subject.chain.end(), chain_link(rule.id, subject.loop_record())) != subject.chain.end())
        return std::string("this change was caused by this rule's own output on this record: not fired again");
    return std::nullopt;
}

// The pipeline's request an action (or one of its tasks) made, and how many of its recipients it reached.
void add_request(json::object& into, const sending::SentRequest& sent) {
    into["request"] = sent.request.id;
    into["sent"] = static_cast<std::int64_t>(
        std::count_if(sent.decisions.begin(), sent.decisions.end(), [](const sending::Decision& d) { return d.sent; }));
    into["replayed"] = sent.replayed;
}

// The rules of one field whose text is not the record's, as one entry (firing_log.hpp: "rules").
json::object skipped_entry(const EnabledRules& enabled, const Selection::Skipped& skipped, Trigger trigger,
                           const Subject& subject, TimeMs now) {
    json::object rules;
    for (const auto& [value, indexes] : skipped.field->by_value) {
        if (skipped.actual && skipped.actual->is_string() && skipped.actual->as_string() == value) continue;
        json::array ids;
        for (std::size_t i : indexes) ids.emplace_back(enabled.rules[i].id);
        rules[value] = std::move(ids);
    }
    json::object criterion{{"field", skipped.field->field}, {"comparison", to_string(Comparison::equals)},
                           {"actual", or_null(skipped.actual)}, {"holds", false}};
    return {{"rule", nullptr},      {"rules", std::move(rules)},  {"trigger", to_string(trigger)},
            {"record", subject.record}, {"version", subject.version}, {"fired_at_ms", now},
            {"fired", false},         {"reason", "a criterion does not hold"},
            {"criteria", json::array{std::move(criterion)}}, {"actions", json::array()}};
}

} // namespace

json::object not_fired(const Rule& rule, const Subject& subject, TimeMs now, const std::string& reason) {
    json::object entry = entry_head(rule, subject, now);
    entry["fired"] = false;
    entry["reason"] = reason;
    entry["criteria"] = json::array();
    entry["actions"] = json::array();
    return entry;
}

std::vector<agency::Worker> Firing::recipients(Database::Connection& c, const Rule& rule, const Subject& subject) {
    const Recipients& r = rule.recipients;
    if (!r.other) return people_.workers_in(c, r.category);
    std::vector<std::string> ids;
    for (const RecordWorker& w : subject.workers) {
        const bool wanted = *r.other == OtherRecipient::all_workers || (*r.other == OtherRecipient::role && w.role == r.role) ||
                            (*r.other == OtherRecipient::primary_worker && ids.empty() && &w == &subject.workers.front());
        if (wanted) ids.push_back(w.id);
    }
    std::vector<agency::Worker> found = people_.workers(c, ids), ordered;
    for (const std::string& id : ids) // the record's order: primary worker first
        for (agency::Worker& w : found)
            if (w.id == id) ordered.push_back(std::move(w));
    return ordered;
}

void Firing::log_unassigned(Database::Connection& c, const Rule& rule, const Subject& subject, const std::string& reason,
                            TimeMs now) {
    TriggerError error{0, rule.id, rule.name, subject.record, reason, now};
    append_error(c, error);
    errors_logged_ = true;
}

json::object Firing::message_action(Database::Connection& c, sending::Batch& batch, const Rule& rule, const Subject& subject,
                                    Evaluated::Entry& out, TimeMs now) {
    auto workers = recipients(c, rule, subject);
    json::object action{{"type", to_string(rule.action.type)}};
    if (workers.empty()) {
        action["outcome"] = "no-recipients";
        action["reason"] = "none of the rule's recipients is a known worker";
        log_unassigned(c, rule, subject, "none of the rule's recipients is a known worker", now);
    } else {
        action["outcome"] = "requested";
        out.requests.push_back(batch.add(intent_of(rule, subject, std::move(workers))));
    }
    return action;
}

std::variant<json::object, std::string> Firing::client_task(Database::Connection& c, sending::Batch& batch, const Rule& rule,
                                                            const Subject& subject, const std::vector<agency::Worker>& workers,
                                                            Evaluated::Entry& out, TimeMs now) {
    if (rule.action.workflow == WorkflowType::general) return std::string("a General workflow has no documents for a client");
    std::optional<agency::Client> client = subject.client.empty() ? std::nullopt : people_.client(c, subject.client);
    if (auto why = client_unreachable(batch.snapshot().settings, subject.client, client, link_url_)) return *why;
    Task task = task_for(rule, subject, {AssigneeType::client, subject.client}, now);
    for (const agency::Worker& w : workers) task.notify.push_back(w.id);
    ClientTaskSent sent = send_client_task(c, batch, std::move(task), std::move(*client), link_url_, now);
    out.requests.push_back(sent.request);
    return json::object{{"id", sent.task.id}, {"assignee", subject.client}, {"assignee_type", "client"},
                        {"delivery", agency::to_string(*sent.task.delivery)}};
}

json::object Firing::workflow_action(Database::Connection& c, sending::Batch& batch, const Rule& rule, const Subject& subject,
                                     Evaluated::Entry& out, TimeMs now) {
    json::object action{{"type", "workflow"}, {"workflow_type", to_string(rule.action.workflow)}};
    json::array steps;
    auto workers = recipients(c, rule, subject);
    std::string not_to_client;
    if (rule.action.assign_to_client) {
        auto to_client = client_task(c, batch, rule, subject, workers, out, now);
        if (auto* task = std::get_if<json::object>(&to_client)) {
            steps.emplace_back("assigned to client '" + subject.client + "' by " + std::string(task->at("delivery").as_string()));
            action["outcome"] = "created";
            action["tasks"] = json::array{std::move(*task)};
            action["steps"] = std::move(steps);
            return action;
        }
        not_to_client = std::get<std::string>(to_client);
        steps.emplace_back("not assigned to the client: " + not_to_client);
        action["fallback"] = not_to_client + ": assigned to the worker recipients";
    }
    if (workers.empty()) {
        const std::string reason = not_to_client.empty() ? "none of the rule's recipients is a known worker"
                                                         : not_to_client + ", and none of the rule's recipients is a known worker";
        steps.emplace_back("no worker recipient: in the error log");
        action["outcome"] = "unassigned";
        action["reason"] = reason;
        action["steps"] = std::move(steps);
        log_unassigned(c, rule, subject, reason, now);
        return action;
    }
    json::array tasks;
    for (agency::Worker& worker : workers) {
        const Task task = insert_task(c, task_for(rule, subject, {AssigneeType::worker, worker.id}, now), now);
        tasks.push_back(json::object{{"id", task.id}, {"assignee", worker.id}});
        out.requests.push_back(batch.add(announcement(task, std::move(worker), rule.name, subject.label)));
    }
    steps.emplace_back("assigned to " + std::to_string(tasks.size()) + " worker recipient(s)");
    action["outcome"] = "created";
    action["tasks"] = std::move(tasks);
    action["steps"] = std::move(steps);
    return action;
}

Evaluated::Entry Firing::evaluate_rule(Database::Connection& c, sending::Batch& batch, const Rule& rule,
                                       const Subject& subject, TimeMs now) {
    Evaluated::Entry out;
    json::object& entry = out.entry;
    entry = entry_head(rule, subject, now);
    const bool condition = rule.trigger != Trigger::answer_meets_condition || condition_met(rule, subject, entry);
    const bool criteria = criteria_hold(rule, subject, entry);
    entry["fired"] = condition && criteria;
    json::array actions;
    if (condition && criteria)
        actions.push_back(rule.action.type == ActionType::workflow ? workflow_action(c, batch, rule, subject, out, now)
                                                                   : message_action(c, batch, rule, subject, out, now));
    entry["actions"] = std::move(actions);
    return out;
}

Evaluated Firing::evaluate(Database::Connection& c, sending::Batch& batch, const Subject& subject, TimeMs now) {
    Evaluated out;
    for (Trigger trigger : subject.triggers) {
        const RuleStore::RuleList enabled = rules_.enabled_rules(c, trigger, subject.document_template);
        const Selection selection = select_rules(*enabled, subject.facts);
        for (std::size_t i : selection.candidates) {
            const Rule& rule = enabled->rules[i];
            if (auto loop = looped(rule, subject)) {
                spdlog::warn("action trigger {} on {}: {}", rule.id, subject.record, *loop);
                out.entries.push_back({not_fired(rule, subject, now, *loop), {}});
            } else {
                out.entries.push_back(evaluate_rule(c, batch, rule, subject, now));
            }
        }
        for (const Selection::Skipped& skipped : selection.skipped)
            out.entries.push_back({skipped_entry(*enabled, skipped, trigger, subject, now), {}});
    }
    return out;
}

std::vector<json::object> Firing::record(Database::Connection& c, const sending::Batch& batch, Evaluated evaluated) {
    std::vector<json::object> entries;
    for (Evaluated::Entry& e : evaluated.entries) {
        if (!e.requests.empty()) {
            json::object& action = e.entry["actions"].as_array().front().as_object();
            if (json::value* tasks = action.if_contains("tasks")) {
                for (std::size_t i = 0; i < e.requests.size(); ++i)
                    add_request(tasks->as_array()[i].as_object(), batch.request(e.requests[i]));
            } else {
                add_request(action, batch.request(e.requests.front()));
            }
        }
        entries.push_back(std::move(e.entry));
    }
    append_firings(c, entries);
    return entries;
}

void Firing::after_commit() {
    if (errors_logged_.exchange(false) && on_errors_) on_errors_();
}

} // namespace extcomm::triggers
