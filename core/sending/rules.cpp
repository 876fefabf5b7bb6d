#include <agency/channels.hpp>
#include <agency/settings_json.hpp> // ClientContext names
#include <sending/rules.hpp>

#include <algorithm>

namespace extcomm::sending {
namespace {

using agency::AgencySettings;
using agency::ChannelChoice;
using agency::Client;
using agency::Worker;
using rendering::MessageKind;

const char* channel_name(Channel channel) { return channel == Channel::email ? "email" : "SMS"; }
const char* address_name(Channel channel) { return channel == Channel::email ? "email address" : "mobile number"; }

// The address a decision names on a channel: the worker's, the client's consented one, the operator's email.
const std::string& address_of(const Worker& worker, Channel channel) { return worker.address(channel); }
const std::string& address_of(const Client& client, Channel channel) { return client.consent(channel).address; }
const std::string& address_of(const OperatorAddress& address, Channel channel) {
    static const std::string none;
    return channel == Channel::email ? address.email : none;
}

Recipient kind_of(const Worker&) { return Recipient::worker; }
Recipient kind_of(const Client&) { return Recipient::client; }
Recipient kind_of(const OperatorAddress&) { return Recipient::address; }
const std::string& id_of(const Worker& worker) { return worker.id; }
const std::string& id_of(const Client& client) { return client.id; }
const std::string& id_of(const OperatorAddress& address) { return address.email; }

template <typename Person>
Decision decision_for(const Person& person, std::optional<Channel> channel) {
    Decision d;
    d.recipient = kind_of(person);
    d.recipient_id = id_of(person);
    d.channel = channel;
    if (channel) d.to = address_of(person, *channel);
    return d;
}

template <typename Person>
Decision skipped(const Person& person, std::optional<Channel> channel, SkipReason reason, std::string text) {
    Decision d = decision_for(person, channel);
    d.reason = reason;
    d.reason_text = std::move(text);
    return d;
}

template <typename Person>
Decision to_send(const Person& person, Channel channel) {
    Decision d = decision_for(person, channel);
    d.sent = true;
    return d;
}

// Whether the agency can send on a channel at all (the Email and SMS sections), on `transport`.
std::optional<Decision> unavailable(const AgencySettings& settings, const Decision& d, Channel channel,
                                    const std::string& transport) {
    const bool enabled = channel == Channel::email ? settings.email.enabled : settings.sms.enabled;
    Decision out = d;
    if (!enabled) {
        out.reason = SkipReason::channel_disabled;
        out.reason_text = std::string(channel_name(channel)) + " is not enabled for the agency";
    } else if (transport.empty()) {
        out.reason = SkipReason::no_transport;
        out.reason_text = std::string(channel_name(channel)) + " is enabled but no transport is set for it";
    } else {
        return std::nullopt;
    }
    return out;
}

// Per channel, once the person-wide rules passed: the agency can send on it and the worker has an address.
Decision worker_on(const AgencySettings& settings, const Intent& intent, const Worker& worker, Channel channel) {
    if (auto no = unavailable(settings, decision_for(worker, channel), channel, transport_of(settings, intent, channel)))
        return *no;
    if (worker.address(channel).empty())
        return skipped(worker, channel, SkipReason::no_address, std::string("the worker has no ") + address_name(channel));
    return to_send(worker, channel);
}

// What the worker's message settings choose for this message, and how to say it.
struct WorkerChoice {
    ChannelChoice channels = ChannelChoice::none;
    std::string what; // "event notifications", "Alert messages"
};

WorkerChoice choice_of(const Intent& intent, const Worker& worker) {
    const auto& mine = worker.message_settings;
    if (rendering::is_collaboration(intent.kind)) {
        const auto* facts = std::get_if<rendering::CollaborationFacts>(&intent.facts);
        const auto type = facts ? facts->type : rendering::detail_type_of(intent.kind).value_or(rendering::CollaborationType::notification);
        return {mine.channel(type), std::string(rendering::display_name(type)) + " messages"};
    }
    return {mine.event_notifications, "event notifications"};
}

// The collaboration type whose detail level governs this message, if any.
std::optional<rendering::CollaborationType> governing_type(const Intent& intent) {
    if (const auto* facts = std::get_if<rendering::CollaborationFacts>(&intent.facts)) return facts->type;
    return rendering::detail_type_of(intent.kind);
}

// The kind's own Worker Delivery setting, when it has one that is off.
std::optional<std::string> worker_setting_off(const AgencySettings& settings, MessageKind kind) {
    const auto& delivery = settings.worker_delivery;
    if (kind == MessageKind::last_minute_booking && delivery.last_minute_booking_hours <= 0)
        return "the agency does not notify workers of last-minute bookings "
               "(Worker Delivery > last_minute_booking_hours is 0)";
    if (kind == MessageKind::no_show && !delivery.notify_no_show)
        return "the agency does not notify workers of no-shows (Worker Delivery > notify_no_show is off)";
    return std::nullopt;
}

std::vector<Decision> to_worker(const AgencySettings& settings, const Intent& intent, const Worker& worker) {
    if (!settings.worker_delivery.enabled)
        return {skipped(worker, std::nullopt, SkipReason::worker_delivery_disabled,
                        "Worker Delivery is disabled for the agency")};
    if (auto off = worker_setting_off(settings, intent.kind))
        return {skipped(worker, std::nullopt, SkipReason::setting_off, *off)};
    if (auto type = governing_type(intent);
        type && settings.worker_delivery.detail_levels[static_cast<std::size_t>(*type)] == rendering::DetailLevel::disallow)
        return {skipped(worker, std::nullopt, SkipReason::detail_level_disallow,
                        "the agency's Delivery Details disallow " + std::string(rendering::display_name(*type)) +
                            " messages")};
    const WorkerChoice choice = choice_of(intent, worker);
    if (choice.channels == ChannelChoice::none)
        return {skipped(worker, std::nullopt, SkipReason::not_chosen,
                        "the worker's message settings receive " + choice.what + " on no channel")};
    if (worker.message_settings.only_when_offline && worker.presence.online)
        return {skipped(worker, std::nullopt, SkipReason::online,
                        "the worker is logged in and receives messages only when not logged in")};
    std::vector<Decision> out;
    for (Channel channel : agency::channels_of(choice.channels)) out.push_back(worker_on(settings, intent, worker, channel));
    return out;
}

// A verification code: the worker asked for it, so only the agency's channels and the worker's address
// (on the one channel the code was asked for, when the intent names it). A limit alert is a notice to
// staff about accounts: by email.
std::vector<Decision> code_to_worker(const AgencySettings& settings, const Intent& intent, const Worker& worker) {
    if (intent.kind == MessageKind::verification_limit_alert) return {worker_on(settings, intent, worker, Channel::email)};
    if (intent.channel) return {worker_on(settings, intent, worker, *intent.channel)};
    std::vector<Decision> out;
    for (Channel channel : {Channel::email, Channel::sms}) out.push_back(worker_on(settings, intent, worker, channel));
    return out;
}

// The client communications staff start (Client Delivery > Client Communications governs where from).
bool started_by_staff(MessageKind kind) {
    return kind == MessageKind::client_message || kind == MessageKind::client_discussion;
}

// The setting that must be on for a message to a client, when it is off.
std::optional<Decision> client_refusal(const AgencySettings& settings, const Intent& intent, const Client& client) {
    const auto& delivery = settings.client_delivery;
    auto refuse = [&](SkipReason reason, std::string text) {
        return std::optional<Decision>(skipped(client, intent.channel, reason, std::move(text)));
    };
    if (!delivery.enabled) return refuse(SkipReason::client_delivery_disabled, "Client Delivery is disabled for the agency");
    // Only kinds that go to clients come here (decide checks recipient_of first).
    const MessageKind kind = intent.kind;
    if (kind == MessageKind::booking_notice && !delivery.send_booking_notification)
        return refuse(SkipReason::setting_off,
                      "the agency does not send booking notifications (Client Delivery > Event Updates)");
    if (kind == MessageKind::reschedule_notice && !delivery.send_reschedule_notification)
        return refuse(SkipReason::setting_off,
                      "the agency does not send reschedule notifications (Client Delivery > Event Updates)");
    if ((kind == MessageKind::confirmation || kind == MessageKind::confirmation_with_link) && !delivery.confirmation.enabled)
        return refuse(SkipReason::setting_off,
                      "the agency does not send event confirmations (Client Delivery > Event Confirmation)");
    const auto context = intent.context.value_or(agency::ClientContext::profile);
    if (started_by_staff(kind) && !delivery.contexts.contains(context))
        return refuse(SkipReason::context_not_allowed,
                      "the agency does not allow staff to start client messages from '" +
                          std::string(agency::to_string(context)) + "' (Client Delivery > Client Communications)");
    return std::nullopt;
}

std::vector<Decision> to_client(const AgencySettings& settings, const Intent& intent, const Client& client) {
    if (auto refusal = client_refusal(settings, intent, client)) return {*refusal};
    std::vector<Channel> channels =
        intent.channel ? std::vector<Channel>{*intent.channel} : std::vector<Channel>{Channel::email, Channel::sms};
    std::vector<Decision> out;
    for (Channel channel : channels) {
        const agency::Consent& consent = client.consent(channel);
        const std::string name = channel_name(channel);
        if (auto no = unavailable(settings, decision_for(client, channel), channel, transport_of(settings, intent, channel)))
            out.push_back(*no);
        else if (!consent.given())
            out.push_back(skipped(client, channel, SkipReason::no_consent,
                                  "the client has not consented to " + name + " (" + name + " communication via is blank)"));
        // Automated messages about an event only for events booked after the client consented.
        else if (intent.booked_at != 0 && consent.consented_at >= intent.booked_at)
            out.push_back(skipped(client, channel, SkipReason::consent_after_booking,
                                  "the client consented to " + name + " only after the event was booked"));
        else
            out.push_back(to_send(client, channel));
    }
    return out;
}

template <typename Person>
std::vector<Decision> digest_to(const Person& person) {
    Decision d = decision_for(person, Channel::email);
    if (d.to.empty()) return {skipped(person, Channel::email, SkipReason::no_address, "no email address")};
    d.sent = true;
    return {d};
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

Decision wrong_recipient(const Intent& intent, const Addressee& recipient, Recipient is) {
    Decision d = std::visit([](const auto& person) { return decision_for(person, std::nullopt); }, recipient);
    d.reason = SkipReason::not_chosen;
    d.reason_text = "a " + std::string(rendering::to_string(intent.kind)) + " message does not go to a" +
                    (is == Recipient::address ? "n " : " ") + std::string(to_string(is));
    return d;
}

} // namespace

const std::string& transport_of(const AgencySettings& settings, const Intent& intent, Channel channel) {
    if (!intent.transport.empty()) return intent.transport;
    const auto& email = settings.email;
    const bool authentication =
        intent.kind == MessageKind::verification_code || intent.kind == MessageKind::verification_limit_alert;
    if (channel == Channel::email && authentication && !email.authentication_uses_standard)
        return email.authentication_transport;
    return agency::transport_for(settings, channel);
}

std::optional<Refusal> refusal_of(const Intent& intent, const std::vector<Decision>& decisions) {
    if (!started_by_staff(intent.kind) || decisions.empty()) return std::nullopt;
    Refusal out;
    out.reason = decisions.front().reason.value_or(SkipReason::not_chosen);
    for (const Decision& d : decisions) {
        if (d.sent) return std::nullopt;
        out.mixed |= d.reason != decisions.front().reason;
        out.text += (out.text.empty() ? "" : "; ") + d.reason_text;
    }
    return out;
}

Recipient recipient_of(MessageKind kind) { return rendering::to_client(kind) ? Recipient::client : Recipient::worker; }

std::vector<Decision> decide(const AgencySettings& settings, const Intent& intent, const Addressee& recipient) {
    if (intent.withheld)
        return {std::visit(
            [&](const auto& person) { return skipped(person, std::nullopt, intent.withheld->reason, intent.withheld->text); },
            recipient)};
    if (intent.kind == MessageKind::error_notice_digest)
        return std::visit([](const auto& person) { return digest_to(person); }, recipient);
    if (const auto* worker = std::get_if<Worker>(&recipient)) {
        if (recipient_of(intent.kind) != Recipient::worker) return {wrong_recipient(intent, recipient, Recipient::worker)};
        if (intent.kind == MessageKind::verification_code || intent.kind == MessageKind::verification_limit_alert)
            return code_to_worker(settings, intent, *worker);
        return to_worker(settings, intent, *worker);
    }
    if (const auto* client = std::get_if<Client>(&recipient)) {
        if (recipient_of(intent.kind) != Recipient::client) return {wrong_recipient(intent, recipient, Recipient::client)};
        return to_client(settings, intent, *client);
    }
    return {wrong_recipient(intent, recipient, Recipient::address)};
}

Decision decision_on(const AgencySettings& settings, const Intent& intent, const Addressee& recipient, Channel channel) {
    std::vector<Decision> decisions = decide(settings, intent, recipient);
    Decision not_chosen = std::visit([&](const auto& person) { return decision_for(person, channel); }, recipient);
    not_chosen.reason = SkipReason::not_chosen;
    if (const auto* worker = std::get_if<Worker>(&recipient)) {
        const WorkerChoice choice = choice_of(intent, *worker);
        not_chosen.reason_text = "the worker's message settings receive " + choice.what + " " + choice_words(choice.channels);
    }
    Decision picked = not_chosen;
    if (auto it = std::find_if(decisions.begin(), decisions.end(), [&](const Decision& d) { return d.channel == channel; });
        it != decisions.end())
        picked = std::move(*it);
    else if (auto all = std::find_if(decisions.begin(), decisions.end(), [](const Decision& d) { return !d.channel; });
             all != decisions.end()) {
        picked = std::move(*all);
        picked.channel = channel;
        picked.to = not_chosen.to;
    }
    // A reminder is planned only for a worker who set how long before (events/schedules.hpp).
    const auto* worker = std::get_if<Worker>(&recipient);
    if (picked.sent && worker && intent.kind == MessageKind::worker_reminder &&
        worker->message_settings.reminder_minutes <= 0 && worker->message_settings.first_event_reminder_minutes <= 0) {
        not_chosen.reason_text = "the worker has set no reminder (reminder_minutes and first_event_reminder_minutes are 0)";
        return not_chosen;
    }
    return picked;
}

} // namespace extcomm::sending
