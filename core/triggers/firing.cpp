#include <triggers/firing.hpp>
#include <triggers/firing_log.hpp>

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
    intent.about = rule.id;
    intent.subject = rule.action.title;
    intent.client = subject.client;
    for (agency::Worker& w : workers) intent.recipients.emplace_back(std::move(w));
    intent.facts = rendering::TriggerFacts{rule.action.title, rule.action.message, rule.name, subject.label};
    intent.metadata = {{"rule", rule.id}, {"record", subject.record}};
    return intent;
}

// A workflow waits for the next release's tasks: the log says what it would create, and for whom.
json::object pending_workflow(const Rule& rule, const Subject& subject) {
    const Action& a = rule.action;
    const bool to_client = a.assign_to_client && !subject.client.empty();
    return {{"type", "workflow"},
            {"workflow_type", to_string(a.workflow)},
            {"outcome", "pending"},
            {"due_days", a.due_days},
            {"client", to_client ? json::value(subject.client) : json::value(nullptr)},
            {"reason", "workflow tasks are not created yet: recorded for when they are"}};
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

Evaluated::Entry Firing::evaluate_rule(Database::Connection& c, sending::Batch& batch, const Rule& rule,
                                       const Subject& subject, TimeMs now) {
    Evaluated::Entry out;
    json::object& entry = out.entry;
    entry = {{"rule", rule.id}, {"rule_name", rule.name}, {"trigger", to_string(rule.trigger)}, {"record", subject.record},
             {"version", subject.version}, {"fired_at_ms", now}};
    const bool condition = rule.trigger != Trigger::answer_meets_condition || condition_met(rule, subject, entry);
    const bool criteria = criteria_hold(rule, subject, entry);
    entry["fired"] = condition && criteria;
    json::array actions;
    if (condition && criteria && rule.action.type == ActionType::workflow) {
        actions.push_back(pending_workflow(rule, subject));
    } else if (condition && criteria) {
        auto workers = recipients(c, rule, subject);
        json::object action{{"type", to_string(rule.action.type)}};
        if (workers.empty()) {
            action["outcome"] = "no-recipients";
            action["reason"] = "none of the rule's recipients is a known worker";
        } else {
            action["outcome"] = "requested";
            out.request = batch.add(intent_of(rule, subject, std::move(workers)));
        }
        actions.push_back(std::move(action));
    }
    entry["actions"] = std::move(actions);
    return out;
}

Evaluated Firing::evaluate(Database::Connection& c, sending::Batch& batch, const Subject& subject, TimeMs now) {
    Evaluated out;
    for (Trigger trigger : subject.triggers) {
        const RuleStore::RuleList enabled = rules_.enabled_rules(c, trigger, subject.document_template);
        const Selection selection = select_rules(*enabled, subject.facts);
        for (std::size_t i : selection.candidates) out.entries.push_back(evaluate_rule(c, batch, enabled->rules[i], subject, now));
        for (const Selection::Skipped& skipped : selection.skipped)
            out.entries.push_back({skipped_entry(*enabled, skipped, trigger, subject, now), std::nullopt});
    }
    return out;
}

std::vector<json::object> Firing::record(Database::Connection& c, const sending::Batch& batch, Evaluated evaluated) {
    std::vector<json::object> entries;
    for (Evaluated::Entry& e : evaluated.entries) {
        if (e.request) {
            const sending::SentRequest& sent = batch.request(*e.request);
            json::object& action = e.entry["actions"].as_array().front().as_object();
            action["request"] = sent.request.id;
            action["sent"] = static_cast<std::int64_t>(std::count_if(sent.decisions.begin(), sent.decisions.end(),
                                                                     [](const sending::Decision& d) { return d.sent; }));
            action["replayed"] = sent.replayed;
        }
        entries.push_back(std::move(e.entry));
    }
    append_firings(c, entries);
    return entries;
}

} // namespace extcomm::triggers
