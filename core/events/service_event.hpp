#pragma once
// A service event (an appointment) as Penelope sends it: when, its status, who takes part, where, and
// when it was booked. Plain values; event_change.* decides what an update means, schedules.* what it
// schedules, service_event_store.* keeps it.
#include <common/clock.hpp>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace extcomm::events {

enum class EventStatus { booked, cancelled, no_show, arrived, completed };

std::string_view to_string(EventStatus status); // "booked", "cancelled", "no-show", "arrived", "completed"
std::optional<EventStatus> event_status_from(std::string_view name);

struct Participant {
    std::string id;
    bool primary = false;
};

struct ServiceEvent {
    std::string id;
    TimeMs start = 0;              // UTC
    TimeMs end = 0;                // UTC
    int start_offset_minutes = 0;  // the offset the start was given with (+600 for +10:00)
    int end_offset_minutes = 0;
    EventStatus status = EventStatus::booked;
    std::vector<Participant> workers; // exactly one primary
    std::vector<Participant> clients; // exactly one primary
    std::string site;                 // site id; "" = none
    std::string location;             // room or address within the site; "" = none
    std::string service_file;         // "" = none
    bool first_event = false;         // the first event of its service file
    bool group = false;               // a group event
    TimeMs booked_at = 0;             // UTC: consent must predate it

    // The primary worker's id ("" when there is none).
    const std::string& primary_worker() const;
};

} // namespace extcomm::events
