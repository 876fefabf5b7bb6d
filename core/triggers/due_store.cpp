#include <triggers/due_store.hpp>

#include <store/rows.hpp>

#include <Poco/Data/RecordSet.h>
#include <Poco/Data/Statement.h>

using namespace Poco::Data::Keywords;

namespace extcomm::triggers {
namespace {

constexpr const char* kColumns = "SELECT rule_id, record, individual, trigger_name, due_at FROM trigger_due ";

std::vector<Crossing> crossings(Poco::Data::Statement& select) {
    Poco::Data::RecordSet rs(select);
    std::vector<Crossing> out;
    for (std::size_t i = 0; i < rs.rowCount(); ++i) {
        Row row(rs, i);
        auto trigger = trigger_from(row.text(3));
        if (!trigger) continue;
        std::optional<TimeMs> due;
        if (!rs.value(4, i).isEmpty()) due = row.number(4);
        out.push_back({row.text(0), row.text(1), row.text(2), *trigger, due});
    }
    return out;
}

const char* column(DueScope scope) {
    switch (scope) {
    case DueScope::record: return "record";
    case DueScope::individual: return "individual";
    case DueScope::rule: return "rule_id";
    }
    return "record";
}

} // namespace

std::vector<Crossing> due_rows(Database::Connection& c, DueScope scope, const std::string& key) {
    std::string value = key;
    Poco::Data::Statement select(c.session());
    select << c.sql(std::string(kColumns) + "WHERE " + column(scope) + " = ?"), use(value), now;
    return crossings(select);
}

void remove_due_rows(Database::Connection& c, DueScope scope, const std::string& key) {
    std::string value = key;
    c.session() << c.sql(std::string("DELETE FROM trigger_due WHERE ") + column(scope) + " = ?"), use(value), now;
}

void put_due_row(Database::Connection& c, const Crossing& row) {
    std::string rule = row.rule, record = row.record, individual = row.individual, trigger(to_string(row.trigger));
    Poco::Nullable<Poco::Int64> due;
    if (row.due_at) due = *row.due_at;
    c.session() << c.sql("INSERT INTO trigger_due (rule_id, record, individual, trigger_name, due_at) VALUES (?, ?, ?, ?, ?) "
                         "ON CONFLICT (rule_id, record, individual) DO UPDATE SET due_at = excluded.due_at"),
        use(rule), use(record), use(individual), use(trigger), use(due), now;
}

void remove_due_row(Database::Connection& c, const Crossing& row) { remove_due_rows(c, std::vector<Crossing>{row}); }

void remove_due_rows(Database::Connection& c, const std::vector<Crossing>& rows) {
    if (rows.empty()) return;
    std::vector<std::string> rules, records, individuals;
    for (const Crossing& r : rows) {
        rules.push_back(r.rule);
        records.push_back(r.record);
        individuals.push_back(r.individual);
    }
    c.session() << c.sql("DELETE FROM trigger_due WHERE rule_id = ? AND record = ? AND individual = ?"), use(rules),
        use(records), use(individuals), now;
}

std::vector<Crossing> claim_due_rows(Database::Connection& c, TimeMs at, int limit) {
    Poco::Data::Statement select(c.session());
    select << c.sql(std::string(kColumns) + "WHERE due_at IS NOT NULL AND due_at <= ? ORDER BY due_at LIMIT ?" +
                    c.skip_locked()),
        use(at), use(limit), now;
    return crossings(select);
}

void move_row_still_to_come(Database::Connection& c, const Crossing& row, TimeMs since) {
    if (!row.due_at) return;
    std::string rule = row.rule, record = row.record, individual = row.individual;
    Poco::Int64 due = *row.due_at, after = since;
    c.session() << c.sql("UPDATE trigger_due SET due_at = ? WHERE rule_id = ? AND record = ? AND individual = ? AND due_at > ?"),
        use(due), use(rule), use(record), use(individual), use(after), now;
}

void start_planning(Database::Connection& c, const Planning& planning, bool keep_earlier_since) {
    std::string rule = planning.rule, zone = planning.zone, after = planning.after_record;
    Poco::Int64 since = planning.since;
    const std::string kept_since = keep_earlier_since
                                       ? "CASE WHEN trigger_planning.since < excluded.since THEN trigger_planning.since ELSE excluded.since END"
                                       : "excluded.since";
    c.session() << c.sql("INSERT INTO trigger_planning (rule_id, zone, since, after_record) VALUES (?, ?, ?, ?) "
                         "ON CONFLICT (rule_id) DO UPDATE SET zone = excluded.zone, since = " + kept_since +
                         ", after_record = excluded.after_record"),
        use(rule), use(zone), use(since), use(after), now;
}

void stop_planning(Database::Connection& c, const std::string& rule) {
    std::string key = rule;
    c.session() << c.sql("DELETE FROM trigger_planning WHERE rule_id = ?"), use(key), now;
}

void planned_through(Database::Connection& c, const std::string& rule, const std::string& record_id) {
    std::string key = rule, record = record_id;
    c.session() << c.sql("UPDATE trigger_planning SET after_record = ? WHERE rule_id = ?"), use(record), use(key), now;
}

std::optional<Planning> next_planning(Database::Connection& c) {
    return first_of(select_rows(
        c, std::string("SELECT rule_id, zone, since, after_record FROM trigger_planning ORDER BY rule_id LIMIT 1") + c.skip_locked(),
        [](const Row& row) { return Planning{row.text(0), row.text(1), row.number(2), row.text(3)}; }));
}

} // namespace extcomm::triggers
