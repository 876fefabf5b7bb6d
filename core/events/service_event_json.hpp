#pragma once
// A service event as JSON: how the store keeps it, and (with ISO 8601 times) how the API takes it.
//   {"id", "start": ms, "end": ms, "start_offset_minutes", "end_offset_minutes", "status",
//    "workers": [{"id", "primary"}], "clients": [{"id", "primary"}], "site", "location", "service_file",
//    "first_event", "group", "booked_at": ms}
#include <events/service_event.hpp>

#include <boost/json.hpp>

#include <optional>
#include <string>

namespace extcomm::events {

boost::json::object to_json(const ServiceEvent& event);
// Nothing when the text is not a stored event.
std::optional<ServiceEvent> service_event_from_json(const std::string& text);

} // namespace extcomm::events
