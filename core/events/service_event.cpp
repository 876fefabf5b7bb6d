#include <common/enum_names.hpp>
#include <events/service_event.hpp>

namespace extcomm::events {

namespace {

constexpr EnumName<EventStatus> kStatusNames[] = {
    {EventStatus::booked, "booked"},   {EventStatus::cancelled, "cancelled"}, {EventStatus::no_show, "no-show"},
    {EventStatus::arrived, "arrived"}, {EventStatus::completed, "completed"},
};

} // namespace

std::string_view to_string(EventStatus status) { return name_in(kStatusNames, status); }
std::optional<EventStatus> event_status_from(std::string_view name) { return value_in(kStatusNames, name); }

const std::string& ServiceEvent::primary_worker() const {
    static const std::string none;
    for (const auto& w : workers)
        if (w.primary) return w.id;
    return workers.empty() ? none : workers.front().id;
}

} // namespace extcomm::events
