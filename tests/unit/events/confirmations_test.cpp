// Confirmations on both drivers, driven by a ManualClock: a confirmation the scheduler sends is pending;
// the confirm link confirms it once (a repeat changes nothing and notifies nobody again) and notifies the
// sender worker and the primary worker if they asked (no other worker); a link of an event that started, moved or was cancelled has
// expired; a "YES" by SMS confirms the confirmation it answers, or the number's soonest pending one.
#include "events_fixture.hpp"

#include <events/confirm_replies.hpp>
#include <events/confirmations.hpp>
#include <events/scheduler.hpp>
#include <events/service_events.hpp>

#include <gtest/gtest.h>

#include <memory>
#include <set>

namespace extcomm::events {
namespace {

using agency::ChannelChoice;

using testing::kHour;
using testing::kMinute;
using testing::kNow;
constexpr TimeMs kStart = kNow + 3 * 24 * kHour;

class ConfirmationsTest : public testing::EventsTest {
protected:
    void SetUp() override {
        EventsTest::SetUp();
        scheduler->set_confirm_link([this](Database::Connection& c, const Schedule& s) {
            return "https://agency.example/c/" +
                   tokens.issue(record_confirm_link(c, {s.event, s.recipient, s.event_start}, clock.now_ms()));
        });
        confirmations = std::make_unique<Confirmations>(*pipeline, *people, clock, [this] { return snapshot; });
        auto& s = snapshot->settings;
        s.client_delivery.enabled = true;
        s.client_delivery.confirmation = {true, 24, "sam", true};

        // Ana (primary) asked to be told, Ben did not; Sam sends the confirmations.
        agency::Worker ana = worker("ana", ChannelChoice::email);
        ana.message_settings.notify_when_client_confirms = true;
        put(ana);
        put(worker("ben", ChannelChoice::both));
        put(worker("sam", ChannelChoice::sms));
        client("jo", "0491570156");
        client("kim", "0491570199");
        clock.set(kNow);
    }
    void TearDown() override {
        confirmations.reset();
        EventsTest::TearDown();
    }
    void client(const std::string& id, const std::string& mobile) {
        put(agency::ClientUpdate{id, id, {{"mob", Channel::sms, mobile, true}}, std::nullopt, std::string("mob")});
    }
    ServiceEvent event(const std::string& id, TimeMs start, const std::string& client_id = "jo") const {
        ServiceEvent e = EventsTest::event(id, start);
        e.clients = {{client_id, true}};
        return e;
    }
    // Fires the confirmations due at `at`; returns the confirmation SMS to the client's number, in order.
    std::vector<OutboundMessage> send_confirmations(TimeMs at, const std::string& to = "+61491570156") {
        clock.set(at);
        EXPECT_GE(scheduler->run_once().enqueued, 1);
        std::vector<OutboundMessage> out;
        for (auto& m : outbox->claim("sms", owner(), 100))
            if (m.to == to && m.kind.rfind("confirmation", 0) == 0 && m.kind != "confirmation-copy") out.push_back(m);
        return out;
    }
    // Books the event and fires its confirmation; returns the confirmation SMS.
    OutboundMessage book_and_send(const ServiceEvent& e) {
        events->put(*snapshot, e);
        auto sent = send_confirmations(e.start - 24 * kHour);
        EXPECT_EQ(sent.size(), 1u);
        return sent.empty() ? OutboundMessage{} : sent.front();
    }
    // A claim under the same owner hands back what that owner holds: each look is another owner.
    std::string owner() { return "test-" + std::to_string(++claims); }
    std::vector<OutboundMessage> notices(const std::string& transport) {
        std::vector<OutboundMessage> out;
        for (auto& m : outbox->claim(transport, owner(), 100))
            if (m.kind == "client-confirmed") out.push_back(std::move(m));
        return out;
    }

    int claims = 0;
    ConfirmTokens tokens{"0123456789abcdef0123456789abcdef-test-key"};
    std::unique_ptr<Confirmations> confirmations;
};

TEST_F(ConfirmationsTest, TheLinkConfirmsOnceAndNotifiesTheSenderAndWhoAskedOnce) {
    OutboundMessage sms = book_and_send(event("ev1", kStart));
    EXPECT_EQ(sms.kind, "confirmation-with-link");
    auto at = sms.body.find("https://agency.example/c/");
    ASSERT_NE(at, std::string::npos) << sms.body;
    std::string token = sms.body.substr(at + 25, sms.body.find_first_of(" \n", at) - at - 25);
    EXPECT_EQ(token.size(), kConfirmTokenCharacters);
    auto verified = tokens.verify(token);
    ASSERT_TRUE(std::holds_alternative<ConfirmLinkId>(verified)) << token;
    auto stored = confirmations->stored_link(std::get<ConfirmLinkId>(verified));
    ASSERT_TRUE(stored) << token;
    const ConfirmTokenFacts link = *stored;
    EXPECT_EQ(link, (ConfirmTokenFacts{"ev1", "jo", kStart}));

    Appointment shown = confirmations->open(link);
    EXPECT_EQ(shown.state, LinkState::open);
    ASSERT_TRUE(shown.facts);
    EXPECT_EQ(shown.facts->start, kStart);
    EXPECT_EQ(shown.facts->worker.first_name, "ana");

    clock.advance(kMinute);
    ConfirmResult first = confirmations->confirm(link, ConfirmedVia::link);
    EXPECT_EQ(first.outcome, ConfirmOutcome::confirmed);
    ASSERT_TRUE(first.confirmation);
    EXPECT_EQ(first.confirmation->confirmed_at, clock.now_ms());
    EXPECT_EQ(first.confirmation->via, "link");
    EXPECT_GT(first.confirmation->sent_at, 0);
    // Sam (the sender, by SMS) and Ana (asked, by email); Ben did not ask.
    auto by_email = notices("mail"), by_sms = notices("sms");
    ASSERT_EQ(by_email.size(), 1u);
    EXPECT_EQ(by_email[0].to, "ana@agency.example");
    EXPECT_NE(by_email[0].subject.find("Confirmed"), std::string::npos) << by_email[0].subject;
    ASSERT_EQ(by_sms.size(), 1u);
    EXPECT_NE(by_sms[0].body.find("your client confirmed"), std::string::npos) << by_sms[0].body;
    EXPECT_EQ(by_sms[0].expires_at, kStart);

    clock.advance(kMinute);
    ConfirmResult again = confirmations->confirm(link, ConfirmedVia::link);
    EXPECT_EQ(again.outcome, ConfirmOutcome::already_confirmed);
    EXPECT_EQ(again.confirmation->confirmed_at, first.confirmation->confirmed_at);
    EXPECT_FALSE(again.notice);
    EXPECT_EQ(outbox->count_by_state()[MessageState::queued], 0); // nothing new
    EXPECT_EQ(confirmations->open(link).state, LinkState::confirmed);

    auto listed = confirmations->of_event("ev1");
    ASSERT_EQ(listed.size(), 1u);
    EXPECT_EQ(listed[0].client, "jo");
    EXPECT_TRUE(listed[0].confirmed());
}

// "Notify me when my client confirms event (as Primary event)": only the event's primary worker is told,
// besides the confirmation's sender; another worker on the event who asked is not.
TEST_F(ConfirmationsTest, OnlyThePrimaryWorkerWhoAskedAndTheSenderAreTold) {
    agency::Worker ben = worker("ben", ChannelChoice::both);
    ben.message_settings.notify_when_client_confirms = true;
    put(ben);
    events->put(*snapshot, event("ev1", kStart));
    events->put(*snapshot, event("ev2", kStart));
    EXPECT_EQ(send_confirmations(kStart - 24 * kHour).size(), 2u);
    ConfirmResult first = confirmations->confirm({"ev1", "jo", kStart}, ConfirmedVia::link);
    ASSERT_TRUE(first.notice);
    std::set<std::string> told;
    for (const auto& d : first.notice->decisions) {
        EXPECT_TRUE(d.sent) << d.recipient_id;
        told.insert(d.recipient_id);
    }
    EXPECT_EQ(told, (std::set<std::string>{"ana", "sam"}));
    EXPECT_EQ(first.notice->request.kind, "client-confirmed");
    EXPECT_EQ(notices("mail").size(), 1u); // Ana
    EXPECT_EQ(notices("sms").size(), 1u);  // Sam

    // Ana no longer asks: only Sam; Ben is still not told.
    agency::Worker ana = *people->worker("ana");
    ana.message_settings.notify_when_client_confirms = false;
    put(ana);
    ConfirmResult second = confirmations->confirm({"ev2", "jo", kStart}, ConfirmedVia::link);
    ASSERT_TRUE(second.notice);
    ASSERT_EQ(second.notice->decisions.size(), 1u);
    EXPECT_EQ(second.notice->decisions[0].recipient_id, "sam");
    EXPECT_TRUE(notices("mail").empty());
}

TEST_F(ConfirmationsTest, NobodyToTellIsNoNotice) {
    snapshot->settings.client_delivery.confirmation.sender_worker.clear();
    agency::Worker ana = *people->worker("ana");
    ana.message_settings.notify_when_client_confirms = false;
    put(ana);
    book_and_send(event("ev1", kStart));
    ConfirmResult result = confirmations->confirm({"ev1", "jo", kStart}, ConfirmedVia::link);
    EXPECT_EQ(result.outcome, ConfirmOutcome::confirmed);
    EXPECT_FALSE(result.notice);
}

TEST_F(ConfirmationsTest, AStartedMovedOrCancelledEventsLinkHasExpired) {
    ServiceEvent e = event("ev1", kStart), other = event("ev2", kStart);
    events->put(*snapshot, e);
    events->put(*snapshot, other);
    EXPECT_EQ(send_confirmations(kStart - 24 * kHour).size(), 2u);
    const ConfirmTokenFacts link{"ev1", "jo", kStart};
    EXPECT_EQ(confirmations->open(link).state, LinkState::open);

    e.start += kHour;
    e.end += kHour;
    events->put(*snapshot, e); // moved: the old link's start no longer matches
    EXPECT_EQ(confirmations->open(link).state, LinkState::expired);
    EXPECT_FALSE(confirmations->open(link).facts);
    EXPECT_EQ(confirmations->confirm(link, ConfirmedVia::link).outcome, ConfirmOutcome::expired);
    const ConfirmTokenFacts moved{"ev1", "jo", e.start};
    EXPECT_EQ(confirmations->open(moved).state, LinkState::open);

    other.status = EventStatus::cancelled;
    events->put(*snapshot, other);
    EXPECT_EQ(confirmations->confirm({"ev2", "jo", kStart}, ConfirmedVia::link).outcome, ConfirmOutcome::expired);

    EXPECT_EQ(confirmations->open({"nope", "jo", kStart}).state, LinkState::unknown);
    EXPECT_EQ(confirmations->open({"ev1", "kim", e.start}).state, LinkState::expired); // not her event

    clock.set(e.start); // started
    EXPECT_EQ(confirmations->open(moved).state, LinkState::expired);
    EXPECT_EQ(confirmations->confirm(moved, ConfirmedVia::link).outcome, ConfirmOutcome::expired);
    EXPECT_TRUE(notices("mail").empty());
    EXPECT_TRUE(confirmations->of_event("ev1").empty() || !confirmations->of_event("ev1")[0].confirmed());
}

TEST_F(ConfirmationsTest, WorkerDeliveryOffConfirmsWithoutNotifying) {
    book_and_send(event("ev1", kStart));
    snapshot->settings.worker_delivery.enabled = false;
    auto result = confirmations->confirm({"ev1", "jo", kStart}, ConfirmedVia::link);
    EXPECT_EQ(result.outcome, ConfirmOutcome::confirmed);
    EXPECT_TRUE(notices("mail").empty());
    EXPECT_TRUE(notices("sms").empty());
}

TEST_F(ConfirmationsTest, AYesAnsweringTheConfirmationConfirmsIt) {
    OutboundMessage sms = book_and_send(event("ev1", kStart));
    StoredReply reply{"sms", "+61491570156", " yes.", sms.id, clock.now_ms(), clock.now_ms()};
    ConfirmReplies listener(*confirmations);
    listener.on_reply(reply);
    auto listed = confirmations->of_event("ev1");
    ASSERT_EQ(listed.size(), 1u);
    EXPECT_EQ(listed[0].via, "sms");
    EXPECT_EQ(notices("sms").size(), 1u); // Sam
    listener.on_reply(reply);               // the provider's retry, or a second YES
    EXPECT_TRUE(notices("sms").empty());
}

TEST_F(ConfirmationsTest, AYesWithoutTheMessageConfirmsTheNumbersSoonestPendingConfirmation) {
    events->put(*snapshot, event("later", kStart + 2 * kHour));
    events->put(*snapshot, event("sooner", kStart));
    events->put(*snapshot, event("unsent", kStart + 3 * 24 * kHour)); // its confirmation has not gone out
    EXPECT_EQ(send_confirmations(kStart - 22 * kHour).size(), 2u);
    ConfirmReplies listener(*confirmations);

    listener.on_reply({"sms", "61491570156", "no", "", 0, 0});
    EXPECT_FALSE(confirmations->of_event("sooner")[0].confirmed());

    listener.on_reply({"sms", "61491570156", "Y", "", 0, 0}); // some providers send the number without '+'
    EXPECT_TRUE(confirmations->of_event("sooner")[0].confirmed());
    EXPECT_FALSE(confirmations->of_event("later")[0].confirmed());
    EXPECT_TRUE(confirmations->of_event("unsent").empty());

    listener.on_reply({"sms", "+61491570156", "YES", "", 0, 0});
    EXPECT_TRUE(confirmations->of_event("later")[0].confirmed());
    EXPECT_FALSE(confirmations->confirm_reply({"sms", "+61491570156", "YES", "", 0, 0})); // nothing left
    EXPECT_FALSE(confirmations->confirm_reply({"sms", "+61491570199", "YES", "", 0, 0})); // Kim has none
}

TEST_F(ConfirmationsTest, TheStoredKeyIsMadeOnceAndKept) {
    std::string first, second;
    {
        auto c = db->connect();
        first = stored_confirm_link_key(c, clock.now_ms());
    }
    open(); // a restart
    {
        auto c = db->connect();
        second = stored_confirm_link_key(c, clock.now_ms());
    }
    EXPECT_EQ(first.size(), 64u);
    EXPECT_EQ(first, second);
}

} // namespace
} // namespace extcomm::events
