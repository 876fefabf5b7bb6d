#include <common/enum_names.hpp>
#include <events/service_event.hpp>

namespace extcomm::events {

namespace {

constexpr EnumNames<EventStatus, 5> kStatusNames{{"booked", "cancelled", "no-show", "arrived", "completed"}};

} // namespace

std::string_view to_string(EventStatus status) { return kStatusNames(status); }
std::optional<EventStatus> event_status_from(std::string_view name) { return kStatusNames.parse(name); }

const std::string& ServiceEvent::primary_worker() const {
    static const std::string none;
    for (const auto& w : workers)
        if (w.primary) return w.id;
    return workers.empty() ? none : workers.front().id;
}

} // namespace extcomm::events
