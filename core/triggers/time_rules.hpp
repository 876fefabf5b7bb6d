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
//     re-keys that individual's age rows, a rule disabled, deleted or given other parameters drops its rows,
//     a closed record drops its rows.
//   - What walks every record the rule watches is planned after that transaction, a page of records per
//     transaction of its own, so that no change holds the store's writer for the whole file: a rule enabled
//     or given other parameters (its rows from that moment), and a change of the agency's time zone (every
//     enabled rule's rows move to the new zone's midnights; a crossing still to come whose new midnight
//     has passed fires at once). A planning row (due_store.hpp: Planning) keeps the place in the store, so
//     a restart goes on from it; run_once plans a few pages before it claims. Until its page is planned, a
//     record's rows keep their old times.
//   - run_once claims a bounded batch of due rows (SKIP LOCKED on PostgreSQL, so several hosts fire each
//     once), fires or logs each, enqueues the messages and deletes the rows in one transaction: a crash
//     before the commit leaves the rows for the next run. A row found due later than the catch-up window
//     (downtime) is not fired but logged missed in the firing log, with the reason.
// Rows, not memory, hold the pending crossings: planning walks records in pages, runs claim in batches.
// The clock is injected: tests move a ManualClock and call run_once(), nothing sleeps.
#include <triggers/crossings.hpp>
#include <triggers/due_store.hpp>
#include <triggers/firing.hpp>
#include <triggers/rule_store.hpp>

#include <agency/people_store.hpp>
#include <agency/settings_store.hpp>
#include <common/clock.hpp>
#include <sending/pipeline.hpp>

#include <functional>
#include <optional>
#include <string>

namespace extcomm::triggers {

struct TimeRun {
    int claimed = 0; // rows handled (and deleted)
    int fired = 0;   // rows whose rule fired (criteria held)
    int missed = 0;  // rows found due later than the catch-up window: logged, not fired
    int dropped = 0; // rows whose rule or record is gone
    int enqueued = 0;
    int planned_pages = 0; // pages of records planned before the claim (planning is bounded per run)
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
    // time-based rule is planned again, in `zone`. A crossing still to come at `now` moves to the new zone's
    // midnight, or is due at once when that has passed; a row already due stays due (unless its new
    // midnight is still to come); no crossing that passed before `now` is added.
    void zone_changed(Database::Connection& c, const std::string& zone, TimeMs now);

    // One page of records of the first planning under way, in a transaction of its own; false when no
    // planning is left.
    bool plan_once();
    // A few pages of planning (plan_once), then one batch of at most `limit` due rows. A full batch, or
    // planned pages, mean more may be due: call again.
    TimeRun run_once(int limit = 500);
    // Tests: runs after the messages are enqueued and before the commit (throw to "crash" there).
    void set_before_commit(std::function<void()> hook) { before_commit_ = std::move(hook); }
    // Tests: records per page of planning (default 500).
    void set_planning_page(int records) { planning_page_ = records; }

private:
    std::string zone() const;
    // Plans `rule` over the page of records after planning.after_record; returns the last record's id,
    // "" when the page was the last.
    std::string plan_page(Database::Connection& c, const Rule& rule, const Planning& planning);
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
    int planning_page_ = 500;
};

} // namespace extcomm::triggers
