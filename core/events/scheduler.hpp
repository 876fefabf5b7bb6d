#pragma once
// Fires due confirmations and reminders. Each run claims a batch of due schedule rows (SKIP LOCKED on
// PostgreSQL, so several hosts share the work), hands each to the sending pipeline as it is then (the
// event, the settings and the people *as they are then*: decided, rendered, enqueued expiring when the
// event starts, logged in the message log with an idempotency key from event, recipient, kind and run_at)
// and deletes the rows, all in one transaction: a crash before the commit leaves the rows for the next
// run, and a commit leaves neither a row nor a missing message. Never sends once the event has started or
// for an event that is no longer booked (the message log says which). The confirmation's sender worker
// gets a copy of each confirmation that went out, in the same transaction (scheduler.cpp, copy_to_sender).
//
// The clock is injected: tests move a ManualClock and call run_once(), nothing sleeps.
#include <agency/people_store.hpp>
#include <agency/settings_store.hpp>
#include <common/clock.hpp>
#include <events/schedules.hpp>
#include <events/service_event.hpp>
#include <rendering/facts.hpp>
#include <sending/pipeline.hpp>
#include <store/database.hpp>

#include <functional>
#include <string>

namespace extcomm::events {

struct SchedulerRun {
    int claimed = 0;  // rows handled (and deleted)
    int enqueued = 0; // messages handed to the outbox
    int dropped = 0;  // rows that sent nothing: event started, gone, moved, not booked, recipient gone
    int skipped = 0;  // channels that sent nothing (no consent, consent after booking, not chosen, …)
};

class Scheduler {
public:
    using Settings = std::function<agency::SnapshotPtr()>;
    // The confirm link of a client's confirmation ("" = none: the confirmation goes without one), made in
    // the run's transaction `c` (the link's row commits with the confirmation).
    using ConfirmLink = std::function<std::string(Database::Connection& c, const Schedule&)>;

    Scheduler(sending::Pipeline& pipeline, agency::PeopleStore& people, const Clock& clock, Settings settings)
        : pipeline_(pipeline), people_(people), clock_(clock), settings_(std::move(settings)) {}

    void set_confirm_link(ConfirmLink link) { confirm_link_ = std::move(link); }
    // Tests: runs after the messages are enqueued and before the commit (throw to "crash" there).
    void set_before_commit(std::function<void()> hook) { before_commit_ = std::move(hook); }

    // One batch of at most `limit` due rows. A full batch means more may be due: call again.
    SchedulerRun run_once(int limit = 500);

private:
    Database& db() const { return pipeline_.database(); }

    sending::Pipeline& pipeline_;
    agency::PeopleStore& people_;
    const Clock& clock_;
    Settings settings_;
    ConfirmLink confirm_link_;
    std::function<void()> before_commit_;
};

} // namespace extcomm::events
