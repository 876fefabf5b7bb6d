#pragma once
// Where time-based rules' crossings wait (table trigger_due): one row per (rule, record, individual),
// its due time NULL while unknown; and how far the planning of a rule's rows has come (trigger_planning).
// Calls join the caller's transaction; store failures throw (Poco exceptions).
#include <triggers/crossings.hpp>

#include <store/database.hpp>

#include <optional>
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
// `row`'s due time, only if its stored one is still after `since` (a crossing still to come then).
void move_row_still_to_come(Database::Connection& c, const Crossing& row, TimeMs since);

// Where the planning of a rule's rows stands (table trigger_planning): the records after `after_record`
// are still to plan, in `zone`, for crossings after `since`.
struct Planning {
    std::string rule;
    std::string zone;
    TimeMs since = 0;
    std::string after_record; // a record id; "" = from the first
};
// Starts (or starts again) `planning`, from the record after its after_record ("" = the first).
// `keep_earlier_since`: a planning already under way keeps its `since` when it is earlier (a new zone does
// not skip crossings the rule's enabling still has to plan).
void start_planning(Database::Connection& c, const Planning& planning, bool keep_earlier_since);
void stop_planning(Database::Connection& c, const std::string& rule);
void planned_through(Database::Connection& c, const std::string& rule, const std::string& record_id);
// The first planning no other host is working on (SKIP LOCKED on PostgreSQL), locked for this transaction.
std::optional<Planning> next_planning(Database::Connection& c);

} // namespace extcomm::triggers
