#include <agency/people.hpp>
#include <common/enum_names.hpp>
#include <triggers/rule.hpp>

#include <algorithm>

namespace extcomm::triggers {
namespace json = boost::json;
namespace {

constexpr EnumNames<ActionType, 3> kActionNames{{"alert", "notification", "workflow"}};
constexpr EnumNames<WorkflowType, 3> kWorkflowNames{{"general", "check-list", "new-document"}};
constexpr const char* kIdForm = "must be an id (1 to 64 of A-Z a-z 0-9 . _ -)";
constexpr int kMaxDays = 3650;

bool offers(Trigger trigger, Parameter p) {
    const auto& wanted = info(trigger).parameters;
    return std::find(wanted.begin(), wanted.end(), p) != wanted.end();
}

void read_parameters(JsonReader& top, Trigger trigger, Parameters& out) {
    const json::value* v = top.member("parameters");
    const bool none = info(trigger).parameters.empty();
    if (!v) {
        if (!none) top.fail("parameters", "is required: " + std::string(to_string(trigger)) + " is defined by its parameters");
        return;
    }
    JsonReader r(*v, "parameters", "must be an object");
    std::vector<std::string_view> known;
    for (Parameter p : info(trigger).parameters) known.push_back(to_string(p));
    for (const auto& [key, value] : v->is_object() ? v->as_object() : json::object{})
        if (std::find(known.begin(), known.end(), std::string_view(key)) == known.end())
            r.fail(r.at(key), "is not a parameter of " + std::string(to_string(trigger)));
    if (offers(trigger, Parameter::age) && !r.integer("age", out.age, 0, 130) && r.ok()) r.fail(r.at("age"), "is required: an age in years");
    if (offers(trigger, Parameter::days) && !r.integer("days", out.days, 1, kMaxDays) && r.ok())
        r.fail(r.at("days"), "is required: a number of days");
    if (offers(trigger, Parameter::question)) {
        if ((!r.text("question", out.question) || !agency::is_valid_id(out.question)) && r.ok())
            r.fail(r.at("question"), "is required: the id of one of the template's questions");
        read_comparison(r, out.comparison, out.value);
    }
    top.fail(r.error());
}

} // namespace

bool read_workflow_type(JsonReader& r, WorkflowType& out) {
    std::string name;
    if (!r.text("workflow_type", name)) {
        r.fail(r.at("workflow_type"), "is required for a workflow: one of " + kWorkflowNames.list());
        return false;
    }
    if (auto type = kWorkflowNames.parse(name)) {
        out = *type;
        return true;
    }
    if (name == "approval" || name == "project" || name == "review")
        r.fail(r.at("workflow_type"), "'" + name + "' workflows are not supported (supported: " + kWorkflowNames.list() + ")");
    else r.fail(r.at("workflow_type"), "must be one of " + kWorkflowNames.list());
    return false;
}

namespace {

void read_checklist(JsonReader& r, Action& a) {
    r.items("checklist", "must be an array of {template, due_days}", [&](const json::value& item, const std::string& path) {
        JsonReader c(item, path, "must be an object {template, due_days}");
        c.only({"template", "due_days"});
        ChecklistItem entry;
        if ((!c.text("template", entry.document_template) || !agency::is_valid_id(entry.document_template)) && c.ok())
            c.fail(c.at("template"), "is required: a document template's id");
        entry.due_days = a.due_days;
        c.integer("due_days", entry.due_days, 0, kMaxDays);
        if (c.ok() && entry.due_days != a.due_days)
            c.fail(c.at("due_days"), "must be the rule's due days (" + std::to_string(a.due_days) +
                                         "): checklist documents due on other days cannot all be completed");
        r.fail(c.error());
        a.checklist.push_back(std::move(entry));
        return c.ok();
    });
}

void check_workflow(JsonReader& r, Trigger trigger, Action& a) {
    if (!read_workflow_type(r, a.workflow)) return;
    r.integer("due_days", a.due_days, 0, kMaxDays);
    r.ids("templates", a.templates, agency::is_valid_id, kIdForm);
    read_checklist(r, a);
    r.boolean("assign_to_client", a.assign_to_client);
    if (!r.ok()) return;
    if (a.workflow == WorkflowType::new_document && a.templates.empty())
        r.fail(r.at("templates"), "is required for a new-document workflow: the document(s) to send");
    else if (a.workflow == WorkflowType::check_list && a.checklist.empty())
        r.fail(r.at("checklist"), "is required for a check-list workflow: its documents");
    else if (a.assign_to_client && a.workflow == WorkflowType::general)
        r.fail(r.at("assign_to_client"), "is for new-document and check-list workflows: a general workflow sends no document to a client");
    else if (a.assign_to_client && info(trigger).client == AssignableClient::none)
        r.fail(r.at("assign_to_client"), "is not offered by " + std::string(to_string(trigger)) + ": it has no client to assign to");
}

void read_action(JsonReader& top, Trigger trigger, Action& a) {
    const json::value* v = top.member("action");
    if (!v) {
        if (top.ok()) top.fail("action", "is required: what to do when the rule fires");
        return;
    }
    JsonReader r(*v, "action", "must be an object");
    r.only({"type", "title", "message", "workflow_type", "due_days", "templates", "checklist", "assign_to_client"});
    if (!r.parsed("type", a.type, [](std::string_view s) { return kActionNames.parse(s); },
                  "must be one of " + kActionNames.list()) && r.ok())
        r.fail(r.at("type"), "is required: one of " + kActionNames.list());
    if ((!r.text("title", a.title, 200) || a.title.empty()) && r.ok()) r.fail(r.at("title"), "is required");
    r.text("message", a.message, 20000);
    if (r.ok() && a.type == ActionType::workflow) check_workflow(r, trigger, a);
    else if (r.ok())
        for (const char* member : {"workflow_type", "due_days", "templates", "checklist", "assign_to_client"})
            if (r.member(member)) r.fail(r.at(member), "is for workflows only");
    top.fail(r.error());
}

void read_recipients(JsonReader& top, Trigger trigger, Recipients& out) {
    const json::value* v = top.member("recipients");
    if (!v) {
        if (top.ok()) top.fail("recipients", "is required: a worker category, or one of " + std::string(to_string(trigger)) + "'s other recipients");
        return;
    }
    JsonReader r(*v, "recipients", "must be an object {category} or {other, role?}");
    r.only({"category", "other", "role"});
    const bool category = r.text("category", out.category);
    const auto& offered = info(trigger).other_recipients;
    std::string names;
    for (OtherRecipient o : offered) names += (names.empty() ? "" : ", ") + std::string(to_string(o));
    if (category && !agency::is_valid_id(out.category)) r.fail(r.at("category"), kIdForm);
    r.parsed("other", out.other, [](std::string_view s) { return other_recipient_from(s); },
             names.empty() ? "is not offered: this trigger's only recipients are a worker category" : "must be one of " + names);
    if (r.ok() && category == out.other.has_value())
        r.fail(category ? r.at("other") : "recipients", "must name either a worker category or another recipient, not both");
    if (r.ok() && out.other && std::find(offered.begin(), offered.end(), *out.other) == offered.end())
        r.fail(r.at("other"), names.empty() ? "is not offered: this trigger's only recipients are a worker category"
                                            : "is not offered by " + std::string(to_string(trigger)) + " (" + names + ")");
    if (r.ok() && out.other == OtherRecipient::role && (!r.text("role", out.role, 100) || out.role.empty()))
        r.fail(r.at("role"), "is required: the role the record's workers have");
    top.fail(r.error());
}

void read_trigger(JsonReader& r, Rule& rule) {
    if (!r.parsed("trigger", rule.trigger, trigger_from, "must be one of " + trigger_names()) && r.ok())
        r.fail("trigger", "is required: one of " + trigger_names());
    std::string category;
    if (r.ok() && r.text("category", category) && category != to_string(info(rule.trigger).category))
        r.fail("category", "must be " + std::string(to_string(info(rule.trigger).category)) + ", the category of " +
                               std::string(to_string(rule.trigger)));
    const bool attached = attached_to_template(rule.trigger);
    const bool named = r.text("template", rule.document_template);
    if (r.ok() && attached && (!named || !agency::is_valid_id(rule.document_template)))
        r.fail("template", "is required: the document template the rule is attached to");
    else if (r.ok() && !attached && named)
        r.fail("template", "is for document-template triggers only");
}

} // namespace

std::string_view to_string(ActionType type) { return kActionNames(type); }
std::string_view to_string(WorkflowType type) { return kWorkflowNames(type); }

std::variant<Rule, FieldError> rule_from_api(const json::value& body) {
    if (!body.is_object()) return FieldError{"body", "must be a JSON object"};
    JsonReader r(body.as_object(), "");
    r.only({"id", "name", "category", "trigger", "template", "parameters", "action", "recipients", "criteria", "enabled"});
    Rule rule;
    if ((!r.text("name", rule.name, 200) || rule.name.empty()) && r.ok()) r.fail("name", "is required");
    read_trigger(r, rule);
    if (r.ok()) read_parameters(r, rule.trigger, rule.parameters);
    if (r.ok()) read_action(r, rule.trigger, rule.action);
    if (r.ok()) read_recipients(r, rule.trigger, rule.recipients);
    const bool answers = attached_to_template(rule.trigger);
    r.items("criteria", "must be an array of {field, comparison, value}", [&](const json::value& item, const std::string& path) {
        auto c = criterion_from_api(item, path, answers);
        if (auto* error = std::get_if<FieldError>(&c)) r.fail(*error);
        else rule.criteria.push_back(std::get<Criterion>(std::move(c)));
        return r.ok();
    });
    r.boolean("enabled", rule.enabled);
    if (!r.ok()) return *r.error();
    return rule;
}

json::object to_json(const Rule& rule) {
    const TriggerInfo& about = info(rule.trigger);
    json::object parameters;
    for (Parameter p : about.parameters) {
        switch (p) {
        case Parameter::age: parameters["age"] = rule.parameters.age; break;
        case Parameter::days: parameters["days"] = rule.parameters.days; break;
        case Parameter::question: parameters["question"] = rule.parameters.question; break;
        case Parameter::comparison: parameters["comparison"] = to_string(rule.parameters.comparison); break;
        case Parameter::value: parameters["value"] = rule.parameters.value; break;
        }
    }
    const Action& a = rule.action;
    json::object action{{"type", to_string(a.type)}, {"title", a.title}, {"message", a.message}};
    if (a.type == ActionType::workflow) {
        json::array templates, checklist;
        for (const auto& t : a.templates) templates.emplace_back(t);
        for (const auto& c : a.checklist) checklist.push_back(json::object{{"template", c.document_template}, {"due_days", c.due_days}});
        action["workflow_type"] = to_string(a.workflow);
        action["due_days"] = a.due_days;
        action["templates"] = std::move(templates);
        action["checklist"] = std::move(checklist);
        action["assign_to_client"] = a.assign_to_client;
    }
    json::object recipients;
    if (!rule.recipients.category.empty()) recipients["category"] = rule.recipients.category;
    if (rule.recipients.other) recipients["other"] = to_string(*rule.recipients.other);
    if (rule.recipients.other == OtherRecipient::role) recipients["role"] = rule.recipients.role;
    json::array criteria;
    for (const auto& c : rule.criteria) criteria.push_back(to_json(c));
    json::object out{{"id", rule.id}, {"name", rule.name}, {"category", to_string(about.category)},
                     {"trigger", to_string(rule.trigger)}};
    if (attached_to_template(rule.trigger)) out["template"] = rule.document_template;
    out["parameters"] = std::move(parameters);
    out["action"] = std::move(action);
    out["recipients"] = std::move(recipients);
    out["criteria"] = std::move(criteria);
    out["enabled"] = rule.enabled;
    return out;
}

} // namespace extcomm::triggers
