#include <events/service_event.hpp>

namespace extcomm::events {

std::string_view to_string(EventStatus status) {
    switch (status) {
    case EventStatus::booked: return "booked";
    case EventStatus::cancelled: return "cancelled";
    case EventStatus::no_show: return "no-show";
    case EventStatus::arrived: return "arrived";
    case EventStatus::completed: return "completed";
    }
    return "booked";
}

std::optional<EventStatus> event_status_from(std::string_view name) {
    for (EventStatus s : {EventStatus::booked, EventStatus::cancelled, EventStatus::no_show, EventStatus::arrived,
                          EventStatus::completed})
        if (to_string(s) == name) return s;
    return std::nullopt;
}

const std::string& ServiceEvent::primary_worker() const {
    static const std::string none;
    for (const auto& w : workers)
        if (w.primary) return w.id;
    return workers.empty() ? none : workers.front().id;
}

} // namespace extcomm::events
