#pragma once
// A service event received from Penelope, applied in one transaction: the event is stored (the previous
// version kept), what happened is decided from the change, its schedules are made to match (a booking
// creates them, a reschedule moves them, a cancellation or no-show removes them) and the event update
// notice the seed's table calls for is enqueued to the clients who may get it, the last-minute booking
// or no-show notice Worker Delivery calls for to the event's workers (worker_notices.hpp), and the action
// triggers of a booking, cancellation or no-show fire (triggers/firing.hpp).
#include <agency/people_store.hpp>
#include <agency/settings_store.hpp>
#include <events/event_change.hpp>
#include <events/schedules.hpp>
#include <events/service_event.hpp>
#include <events/service_event_store.hpp>
#include <events/worker_notices.hpp>
#include <sending/pipeline.hpp>
#include <store/database.hpp>
#include <triggers/firing.hpp>

#include <optional>
#include <vector>

namespace extcomm::events {

// A notice the change called for (the clients' event update, the workers' last-minute or no-show notice):
// its kind, or why none; and when there was one, the request the sending pipeline made of it.
struct EventNotice {
    std::optional<rendering::MessageKind> kind;
    std::optional<sending::SkipReason> skipped;
    std::optional<sending::SentRequest> sent;
};

struct EventApplied {
    ServiceEvent current;                 // as stored (booked_at filled in)
    std::optional<ServiceEvent> previous; // nothing when first seen
    EventChange change;
    EventNotice client_notice;            // the booking or reschedule notice
    EventNotice worker_notice;            // the last-minute booking or no-show notice
    std::vector<std::string> message_ids; // every notice enqueued (clients' and workers')
    std::vector<Schedule> schedules;      // the event's pending schedules after the change
    std::vector<boost::json::object> firings; // the firing log's entries of the change's action triggers
};

// An event as kept: its current and previous versions and its pending schedules.
struct EventView {
    StoredEvent stored;
    std::vector<Schedule> schedules;
};

class ServiceEvents {
public:
    // `firing`: none runs no action triggers (tests of the notices alone).
    ServiceEvents(sending::Pipeline& pipeline, agency::PeopleStore& people, const Clock& clock,
                  triggers::Firing* firing = nullptr)
        : pipeline_(pipeline), people_(people), clock_(clock), firing_(firing) {}

    // `event.booked_at` 0: as stored for this event, else now (Penelope tells extcomm as it books).
    EventApplied put(const agency::SettingsSnapshot& snapshot, const ServiceEvent& event);
    std::optional<EventView> find(const std::string& id);

private:
    void log_withdrawn(sending::Batch& batch, Database::Connection& c, const ServiceEvent& event, TimeMs now);

    sending::Pipeline& pipeline_;
    agency::PeopleStore& people_;
    const Clock& clock_;
    triggers::Firing* firing_;
};

} // namespace extcomm::events
