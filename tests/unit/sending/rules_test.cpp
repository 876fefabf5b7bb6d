// The sending pipeline's rules without a store (sending/rules.hpp), kind by kind: collaboration messages
// and event notifications to workers, client messages, automated event messages to clients (consent
// before the booking), verification codes, error-notice digests, and the one-channel decision
// POST /v1/preview answers with.
#include <sending/rules.hpp>

#include <gtest/gtest.h>

namespace extcomm::sending {
namespace {

using agency::AgencySettings;
using agency::ChannelChoice;
using agency::Client;
using agency::ClientContext;
using agency::Consent;
using agency::Worker;
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
    s.client_delivery.contexts = {ClientContext::profile, ClientContext::service_file};
    return s;
}

void set_level(AgencySettings& s, CollaborationType type, DetailLevel level) {
    s.worker_delivery.detail_levels[static_cast<std::size_t>(type)] = level;
}

// Sam receives Alert messages on the channels given; Ana event notifications (and has a reminder set).
Worker sam(ChannelChoice alerts = ChannelChoice::both) {
    Worker w;
    w.id = "sam";
    w.first_name = "Sam";
    w.email = "sam@example.org";
    w.mobile = "+61491570156";
    w.message_settings.set_channel(CollaborationType::alert, alerts);
    return w;
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

Client jo(bool email_consent, bool sms_consent) {
    Client c;
    c.id = "jo";
    c.name = "Jo";
    if (email_consent) c.email = Consent{"home", "jo@example.org", 1000};
    if (sms_consent) c.sms = Consent{"mobile", "+61491570157", 1000};
    return c;
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

Intent of_kind(MessageKind kind) {
    Intent i;
    i.kind = kind;
    return i;
}

Intent collaboration(CollaborationType type) {
    Intent i = of_kind(MessageKind::collaboration_message);
    i.facts = rendering::CollaborationFacts{type, "Subject", "Body"};
    return i;
}

Intent client_message(ClientContext context, std::optional<Channel> channel) {
    Intent i = of_kind(MessageKind::client_message);
    i.facts = rendering::ClientMessageFacts{"Subject", "Body"};
    i.context = context;
    i.channel = channel;
    return i;
}

// A message to a client about an event booked at `booked_at`.
Intent about_event(MessageKind kind, TimeMs booked_at) {
    Intent i = of_kind(kind);
    i.booked_at = booked_at;
    return i;
}

std::string reason_of(const Decision& d) { return d.reason ? std::string(to_string(*d.reason)) : "sent"; }

// ---- collaboration messages to workers ----

TEST(WorkerMessageRules, SentOnEachChannelTheWorkerChose) {
    auto d = decide(everything_on(), collaboration(CollaborationType::alert), sam(ChannelChoice::both));
    ASSERT_EQ(d.size(), 2u);
    EXPECT_TRUE(d[0].sent);
    EXPECT_EQ(d[0].recipient, Recipient::worker);
    EXPECT_EQ(d[0].recipient_id, "sam");
    EXPECT_EQ(d[0].channel, Channel::email);
    EXPECT_EQ(d[0].to, "sam@example.org");
    EXPECT_TRUE(d[1].sent);
    EXPECT_EQ(d[1].channel, Channel::sms);
    EXPECT_EQ(d[1].to, "+61491570156");

    d = decide(everything_on(), collaboration(CollaborationType::alert), sam(ChannelChoice::sms));
    ASSERT_EQ(d.size(), 1u);
    EXPECT_EQ(d[0].channel, Channel::sms);
}

TEST(WorkerMessageRules, WorkerDeliveryOffOverridesEveryPersonalSetting) {
    AgencySettings s = everything_on();
    s.worker_delivery.enabled = false;
    auto d = decide(s, collaboration(CollaborationType::alert), sam());
    ASSERT_EQ(d.size(), 1u);
    EXPECT_FALSE(d[0].sent);
    EXPECT_EQ(reason_of(d[0]), "worker-delivery-disabled");
    EXPECT_FALSE(d[0].channel);
    EXPECT_FALSE(d[0].reason_text.empty());
}

TEST(WorkerMessageRules, DetailLevelDisallowSkipsOnlyThatType) {
    AgencySettings s = everything_on();
    set_level(s, CollaborationType::alert, DetailLevel::disallow);
    auto d = decide(s, collaboration(CollaborationType::alert), sam());
    ASSERT_EQ(d.size(), 1u);
    EXPECT_EQ(reason_of(d[0]), "detail-level-disallow");
    EXPECT_NE(d[0].reason_text.find("Alert"), std::string::npos);

    Worker w = sam();
    w.message_settings.set_channel(CollaborationType::workflow, ChannelChoice::email);
    d = decide(s, collaboration(CollaborationType::workflow), w);
    ASSERT_EQ(d.size(), 1u);
    EXPECT_TRUE(d[0].sent);
}

TEST(WorkerMessageRules, SubjectOnlyStillSends) {
    AgencySettings s = everything_on();
    set_level(s, CollaborationType::alert, DetailLevel::subject_only);
    auto d = decide(s, collaboration(CollaborationType::alert), sam());
    ASSERT_EQ(d.size(), 2u);
    EXPECT_TRUE(d[0].sent && d[1].sent);
}

TEST(WorkerMessageRules, NoChannelChosenForTheType) {
    auto d = decide(everything_on(), collaboration(CollaborationType::alert), sam(ChannelChoice::none));
    ASSERT_EQ(d.size(), 1u);
    EXPECT_EQ(reason_of(d[0]), "not-chosen");
    // Another type the worker never set is "none" too.
    d = decide(everything_on(), collaboration(CollaborationType::discussion), sam());
    EXPECT_EQ(reason_of(d[0]), "not-chosen");
}

TEST(WorkerMessageRules, OnlyWhenNotLoggedInSkipsOnlineWorkers) {
    Worker w = sam();
    w.message_settings.only_when_offline = true;
    w.presence.online = true;
    auto d = decide(everything_on(), collaboration(CollaborationType::alert), w);
    ASSERT_EQ(d.size(), 1u);
    EXPECT_EQ(reason_of(d[0]), "online");

    w.presence.online = false;
    d = decide(everything_on(), collaboration(CollaborationType::alert), w);
    EXPECT_TRUE(d[0].sent);

    // Online without the option: still sent.
    w.message_settings.only_when_offline = false;
    w.presence.online = true;
    d = decide(everything_on(), collaboration(CollaborationType::alert), w);
    EXPECT_TRUE(d[0].sent);
}

TEST(WorkerMessageRules, ChannelDisabledOrWithoutTransportOrAddressIsSkippedPerChannel) {
    AgencySettings s = everything_on();
    s.sms.enabled = false;
    auto d = decide(s, collaboration(CollaborationType::alert), sam());
    ASSERT_EQ(d.size(), 2u);
    EXPECT_TRUE(d[0].sent);
    EXPECT_EQ(reason_of(d[1]), "channel-disabled");
    EXPECT_EQ(d[1].channel, Channel::sms);

    s = everything_on();
    s.email.transport.clear();
    d = decide(s, collaboration(CollaborationType::alert), sam());
    EXPECT_EQ(reason_of(d[0]), "no-transport");
    EXPECT_TRUE(d[1].sent);

    Worker w = sam();
    w.mobile.clear();
    d = decide(everything_on(), collaboration(CollaborationType::alert), w);
    EXPECT_TRUE(d[0].sent);
    EXPECT_EQ(reason_of(d[1]), "no-address");
    EXPECT_NE(d[1].reason_text.find("mobile"), std::string::npos);
}

// ---- client messages ----

TEST(ClientMessageRules, RefusedWhenClientDeliveryIsOff) {
    AgencySettings s = everything_on();
    s.client_delivery.enabled = false;
    const Intent intent = client_message(ClientContext::profile, std::nullopt);
    auto d = decide(s, intent, jo(true, true));
    ASSERT_EQ(d.size(), 1u);
    EXPECT_FALSE(d[0].sent);
    auto refusal = refusal_of(intent, d);
    ASSERT_TRUE(refusal);
    EXPECT_EQ(refusal->reason, SkipReason::client_delivery_disabled);
    EXPECT_FALSE(refusal->mixed);
}

TEST(ClientMessageRules, RefusedWhereTheAdministratorHasNotAllowedTheContext) {
    const Intent intent = client_message(ClientContext::group_event, std::nullopt);
    auto refusal = refusal_of(intent, decide(everything_on(), intent, jo(true, true)));
    ASSERT_TRUE(refusal);
    EXPECT_EQ(refusal->reason, SkipReason::context_not_allowed);
    EXPECT_NE(refusal->text.find("group-event"), std::string::npos);
}

TEST(ClientMessageRules, WithoutAChannelEveryConsentedChannelIsUsed) {
    const Intent intent = client_message(ClientContext::profile, std::nullopt);
    auto d = decide(everything_on(), intent, jo(true, false));
    EXPECT_FALSE(refusal_of(intent, d));
    ASSERT_EQ(d.size(), 2u);
    EXPECT_TRUE(d[0].sent);
    EXPECT_EQ(d[0].recipient, Recipient::client);
    EXPECT_EQ(d[0].to, "jo@example.org");
    EXPECT_EQ(reason_of(d[1]), "no-consent");
}

TEST(ClientMessageRules, AChannelAskedForWithoutConsentIsRefused) {
    const Intent intent = client_message(ClientContext::profile, Channel::sms);
    auto d = decide(everything_on(), intent, jo(true, false));
    ASSERT_EQ(d.size(), 1u);
    EXPECT_EQ(reason_of(d[0]), "no-consent");
    auto refusal = refusal_of(intent, d);
    ASSERT_TRUE(refusal);
    EXPECT_EQ(refusal->reason, SkipReason::no_consent);
    EXPECT_FALSE(refusal->mixed);
}

TEST(ClientMessageRules, AChannelTheAgencyHasDisabledIsRefused) {
    AgencySettings s = everything_on();
    s.sms.enabled = false;
    const Intent intent = client_message(ClientContext::profile, Channel::sms);
    auto refusal = refusal_of(intent, decide(s, intent, jo(true, true)));
    ASSERT_TRUE(refusal);
    EXPECT_EQ(refusal->reason, SkipReason::channel_disabled);
}

TEST(ClientMessageRules, NoUsableChannelAtAllIsRefusedWithEveryReason) {
    AgencySettings s = everything_on();
    s.sms.enabled = false;
    const Intent intent = client_message(ClientContext::profile, std::nullopt);
    auto refusal = refusal_of(intent, decide(s, intent, jo(false, true)));
    ASSERT_TRUE(refusal);
    EXPECT_TRUE(refusal->mixed); // answered as "no-usable-channel"
    EXPECT_NE(refusal->text.find("consented to email"), std::string::npos);
    EXPECT_NE(refusal->text.find("SMS is not enabled"), std::string::npos);
}

TEST(ClientMessageRules, OnlyClientMessagesAreRefusedAsAWhole) {
    AgencySettings s = everything_on();
    s.client_delivery.enabled = false;
    const Intent booking = about_event(MessageKind::booking_notice, 2000);
    EXPECT_FALSE(refusal_of(booking, decide(s, booking, jo(true, true))));
}

// ---- event notifications to workers ----

TEST(RecipientRules, EachKindHasItsRecipient) {
    EXPECT_EQ(recipient_of(MessageKind::collaboration_message), Recipient::worker);
    EXPECT_EQ(recipient_of(MessageKind::worker_reminder), Recipient::worker);
    EXPECT_EQ(recipient_of(MessageKind::verification_code), Recipient::worker);
    EXPECT_EQ(recipient_of(MessageKind::booking_notice), Recipient::client);
    EXPECT_EQ(recipient_of(MessageKind::confirmation_with_link), Recipient::client);
    EXPECT_EQ(recipient_of(MessageKind::client_message), Recipient::client);
    // A client's kind for a worker, or a worker's for a client, is never sent, and says so.
    auto d = decide(everything_on(), of_kind(MessageKind::booking_notice), ana());
    ASSERT_EQ(d.size(), 1u);
    EXPECT_FALSE(d[0].sent);
    EXPECT_FALSE(d[0].reason_text.empty());
    d = decide(everything_on(), of_kind(MessageKind::worker_reminder), kim());
    ASSERT_EQ(d.size(), 1u);
    EXPECT_FALSE(d[0].sent);
    EXPECT_EQ(d[0].recipient, Recipient::client);
}

TEST(RecipientRules, WorkerEventNotificationsFollowTheAgencyThenTheWorker) {
    AgencySettings s = everything_on();
    auto d = decide(s, of_kind(MessageKind::worker_reminder), ana());
    ASSERT_EQ(d.size(), 2u);
    EXPECT_EQ((reason_of(d[0]) + " " + d[0].to), "sent ana@example.org");
    EXPECT_EQ((reason_of(d[1]) + " " + d[1].to), "sent +61491570156");

    s.worker_delivery.enabled = false;
    d = decide(s, of_kind(MessageKind::worker_reminder), ana());
    ASSERT_EQ(d.size(), 1u);
    EXPECT_EQ(reason_of(d[0]), "worker-delivery-disabled");

    s = everything_on();
    s.worker_delivery.last_minute_booking_hours = 0;
    EXPECT_EQ(reason_of(decide(s, of_kind(MessageKind::last_minute_booking), ana())[0]), "setting-off");
    s.worker_delivery.notify_no_show = false;
    EXPECT_EQ(reason_of(decide(s, of_kind(MessageKind::no_show), ana())[0]), "setting-off");
    EXPECT_EQ(reason_of(decide(s, of_kind(MessageKind::worker_reminder), ana())[0]), "sent");

    EXPECT_EQ(reason_of(decide(everything_on(), of_kind(MessageKind::worker_reminder), ana(ChannelChoice::none))[0]),
              "not-chosen");

    Worker online = ana();
    online.message_settings.only_when_offline = true;
    online.presence.online = true;
    EXPECT_EQ(reason_of(decide(everything_on(), of_kind(MessageKind::no_show), online)[0]), "online");

    Worker no_mobile = ana(ChannelChoice::sms);
    no_mobile.mobile.clear();
    s = everything_on();
    d = decide(s, of_kind(MessageKind::worker_reminder), no_mobile);
    ASSERT_EQ(d.size(), 1u);
    EXPECT_EQ(reason_of(d[0]), "no-address");
    s.sms.enabled = false;
    EXPECT_EQ(reason_of(decide(s, of_kind(MessageKind::worker_reminder), ana(ChannelChoice::sms))[0]),
              "channel-disabled");
}

// Event Notification's detail level governs the automated notices about events; Reminder's the reminders.
TEST(RecipientRules, DetailLevelsGovernTheAutomatedWorkerNotices) {
    for (MessageKind kind : {MessageKind::last_minute_booking, MessageKind::no_show, MessageKind::client_confirmed,
                             MessageKind::confirmation_copy}) {
        AgencySettings s = everything_on();
        set_level(s, CollaborationType::event_notification, DetailLevel::disallow);
        auto d = decide(s, of_kind(kind), ana());
        ASSERT_EQ(d.size(), 1u) << to_string(kind);
        EXPECT_EQ(reason_of(d[0]), "detail-level-disallow") << to_string(kind);
        EXPECT_NE(d[0].reason_text.find("Event Notification"), std::string::npos) << d[0].reason_text;
        set_level(s, CollaborationType::reminder, DetailLevel::disallow);
        set_level(s, CollaborationType::event_notification, DetailLevel::subject_only);
        d = decide(s, of_kind(kind), ana());
        ASSERT_EQ(d.size(), 2u) << to_string(kind);
        EXPECT_TRUE(d[0].sent && d[1].sent) << to_string(kind);
    }
    AgencySettings s = everything_on();
    set_level(s, CollaborationType::reminder, DetailLevel::disallow);
    auto d = decide(s, of_kind(MessageKind::worker_reminder), ana());
    ASSERT_EQ(d.size(), 1u);
    EXPECT_EQ(reason_of(d[0]), "detail-level-disallow");
    EXPECT_NE(d[0].reason_text.find("Reminder"), std::string::npos) << d[0].reason_text;
    s = everything_on();
    set_level(s, CollaborationType::event_notification, DetailLevel::disallow);
    EXPECT_EQ(reason_of(decide(s, of_kind(MessageKind::worker_reminder), ana())[0]), "sent");
}

TEST(RecipientRules, ClientEventMessagesNeedTheSettingAndConsent) {
    AgencySettings s = everything_on();
    auto d = decide(s, about_event(MessageKind::booking_notice, 2000), kim(true, false));
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
        d = decide(off, about_event(o.kind, 2000), kim());
        ASSERT_EQ(d.size(), 1u) << to_string(o.kind);
        EXPECT_FALSE(d[0].channel);
        EXPECT_EQ(reason_of(d[0]), o.reason) << to_string(o.kind);
        EXPECT_FALSE(d[0].reason_text.empty());
    }
    // The booking setting does not stop a reschedule notice.
    s.client_delivery.send_booking_notification = false;
    EXPECT_EQ(reason_of(decide(s, about_event(MessageKind::reschedule_notice, 2000), kim())[0]), "sent");
    s.email.transport.clear();
    EXPECT_EQ(reason_of(decide(s, about_event(MessageKind::reschedule_notice, 2000), kim())[0]), "no-transport");
}

// ---- event updates to clients: consent must predate the booking ----

constexpr TimeMs kBookedAt = 1'795'399'200'000;

Client consenting_client(TimeMs consented_at) {
    Client c;
    c.id = "c1";
    c.email = {"home", "c1@example.org", consented_at};
    c.sms = {"mobile", "+61491570156", consented_at};
    return c;
}

TEST(EventUpdateConsent, ConsentBeforeBookingIsSentAfterIsNot) {
    const Intent booking = about_event(MessageKind::booking_notice, kBookedAt);
    auto before = decide(everything_on(), booking, consenting_client(kBookedAt - 1));
    ASSERT_EQ(before.size(), 2u);
    EXPECT_TRUE(before[0].sent);
    EXPECT_TRUE(before[1].sent);
    EXPECT_EQ(before[0].to, "c1@example.org");
    EXPECT_EQ(before[1].to, "+61491570156");

    for (TimeMs consented : {kBookedAt, kBookedAt + 1})
        for (MessageKind kind : {MessageKind::booking_notice, MessageKind::reschedule_notice, MessageKind::confirmation}) {
            auto after = decide(everything_on(), about_event(kind, kBookedAt), consenting_client(consented));
            ASSERT_EQ(after.size(), 2u);
            for (const auto& d : after) {
                EXPECT_FALSE(d.sent);
                EXPECT_EQ(d.reason, SkipReason::consent_after_booking) << to_string(kind);
            }
        }
}

TEST(EventUpdateConsent, OnlyConsentedChannelsAndEachChannelOnItsOwnDate) {
    const Intent booking = about_event(MessageKind::booking_notice, kBookedAt);
    Client c = consenting_client(kBookedAt - 1);
    c.sms = {}; // no SMS consent
    auto d = decide(everything_on(), booking, c);
    ASSERT_EQ(d.size(), 2u);
    EXPECT_TRUE(d[0].sent);
    EXPECT_EQ(d[1].reason, SkipReason::no_consent);

    c = consenting_client(kBookedAt - 1);
    c.email.consented_at = kBookedAt + 5; // email consent came later, SMS before
    d = decide(everything_on(), booking, c);
    EXPECT_EQ(d[0].reason, SkipReason::consent_after_booking);
    EXPECT_TRUE(d[1].sent);
}

TEST(EventUpdateSettings, ClientDeliveryAndTheMatchingSettingAndChannels) {
    const Intent booking = about_event(MessageKind::booking_notice, kBookedAt);
    const Intent reschedule = about_event(MessageKind::reschedule_notice, kBookedAt);
    const Client client = consenting_client(kBookedAt - 1);

    auto s = everything_on();
    s.client_delivery.enabled = false;
    EXPECT_EQ(decide(s, booking, client)[0].reason, SkipReason::client_delivery_disabled);

    s = everything_on();
    s.client_delivery.send_booking_notification = false;
    EXPECT_EQ(decide(s, booking, client)[0].reason, SkipReason::setting_off);
    EXPECT_TRUE(decide(s, reschedule, client)[0].sent); // the other setting

    s = everything_on();
    s.client_delivery.send_reschedule_notification = false;
    EXPECT_EQ(decide(s, reschedule, client)[0].reason, SkipReason::setting_off);
    EXPECT_TRUE(decide(s, booking, client)[0].sent);

    s = everything_on();
    s.sms.enabled = false;
    s.email.transport.clear();
    auto d = decide(s, booking, client);
    ASSERT_EQ(d.size(), 2u);
    EXPECT_EQ(d[0].reason, SkipReason::no_transport);
    EXPECT_EQ(d[1].reason, SkipReason::channel_disabled);
}

// ---- verification codes, digests, withheld intents ----

TEST(RecipientRules, VerificationCodesUseTheAuthenticationTransport) {
    AgencySettings s = everything_on();
    s.email.authentication_uses_standard = false;
    const Intent code = of_kind(MessageKind::verification_code);
    auto d = decide(s, code, ana());
    ASSERT_EQ(d.size(), 2u);
    EXPECT_EQ(reason_of(d[0]), "no-transport"); // its own transport, not set
    EXPECT_EQ(reason_of(d[1]), "sent");
    s.email.authentication_transport = "auth-mail";
    EXPECT_EQ(reason_of(decide(s, code, ana())[0]), "sent");
    EXPECT_EQ(transport_of(s, code, Channel::email), "auth-mail");
    EXPECT_EQ(transport_of(s, code, Channel::sms), "sms");
    EXPECT_EQ(transport_of(s, collaboration(CollaborationType::alert), Channel::email), "mail");
    // Presence and personal settings do not apply: the worker asked for the code.
    Worker online = ana(ChannelChoice::none);
    online.message_settings.only_when_offline = true;
    online.presence.online = true;
    EXPECT_EQ(reason_of(decide(s, code, online)[0]), "sent");
}

TEST(RecipientRules, DigestsGoByEmailToWorkersAndConfiguredAddresses) {
    AgencySettings s = everything_on();
    s.worker_delivery.enabled = false; // a digest is for operators: no worker's or agency's delivery settings
    const Intent digest = of_kind(MessageKind::error_notice_digest);
    auto d = decide(s, digest, ana(ChannelChoice::none));
    ASSERT_EQ(d.size(), 1u);
    EXPECT_EQ(reason_of(d[0]) + " " + d[0].to, "sent ana@example.org");
    EXPECT_EQ(d[0].channel, Channel::email);
    d = decide(s, digest, OperatorAddress{"ops@agency.example"});
    ASSERT_EQ(d.size(), 1u);
    EXPECT_EQ(reason_of(d[0]) + " " + d[0].to, "sent ops@agency.example");
    EXPECT_EQ(d[0].recipient, Recipient::address);
    Worker no_email = ana();
    no_email.email.clear();
    EXPECT_EQ(reason_of(decide(s, digest, no_email)[0]), "no-address");
    // An address from the configuration gets nothing but digests.
    d = decide(everything_on(), collaboration(CollaborationType::alert), OperatorAddress{"ops@agency.example"});
    ASSERT_EQ(d.size(), 1u);
    EXPECT_FALSE(d[0].sent);
}

TEST(RecipientRules, AWithheldIntentIsSkippedForEveryoneWithItsReason) {
    Intent reminder = of_kind(MessageKind::worker_reminder);
    reminder.withheld = Intent::Withheld{SkipReason::event_not_booked, "the event is no longer booked (cancelled)"};
    auto d = decide(everything_on(), reminder, ana());
    ASSERT_EQ(d.size(), 1u);
    EXPECT_FALSE(d[0].sent);
    EXPECT_FALSE(d[0].channel);
    EXPECT_EQ(reason_of(d[0]), "event-not-booked");
    EXPECT_EQ(d[0].reason_text, "the event is no longer booked (cancelled)");
    Intent confirmation = about_event(MessageKind::confirmation, 2000);
    confirmation.withheld = Intent::Withheld{SkipReason::event_started, "started"};
    EXPECT_EQ(reason_of(decide(everything_on(), confirmation, kim())[0]), "event-started");
}

// ---- one channel (POST /v1/preview) ----

TEST(RecipientRules, OneChannelForAWorker) {
    AgencySettings s = everything_on();
    Worker w = ana();
    w.message_settings.set_channel(CollaborationType::alert, ChannelChoice::email);
    const Intent alert = collaboration(CollaborationType::alert);
    auto d = decision_on(s, alert, w, Channel::email);
    EXPECT_EQ(reason_of(d) + " " + d.to, "sent ana@example.org");
    // A channel the worker's settings do not name for the type.
    d = decision_on(s, alert, w, Channel::sms);
    EXPECT_EQ(reason_of(d) + " " + d.to, "not-chosen +61491570156");
    EXPECT_EQ(d.channel, Channel::sms);
    EXPECT_NE(d.reason_text.find("Alert messages by email only"), std::string::npos) << d.reason_text;
    // A reason that holds for every channel is given for this one, with the address.
    set_level(s, CollaborationType::alert, DetailLevel::disallow);
    d = decision_on(s, alert, w, Channel::email);
    EXPECT_EQ(reason_of(d) + " " + d.to, "detail-level-disallow ana@example.org");
    EXPECT_EQ(d.channel, Channel::email);
    set_level(s, CollaborationType::alert, DetailLevel::subject_only);
    EXPECT_TRUE(decision_on(s, alert, w, Channel::email).sent);
    w.message_settings.only_when_offline = true;
    w.presence.online = true;
    EXPECT_EQ(reason_of(decision_on(s, alert, w, Channel::email)), "online");

    // A reminder is only for a worker who set one.
    Worker none = ana();
    none.message_settings.reminder_minutes = 0;
    const Intent reminder = of_kind(MessageKind::worker_reminder);
    d = decision_on(everything_on(), reminder, none, Channel::email);
    EXPECT_EQ(reason_of(d), "not-chosen");
    none.message_settings.first_event_reminder_minutes = 1440;
    EXPECT_TRUE(decision_on(everything_on(), reminder, none, Channel::email).sent);
    // A client's kind for a worker is never sent.
    EXPECT_FALSE(decision_on(everything_on(), of_kind(MessageKind::booking_notice), ana(), Channel::email).sent);
}

TEST(RecipientRules, OneChannelForAClient) {
    AgencySettings s = everything_on();
    s.client_delivery.contexts = {ClientContext::profile};
    const Intent message = client_message(ClientContext::profile, std::nullopt);
    auto d = decision_on(s, message, kim(true, false), Channel::email);
    EXPECT_EQ(reason_of(d) + " " + d.to, "sent kim@example.org");
    d = decision_on(s, message, kim(true, false), Channel::sms);
    EXPECT_EQ(reason_of(d), "no-consent");
    EXPECT_EQ(d.to, ""); // no consented address
    d = decision_on(s, client_message(ClientContext::group_event, std::nullopt), kim(), Channel::email);
    EXPECT_EQ(reason_of(d), "context-not-allowed");
    EXPECT_EQ(d.channel, Channel::email);
    d = decision_on(s, of_kind(MessageKind::confirmation), kim(false, true), Channel::sms);
    EXPECT_EQ(reason_of(d) + " " + d.to, "sent +61491570157");
    s.client_delivery.enabled = false;
    d = decision_on(s, of_kind(MessageKind::confirmation), kim(false, true), Channel::sms);
    EXPECT_EQ(reason_of(d) + " " + d.to, "client-delivery-disabled +61491570157");
}

} // namespace
} // namespace extcomm::sending
