#include <triggers/firing.hpp>

namespace extcomm::triggers {
namespace json = boost::json;
namespace {

json::object facts_of(const Record& r) {
    return {{"fields", r.fields}, {"agency_fields", r.agency_fields}, {"answers", r.answers}};
}

// What a record's change means as triggers: created, and a document reaching completed or locked.
std::vector<Trigger> triggers_of(const Record& record, const RecordChange& change) {
    std::vector<Trigger> out;
    switch (record.kind) {
    case RecordKind::case_file:
        if (change.created) out.push_back(Trigger::case_created);
        break;
    case RecordKind::service_file:
        if (change.created) out.push_back(Trigger::service_file_created);
        break;
    case RecordKind::document: {
        if (change.created) out.push_back(Trigger::document_created);
        const bool reached = change.created ? record.state != DocumentState::in_progress : change.state_changed;
        if (reached && record.state == DocumentState::completed) out.push_back(Trigger::document_completed);
        if (reached && record.state == DocumentState::locked) out.push_back(Trigger::document_locked);
        if (!change.nothing()) out.push_back(Trigger::answer_meets_condition);
        break;
    }
    }
    return out;
}

} // namespace

Subject record_subject(const Record& record, const std::optional<Record>& previous, const RecordChange& change,
                       std::int64_t version) {
    Subject s;
    const std::string kind(to_string(record.kind));
    s.record = kind + "/" + record.id;
    s.label = kind + " " + record.id;
    s.version = version;
    s.triggers = triggers_of(record, change);
    s.document_template = record.document_template;
    s.facts = facts_of(record);
    if (previous) s.facts_before = facts_of(*previous);
    s.workers = record.workers;
    s.client = record.kind == RecordKind::document ? record.completed_for : record.primary_member;
    return s;
}

Subject profile_subject(const agency::Client& client) {
    Subject s;
    s.record = "client/" + client.id;
    s.label = "client " + client.name;
    s.version = 1;
    s.triggers = {Trigger::profile_created};
    json::object fields{{"name", client.name}};
    if (!client.birth_date.empty()) fields["birth_date"] = client.birth_date;
    s.facts = {{"fields", std::move(fields)}, {"agency_fields", client.agency_fields}};
    s.client = client.id;
    return s;
}

} // namespace extcomm::triggers
