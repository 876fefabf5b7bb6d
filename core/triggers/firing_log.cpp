#include <triggers/firing_log.hpp>
#include <triggers/rule_store.hpp>

#include <store/rows.hpp>

#include <Poco/Data/RecordSet.h>
#include <Poco/Data/Statement.h>

using namespace Poco::Data::Keywords;

namespace extcomm::triggers {
namespace json = boost::json;

void append_firings(Database::Connection& c, std::vector<json::object>& entries) {
    if (entries.empty()) return;
    // One number taken for all (the last of the range), one prepared statement for every row.
    const std::int64_t last = next_number(c, "firing", static_cast<std::int64_t>(entries.size()));
    std::vector<Poco::Int64> seq, at;
    std::vector<std::string> rule, record, text;
    for (std::size_t i = 0; i < entries.size(); ++i) {
        json::object& entry = entries[i];
        entry["seq"] = last - static_cast<std::int64_t>(entries.size() - 1 - i);
        seq.push_back(entry.at("seq").as_int64());
        at.push_back(entry.at("fired_at_ms").as_int64());
        rule.emplace_back(entry.at("rule").as_string());
        record.emplace_back(entry.at("record").as_string());
        text.push_back(json::serialize(entry));
    }
    c.session() << c.sql("INSERT INTO trigger_firings (seq, rule_id, record, fired_at, entry) VALUES (?, ?, ?, ?, ?)"),
        use(seq), use(rule), use(record), use(at), use(text), now;
}

std::vector<json::object> find_firings(Database::Connection& c, const FiringFilter& filter) {
    std::string rule = filter.rule, record = filter.record;
    Poco::Int64 below = filter.before.value_or(INT64_MAX), limit = filter.limit;
    // Only the filters given are in the SQL: "(? = '' OR rule_id = ?)" would keep either database from
    // using the (rule_id, seq) and (record, seq) indexes.
    std::string sql = "SELECT entry FROM trigger_firings WHERE seq < ?";
    if (!rule.empty()) sql += " AND rule_id = ?";
    if (!record.empty()) sql += " AND record = ?";
    Poco::Data::Statement select(c.session());
    select << c.sql(sql + " ORDER BY seq DESC LIMIT ?"), use(below);
    if (!rule.empty()) select, use(rule);
    if (!record.empty()) select, use(record);
    select, use(limit), now;
    Poco::Data::RecordSet rs(select);
    std::vector<json::object> out;
    for (std::size_t row = 0; row < rs.rowCount(); ++row) {
        std::error_code ec;
        json::value entry = json::parse(Row(rs, row).text(0), ec);
        if (!ec && entry.is_object()) out.push_back(std::move(entry.as_object()));
    }
    return out;
}

} // namespace extcomm::triggers
