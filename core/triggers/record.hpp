#pragma once
// Records the case-management system owns and PUTs as they are now: cases, service files and documents.
// extcomm keeps them only to decide what happened and to fire action triggers; it never rewrites them.
//
// Invariants: a record's first worker is its primary worker; a document names its template, its
// "completed for" client and its state; the stored form of a record is its API form (to_json), read back
// by the one reader (record_from_api), so what is stored is always what the API would accept.
#include <common/field_error.hpp>

#include <boost/json.hpp>

#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace extcomm::triggers {

enum class RecordKind { case_file, service_file, document };
inline constexpr RecordKind kAllRecordKinds[] = {RecordKind::case_file, RecordKind::service_file, RecordKind::document};
std::string_view to_string(RecordKind kind); // "case", "service-file", "document"
std::optional<RecordKind> record_kind_from(std::string_view name);

enum class DocumentState { in_progress, completed, locked };
std::string_view to_string(DocumentState state); // "in-progress", "completed", "locked"
std::optional<DocumentState> document_state_from(std::string_view name);

struct RecordWorker {
    std::string id;
    std::string role; // the worker's role on the record, as the agency names it ("counsellor")
};

struct Record {
    RecordKind kind = RecordKind::case_file;
    std::string id;
    boost::json::object fields;        // the record's own fields
    boost::json::object agency_fields; // fields the agency defined
    std::string primary_member;        // a client id; "" = none
    std::vector<std::string> members;  // the other members (client ids)
    std::vector<RecordWorker> workers; // primary worker first
    // Documents only.
    std::string document_template;
    std::string completed_for; // a client id; "" = none
    DocumentState state = DocumentState::in_progress;
    boost::json::object answers; // question id: answer

    const std::string* primary_worker() const { return workers.empty() ? nullptr : &workers.front().id; }
};

// The body of PUT /v1/records/{kind}/{id}; every refusal names the field.
std::variant<Record, FieldError> record_from_api(RecordKind kind, const std::string& id, const boost::json::value& body);
boost::json::object to_json(const Record& record);

// What a PUT changed, from the version stored before (none: first seen) to the one received.
struct RecordChange {
    bool created = false;
    std::vector<std::string> fields_changed;   // "fields.status", "agency_fields.risk", "members", "answers.q3", …
    std::optional<DocumentState> state_before; // documents whose state changed: the state they left
    bool state_changed = false;

    bool nothing() const { return !created && fields_changed.empty() && !state_changed; }
};
RecordChange what_changed(const std::optional<Record>& previous, const Record& current);

} // namespace extcomm::triggers
