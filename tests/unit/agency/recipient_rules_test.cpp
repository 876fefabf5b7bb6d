// The rules of recipient_rules.hpp: event notifications to workers, automated event messages to clients,
// verification codes, and the one-channel decision POST /v1/preview answers with.
#include <agency/recipient_rules.hpp>

#include <gtest/gtest.h>

namespace extcomm::agency {
namespace {

using rendering::CollaborationType;
using rendering::DetailLevel;
using rendering::MessageKind;

AgencySettings everything_on() {
    AgencySettings s;
    s.email.enabled = true;
    s.email.transport = "mail";
    s.sms.enabled = true;
    s.sms.transport = "sms";
    s.worker_delivery.enabled = true;
    s.worker_delivery.last_minute_booking_hours = 4;
    s.worker_delivery.notify_no_show = true;
    s.client_delivery.enabled = true;
    s.client_delivery.send_booking_notification = true;
    s.client_delivery.send_reschedule_notification = true;
    s.client_delivery.confirmation.enabled = true;
    s.client_delivery.contexts = {ClientContext::profile};
    return s;
}

Worker ana(ChannelChoice events = ChannelChoice::both) {
    Worker w;
    w.id = "ana";
    w.first_name = "Ana";
    w.email = "ana@example.org";
    w.mobile = "+61491570156";
    w.message_settings.event_notifications = events;
    w.message_settings.reminder_minutes = 30;
    return w;
}

Client kim(bool email_consent = true, bool sms_consent = false) {
    Client c;
    c.id = "kim";
    c.name = "Kim";
    c.contacts = {{"home", Channel::email, "kim@example.org", true}, {"mob", Channel::sms, "+61491570157", true}};
    if (email_consent) c.email = {"home", "kim@example.org", 1000};
    if (sms_consent) c.sms = {"mob", "+61491570157", 1000};
    return c;
}

std::string reason_of(const Decision& d) { return d.reason ? std::string(to_string(*d.reason)) : "sent"; }

TEST(RecipientRules, EachKindHasItsRecipient) {
    EXPECT_EQ(recipient_of(MessageKind::collaboration_message), Recipient::worker);
    EXPECT_EQ(recipient_of(MessageKind::worker_reminder), Recipient::worker);
    EXPECT_EQ(recipient_of(MessageKind::verification_code), Recipient::worker);
    EXPECT_EQ(recipient_of(MessageKind::booking_notice), Recipient::client);
    EXPECT_EQ(recipient_of(MessageKind::confirmation_with_link), Recipient::client);
    EXPECT_EQ(recipient_of(MessageKind::client_message), Recipient::client);
    EXPECT_FALSE(recipient_of(MessageKind::error_notice_digest));
}

TEST(RecipientRules, WorkerEventNotificationsFollowTheAgencyThenTheWorker) {
    AgencySettings s = everything_on();
    auto d = decide_worker_event_notification(s, ana(), MessageKind::worker_reminder);
    ASSERT_EQ(d.size(), 2u);
    EXPECT_EQ((reason_of(d[0]) + " " + d[0].to), "sent ana@example.org");
    EXPECT_EQ((reason_of(d[1]) + " " + d[1].to), "sent +61491570156");

    s.worker_delivery.enabled = false;
    d = decide_worker_event_notification(s, ana(), MessageKind::worker_reminder);
    ASSERT_EQ(d.size(), 1u);
    EXPECT_EQ(reason_of(d[0]), "worker-delivery-disabled");

    s = everything_on();
    s.worker_delivery.last_minute_booking_hours = 0;
    EXPECT_EQ(reason_of(decide_worker_event_notification(s, ana(), MessageKind::last_minute_booking)[0]), "setting-off");
    s.worker_delivery.notify_no_show = false;
    EXPECT_EQ(reason_of(decide_worker_event_notification(s, ana(), MessageKind::no_show)[0]), "setting-off");
    EXPECT_EQ(reason_of(decide_worker_event_notification(s, ana(), MessageKind::worker_reminder)[0]), "sent");

    EXPECT_EQ(reason_of(decide_worker_event_notification(everything_on(), ana(ChannelChoice::none),
                                                         MessageKind::worker_reminder)[0]),
              "not-chosen");

    Worker online = ana();
    online.message_settings.only_when_offline = true;
    online.presence.online = true;
    EXPECT_EQ(reason_of(decide_worker_event_notification(everything_on(), online, MessageKind::no_show)[0]), "online");

    Worker no_mobile = ana(ChannelChoice::sms);
    no_mobile.mobile.clear();
    s = everything_on();
    d = decide_worker_event_notification(s, no_mobile, MessageKind::worker_reminder);
    ASSERT_EQ(d.size(), 1u);
    EXPECT_EQ(reason_of(d[0]), "no-address");
    s.sms.enabled = false;
    EXPECT_EQ(reason_of(decide_worker_event_notification(s, ana(ChannelChoice::sms), MessageKind::worker_reminder)[0]),
              "channel-disabled");
}

TEST(RecipientRules, ClientEventMessagesNeedTheSettingAndConsent) {
    AgencySettings s = everything_on();
    auto d = decide_client_event_message(s, kim(true, false), MessageKind::booking_notice);
    ASSERT_EQ(d.size(), 2u);
    EXPECT_EQ(reason_of(d[0]) + " " + d[0].to, "sent kim@example.org");
    EXPECT_EQ(reason_of(d[1]), "no-consent");
    EXPECT_NE(d[1].reason_text.find("SMS communication via is blank"), std::string::npos);

    struct Off {
        MessageKind kind;
        void (*off)(AgencySettings&);
        const char* reason;
    };
    const Off offs[] = {
        {MessageKind::booking_notice, [](AgencySettings& a) { a.client_delivery.enabled = false; }, "client-delivery-disabled"},
        {MessageKind::booking_notice, [](AgencySettings& a) { a.client_delivery.send_booking_notification = false; }, "setting-off"},
        {MessageKind::reschedule_notice, [](AgencySettings& a) { a.client_delivery.send_reschedule_notification = false; }, "setting-off"},
        {MessageKind::confirmation, [](AgencySettings& a) { a.client_delivery.confirmation.enabled = false; }, "setting-off"},
        {MessageKind::confirmation_with_link, [](AgencySettings& a) { a.client_delivery.confirmation.enabled = false; }, "setting-off"},
    };
    for (const auto& o : offs) {
        AgencySettings off = everything_on();
        o.off(off);
        d = decide_client_event_message(off, kim(), o.kind);
        ASSERT_EQ(d.size(), 1u) << to_string(o.kind);
        EXPECT_FALSE(d[0].channel);
        EXPECT_EQ(reason_of(d[0]), o.reason) << to_string(o.kind);
        EXPECT_FALSE(d[0].reason_text.empty());
    }
    // The booking setting does not stop a reschedule notice.
    s.client_delivery.send_booking_notification = false;
    EXPECT_EQ(reason_of(decide_client_event_message(s, kim(), MessageKind::reschedule_notice)[0]), "sent");
    s.email.transport.clear();
    EXPECT_EQ(reason_of(decide_client_event_message(s, kim(), MessageKind::reschedule_notice)[0]), "no-transport");
}

TEST(RecipientRules, VerificationCodesUseTheAuthenticationTransport) {
    AgencySettings s = everything_on();
    s.email.authentication_uses_standard = false;
    auto d = decide_verification_code(s, ana());
    ASSERT_EQ(d.size(), 2u);
    EXPECT_EQ(reason_of(d[0]), "no-transport"); // its own transport, not set
    EXPECT_EQ(reason_of(d[1]), "sent");
    s.email.authentication_transport = "auth-mail";
    EXPECT_EQ(reason_of(decide_verification_code(s, ana())[0]), "sent");
    // Presence and personal settings do not apply: the worker asked for the code.
    Worker online = ana(ChannelChoice::none);
    online.message_settings.only_when_offline = true;
    online.presence.online = true;
    EXPECT_EQ(reason_of(decide_verification_code(s, online)[0]), "sent");
}

TEST(RecipientRules, OneChannelForAWorker) {
    AgencySettings s = everything_on();
    Worker w = ana();
    w.message_settings.set_channel(CollaborationType::alert, ChannelChoice::email);
    auto d = decide_for_channel(s, w, MessageKind::collaboration_message, Channel::email, CollaborationType::alert);
    EXPECT_EQ(reason_of(d) + " " + d.to, "sent ana@example.org");
    // A channel the worker's settings do not name for the type.
    d = decide_for_channel(s, w, MessageKind::collaboration_message, Channel::sms, CollaborationType::alert);
    EXPECT_EQ(reason_of(d) + " " + d.to, "not-chosen +61491570156");
    EXPECT_EQ(d.channel, Channel::sms);
    EXPECT_NE(d.reason_text.find("Alert messages by email only"), std::string::npos) << d.reason_text;
    // A reason that holds for every channel is given for this one, with the address.
    s.worker_delivery.detail_levels[static_cast<std::size_t>(CollaborationType::alert)] = DetailLevel::disallow;
    d = decide_for_channel(s, w, MessageKind::collaboration_message, Channel::email, CollaborationType::alert);
    EXPECT_EQ(reason_of(d) + " " + d.to, "detail-level-disallow ana@example.org");
    EXPECT_EQ(d.channel, Channel::email);
    s.worker_delivery.detail_levels[static_cast<std::size_t>(CollaborationType::alert)] = DetailLevel::subject_only;
    EXPECT_TRUE(decide_for_channel(s, w, MessageKind::collaboration_message, Channel::email, CollaborationType::alert).sent);
    w.message_settings.only_when_offline = true;
    w.presence.online = true;
    EXPECT_EQ(reason_of(decide_for_channel(s, w, MessageKind::collaboration_message, Channel::email,
                                           CollaborationType::alert)),
              "online");

    // A reminder is only for a worker who set one.
    Worker none = ana();
    none.message_settings.reminder_minutes = 0;
    d = decide_for_channel(everything_on(), none, MessageKind::worker_reminder, Channel::email, CollaborationType::alert);
    EXPECT_EQ(reason_of(d), "not-chosen");
    none.message_settings.first_event_reminder_minutes = 1440;
    EXPECT_TRUE(decide_for_channel(everything_on(), none, MessageKind::worker_reminder, Channel::email,
                                   CollaborationType::alert)
                    .sent);
    // A client's kind for a worker is never sent.
    EXPECT_FALSE(decide_for_channel(everything_on(), ana(), MessageKind::booking_notice, Channel::email,
                                    CollaborationType::alert)
                     .sent);
}

TEST(RecipientRules, OneChannelForAClient) {
    AgencySettings s = everything_on();
    auto d = decide_for_channel(s, kim(true, false), MessageKind::client_message, Channel::email, ClientContext::profile);
    EXPECT_EQ(reason_of(d) + " " + d.to, "sent kim@example.org");
    d = decide_for_channel(s, kim(true, false), MessageKind::client_message, Channel::sms, ClientContext::profile);
    EXPECT_EQ(reason_of(d), "no-consent");
    EXPECT_EQ(d.to, ""); // no consented address
    d = decide_for_channel(s, kim(), MessageKind::client_message, Channel::email, ClientContext::group_event);
    EXPECT_EQ(reason_of(d), "context-not-allowed");
    EXPECT_EQ(d.channel, Channel::email);
    d = decide_for_channel(s, kim(false, true), MessageKind::confirmation, Channel::sms, ClientContext::profile);
    EXPECT_EQ(reason_of(d) + " " + d.to, "sent +61491570157");
    s.client_delivery.enabled = false;
    d = decide_for_channel(s, kim(false, true), MessageKind::confirmation, Channel::sms, ClientContext::profile);
    EXPECT_EQ(reason_of(d) + " " + d.to, "client-delivery-disabled +61491570157");
}

} // namespace
} // namespace extcomm::agency
