#pragma once
// Where service events are kept: the version last received and the one before it. Calls join the
// caller's transaction. Store failures throw (Poco exceptions; callers turn them into "store: ...").
#include <events/service_event.hpp>
#include <store/database.hpp>

#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

namespace extcomm::events {

struct StoredEvent {
    ServiceEvent current;
    std::optional<ServiceEvent> previous;
};

// Stores `event` as the current version; the version it replaces becomes the previous one and is returned
// (nothing when the event is new).
std::optional<ServiceEvent> put_service_event(Database::Connection& c, const ServiceEvent& event, TimeMs now);
std::optional<StoredEvent> find_service_event(Database::Connection& c, const std::string& id);
// The current version of each of these events that is stored, by id.
std::unordered_map<std::string, ServiceEvent> current_service_events(Database::Connection& c,
                                                                     const std::vector<std::string>& ids);

} // namespace extcomm::events
