#include <events/event_updates.hpp>

namespace extcomm::events {

std::string_view to_string(NoticeSkip skip) {
    switch (skip) {
    case NoticeSkip::no_event_update: return "no-event-update";
    case NoticeSkip::client_delivery_disabled: return "client-delivery-disabled";
    case NoticeSkip::setting_off: return "setting-off";
    case NoticeSkip::channel_disabled: return "channel-disabled";
    case NoticeSkip::no_transport: return "no-transport";
    case NoticeSkip::no_consent: return "no-consent";
    case NoticeSkip::consent_after_booking: return "consent-after-booking";
    }
    return "no-event-update";
}

std::optional<NoticeSkip> client_consent_skip(const agency::Client& client, Channel channel, const ServiceEvent& event) {
    const agency::Consent& consent = client.consent(channel);
    if (!consent.given()) return NoticeSkip::no_consent;
    if (consent.consented_at >= event.booked_at) return NoticeSkip::consent_after_booking;
    return std::nullopt;
}

NoticePlan decide_event_update(const agency::AgencySettings& settings, const EventChange& change,
                               const ServiceEvent& event, const std::vector<agency::Client>& clients) {
    NoticePlan plan;
    plan.update = event_update_for(change);
    if (plan.update == EventUpdate::none) {
        plan.skipped = NoticeSkip::no_event_update;
        return plan;
    }
    const auto& delivery = settings.client_delivery;
    if (!delivery.enabled) {
        plan.skipped = NoticeSkip::client_delivery_disabled;
        return plan;
    }
    bool setting = plan.update == EventUpdate::booking_notice ? delivery.send_booking_notification
                                                              : delivery.send_reschedule_notification;
    if (!setting) {
        plan.skipped = NoticeSkip::setting_off;
        return plan;
    }
    for (const agency::Client& client : clients) {
        for (Channel channel : {Channel::email, Channel::sms}) {
            NoticeDecision d;
            d.client = client.id;
            d.channel = channel;
            d.to = client.consent(channel).address;
            if (auto unavailable = agency::channel_unavailable(settings, channel))
                d.reason = unavailable->reason == agency::SkipReason::no_transport ? NoticeSkip::no_transport
                                                                                   : NoticeSkip::channel_disabled;
            else
                d.reason = client_consent_skip(client, channel, event);
            d.sent = !d.reason;
            plan.decisions.push_back(std::move(d));
        }
    }
    return plan;
}

} // namespace extcomm::events
