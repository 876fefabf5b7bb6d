#include <events/event_update_log.hpp>

#include <Poco/UUIDGenerator.h>

namespace extcomm::events {
namespace {

agency::SkipReason skip_reason(NoticeSkip skip) {
    switch (skip) {
    case NoticeSkip::client_delivery_disabled: return agency::SkipReason::client_delivery_disabled;
    case NoticeSkip::channel_disabled: return agency::SkipReason::channel_disabled;
    case NoticeSkip::no_transport: return agency::SkipReason::no_transport;
    case NoticeSkip::no_consent: return agency::SkipReason::no_consent;
    case NoticeSkip::consent_after_booking: return agency::SkipReason::consent_after_booking;
    case NoticeSkip::setting_off:
    case NoticeSkip::no_event_update: break;
    }
    return agency::SkipReason::setting_off;
}

std::string reason_text(NoticeSkip skip, Channel channel) {
    const std::string name = channel == Channel::email ? "email" : "SMS";
    switch (skip) {
    case NoticeSkip::client_delivery_disabled: return "Client Delivery is off";
    case NoticeSkip::setting_off: return "this Event Updates notification is off";
    case NoticeSkip::channel_disabled: return name + " is not enabled for the agency";
    case NoticeSkip::no_transport: return name + " is enabled without a transport";
    case NoticeSkip::no_consent: return "the client has not consented to " + name;
    case NoticeSkip::consent_after_booking:
        return "the client consented to " + name + " only after the event was booked";
    case NoticeSkip::no_event_update: break;
    }
    return "the table of event updates sends nothing for this change";
}

} // namespace

void record_event_update(agency::DecisionLog& log, Database::Connection& c, const ServiceEvent& event,
                         const NoticePlan& plan, const std::string& idempotency_key, TimeMs now) {
    if (plan.update == EventUpdate::none) return;
    agency::MessageRequest request;
    request.id = Poco::UUIDGenerator::defaultGenerator().createRandom().toString();
    request.kind = plan.update == EventUpdate::booking_notice ? "booking-notice" : "reschedule-notice";
    request.about = event.id;
    request.created_at = now;
    if (log.insert_request(c, request, idempotency_key)) return; // recorded when this change first came

    std::vector<agency::Decision> decisions;
    auto decision = [&](const std::string& client) {
        agency::Decision d;
        d.request_id = request.id;
        d.recipient = agency::Recipient::client;
        d.recipient_id = client;
        d.decided_at = now;
        return d;
    };
    if (plan.skipped) { // nobody could get it: one decision per client, for every channel
        for (const auto& p : event.clients) {
            agency::Decision d = decision(p.id);
            d.reason = skip_reason(*plan.skipped);
            d.reason_text = reason_text(*plan.skipped, Channel::email);
            decisions.push_back(std::move(d));
        }
    }
    for (const NoticeDecision& n : plan.decisions) {
        agency::Decision d = decision(n.client);
        d.channel = n.channel;
        d.to = n.to;
        d.sent = n.sent && !n.message_id.empty();
        d.message_id = n.message_id;
        if (n.sent && n.message_id.empty()) {
            d.reason = agency::SkipReason::render_failed;
            d.reason_text = "the message could not be rendered (see the service log)";
        } else if (!n.sent && n.reason) {
            d.reason = skip_reason(*n.reason);
            d.reason_text = reason_text(*n.reason, n.channel);
        }
        decisions.push_back(std::move(d));
    }
    log.insert(c, decisions);
}

} // namespace extcomm::events
