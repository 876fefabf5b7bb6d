#include <common/enum_names.hpp>
#include <events/event_change.hpp>
#include <rendering/local_time.hpp>

#include <date/tz.h>

#include <chrono>
#include <string>

namespace extcomm::events {
namespace {

using rendering::zone_or_utc;

date::local_days local_day(TimeMs at, const date::time_zone* tz) {
    using namespace std::chrono;
    return date::floor<date::days>(tz->to_local(sys_time<milliseconds>{milliseconds{at}}));
}

} // namespace

constexpr EnumNames<Happening, 6> kHappeningNames{
    {"nothing", "booked", "rescheduled", "reverted-to-booked", "cancelled", "marked-no-show"}};

constexpr EnumNames<EventTiming, 3> kTimingNames{{"future", "past-same-day", "past"}};

std::string_view to_string(Happening happening) { return kHappeningNames(happening); }
std::string_view to_string(EventTiming timing) { return kTimingNames(timing); }

EventTiming event_timing(TimeMs start, TimeMs now, std::string_view zone) {
    if (start > now) return EventTiming::future;
    const date::time_zone* tz = zone_or_utc(zone);
    return local_day(start, tz) == local_day(now, tz) ? EventTiming::past_same_day : EventTiming::past;
}

EventChange what_happened(const std::optional<ServiceEvent>& previous, const ServiceEvent& current, TimeMs now,
                          std::string_view zone) {
    EventChange change;
    change.when = event_timing(current.start, now, zone);
    const bool booked = current.status == EventStatus::booked;
    if (!previous) {
        if (booked) change.what = Happening::booked;
        else if (current.status == EventStatus::cancelled) change.what = Happening::nothing;
        else if (current.status == EventStatus::no_show) change.what = Happening::marked_no_show;
        return change;
    }
    if (booked && previous->status != EventStatus::booked) {
        change.what = Happening::reverted_to_booked;
    } else if (booked && (previous->start != current.start || previous->end != current.end)) {
        change.what = Happening::rescheduled;
        change.original_start = previous->start;
    } else if (current.status == EventStatus::cancelled && previous->status != EventStatus::cancelled) {
        change.what = Happening::cancelled;
    } else if (current.status == EventStatus::no_show && previous->status != EventStatus::no_show) {
        change.what = Happening::marked_no_show;
    }
    return change;
}

std::optional<rendering::MessageKind> event_update_for(const EventChange& change) {
    switch (change.what) {
    case Happening::booked:
        if (change.when == EventTiming::future) return rendering::MessageKind::booking_notice;
        return std::nullopt;
    case Happening::rescheduled: return rendering::MessageKind::reschedule_notice;
    case Happening::nothing:
    case Happening::reverted_to_booked:
    case Happening::cancelled:
    case Happening::marked_no_show: return std::nullopt;
    }
    return std::nullopt;
}

} // namespace extcomm::events
