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

} // namespace

std::optional<StoredRecord> find_record(Database::Connection& c, RecordKind kind, const std::string& id) {
    std::string k(to_string(kind)), key = id;
    Poco::Data::Statement select(c.session());
    select << c.sql("SELECT version, current_record, previous_record, updated_at FROM records WHERE kind = ? AND id = ?"),
        use(k), use(key), now;
    Poco::Data::RecordSet rs(select);
    if (rs.rowCount() == 0) return std::nullopt;
    Row row(rs, 0);
    auto current = record_from_text(kind, id, row.text(1));
    if (!current) return std::nullopt;
    return StoredRecord{std::move(*current), record_from_text(kind, id, row.text(2)), row.number(0), row.number(3)};
}

StoredRecord put_record(Database::Connection& c, const std::optional<StoredRecord>& stored, const Record& record, TimeMs at) {
    const std::string current = json::serialize(to_json(record));
    if (stored && json::serialize(to_json(stored->current)) == current) return *stored;
    StoredRecord out{record, stored ? std::optional<Record>(stored->current) : std::nullopt,
                     stored ? stored->version + 1 : 1, at};
    std::string kind(to_string(record.kind)), id = record.id, text = current;
    std::string previous = stored ? json::serialize(to_json(stored->current)) : std::string();
    Poco::Int64 version = out.version;
    c.session() << c.sql("INSERT INTO records (kind, id, version, current_record, previous_record, updated_at) "
                         "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (kind, id) DO UPDATE SET version = excluded.version, "
                         "current_record = excluded.current_record, previous_record = excluded.previous_record, "
                         "updated_at = excluded.updated_at"),
        use(kind), use(id), use(version), use(text), use(previous), bind(at), now;
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
