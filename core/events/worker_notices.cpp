#include <events/worker_notices.hpp>

namespace extcomm::events {
namespace {

constexpr TimeMs kHour = 3'600'000;

} // namespace

std::string_view to_string(WorkerNoticeSkip skip) {
    switch (skip) {
    case WorkerNoticeSkip::setting_off: return "setting-off";
    case WorkerNoticeSkip::not_within: return "not-within";
    case WorkerNoticeSkip::group_event: return "group-event";
    }
    return "setting-off";
}

WorkerNoticeCall worker_notice_for(const agency::AgencySettings& settings, const EventChange& change,
                                   const ServiceEvent& event, TimeMs now) {
    const auto& delivery = settings.worker_delivery;
    WorkerNoticeCall call;
    if (change.what == Happening::booked) {
        const TimeMs within = static_cast<TimeMs>(delivery.last_minute_booking_hours) * kHour;
        if (within <= 0) call.skipped = WorkerNoticeSkip::setting_off;
        // Booked when its start was at most X hours away, and still to come (a notice about an event
        // that has started tells the worker nothing they can act on).
        else if (event.start <= now || event.start - event.booked_at > within)
            call.skipped = WorkerNoticeSkip::not_within;
        else call.kind = rendering::MessageKind::last_minute_booking;
    } else if (change.what == Happening::marked_no_show) {
        if (event.group) call.skipped = WorkerNoticeSkip::group_event;
        else if (!delivery.notify_no_show) call.skipped = WorkerNoticeSkip::setting_off;
        else call.kind = rendering::MessageKind::no_show;
    }
    return call;
}

} // namespace extcomm::events
