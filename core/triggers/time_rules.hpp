#pragma once
// Time-based action triggers ("participant turns a defined age", "document not completed N days after
// creation"): their crossings are rows in the store (due_store.hpp), keyed by (rule, record, individual),
// and fire through the same path as changes (firing.hpp: the rule's criteria, its action, the firing log).
//
// Invariants:
//   - A row holds a crossing still to come when it was planned: enabling a rule plans only crossings after
//     that moment (turning 18 does not fire for the adults already on file), and a change plans a new row
//     only for a crossing after it. A row whose time is unchanged by a change stays as it is, due or not.
//   - The rows follow what they depend on, in the transaction that changes it: a record's change re-plans
//     its rows (a member added, a document completed, its creation date moved), a client's birth date
//     re-keys that individual's age rows, a rule disabled, deleted or given other parameters drops its rows
//     (re-planned from that moment when still enabled), a closed record drops its rows, a change of the
//     agency's time zone moves every enabled rule's rows to the new zone's midnights (a crossing still to
//     come whose new midnight has passed fires at once).
//   - run_once claims a bounded batch of due rows (SKIP LOCKED on PostgreSQL, so several hosts fire each
//     once), fires or logs each, enqueues the messages and deletes the rows in one transaction: a crash
//     before the commit leaves the rows for the next run. A row found due later than the catch-up window
//     (downtime) is not fired but logged missed in the firing log, with the reason.
// Rows, not memory, hold the pending crossings: planning walks records in pages, runs claim in batches.
// The clock is injected: tests move a ManualClock and call run_once(), nothing sleeps.
#include <triggers/crossings.hpp>
#include <triggers/firing.hpp>
#include <triggers/rule_store.hpp>

#include <agency/people_store.hpp>
#include <agency/settings_store.hpp>
#include <common/clock.hpp>
#include <sending/pipeline.hpp>

#include <functional>
#include <optional>
#include <set>
#include <string>
#include <utility>

namespace extcomm::triggers {

struct TimeRun {
    int claimed = 0; // rows handled (and deleted)
    int fired = 0;   // rows whose rule fired (criteria held)
    int missed = 0;  // rows found due later than the catch-up window: logged, not fired
    int dropped = 0; // rows whose rule or record is gone
    int enqueued = 0;
};

class TimeRules {
public:
    using Settings = std::function<agency::SnapshotPtr()>;

    TimeRules(sending::Pipeline& pipeline, agency::PeopleStore& people, RuleStore& rules, Firing& firing, const Clock& clock,
              Settings settings, TimeMs catch_up_ms)
        : pipeline_(pipeline), people_(people), rules_(rules), firing_(firing), clock_(clock), settings_(std::move(settings)),
          catch_up_ms_(catch_up_ms) {}

    // In the caller's transaction (RuleStore::set_on_change): `after` nullopt when deleted.
    void rule_changed(Database::Connection& c, const std::optional<Rule>& before, const std::optional<Rule>& after, TimeMs now);
    // In the caller's transaction, after the record was stored.
    void record_changed(Database::Connection& c, const StoredRecord& record, TimeMs now);
    void record_closed(Database::Connection& c, RecordKind kind, const std::string& id);
    void client_changed(Database::Connection& c, const agency::Client& client, TimeMs now);
    // In the transaction that changes the agency's time zone (general.time_zone) to `zone`: every enabled
    // time-based rule's rows are planned again in it. A crossing still to come moves to the new zone's
    // midnight, or is due at once when that has passed; a row already due stays due (unless its new
    // midnight is still to come); no crossing that passed before `now` is added.
    void zone_changed(Database::Connection& c, const std::string& zone, TimeMs now);

    // One batch of at most `limit` due rows. A full batch means more may be due: call again.
    TimeRun run_once(int limit = 500);
    // Tests: runs after the messages are enqueued and before the commit (throw to "crash" there).
    void set_before_commit(std::function<void()> hook) { before_commit_ = std::move(hook); }

private:
    std::string zone() const;
    // (record, individual) of crossings still to come when the zone changed: planned even when the new
    // zone puts them before `now`, so that each fires once, at once.
    using Pending = std::set<std::pair<std::string, std::string>>;
    void plan_rule(Database::Connection& c, const Rule& rule, const std::string& zone, TimeMs now,
                   const Pending& pending = {});
    BirthDates birth_dates(Database::Connection& c, const std::vector<std::string>& clients);
    void fire_row(Database::Connection& c, sending::Batch& batch, const Crossing& row, Evaluated& out, TimeRun& run, TimeMs now);

    sending::Pipeline& pipeline_;
    agency::PeopleStore& people_;
    RuleStore& rules_;
    Firing& firing_;
    const Clock& clock_;
    Settings settings_;
    TimeMs catch_up_ms_;
    std::function<void()> before_commit_;
};

} // namespace extcomm::triggers
