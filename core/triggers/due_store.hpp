#pragma once
// Where time-based rules' crossings wait (table trigger_due): one row per (rule, record, individual),
// its due time NULL while unknown. Calls join the caller's transaction; store failures throw (Poco
// exceptions).
#include <triggers/crossings.hpp>

#include <store/database.hpp>

#include <string>
#include <vector>

namespace extcomm::triggers {

// The rows of one record ("service-file/sf-1"), of one individual, or of one rule.
enum class DueScope { record, individual, rule };
std::vector<Crossing> due_rows(Database::Connection& c, DueScope scope, const std::string& key);
void remove_due_rows(Database::Connection& c, DueScope scope, const std::string& key);

// Inserted, or its due time replaced.
void put_due_row(Database::Connection& c, const Crossing& row);
void remove_due_row(Database::Connection& c, const Crossing& row);
// One statement for many rows (a claim).
void remove_due_rows(Database::Connection& c, const std::vector<Crossing>& rows);

// The rows due at `now`, earliest first, at most `limit`; on PostgreSQL locked for this transaction and
// skipped by other hosts' claims.
std::vector<Crossing> claim_due_rows(Database::Connection& c, TimeMs now, int limit);

} // namespace extcomm::triggers
