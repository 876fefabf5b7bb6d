#pragma once
// Confirmations and reminders as rows: one per (event, recipient, kind) with its UTC run_at.
//
// plan_schedules (pure) says which rows a service event should have now: none unless it is booked;
// a confirmation per client "X hours before" (Client Delivery and Send event confirmation on); a reminder
// per worker "N minutes before any event", and another "N minutes before the first event of a service
// file" (not for group events) (Worker Delivery on, the worker's minutes set). Misfire rule: a row whose
// time has already passed when the event is booked (or moved) is not created.
//
// replace_schedules makes the store hold exactly the planned rows of an event (a reschedule moves them,
// a cancellation removes them). The store calls join the caller's transaction.
#include <agency/people.hpp>
#include <agency/settings.hpp>
#include <events/service_event.hpp>
#include <store/database.hpp>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace extcomm::events {

enum class ScheduleKind { confirmation, worker_reminder, first_event_reminder };
std::string_view to_string(ScheduleKind kind); // "confirmation", "worker-reminder", "first-event-reminder"
std::optional<ScheduleKind> schedule_kind_from(std::string_view name);
// Confirmations go to clients, reminders to workers.
inline bool to_client(ScheduleKind kind) { return kind == ScheduleKind::confirmation; }

struct Schedule {
    std::string event;
    std::string recipient; // client id (confirmation) or worker id (reminders)
    ScheduleKind kind = ScheduleKind::confirmation;
    TimeMs run_at = 0;      // UTC ms
    TimeMs event_start = 0; // UTC ms: never sent from then on

    bool operator==(const Schedule&) const = default;
};

// `workers`: the event's workers as stored now (unknown ones left out).
std::vector<Schedule> plan_schedules(const ServiceEvent& event, const agency::AgencySettings& settings,
                                     const std::vector<agency::Worker>& workers, TimeMs now);

// The event's rows become exactly `planned`.
void replace_schedules(Database::Connection& c, const std::string& event_id, const std::vector<Schedule>& planned);
// The rows due at `now`, earliest first, at most `limit`; on PostgreSQL locked for this transaction and
// skipped by other hosts' claims.
std::vector<Schedule> claim_due_schedules(Database::Connection& c, TimeMs now, int limit);
void remove_schedule(Database::Connection& c, const Schedule& schedule);
// The same for many rows: one statement, prepared once, bound to columns (a Scheduler run's whole claim).
void remove_schedules(Database::Connection& c, const std::vector<Schedule>& schedules);
// An event's pending rows (all events when `event_id` is empty), by run_at.
std::vector<Schedule> pending_schedules(Database::Connection& c, const std::string& event_id = {});

} // namespace extcomm::events
