#pragma once
// The firing log: one entry per rule whose trigger matched a change, fired or not, numbered in the order
// they were written (seq). Entries are JSON objects (firing.hpp builds them): {seq, rule, rule_name,
// trigger, record, version, fired_at_ms, fired, reason?, condition?, criteria: [{field, comparison, value,
// actual, holds}], actions: [{type, outcome, request?, reason?}]}. Calls take the caller's connection.
#include <store/database.hpp>

#include <boost/json.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace extcomm::triggers {

// Numbers and stores the entries (their "seq" set).
void append_firings(Database::Connection& c, std::vector<boost::json::object>& entries);

struct FiringFilter {
    std::string rule;                   // "" = any
    std::string record;                 // "" = any; "case/c-1"
    std::optional<std::int64_t> before; // only entries with a smaller seq
    int limit = 50;
};
// Newest first.
std::vector<boost::json::object> find_firings(Database::Connection& c, const FiringFilter& filter);

} // namespace extcomm::triggers
