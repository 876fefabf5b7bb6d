#pragma once
// What an event's messages are rendered from, read within the caller's transaction: the primary worker's
// name, the site (name, phone, zone) and the location, as they are now.
#include <agency/people_store.hpp>
#include <agency/settings.hpp>
#include <events/service_event.hpp>
#include <rendering/facts.hpp>
#include <store/database.hpp>

#include <optional>
#include <string>

namespace extcomm::events {

// PeopleStore::site has no Connection form yet (a nested connect() would deadlock on SQLite).
std::optional<agency::Site> find_site(Database::Connection& c, const std::string& id);

rendering::ServiceEventFacts event_facts(Database::Connection& c, agency::PeopleStore& people, const ServiceEvent& event,
                                         TimeMs original_start = 0);
// The same from the primary worker and the site as the caller read them (nullptr: none), for a caller that
// reads each worker and site once for many events (a Scheduler run).
rendering::ServiceEventFacts event_facts(const ServiceEvent& event, const agency::Worker* primary_worker,
                                         const agency::Site* site, TimeMs original_start = 0);

// The zone the event's local date and time are shown in: the site's, else the agency's.
std::string event_zone(Database::Connection& c, const ServiceEvent& event, const agency::AgencySettings& settings);

} // namespace extcomm::events
