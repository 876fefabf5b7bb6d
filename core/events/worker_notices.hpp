#pragma once
// Whether an event change calls for a notice to the event's workers (Worker Delivery > Event Settings):
// the last-minute booking notice ("Notify Worker of Event Booking where Booking is X hour(s) before the
// event") and the no-show notice ("Notify Worker of No Show (exclude groups)"). Pure. Who gets it on
// which channel is the sending pipeline's (sending/rules.hpp).
#include <agency/settings.hpp>
#include <events/event_change.hpp>
#include <rendering/message_kind.hpp>
#include <sending/message_log.hpp>

#include <optional>

namespace extcomm::events {

struct WorkerNoticeCall {
    std::optional<rendering::MessageKind> kind;  // last_minute_booking or no_show; none: no notice
    std::optional<sending::SkipReason> skipped;  // when a booking or no-show sends none: setting_off,
                                                 // not_within or group_event
};

// A booking (first seen booked) of an event in the future, booked (booked_at) within
// worker_delivery.last_minute_booking_hours of its start → last-minute booking notice; marking a non-group
// event no-show with worker_delivery.notify_no_show on → no-show notice. Nothing else sends one.
WorkerNoticeCall worker_notice_for(const agency::AgencySettings& settings, const EventChange& change,
                                   const ServiceEvent& event, TimeMs now);

} // namespace extcomm::events
