#include <triggers/firing_log.hpp>
#include <triggers/rule_store.hpp>

#include <store/rows.hpp>
#include <store/select_in.hpp>

#include <Poco/Data/RecordSet.h>
#include <Poco/Data/Statement.h>

#include <map>

using namespace Poco::Data::Keywords;

namespace extcomm::triggers {
namespace json = boost::json;
namespace {

constexpr const char* kCompactRule = "*"; // rule_id of a compact entry

bool compact(const json::object& entry) { return entry.contains("rules"); }

std::vector<json::object> parsed(Poco::Data::Statement& select) {
    Poco::Data::RecordSet rs(select);
    std::vector<json::object> out;
    for (std::size_t row = 0; row < rs.rowCount(); ++row) {
        std::error_code ec;
        json::value entry = json::parse(Row(rs, row).text(0), ec);
        if (!ec && entry.is_object()) out.push_back(std::move(entry.as_object()));
    }
    return out;
}

// Appends a compact entry's rules, newest first, that are below `before` and pass the rule filter.
void expand(const json::object& entry, const FiringFilter& filter, std::int64_t before, std::vector<json::object>& out) {
    const std::int64_t first = entry.at("first_seq").as_int64();
    std::int64_t seq = first;
    std::vector<json::object> these;
    for (const auto& [value, ids] : entry.at("rules").as_object())
        for (const json::value& id : ids.as_array()) {
            const std::int64_t s = seq++;
            if (s >= before || (!filter.rule.empty() && id.as_string() != filter.rule)) continue;
            json::object one = entry;
            one.erase("rules");
            one.erase("first_seq");
            one["seq"] = s;
            one["rule"] = id;
            one["criteria"].as_array().front().as_object()["value"] = json::string(value);
            these.push_back(std::move(one));
        }
    for (auto it = these.rbegin(); it != these.rend() && out.size() < static_cast<std::size_t>(filter.limit); ++it)
        out.push_back(std::move(*it));
}

void add(json::object entry, const FiringFilter& filter, std::int64_t before, std::vector<json::object>& out) {
    if (compact(entry)) expand(entry, filter, before, out);
    else if (out.size() < static_cast<std::size_t>(filter.limit)) out.push_back(std::move(entry));
}

// Names of the rules expanded from compact entries, as they are now (null once deleted).
void name_rules(Database::Connection& c, std::vector<json::object>& entries) {
    std::vector<std::string> ids;
    for (const json::object& e : entries)
        if (!e.contains("rule_name")) ids.emplace_back(e.at("rule").as_string());
    std::map<std::string, std::string> names;
    select_in(c, "SELECT id, rule FROM action_triggers WHERE id IN", ids, "", [&](Poco::Data::RecordSet& rs) {
        for (std::size_t row = 0; row < rs.rowCount(); ++row) {
            std::error_code ec;
            json::value rule = json::parse(Row(rs, row).text(1), ec);
            if (!ec && rule.is_object() && rule.as_object().contains("name")) names[Row(rs, row).text(0)] = rule.at("name").as_string();
        }
    });
    for (json::object& e : entries)
        if (!e.contains("rule_name")) {
            auto it = names.find(std::string(e.at("rule").as_string()));
            e["rule_name"] = it == names.end() ? json::value(nullptr) : json::value(it->second);
        }
}

// A LIKE pattern finding `rule` quoted in a compact entry's text (a pre-filter: expand() decides).
std::string quoted_pattern(const std::string& rule) {
    std::string out = "%";
    for (char ch : json::serialize(json::string(rule))) {
        if (ch == '\\' || ch == '_' || ch == '%') out += '\\';
        out += ch;
    }
    return out + "%";
}

// The compact entry whose numbers hold `before` (first_seq < before <= seq), if one does: part of it is
// older than `before`.
std::optional<json::object> straddling(Database::Connection& c, std::int64_t before) {
    Poco::Int64 from = before;
    Poco::Data::Statement select(c.session());
    select << c.sql("SELECT entry FROM trigger_firings WHERE seq >= ? ORDER BY seq LIMIT 1"), use(from), now;
    auto rows = parsed(select);
    if (rows.empty() || !compact(rows.front()) || rows.front().at("first_seq").as_int64() >= before) return std::nullopt;
    return std::move(rows.front());
}

// One page of rows older than `below`. Only the filters given are in the SQL: "(? = '' OR rule_id = ?)"
// would keep either database from using the (rule_id, seq) and (record, seq) indexes. A rule's entries
// are its own rows and the compact rows that name it (LIKE is a pre-filter: expand() decides).
std::vector<json::object> rows_below(Database::Connection& c, const FiringFilter& filter, std::int64_t below) {
    std::string rule = filter.rule, pattern = quoted_pattern(filter.rule), record = filter.record, star = kCompactRule;
    Poco::Int64 seq = below, limit = filter.limit;
    std::string sql = "SELECT entry FROM trigger_firings WHERE seq < ?";
    if (!rule.empty()) sql += " AND (rule_id = ? OR (rule_id = ? AND entry LIKE ? ESCAPE '\\'))";
    if (!record.empty()) sql += " AND record = ?";
    Poco::Data::Statement select(c.session());
    select << c.sql(sql + " ORDER BY seq DESC LIMIT ?"), use(seq);
    if (!rule.empty()) select, use(rule), use(star), use(pattern);
    if (!record.empty()) select, use(record);
    select, use(limit), now;
    return parsed(select);
}

} // namespace

std::int64_t rules_in(const json::object& entry) {
    if (!compact(entry)) return 1;
    std::int64_t n = 0;
    for (const auto& [value, ids] : entry.at("rules").as_object()) n += static_cast<std::int64_t>(ids.as_array().size());
    return n;
}

void append_firings(Database::Connection& c, std::vector<json::object>& entries) {
    if (entries.empty()) return;
    std::int64_t total = 0;
    for (const json::object& entry : entries) total += rules_in(entry);
    // One range of numbers for all (a compact entry takes one per rule), one prepared statement for every row.
    std::int64_t next = next_number(c, "firing", total) - total + 1;
    std::vector<Poco::Int64> seq, at;
    std::vector<std::string> rule, record, text;
    for (json::object& entry : entries) {
        if (compact(entry)) entry["first_seq"] = next;
        next += rules_in(entry);
        entry["seq"] = next - 1;
        seq.push_back(next - 1);
        at.push_back(entry.at("fired_at_ms").as_int64());
        rule.emplace_back(compact(entry) ? kCompactRule : std::string(entry.at("rule").as_string()));
        record.emplace_back(entry.at("record").as_string());
        text.push_back(json::serialize(entry));
    }
    c.session() << c.sql("INSERT INTO trigger_firings (seq, rule_id, record, fired_at, entry) VALUES (?, ?, ?, ?, ?)"),
        use(seq), use(rule), use(record), use(at), use(text), now;
}

std::vector<json::object> find_firings(Database::Connection& c, const FiringFilter& filter) {
    std::vector<json::object> out;
    const std::int64_t before = filter.before.value_or(INT64_MAX);
    const auto wants = [&](const json::object& e) {
        return (filter.record.empty() || e.at("record").as_string() == filter.record) &&
               (filter.rule.empty() || compact(e) || e.at("rule").as_string() == filter.rule);
    };
    if (filter.before)
        if (auto entry = straddling(c, before); entry && wants(*entry)) add(std::move(*entry), filter, before, out);
    std::int64_t below = before;
    while (out.size() < static_cast<std::size_t>(filter.limit)) {
        auto rows = rows_below(c, filter, below);
        for (json::object& entry : rows) {
            below = entry.at("seq").as_int64();
            add(std::move(entry), filter, before, out);
        }
        if (rows.size() < static_cast<std::size_t>(filter.limit)) break;
    }
    name_rules(c, out);
    return out;
}

} // namespace extcomm::triggers
