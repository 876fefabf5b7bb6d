#pragma once
// Who gets an event update (booking or reschedule notice), on which channels, or why not. Pure.
//
// Only while the agency's Client Delivery and the matching Event Updates setting ("Send Event booking
// notification" / "… reschedule notification") are on; per client of the event and per channel: only where
// the agency can send on the channel, the client consented to it, and that consent was given before the
// event was booked (feature-anchors §1: automated messages only for events booked after consent).
#include <agency/channels.hpp>
#include <agency/people.hpp>
#include <agency/settings.hpp>
#include <events/event_change.hpp>

#include <string>
#include <string_view>
#include <vector>

namespace extcomm::events {

enum class NoticeSkip {
    no_event_update,          // the table sends nothing for this change
    client_delivery_disabled, // the agency's Client Delivery is off
    setting_off,              // Event Updates > Send Event booking/reschedule notification is off
    channel_disabled,         // the agency has not enabled the channel
    no_transport,             // enabled without a transport
    no_consent,               // the client has not consented to the channel
    consent_after_booking,    // consent was given when (or after) the event was booked
};
std::string_view to_string(NoticeSkip skip);

struct NoticeDecision {
    std::string client;
    Channel channel = Channel::email;
    bool sent = false;
    std::optional<NoticeSkip> reason; // when not sent
    std::string to;                   // the consented address
    std::string message_id;           // the outbox message, when sent (set by ServiceEvents::put)
};

struct NoticePlan {
    EventUpdate update = EventUpdate::none;
    std::vector<NoticeDecision> decisions; // empty when the whole notice is off (see `skipped`)
    std::optional<NoticeSkip> skipped;     // why nobody gets it, when nobody could
};

// `clients`: the event's clients as stored now (unknown ones left out by the caller).
NoticePlan decide_event_update(const agency::AgencySettings& settings, const EventChange& change,
                               const ServiceEvent& event, const std::vector<agency::Client>& clients);

// Whether `client` may get automated messages about `event` on `channel` (consented before the booking).
std::optional<NoticeSkip> client_consent_skip(const agency::Client& client, Channel channel, const ServiceEvent& event);

} // namespace extcomm::events
