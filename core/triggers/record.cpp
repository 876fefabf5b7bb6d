#include <agency/people.hpp>
#include <common/enum_names.hpp>
#include <common/json_reader.hpp>
#include <triggers/record.hpp>

#include <set>

namespace extcomm::triggers {
namespace json = boost::json;
namespace {

constexpr EnumNames<RecordKind, std::size(kAllRecordKinds)> kKindNames{{"case", "service-file", "document"}};
constexpr EnumNames<DocumentState, 3> kStateNames{{"in-progress", "completed", "locked"}};
constexpr const char* kIdForm = "must be an id (1 to 64 of A-Z a-z 0-9 . _ -)";

// An object member ("fields", "answers"): absent is empty, anything but an object is refused.
void object_member(JsonReader& r, std::string_view key, json::object& out) {
    if (const json::value* v = r.member(key)) {
        if (v->is_object()) out = v->as_object();
        else r.fail(r.at(key), "must be an object of name: value");
    }
}

void read_workers(JsonReader& r, Record& record) {
    std::set<std::string> seen;
    r.items("workers", "must be an array of {id, role}, the primary worker first",
            [&](const json::value& item, const std::string& path) {
        JsonReader w(item, path, "must be an object {id, role}");
        w.only({"id", "role"});
        RecordWorker worker;
        if (!w.text("id", worker.id) || !agency::is_valid_id(worker.id)) w.fail(w.at("id"), kIdForm);
        w.text("role", worker.role, 100);
        if (w.ok() && !seen.insert(worker.id).second) w.fail(w.at("id"), "names a worker already on the record");
        r.fail(w.error());
        record.workers.push_back(std::move(worker));
        return w.ok();
    });
}

void read_document(JsonReader& r, Record& record) {
    if (!r.text("template", record.document_template) || !agency::is_valid_id(record.document_template))
        r.fail("template", "is required: the document template's id");
    if (r.text("completed_for", record.completed_for) && !agency::is_valid_id(record.completed_for))
        r.fail("completed_for", kIdForm);
    if (!r.parsed("state", record.state, [](std::string_view s) { return kStateNames.parse(s); },
                  "must be one of " + kStateNames.list()) && r.ok())
        r.fail("state", "is required: one of " + kStateNames.list());
    object_member(r, "answers", record.answers);
}

void changed_members(const json::object& before, const json::object& after, const std::string& prefix,
                     std::vector<std::string>& out) {
    std::set<std::string> names;
    for (const auto& [k, v] : before) names.insert(std::string(k));
    for (const auto& [k, v] : after) names.insert(std::string(k));
    for (const std::string& name : names) {
        const json::value* a = before.if_contains(name);
        const json::value* b = after.if_contains(name);
        if (!a || !b || *a != *b) out.push_back(prefix + name);
    }
}

} // namespace

std::string_view to_string(RecordKind kind) { return kKindNames(kind); }
std::optional<RecordKind> record_kind_from(std::string_view name) { return kKindNames.parse(name); }
std::string_view to_string(DocumentState state) { return kStateNames(state); }
std::optional<DocumentState> document_state_from(std::string_view name) { return kStateNames.parse(name); }

std::variant<Record, FieldError> record_from_api(RecordKind kind, const std::string& id, const json::value& body) {
    if (!body.is_object()) return FieldError{"body", "must be a JSON object"};
    JsonReader top(body.as_object(), "");
    const bool document = kind == RecordKind::document;
    if (document)
        top.only({"fields", "agency_fields", "primary_member", "members", "workers", "template", "completed_for",
                  "state", "answers"});
    else
        top.only({"fields", "agency_fields", "primary_member", "members", "workers"});
    Record record;
    record.kind = kind;
    record.id = id;
    object_member(top, "fields", record.fields);
    object_member(top, "agency_fields", record.agency_fields);
    if (top.text("primary_member", record.primary_member) && !agency::is_valid_id(record.primary_member))
        top.fail("primary_member", kIdForm);
    top.ids("members", record.members, agency::is_valid_id, kIdForm);
    read_workers(top, record);
    if (document) read_document(top, record);
    if (!top.ok()) return *top.error();
    return record;
}

json::object to_json(const Record& record) {
    json::array members, workers;
    for (const auto& m : record.members) members.emplace_back(m);
    for (const auto& w : record.workers) workers.push_back(json::object{{"id", w.id}, {"role", w.role}});
    json::object out{{"fields", record.fields},
                     {"agency_fields", record.agency_fields},
                     {"primary_member", record.primary_member.empty() ? json::value(nullptr) : json::value(record.primary_member)},
                     {"members", std::move(members)},
                     {"workers", std::move(workers)}};
    if (record.kind == RecordKind::document) {
        out["template"] = record.document_template;
        out["completed_for"] = record.completed_for.empty() ? json::value(nullptr) : json::value(record.completed_for);
        out["state"] = to_string(record.state);
        out["answers"] = record.answers;
    }
    return out;
}

RecordChange what_changed(const std::optional<Record>& previous, const Record& current) {
    RecordChange change;
    if (!previous) {
        change.created = true;
        return change;
    }
    changed_members(previous->fields, current.fields, "fields.", change.fields_changed);
    changed_members(previous->agency_fields, current.agency_fields, "agency_fields.", change.fields_changed);
    changed_members(previous->answers, current.answers, "answers.", change.fields_changed);
    if (previous->primary_member != current.primary_member) change.fields_changed.push_back("primary_member");
    if (previous->members != current.members) change.fields_changed.push_back("members");
    const json::object before = to_json(*previous), after = to_json(current);
    if (before.at("workers") != after.at("workers")) change.fields_changed.push_back("workers");
    if (previous->document_template != current.document_template) change.fields_changed.push_back("template");
    if (previous->completed_for != current.completed_for) change.fields_changed.push_back("completed_for");
    if (previous->state != current.state) {
        change.state_changed = true;
        change.state_before = previous->state;
    }
    return change;
}

} // namespace extcomm::triggers
