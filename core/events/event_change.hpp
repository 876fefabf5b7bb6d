#pragma once
// What an update of a service event means, and the seed's table "When Event Update Messages are Sent".
// Pure: no store, no clock (the caller passes `now`).
#include <events/service_event.hpp>
#include <rendering/message_kind.hpp>

#include <optional>
#include <string_view>

namespace extcomm::events {

enum class Happening { nothing, booked, rescheduled, reverted_to_booked, cancelled, marked_no_show };
std::string_view to_string(Happening happening); // "booked", "rescheduled", "reverted-to-booked", ...

// When the event occurs relative to `now`: in the future, in the past on the same local day, or earlier.
enum class EventTiming { future, past_same_day, past };
std::string_view to_string(EventTiming timing);

struct EventChange {
    Happening what = Happening::nothing;
    EventTiming when = EventTiming::future;
    TimeMs original_start = 0; // rescheduled: where the event was before
};

// From the stored version (none: first seen) to the one just received:
//   first seen booked                                   → booked
//   not booked (cancelled, no-show, …) → booked         → reverted_to_booked
//   booked → booked at another start (or end)           → rescheduled
//   → cancelled (from anything else)                    → cancelled
//   → no-show (from anything else)                      → marked_no_show
//   anything else (same times, arrived, completed, …)   → nothing
// `zone` (IANA; the site's, else the agency's; unknown → UTC) settles which local day "same day" is.
EventChange what_happened(const std::optional<ServiceEvent>& previous, const ServiceEvent& current, TimeMs now,
                          std::string_view zone);

EventTiming event_timing(TimeMs start, TimeMs now, std::string_view zone);

// The seed's table: booking in the future → booking notice; booking in the past (same day or earlier) →
// none; reverting to booked → never; rescheduling → always (future, same day, past). Nothing else sends
// an event update. The kind of the notice, or nothing.
std::optional<rendering::MessageKind> event_update_for(const EventChange& change);

} // namespace extcomm::events
