#pragma once
// Where records and document templates are kept: each record's current and previous version and how many
// changes it had. Calls join the caller's transaction; store failures throw (Poco exceptions).
#include <triggers/document_template.hpp>
#include <triggers/record.hpp>

#include <common/clock.hpp>
#include <store/database.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace extcomm::triggers {

struct StoredRecord {
    Record current;
    std::optional<Record> previous;
    std::int64_t version = 0; // 1 when first stored, +1 per change
    TimeMs updated_at = 0;
    TimeMs created_at = 0; // when first stored
};

std::optional<StoredRecord> find_record(Database::Connection& c, RecordKind kind, const std::string& id);
// Stores `record` as the current version when it differs from the stored one (the stored one becomes the
// previous); a record equal to the stored one changes nothing. Returns the stored record after the call.
StoredRecord put_record(Database::Connection& c, const std::optional<StoredRecord>& stored, const Record& record, TimeMs now);
// A closed record is forgotten (a later PUT creates it anew). Returns whether it was stored.
bool remove_record(Database::Connection& c, RecordKind kind, const std::string& id);
// The records of `kind` whose id sorts after `after`, by id, at most `limit`: a walk over many in pages.
std::vector<StoredRecord> records_after(Database::Connection& c, RecordKind kind, const std::string& after, int limit);

std::optional<DocumentTemplate> find_template(Database::Connection& c, const std::string& id);
// Returns whether the template was new.
bool put_template(Database::Connection& c, const DocumentTemplate& tmpl, TimeMs now);

} // namespace extcomm::triggers
