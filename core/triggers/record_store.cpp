#include <triggers/record_store.hpp>

#include <store/rows.hpp>

#include <Poco/Data/RecordSet.h>
#include <Poco/Data/Statement.h>

using namespace Poco::Data::Keywords;

namespace extcomm::triggers {
namespace json = boost::json;
namespace {

// Stored records were accepted by the API's reader, so reading one back cannot fail but on a damaged row.
std::optional<Record> record_from_text(RecordKind kind, const std::string& id, const std::string& text) {
    if (text.empty()) return std::nullopt;
    std::error_code ec;
    json::value value = json::parse(text, ec);
    if (ec) return std::nullopt;
    auto read = record_from_api(kind, id, value);
    if (auto* record = std::get_if<Record>(&read)) return std::move(*record);
    return std::nullopt;
}

// The columns stored_of reads, in its order.
constexpr const char* kRecordColumns = "id, version, current_record, previous_record, updated_at, created_at";

std::vector<StoredRecord> stored_of(Poco::Data::Statement& select, RecordKind kind) {
    Poco::Data::RecordSet rs(select);
    std::vector<StoredRecord> out;
    for (std::size_t i = 0; i < rs.rowCount(); ++i) {
        Row row(rs, i);
        const std::string id = row.text(0);
        auto current = record_from_text(kind, id, row.text(2));
        if (!current) continue;
        const TimeMs updated = row.number(4), created = row.number(5);
        out.push_back({std::move(*current), record_from_text(kind, id, row.text(3)), row.number(1), updated,
                       created ? created : updated});
    }
    return out;
}

} // namespace

std::optional<StoredRecord> find_record(Database::Connection& c, RecordKind kind, const std::string& id) {
    std::string k(to_string(kind)), key = id;
    Poco::Data::Statement select(c.session());
    select << c.sql(std::string("SELECT ") + kRecordColumns + " FROM records WHERE kind = ? AND id = ?"), use(k), use(key), now;
    auto found = stored_of(select, kind);
    if (found.empty()) return std::nullopt;
    return std::move(found.front());
}

std::vector<StoredRecord> records_after(Database::Connection& c, RecordKind kind, const std::string& after, int limit) {
    std::string k(to_string(kind)), from = after;
    Poco::Data::Statement select(c.session());
    select << c.sql(std::string("SELECT ") + kRecordColumns + " FROM records WHERE kind = ? AND id > ? ORDER BY id LIMIT ?"),
        use(k), use(from), use(limit), now;
    return stored_of(select, kind);
}

bool remove_record(Database::Connection& c, RecordKind kind, const std::string& id) {
    std::string k(to_string(kind)), key = id;
    Poco::Data::Statement remove(c.session());
    remove << c.sql("DELETE FROM records WHERE kind = ? AND id = ?"), use(k), use(key);
    return remove.execute() > 0;
}

StoredRecord put_record(Database::Connection& c, const std::optional<StoredRecord>& stored, const Record& record, TimeMs at) {
    const std::string current = json::serialize(to_json(record));
    if (stored && json::serialize(to_json(stored->current)) == current) return *stored;
    StoredRecord out{record, stored ? std::optional<Record>(stored->current) : std::nullopt,
                     stored ? stored->version + 1 : 1, at, stored ? stored->created_at : at};
    std::string kind(to_string(record.kind)), id = record.id, text = current;
    std::string previous = stored ? json::serialize(to_json(stored->current)) : std::string();
    Poco::Int64 version = out.version;
    c.session() << c.sql("INSERT INTO records (kind, id, version, current_record, previous_record, updated_at, created_at) "
                         "VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (kind, id) DO UPDATE SET version = excluded.version, "
                         "current_record = excluded.current_record, previous_record = excluded.previous_record, "
                         "updated_at = excluded.updated_at"),
        use(kind), use(id), use(version), use(text), use(previous), bind(at), bind(out.created_at), now;
    return out;
}

std::optional<DocumentTemplate> find_template(Database::Connection& c, const std::string& id) {
    std::string key = id, text;
    Poco::Data::Statement select(c.session());
    select << c.sql("SELECT template FROM document_templates WHERE id = ?"), use(key), now;
    Poco::Data::RecordSet rs(select);
    if (rs.rowCount() == 0) return std::nullopt;
    std::error_code ec;
    json::value value = json::parse(Row(rs, 0).text(0), ec);
    if (ec) return std::nullopt;
    auto read = document_template_from_api(id, value);
    if (auto* t = std::get_if<DocumentTemplate>(&read)) return std::move(*t);
    return std::nullopt;
}

bool put_template(Database::Connection& c, const DocumentTemplate& tmpl, TimeMs at) {
    const bool created = !find_template(c, tmpl.id);
    std::string id = tmpl.id, text = json::serialize(to_json(tmpl));
    c.session() << c.sql("INSERT INTO document_templates (id, template, updated_at) VALUES (?, ?, ?) "
                         "ON CONFLICT (id) DO UPDATE SET template = excluded.template, updated_at = excluded.updated_at"),
        use(id), use(text), bind(at), now;
    return created;
}

} // namespace extcomm::triggers
