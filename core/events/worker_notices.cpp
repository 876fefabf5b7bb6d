#include <events/worker_notices.hpp>

namespace extcomm::events {
namespace {

constexpr TimeMs kHour = 3'600'000;

} // namespace

WorkerNoticeCall worker_notice_for(const agency::AgencySettings& settings, const EventChange& change,
                                   const ServiceEvent& event, TimeMs now) {
    using sending::SkipReason;
    const auto& delivery = settings.worker_delivery;
    WorkerNoticeCall call;
    if (change.what == Happening::booked) {
        const TimeMs within = static_cast<TimeMs>(delivery.last_minute_booking_hours) * kHour;
        if (within <= 0) call.skipped = SkipReason::setting_off;
        // Booked when its start was at most X hours away, and still to come (a notice about an event
        // that has started tells the worker nothing they can act on).
        else if (event.start <= now || event.start - event.booked_at > within)
            call.skipped = SkipReason::not_within;
        else call.kind = rendering::MessageKind::last_minute_booking;
    } else if (change.what == Happening::marked_no_show) {
        if (event.group) call.skipped = SkipReason::group_event;
        else if (!delivery.notify_no_show) call.skipped = SkipReason::setting_off;
        else call.kind = rendering::MessageKind::no_show;
    }
    return call;
}

} // namespace extcomm::events
