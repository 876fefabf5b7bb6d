#pragma once
// A service event received from Penelope, applied in one transaction: the event is stored (the previous
// version kept), what happened is decided from the change, its schedules are made to match (a booking
// creates them, a reschedule moves them, a cancellation or no-show removes them) and the event update
// notice the seed's table calls for is enqueued to the clients who may get it.
#include <agency/people_store.hpp>
#include <agency/settings_store.hpp>
#include <events/event_change.hpp>
#include <events/event_updates.hpp>
#include <events/schedules.hpp>
#include <events/service_event.hpp>
#include <outbox/outbox.hpp>
#include <store/database.hpp>

#include <optional>
#include <vector>

namespace extcomm::events {

struct EventApplied {
    std::optional<ServiceEvent> previous; // nothing when first seen
    EventChange change;
    NoticePlan notices;                   // the event update and who got it
    std::vector<std::string> message_ids; // the notices enqueued
    std::vector<Schedule> schedules;      // the event's pending schedules after the change
};

class ServiceEvents {
public:
    ServiceEvents(Database& db, agency::PeopleStore& people, Outbox& outbox, const Clock& clock)
        : db_(db), people_(people), outbox_(outbox), clock_(clock) {}

    EventApplied put(const agency::SettingsSnapshot& snapshot, const ServiceEvent& event);

private:
    Database& db_;
    agency::PeopleStore& people_;
    Outbox& outbox_;
    const Clock& clock_;
};

} // namespace extcomm::events
