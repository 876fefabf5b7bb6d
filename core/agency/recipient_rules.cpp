#include <agency/channels.hpp>
#include <agency/person_decisions.hpp>
#include <agency/recipient_rules.hpp>

namespace extcomm::agency {
namespace {

using rendering::MessageKind;

const char* channel_name(Channel channel) { return channel == Channel::email ? "email" : "SMS"; }

// Per channel, once the person-wide rules passed: the agency can send on it, and the worker has an address.
Decision worker_on(const AgencySettings& settings, const Worker& worker, Channel channel) {
    if (auto unavailable = channel_unavailable(settings, channel))
        return skipped(worker, channel, unavailable->reason, unavailable->text);
    if (worker.address(channel).empty())
        return skipped(worker, channel, SkipReason::no_address, std::string("the worker has no ") + address_name(channel));
    Decision d = decision_for(worker, channel);
    d.sent = true;
    return d;
}

// The decision on `channel` among a person's decisions: that channel's, else one that holds for every
// channel (given the channel and its address here), else the person's settings do not name the channel.
Decision pick(std::vector<Decision> decisions, Channel channel, Decision not_chosen) {
    for (Decision& d : decisions)
        if (d.channel == channel) return std::move(d);
    for (Decision& d : decisions)
        if (!d.channel) {
            Decision out = std::move(d);
            out.channel = channel;
            out.to = not_chosen.to;
            return out;
        }
    return not_chosen;
}

std::string choice_words(ChannelChoice choice) {
    switch (choice) {
    case ChannelChoice::email: return "by email only";
    case ChannelChoice::sms: return "by SMS only";
    case ChannelChoice::both: return "by email and SMS";
    case ChannelChoice::none: break;
    }
    return "on no channel";
}

} // namespace

std::optional<Recipient> recipient_of(MessageKind kind) {
    // Listed, not a switch over every kind: a kind added later has no recipient rules until it is listed.
    for (MessageKind k : {MessageKind::booking_notice, MessageKind::reschedule_notice, MessageKind::confirmation,
                          MessageKind::confirmation_with_link, MessageKind::client_message})
        if (k == kind) return Recipient::client;
    for (MessageKind k : {MessageKind::worker_reminder, MessageKind::last_minute_booking, MessageKind::no_show,
                          MessageKind::client_confirmed, MessageKind::collaboration_message,
                          MessageKind::verification_code})
        if (k == kind) return Recipient::worker;
    return std::nullopt;
}

std::vector<Decision> decide_worker_event_notification(const AgencySettings& settings, const Worker& worker,
                                                       MessageKind kind) {
    const auto& delivery = settings.worker_delivery;
    if (!delivery.enabled)
        return {skipped(worker, std::nullopt, SkipReason::worker_delivery_disabled,
                            "Worker Delivery is disabled for the agency")};
    if (kind == MessageKind::last_minute_booking && delivery.last_minute_booking_hours <= 0)
        return {skipped(worker, std::nullopt, SkipReason::setting_off,
                            "the agency does not notify workers of last-minute bookings "
                            "(Worker Delivery > last_minute_booking_hours is 0)")};
    if (kind == MessageKind::no_show && !delivery.notify_no_show)
        return {skipped(worker, std::nullopt, SkipReason::setting_off,
                            "the agency does not notify workers of no-shows (Worker Delivery > notify_no_show is off)")};
    const auto& mine = worker.message_settings;
    if (mine.event_notifications == ChannelChoice::none)
        return {skipped(worker, std::nullopt, SkipReason::not_chosen,
                            "the worker's message settings receive event notifications on no channel")};
    if (mine.only_when_offline && worker.presence.online)
        return {skipped(worker, std::nullopt, SkipReason::online,
                            "the worker is logged in and receives messages only when not logged in")};
    std::vector<Decision> out;
    for (Channel channel : channels_of(mine.event_notifications)) out.push_back(worker_on(settings, worker, channel));
    return out;
}

std::vector<Decision> decide_client_event_message(const AgencySettings& settings, const Client& client, MessageKind kind) {
    const auto& delivery = settings.client_delivery;
    auto skip_all = [&](SkipReason reason, std::string text) {
        Decision d = decision_for(client, std::nullopt);
        d.reason = reason;
        d.reason_text = std::move(text);
        return std::vector<Decision>{std::move(d)};
    };
    if (!delivery.enabled) return skip_all(SkipReason::client_delivery_disabled, "Client Delivery is disabled for the agency");
    if (kind == MessageKind::booking_notice && !delivery.send_booking_notification)
        return skip_all(SkipReason::setting_off,
                        "the agency does not send booking notifications (Client Delivery > Event Updates)");
    if (kind == MessageKind::reschedule_notice && !delivery.send_reschedule_notification)
        return skip_all(SkipReason::setting_off,
                        "the agency does not send reschedule notifications (Client Delivery > Event Updates)");
    if ((kind == MessageKind::confirmation || kind == MessageKind::confirmation_with_link) && !delivery.confirmation.enabled)
        return skip_all(SkipReason::setting_off,
                        "the agency does not send event confirmations (Client Delivery > Event Confirmation)");
    std::vector<Decision> out;
    for (Channel channel : {Channel::email, Channel::sms}) {
        Decision d = decision_for(client, channel);
        if (auto unavailable = channel_unavailable(settings, channel)) {
            d.reason = unavailable->reason;
            d.reason_text = unavailable->text;
        } else if (!client.consent(channel).given()) {
            d.reason = SkipReason::no_consent;
            d.reason_text = std::string("the client has not consented to ") + channel_name(channel) + " (" +
                            channel_name(channel) + " communication via is blank)";
        } else {
            d.sent = true;
        }
        out.push_back(std::move(d));
    }
    return out;
}

std::vector<Decision> decide_verification_code(const AgencySettings& settings, const Worker& worker) {
    std::vector<Decision> out;
    // Email: the authentication transport, which is the standard one unless the agency set its own.
    {
        const auto& email = settings.email;
        const std::string& transport = email.authentication_uses_standard ? email.transport : email.authentication_transport;
        if (!email.enabled)
            out.push_back(skipped(worker, Channel::email, SkipReason::channel_disabled, "email is not enabled for the agency"));
        else if (transport.empty())
            out.push_back(skipped(worker, Channel::email, SkipReason::no_transport,
                                      "email is enabled but no transport is set for authentication email"));
        else if (worker.email.empty())
            out.push_back(skipped(worker, Channel::email, SkipReason::no_address, "the worker has no email address"));
        else {
            Decision d = decision_for(worker, Channel::email);
            d.sent = true;
            out.push_back(std::move(d));
        }
    }
    out.push_back(worker_on(settings, worker, Channel::sms));
    return out;
}

Decision decide_for_channel(const AgencySettings& settings, const Worker& worker, MessageKind kind, Channel channel,
                            rendering::CollaborationType type) {
    Decision not_chosen = skipped(worker, channel, SkipReason::not_chosen, "");
    switch (kind) {
    case MessageKind::collaboration_message: {
        ChannelChoice choice = worker.message_settings.channel(type);
        not_chosen.reason_text = "the worker's message settings receive " + std::string(rendering::display_name(type)) +
                                 " messages " + choice_words(choice);
        return pick(decide_worker_message(settings, worker, type), channel, std::move(not_chosen));
    }
    case MessageKind::worker_reminder:
    case MessageKind::last_minute_booking:
    case MessageKind::no_show:
    case MessageKind::client_confirmed: {
        not_chosen.reason_text = "the worker's message settings receive event notifications " +
                                 choice_words(worker.message_settings.event_notifications);
        Decision d = pick(decide_worker_event_notification(settings, worker, kind), channel, not_chosen);
        // A reminder is planned only for a worker who set how long before (schedules.hpp, plan_schedules).
        const auto& mine = worker.message_settings;
        if (d.sent && kind == MessageKind::worker_reminder && mine.reminder_minutes <= 0 &&
            mine.first_event_reminder_minutes <= 0) {
            not_chosen.reason_text = "the worker has set no reminder (reminder_minutes and "
                                     "first_event_reminder_minutes are 0)";
            return not_chosen;
        }
        return d;
    }
    case MessageKind::verification_code:
        return pick(decide_verification_code(settings, worker), channel, std::move(not_chosen));
    default:
        not_chosen.reason_text = "a " + std::string(rendering::to_string(kind)) + " message does not go to a worker";
        return not_chosen;
    }
}

Decision decide_for_channel(const AgencySettings& settings, const Client& client, MessageKind kind, Channel channel,
                            ClientContext context) {
    Decision fallback = decision_for(client, channel);
    fallback.reason = SkipReason::not_chosen;
    switch (kind) {
    case MessageKind::client_message:
        return pick(decide_client_message(settings, client, context, channel).decisions, channel, std::move(fallback));
    case MessageKind::booking_notice:
    case MessageKind::reschedule_notice:
    case MessageKind::confirmation:
    case MessageKind::confirmation_with_link:
        return pick(decide_client_event_message(settings, client, kind), channel, std::move(fallback));
    default:
        fallback.reason_text = "a " + std::string(rendering::to_string(kind)) + " message does not go to a client";
        return fallback;
    }
}

} // namespace extcomm::agency
