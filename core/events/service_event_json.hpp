#pragma once
// A service event as JSON: how the store keeps it, and (with ISO 8601 times) how the API takes it.
//   {"id", "start": ms, "end": ms, "start_offset_minutes", "end_offset_minutes", "status",
//    "workers": [{"id", "primary"}], "clients": [{"id", "primary"}], "site", "location", "service_file",
//    "first_event", "group", "booked_at": ms}
// The API's form (PUT /v1/service-events/{id}) has no id (it is in the path) and times as ISO 8601 with
// an offset: {"start": "2026-03-03T14:30:00+11:00", "end", "status", "workers", "clients", "site"?,
// "location"?, "service_file"?, "first_event"?, "group"?, "booked_at"?}.
#include <common/field_error.hpp>
#include <events/service_event.hpp>

#include <boost/json.hpp>

#include <optional>
#include <string>
#include <string_view>
#include <variant>

namespace extcomm::events {

boost::json::object to_json(const ServiceEvent& event);
// Nothing when the text is not a stored event.
std::optional<ServiceEvent> service_event_from_json(const std::string& text);

// The API's form, times with the offsets they were given in.
boost::json::object to_api_json(const ServiceEvent& event);
// The body of PUT /v1/service-events/{id}. Every problem names its field ("workers[1].id", "end"):
// start and end (end not before start), status, workers and clients (each at least one, ids valid and
// distinct, exactly one primary; a single entry is the primary), site and service file ids, booked_at
// (absent: 0, which ServiceEvents::put reads as "as stored, else now").
std::variant<ServiceEvent, FieldError> service_event_from_api(const boost::json::value& body,
                                                                      const std::string& id);

// An instant with the UTC offset it was written with: "2026-03-03T14:30:00+11:00", "…T14:30:00.250-05:00",
// "…T03:30:00Z" ("+1100" and "+11" too). Nothing when it is not one, when its year (as written) is not
// from kFirstYear to kLastYear (no service event is that far away; year 0 or 9999 is a mistake), or when
// its offset is not a real one (minutes 00 to 59, at most 18 hours).
inline constexpr int kFirstYear = 1900, kLastYear = 2200;
inline constexpr const char* kOffsetTimeForm =
    "must be ISO 8601 with an offset, years 1900 to 2200, e.g. 2026-03-03T14:30:00+11:00 or 2026-03-03T03:30:00Z";
struct OffsetTime {
    TimeMs at = 0; // UTC ms
    int offset_minutes = 0;
};
std::optional<OffsetTime> parse_offset_time(std::string_view text);
std::string format_offset_time(TimeMs at, int offset_minutes); // "2026-03-03T14:30:00+11:00"

} // namespace extcomm::events
