#include <events/event_facts.hpp>

#include <Poco/Data/RecordSet.h>
#include <Poco/Data/Statement.h>

using namespace Poco::Data::Keywords;

namespace extcomm::events {

std::optional<agency::Site> find_site(Database::Connection& c, const std::string& id) {
    if (id.empty()) return std::nullopt;
    std::string key = id;
    Poco::Data::Statement select(c.session());
    select << c.sql("SELECT id, name, phone, address, time_zone, updated_at FROM sites WHERE id = ?"), use(key), now;
    Poco::Data::RecordSet rs(select);
    if (rs.rowCount() == 0) return std::nullopt;
    auto text = [&](std::size_t col) { return rs.value(col, 0).convert<std::string>(); };
    return agency::Site{text(0), text(1), text(2), text(3), text(4), rs.value(5, 0).convert<std::int64_t>()};
}

rendering::ServiceEventFacts event_facts(const ServiceEvent& event, const agency::Worker* primary_worker,
                                         const agency::Site* site, TimeMs original_start) {
    rendering::ServiceEventFacts facts;
    facts.start = event.start;
    facts.original_start = original_start;
    if (primary_worker) facts.worker = {primary_worker->first_name, primary_worker->last_name};
    if (site) facts.site = {site->name, site->phone, site->time_zone};
    facts.location = event.location;
    return facts;
}

rendering::ServiceEventFacts event_facts(Database::Connection& c, agency::PeopleStore& people, const ServiceEvent& event,
                                         TimeMs original_start) {
    auto worker = people.worker(c, event.primary_worker());
    auto site = find_site(c, event.site);
    return event_facts(event, worker ? &*worker : nullptr, site ? &*site : nullptr, original_start);
}

std::string event_zone(Database::Connection& c, const ServiceEvent& event, const agency::AgencySettings& settings) {
    auto site = find_site(c, event.site);
    return site && !site->time_zone.empty() ? site->time_zone : settings.general.time_zone;
}

} // namespace extcomm::events
