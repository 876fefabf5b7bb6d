// Who gets a worker or client message, on which channel, and why not: the rules without a store.
#include <agency/client_messages.hpp>
#include <agency/worker_messages.hpp>

#include <gtest/gtest.h>

namespace extcomm::agency {
namespace {

using rendering::CollaborationType;
using rendering::DetailLevel;

AgencySettings everything_on() {
    AgencySettings s;
    s.email.enabled = true;
    s.email.transport = "mail";
    s.sms.enabled = true;
    s.sms.transport = "sms";
    s.worker_delivery.enabled = true;
    s.client_delivery.enabled = true;
    s.client_delivery.contexts = {ClientContext::profile, ClientContext::service_file};
    return s;
}

Worker sam(ChannelChoice alerts = ChannelChoice::both) {
    Worker w;
    w.id = "sam";
    w.first_name = "Sam";
    w.email = "sam@example.org";
    w.mobile = "+61491570156";
    w.message_settings.set_channel(CollaborationType::alert, alerts);
    return w;
}

std::string reason_of(const Decision& d) { return d.reason ? std::string(to_string(*d.reason)) : "sent"; }

TEST(WorkerMessageRules, SentOnEachChannelTheWorkerChose) {
    auto d = decide_worker_message(everything_on(), sam(ChannelChoice::both), CollaborationType::alert);
    ASSERT_EQ(d.size(), 2u);
    EXPECT_TRUE(d[0].sent);
    EXPECT_EQ(d[0].channel, Channel::email);
    EXPECT_EQ(d[0].to, "sam@example.org");
    EXPECT_TRUE(d[1].sent);
    EXPECT_EQ(d[1].channel, Channel::sms);
    EXPECT_EQ(d[1].to, "+61491570156");

    d = decide_worker_message(everything_on(), sam(ChannelChoice::sms), CollaborationType::alert);
    ASSERT_EQ(d.size(), 1u);
    EXPECT_EQ(d[0].channel, Channel::sms);
}

TEST(WorkerMessageRules, WorkerDeliveryOffOverridesEveryPersonalSetting) {
    AgencySettings s = everything_on();
    s.worker_delivery.enabled = false;
    auto d = decide_worker_message(s, sam(), CollaborationType::alert);
    ASSERT_EQ(d.size(), 1u);
    EXPECT_FALSE(d[0].sent);
    EXPECT_EQ(reason_of(d[0]), "worker-delivery-disabled");
    EXPECT_FALSE(d[0].channel);
    EXPECT_FALSE(d[0].reason_text.empty());
}

TEST(WorkerMessageRules, DetailLevelDisallowSkipsOnlyThatType) {
    AgencySettings s = everything_on();
    s.worker_delivery.detail_levels[static_cast<std::size_t>(CollaborationType::alert)] = DetailLevel::disallow;
    auto d = decide_worker_message(s, sam(), CollaborationType::alert);
    ASSERT_EQ(d.size(), 1u);
    EXPECT_EQ(reason_of(d[0]), "detail-level-disallow");
    EXPECT_NE(d[0].reason_text.find("Alert"), std::string::npos);

    Worker w = sam();
    w.message_settings.set_channel(CollaborationType::workflow, ChannelChoice::email);
    d = decide_worker_message(s, w, CollaborationType::workflow);
    ASSERT_EQ(d.size(), 1u);
    EXPECT_TRUE(d[0].sent);
}

TEST(WorkerMessageRules, SubjectOnlyStillSends) {
    AgencySettings s = everything_on();
    s.worker_delivery.detail_levels[static_cast<std::size_t>(CollaborationType::alert)] = DetailLevel::subject_only;
    auto d = decide_worker_message(s, sam(), CollaborationType::alert);
    ASSERT_EQ(d.size(), 2u);
    EXPECT_TRUE(d[0].sent && d[1].sent);
}

TEST(WorkerMessageRules, NoChannelChosenForTheType) {
    auto d = decide_worker_message(everything_on(), sam(ChannelChoice::none), CollaborationType::alert);
    ASSERT_EQ(d.size(), 1u);
    EXPECT_EQ(reason_of(d[0]), "not-chosen");
    // Another type the worker never set is "none" too.
    d = decide_worker_message(everything_on(), sam(), CollaborationType::discussion);
    EXPECT_EQ(reason_of(d[0]), "not-chosen");
}

TEST(WorkerMessageRules, OnlyWhenNotLoggedInSkipsOnlineWorkers) {
    Worker w = sam();
    w.message_settings.only_when_offline = true;
    w.presence.online = true;
    auto d = decide_worker_message(everything_on(), w, CollaborationType::alert);
    ASSERT_EQ(d.size(), 1u);
    EXPECT_EQ(reason_of(d[0]), "online");

    w.presence.online = false;
    d = decide_worker_message(everything_on(), w, CollaborationType::alert);
    EXPECT_TRUE(d[0].sent);

    // Online without the option: still sent.
    w.message_settings.only_when_offline = false;
    w.presence.online = true;
    d = decide_worker_message(everything_on(), w, CollaborationType::alert);
    EXPECT_TRUE(d[0].sent);
}

TEST(WorkerMessageRules, ChannelDisabledOrWithoutTransportOrAddressIsSkippedPerChannel) {
    AgencySettings s = everything_on();
    s.sms.enabled = false;
    auto d = decide_worker_message(s, sam(), CollaborationType::alert);
    ASSERT_EQ(d.size(), 2u);
    EXPECT_TRUE(d[0].sent);
    EXPECT_EQ(reason_of(d[1]), "channel-disabled");
    EXPECT_EQ(d[1].channel, Channel::sms);

    s = everything_on();
    s.email.transport.clear();
    d = decide_worker_message(s, sam(), CollaborationType::alert);
    EXPECT_EQ(reason_of(d[0]), "no-transport");
    EXPECT_TRUE(d[1].sent);

    Worker w = sam();
    w.mobile.clear();
    d = decide_worker_message(everything_on(), w, CollaborationType::alert);
    EXPECT_TRUE(d[0].sent);
    EXPECT_EQ(reason_of(d[1]), "no-address");
    EXPECT_NE(d[1].reason_text.find("mobile"), std::string::npos);
}

Client jo(bool email_consent, bool sms_consent) {
    Client c;
    c.id = "jo";
    c.name = "Jo";
    if (email_consent) c.email = Consent{"home", "jo@example.org", 1000};
    if (sms_consent) c.sms = Consent{"mobile", "+61491570157", 1000};
    return c;
}

TEST(ClientMessageRules, RefusedWhenClientDeliveryIsOff) {
    AgencySettings s = everything_on();
    s.client_delivery.enabled = false;
    auto plan = decide_client_message(s, jo(true, true), ClientContext::profile, std::nullopt);
    EXPECT_EQ(plan.refusal_code, "client-delivery-disabled");
    ASSERT_EQ(plan.decisions.size(), 1u);
    EXPECT_FALSE(plan.decisions[0].sent);
}

TEST(ClientMessageRules, RefusedWhereTheAdministratorHasNotAllowedTheContext) {
    auto plan = decide_client_message(everything_on(), jo(true, true), ClientContext::group_event, std::nullopt);
    EXPECT_EQ(plan.refusal_code, "context-not-allowed");
    EXPECT_NE(plan.refusal.find("group-event"), std::string::npos);
}

TEST(ClientMessageRules, WithoutAChannelEveryConsentedChannelIsUsed) {
    auto plan = decide_client_message(everything_on(), jo(true, false), ClientContext::profile, std::nullopt);
    EXPECT_TRUE(plan.refusal_code.empty());
    ASSERT_EQ(plan.decisions.size(), 2u);
    EXPECT_TRUE(plan.decisions[0].sent);
    EXPECT_EQ(plan.decisions[0].to, "jo@example.org");
    EXPECT_EQ(reason_of(plan.decisions[1]), "no-consent");
}

TEST(ClientMessageRules, AChannelAskedForWithoutConsentIsRefused) {
    auto plan = decide_client_message(everything_on(), jo(true, false), ClientContext::profile, Channel::sms);
    EXPECT_EQ(plan.refusal_code, "no-consent");
    ASSERT_EQ(plan.decisions.size(), 1u);
    EXPECT_EQ(reason_of(plan.decisions[0]), "no-consent");
}

TEST(ClientMessageRules, AChannelTheAgencyHasDisabledIsRefused) {
    AgencySettings s = everything_on();
    s.sms.enabled = false;
    auto plan = decide_client_message(s, jo(true, true), ClientContext::profile, Channel::sms);
    EXPECT_EQ(plan.refusal_code, "channel-disabled");
}

TEST(ClientMessageRules, NoUsableChannelAtAllIsRefusedWithEveryReason) {
    AgencySettings s = everything_on();
    s.sms.enabled = false;
    auto plan = decide_client_message(s, jo(false, true), ClientContext::profile, std::nullopt);
    EXPECT_EQ(plan.refusal_code, "no-usable-channel");
    EXPECT_NE(plan.refusal.find("consented to email"), std::string::npos);
    EXPECT_NE(plan.refusal.find("SMS is not enabled"), std::string::npos);
}

} // namespace
} // namespace extcomm::agency
