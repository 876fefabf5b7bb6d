#pragma once
// Notices to workers about an event (Worker Delivery > Event Settings, feature-anchors §1): the
// last-minute booking notice ("Notify Worker of Event Booking where Booking is X hour(s) before the
// event") and the no-show notice ("Notify Worker of No Show (exclude groups)"), and the copy of a client's
// confirmation the confirmation's sender worker gets. Pure: whether an event change calls for a notice.
// Who gets it on which channel is agency::decide_worker_event_notification (recipient_rules.hpp), and
// worker_notice_batch.* sends it and records the decisions in the message log.
#include <agency/settings.hpp>
#include <events/event_change.hpp>
#include <rendering/message_kind.hpp>

#include <optional>
#include <string_view>

namespace extcomm::events {

// Why an event calls for no worker notice although something happened that could have.
enum class WorkerNoticeSkip {
    setting_off, // last_minute_booking_hours is 0 / notify_no_show is off
    not_within,  // booked, but not within the last-minute hours of its start (or its start has passed)
    group_event, // no-show notices are never sent for group events
};
std::string_view to_string(WorkerNoticeSkip skip); // "setting-off", "not-within", "group-event"

struct WorkerNoticeCall {
    std::optional<rendering::MessageKind> kind; // last_minute_booking or no_show; none: no notice
    std::optional<WorkerNoticeSkip> skipped;    // when a booking or no-show sends none, why
};

// A booking (first seen booked) of an event in the future, booked (booked_at) within
// worker_delivery.last_minute_booking_hours of its start → last-minute booking notice; marking a non-group
// event no-show with worker_delivery.notify_no_show on → no-show notice. Nothing else sends one.
WorkerNoticeCall worker_notice_for(const agency::AgencySettings& settings, const EventChange& change,
                                   const ServiceEvent& event, TimeMs now);

} // namespace extcomm::events
