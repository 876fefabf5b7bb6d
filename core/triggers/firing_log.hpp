#pragma once
// The firing log: one entry per rule whose trigger matched a change, fired or not, numbered in the order
// they were written (seq). Entries are JSON objects (firing.hpp builds them): {seq, rule, rule_name,
// trigger, record, version, fired_at_ms, fired, reason?, condition?, criteria: [{field, comparison, value,
// actual, holds}], actions: [{type, outcome, request?, reason?}]}. Calls take the caller's connection.
//
// The rules the index skipped (rule_index.hpp: their `equals` text is not the record's) are written as one
// compact entry per field, {rule: null, rules: {"<their value>": ["<rule id>", …]}, criteria: [{field,
// comparison: "equals", actual, holds: false}], …}, because one row per rule made a store with thousands of
// rules write thousands of rows per change. It takes one seq per rule, in the order of `rules` (first_seq
// is its first, seq its last), and find_firings expands it into one entry per rule, each with its own seq,
// its value and its current name: a reader sees one entry per rule as if each had been written. Only the
// criterion that failed is in such an entry (the rule's others were not evaluated).
#include <store/database.hpp>

#include <boost/json.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace extcomm::triggers {

// The rules an entry is about: 1, or a compact entry's count.
std::int64_t rules_in(const boost::json::object& entry);

// Numbers and stores the entries (their "seq" set).
void append_firings(Database::Connection& c, std::vector<boost::json::object>& entries);

struct FiringFilter {
    std::string rule;                   // "" = any
    std::string record;                 // "" = any; "case/c-1"
    std::optional<std::int64_t> before; // only entries with a smaller seq
    int limit = 50;
};
// Newest first, one entry per rule.
std::vector<boost::json::object> find_firings(Database::Connection& c, const FiringFilter& filter);

} // namespace extcomm::triggers
