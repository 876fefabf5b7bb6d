#include <events/service_event_json.hpp>
#include <events/service_event_store.hpp>
#include <store/select_in.hpp>

#include <Poco/Data/RecordSet.h>
#include <Poco/Data/Statement.h>

using namespace Poco::Data::Keywords;

namespace extcomm::events {

std::optional<StoredEvent> find_service_event(Database::Connection& c, const std::string& id) {
    std::string key = id;
    Poco::Data::Statement select(c.session());
    select << c.sql("SELECT current_event, previous_event FROM service_events WHERE id = ?"), use(key), now;
    Poco::Data::RecordSet rs(select);
    if (rs.rowCount() == 0) return std::nullopt;
    auto current = service_event_from_json(rs.value(0, 0).convert<std::string>());
    if (!current) return std::nullopt;
    StoredEvent stored{*current, std::nullopt};
    auto previous_text = rs.value(1, 0).convert<std::string>();
    if (!previous_text.empty()) stored.previous = service_event_from_json(previous_text);
    return stored;
}

std::unordered_map<std::string, ServiceEvent> current_service_events(Database::Connection& c,
                                                                     const std::vector<std::string>& ids) {
    std::unordered_map<std::string, ServiceEvent> out;
    select_in(c, "SELECT id, current_event FROM service_events WHERE id IN", ids, "", [&](Poco::Data::RecordSet& rs) {
        for (std::size_t row = 0; row < rs.rowCount(); ++row)
            if (auto event = service_event_from_json(rs.value(1, row).convert<std::string>()))
                out.emplace(rs.value(0, row).convert<std::string>(), std::move(*event));
    });
    return out;
}

std::optional<ServiceEvent> put_service_event(Database::Connection& c, const ServiceEvent& event, TimeMs at) {
    auto stored = find_service_event(c, event.id);
    std::string id = event.id;
    std::string current = boost::json::serialize(to_json(event));
    std::string previous = stored ? boost::json::serialize(to_json(stored->current)) : std::string();
    std::string status(to_string(event.status));
    TimeMs start = event.start;
    c.session() << c.sql("INSERT INTO service_events (id, current_event, previous_event, start_at, status, updated_at) "
                         "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET current_event = excluded.current_event, "
                         "previous_event = excluded.previous_event, start_at = excluded.start_at, "
                         "status = excluded.status, updated_at = excluded.updated_at"),
        use(id), use(current), use(previous), use(start), use(status), use(at), now;
    if (!stored) return std::nullopt;
    return stored->current;
}

} // namespace extcomm::events
