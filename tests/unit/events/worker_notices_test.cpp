// Notices to workers about their events, driven by a ManualClock on both drivers: the last-minute booking
// notice (booked within X hours of the start), the no-show notice (not for group events), each only while
// its setting is on, on the worker's event notification channels, recorded in the message log with why a
// worker got nothing, never twice; and the copy of each client confirmation the sender worker gets.
#include "events_fixture.hpp"

#include <sending/message_log.hpp>
#include <events/scheduler.hpp>
#include <events/service_events.hpp>
#include <events/worker_notices.hpp>

#include <gtest/gtest.h>

#include <memory>

namespace extcomm::events {
namespace {

using agency::ChannelChoice;
using sending::SkipReason;
using rendering::MessageKind;

using testing::kHour;
using testing::kMinute;
using testing::kNow;

class WorkerNoticesTest : public testing::EventsTest {
protected:
    void SetUp() override {
        EventsTest::SetUp();
        auto& s = snapshot->settings;
        s.worker_delivery.last_minute_booking_hours = 4;
        s.worker_delivery.notify_no_show = true;

        // Ana wants event notifications by email and SMS; Ben only when he is not logged in (and he is).
        put(worker("ana", ChannelChoice::both));
        agency::Worker ben = worker("ben", ChannelChoice::email);
        ben.message_settings.only_when_offline = true;
        put(ben);
        ASSERT_TRUE(people->set_presence("ben", true));
        put(agency::ClientUpdate{"jo", "Jo",
                                 {{"home", Channel::email, "jo@example.org", true}, {"mob", Channel::sms, "0491570156", true}},
                                 std::string("home"), std::string("mob")});
        clock.set(kNow);
    }
    ServiceEvent event(TimeMs start) const { return EventsTest::event("ev1", start); }
    // One lease owner per transport: a claim answers every message its owner holds.
    std::vector<OutboundMessage> claim(const std::string& transport) {
        return outbox->claim(transport, "test-" + transport, 100);
    }
};

// ---- the rule alone ----

TEST(WorkerNoticeRule, LastMinuteOnlyForABookingWithinTheHoursAndStillToCome) {
    agency::AgencySettings s;
    s.worker_delivery.last_minute_booking_hours = 4;
    ServiceEvent e;
    e.booked_at = kNow;
    e.start = kNow + 4 * kHour;
    EventChange booked{Happening::booked, EventTiming::future, 0};
    EXPECT_EQ(worker_notice_for(s, booked, e, kNow).kind, MessageKind::last_minute_booking);
    e.start = kNow + 4 * kHour + 1;
    EXPECT_EQ(worker_notice_for(s, booked, e, kNow).skipped, SkipReason::not_within);
    e.start = kNow - 1; // booked after it started
    EXPECT_EQ(worker_notice_for(s, booked, e, kNow).skipped, SkipReason::not_within);
    e.start = kNow + kHour;
    EXPECT_FALSE(worker_notice_for(s, {Happening::rescheduled, EventTiming::future, kNow}, e, kNow).kind);
    EXPECT_FALSE(worker_notice_for(s, {Happening::reverted_to_booked, EventTiming::future, 0}, e, kNow).kind);
    s.worker_delivery.last_minute_booking_hours = 0;
    EXPECT_EQ(worker_notice_for(s, booked, e, kNow).skipped, SkipReason::setting_off);
}

TEST(WorkerNoticeRule, NoShowOnlyForNonGroupEventsWithTheSettingOn) {
    agency::AgencySettings s;
    s.worker_delivery.notify_no_show = true;
    ServiceEvent e;
    EventChange no_show{Happening::marked_no_show, EventTiming::past, 0};
    EXPECT_EQ(worker_notice_for(s, no_show, e, kNow).kind, MessageKind::no_show);
    e.group = true;
    EXPECT_EQ(worker_notice_for(s, no_show, e, kNow).skipped, SkipReason::group_event);
    e.group = false;
    s.worker_delivery.notify_no_show = false;
    EXPECT_EQ(worker_notice_for(s, no_show, e, kNow).skipped, SkipReason::setting_off);
    EXPECT_FALSE(worker_notice_for(s, {Happening::cancelled, EventTiming::past, 0}, e, kNow).kind);
}

// ---- in the store ----

// Not a worker notice, but recorded the same way: the clients' booking notice in the message log.
TEST_F(WorkerNoticesTest, TheClientsBookingNoticeIsInTheMessageLogWithWhyNot) {
    // Kim consents to both channels after the event was booked: automated messages are not for her.
    clock.set(kNow + kMinute);
    put(agency::ClientUpdate{"kim", "Kim",
                             {{"home", Channel::email, "kim@example.org", true}, {"mob", Channel::sms, "0491570158", true}},
                             std::string("home"), std::string("mob")});
    clock.set(kNow + 2 * kMinute);
    snapshot->settings.client_delivery.enabled = true;
    snapshot->settings.client_delivery.send_booking_notification = true;
    ServiceEvent e = event(kNow + 48 * kHour);
    e.booked_at = kNow;
    e.clients = {{"jo", true}, {"kim", false}};
    auto applied = events->put(*snapshot, e);
    ASSERT_EQ(applied.client_notice.kind, MessageKind::booking_notice);

    auto of = [&](const std::string& client) {
        sending::DecisionFilter filter;
        filter.client = client;
        return sending::DecisionLog(*db).find(filter);
    };
    auto jo = of("jo");
    ASSERT_EQ(jo.size(), 2u);
    for (const auto& d : jo) {
        EXPECT_TRUE(d.sent);
        EXPECT_FALSE(d.message_id.empty());
        EXPECT_EQ(outbox->find(d.message_id)->kind, "booking-notice");
    }
    auto mine = of("kim");
    ASSERT_EQ(mine.size(), 2u);
    for (const auto& d : mine) {
        EXPECT_FALSE(d.sent);
        EXPECT_EQ(d.reason, SkipReason::consent_after_booking);
        EXPECT_NE(d.reason_text.find("after the event was booked"), std::string::npos) << d.reason_text;
    }
    auto request = sending::DecisionLog(*db).request(jo[0].request_id);
    ASSERT_TRUE(request);
    EXPECT_EQ(request->kind, "booking-notice");
    EXPECT_EQ(request->about, "ev1");

    events->put(*snapshot, e); // the same PUT again: nothing new sent or recorded
    EXPECT_EQ(of("jo").size(), 2u);
    EXPECT_EQ(of("kim").size(), 2u);
}

TEST_F(WorkerNoticesTest, AnEventUpdateNobodyMayGetIsRecordedForEachClient) {
    snapshot->settings.client_delivery.enabled = false;
    auto applied = events->put(*snapshot, event(kNow + 48 * kHour));
    ASSERT_EQ(applied.client_notice.kind, MessageKind::booking_notice);
    ASSERT_TRUE(applied.client_notice.sent);
    EXPECT_FALSE(applied.client_notice.sent->any_sent());
    sending::DecisionFilter filter;
    filter.client = "jo";
    auto decisions = sending::DecisionLog(*db).find(filter);
    ASSERT_EQ(decisions.size(), 1u);
    EXPECT_FALSE(decisions[0].channel) << "the reason holds for every channel";
    EXPECT_EQ(decisions[0].reason, SkipReason::client_delivery_disabled);
}

TEST_F(WorkerNoticesTest, LastMinuteBookingGoesToTheWorkersOnTheirChannelsAndSaysWhyNotForOthers) {
    const TimeMs start = kNow + 2 * kHour;
    auto applied = events->put(*snapshot, event(start));
    EXPECT_EQ(applied.change.what, Happening::booked);
    ASSERT_EQ(applied.worker_notice.kind, MessageKind::last_minute_booking);
    ASSERT_TRUE(applied.worker_notice.sent);
    const sending::SentRequest& notice = *applied.worker_notice.sent;
    EXPECT_FALSE(notice.replayed);
    EXPECT_EQ(notice.request.kind, "last-minute-booking");
    EXPECT_EQ(notice.request.about, "ev1");

    // Ana by email and SMS; Ben is logged in and asked for messages only when he is not.
    ASSERT_EQ(notice.decisions.size(), 3u);
    int sent = 0;
    for (const auto& d : notice.decisions) {
        if (d.recipient_id == "ana") {
            EXPECT_TRUE(d.sent);
            EXPECT_FALSE(d.message_id.empty());
            ++sent;
        } else {
            EXPECT_FALSE(d.sent);
            EXPECT_EQ(d.reason, SkipReason::online);
        }
    }
    EXPECT_EQ(sent, 2);
    EXPECT_EQ(applied.message_ids.size(), 2u);

    auto mail = claim("mail");
    ASSERT_EQ(mail.size(), 1u);
    EXPECT_EQ(mail[0].kind, "last-minute-booking");
    EXPECT_EQ(mail[0].to, "ana@agency.example");
    EXPECT_EQ(mail[0].expires_at, start); // worth nothing once the event started
    EXPECT_NE(mail[0].subject.find("Last-minute booking"), std::string::npos) << mail[0].subject;
    auto sms = claim("sms");
    ASSERT_EQ(sms.size(), 1u);
    EXPECT_EQ(sms[0].to, "+61491570100");

    // The message log answers "why did Ben get nothing?".
    auto ben = decisions_of("ben");
    ASSERT_EQ(ben.size(), 1u);
    EXPECT_EQ(ben[0].reason, SkipReason::online);
    EXPECT_EQ(ben[0].request_id, notice.request.id);
    EXPECT_EQ(decisions_of("ana").size(), 2u);

    // A repeated PUT changes nothing and sends nothing.
    auto again = events->put(*snapshot, event(start));
    EXPECT_EQ(again.change.what, Happening::nothing);
    EXPECT_FALSE(again.worker_notice.kind);
    EXPECT_FALSE(again.worker_notice.sent);
    EXPECT_EQ(queued(), 0);
    EXPECT_EQ(decisions_of("ana").size(), 2u);
}

TEST_F(WorkerNoticesTest, NoLastMinuteNoticeForABookingMadeEarlierOrWithTheSettingOff) {
    auto applied = events->put(*snapshot, event(kNow + 5 * kHour));
    EXPECT_FALSE(applied.worker_notice.kind);
    EXPECT_EQ(applied.worker_notice.skipped, SkipReason::not_within);
    EXPECT_FALSE(applied.worker_notice.sent);

    snapshot->settings.worker_delivery.last_minute_booking_hours = 0;
    ServiceEvent e = event(kNow + kHour);
    e.id = "ev2";
    applied = events->put(*snapshot, e);
    EXPECT_EQ(applied.worker_notice.skipped, SkipReason::setting_off);
    EXPECT_EQ(queued(), 0);
    EXPECT_TRUE(decisions_of("ana").empty());
}

TEST_F(WorkerNoticesTest, WorkerDeliveryOffIsRecordedForEachWorker) {
    snapshot->settings.worker_delivery.enabled = false;
    auto applied = events->put(*snapshot, event(kNow + kHour));
    ASSERT_TRUE(applied.worker_notice.sent);
    ASSERT_EQ(applied.worker_notice.sent->decisions.size(), 2u); // Ana and Ben
    for (const auto& d : applied.worker_notice.sent->decisions) {
        EXPECT_FALSE(d.sent);
        EXPECT_EQ(d.reason, SkipReason::worker_delivery_disabled);
    }
    EXPECT_EQ(queued(), 0);
}

TEST_F(WorkerNoticesTest, NoShowNotifiesTheWorkersOnceEvenWhenMarkedAgain) {
    const TimeMs start = kNow + 24 * kHour;
    ServiceEvent e = event(start);
    events->put(*snapshot, e);
    clock.set(start + 30 * kMinute);
    e.status = EventStatus::no_show;
    auto applied = events->put(*snapshot, e);
    EXPECT_EQ(applied.change.what, Happening::marked_no_show);
    ASSERT_EQ(applied.worker_notice.kind, MessageKind::no_show);
    ASSERT_TRUE(applied.worker_notice.sent);
    EXPECT_EQ(applied.message_ids.size(), 2u); // Ana by email and SMS
    auto mail = claim("mail");
    ASSERT_EQ(mail.size(), 1u);
    EXPECT_EQ(mail[0].kind, "no-show");
    EXPECT_NE(mail[0].body.find("did not arrive"), std::string::npos) << mail[0].body;

    // Reverted by mistake and marked again: the same appointment's no-show is not told twice.
    e.status = EventStatus::booked;
    events->put(*snapshot, e);
    e.status = EventStatus::no_show;
    auto again = events->put(*snapshot, e);
    EXPECT_EQ(again.change.what, Happening::marked_no_show);
    ASSERT_TRUE(again.worker_notice.sent);
    EXPECT_TRUE(again.worker_notice.sent->replayed);
    EXPECT_EQ(again.worker_notice.sent->request.id, applied.worker_notice.sent->request.id);
    EXPECT_TRUE(again.message_ids.empty());
    EXPECT_EQ(queued(), 1); // only the SMS of the first notice, still unclaimed
}

TEST_F(WorkerNoticesTest, NoShowOfAGroupEventOrWithTheSettingOffSendsNothing) {
    ServiceEvent e = event(kNow + 24 * kHour);
    e.group = true;
    events->put(*snapshot, e);
    e.status = EventStatus::no_show;
    auto applied = events->put(*snapshot, e);
    EXPECT_EQ(applied.change.what, Happening::marked_no_show);
    EXPECT_EQ(applied.worker_notice.skipped, SkipReason::group_event);
    EXPECT_FALSE(applied.worker_notice.sent);

    snapshot->settings.worker_delivery.notify_no_show = false;
    e.id = "ev2";
    e.group = false;
    e.status = EventStatus::booked;
    events->put(*snapshot, e);
    e.status = EventStatus::no_show;
    applied = events->put(*snapshot, e);
    EXPECT_EQ(applied.worker_notice.skipped, SkipReason::setting_off);
    EXPECT_EQ(queued(), 0);
}

// Event Notification's detail level (Worker Delivery > Delivery Details) governs the automated notices.
TEST_F(WorkerNoticesTest, EventNotificationDisallowedSkipsTheNoticesWithTheReason) {
    snapshot->settings.worker_delivery.detail_levels[static_cast<std::size_t>(rendering::CollaborationType::event_notification)] =
        rendering::DetailLevel::disallow;
    ServiceEvent e = event(kNow + kHour);
    auto applied = events->put(*snapshot, e);
    ASSERT_EQ(applied.worker_notice.kind, MessageKind::last_minute_booking);
    e.status = EventStatus::no_show;
    clock.set(e.start + kMinute);
    EXPECT_EQ(events->put(*snapshot, e).worker_notice.kind, MessageKind::no_show);
    EXPECT_EQ(queued(), 0);
    auto ana = decisions_of("ana");
    ASSERT_EQ(ana.size(), 2u); // the last-minute booking and the no-show notice
    for (const auto& d : ana) {
        EXPECT_EQ(d.reason, SkipReason::detail_level_disallow);
        EXPECT_NE(d.reason_text.find("Event Notification"), std::string::npos) << d.reason_text;
    }
}

TEST_F(WorkerNoticesTest, EventNotificationSubjectOnlyKeepsTheRestInPenelope) {
    snapshot->settings.worker_delivery.detail_levels[static_cast<std::size_t>(rendering::CollaborationType::event_notification)] =
        rendering::DetailLevel::subject_only;
    events->put(*snapshot, event(kNow + 2 * kHour));
    auto mail = claim("mail");
    ASSERT_EQ(mail.size(), 1u);
    EXPECT_NE(mail[0].subject.find("Last-minute booking"), std::string::npos) << mail[0].subject;
    EXPECT_EQ(mail[0].body, "Only the subject of this Event Notification leaves Penelope. Log in to Penelope to read it.\n");
    auto sms = claim("sms");
    ASSERT_EQ(sms.size(), 1u);
    EXPECT_EQ(sms[0].body, mail[0].subject); // the SMS is the subject alone
}

// ---- the confirmation's sender ----

class SenderCopyTest : public WorkerNoticesTest {
protected:
    void SetUp() override {
        WorkerNoticesTest::SetUp();
        auto& s = snapshot->settings;
        s.worker_delivery.last_minute_booking_hours = 0;
        s.client_delivery.enabled = true;
        s.client_delivery.confirmation.enabled = true;
        s.client_delivery.confirmation.hours_before = 24;
        s.client_delivery.confirmation.sender_worker = "sam";
        put(worker("sam", ChannelChoice::sms));
    }
};

TEST_F(SenderCopyTest, TheSenderGetsACopyOfEachConfirmationOnTheirEventNotificationChannels) {
    const TimeMs start = kNow + 3 * 24 * kHour;
    events->put(*snapshot, event(start));
    clock.set(start - 24 * kHour);
    auto run = scheduler->run_once();
    EXPECT_EQ(run.claimed, 1);
    EXPECT_EQ(run.enqueued, 3); // Jo by email and SMS, Sam's copy by SMS

    auto sms = claim("sms");
    ASSERT_EQ(sms.size(), 2u);
    const OutboundMessage& copy = sms[0].kind == "confirmation-copy" ? sms[0] : sms[1];
    EXPECT_EQ(copy.kind, "confirmation-copy");
    EXPECT_EQ(copy.to, "+61491570100");
    EXPECT_EQ(copy.expires_at, start);
    EXPECT_NE(copy.body.find("Copy of a client's appointment confirmation"), std::string::npos) << copy.body;
    auto sam = decisions_of("sam");
    ASSERT_EQ(sam.size(), 1u);
    EXPECT_TRUE(sam[0].sent);
    EXPECT_EQ(sam[0].message_id, copy.id);
    auto request = sending::DecisionLog(*db).request(sam[0].request_id);
    ASSERT_TRUE(request);
    EXPECT_EQ(request->kind, "confirmation-copy");
    EXPECT_EQ(request->client, "jo");
}

TEST_F(SenderCopyTest, NoCopyWhenTheClientGotNothingAndWhyNotWhenTheSenderIsLoggedIn) {
    // Jo withdraws SMS and email consent: the confirmation goes nowhere, so there is nothing to copy.
    const TimeMs start = kNow + 3 * 24 * kHour;
    events->put(*snapshot, event(start));
    put(agency::ClientUpdate{"jo", "Jo", {}, std::string(), std::string()});
    clock.set(start - 24 * kHour);
    EXPECT_EQ(scheduler->run_once().enqueued, 0);
    EXPECT_TRUE(decisions_of("sam").empty());

    // Another event, Jo consenting again first; Sam now only wants messages when not logged in, and is.
    clock.advance(kMinute);
    put(agency::ClientUpdate{"jo", "Jo", {{"home", Channel::email, "jo@example.org", true}}, std::string("home"),
                             std::nullopt});
    agency::Worker offline_only = worker("sam", ChannelChoice::sms);
    offline_only.message_settings.only_when_offline = true;
    put(offline_only);
    ASSERT_TRUE(people->set_presence("sam", true));
    clock.advance(kMinute);
    ServiceEvent e = event(start + 24 * kHour);
    e.id = "ev2";
    events->put(*snapshot, e);
    clock.set(e.start - 24 * kHour);
    auto run = scheduler->run_once();
    EXPECT_EQ(run.enqueued, 1); // Jo by email only
    auto sam = decisions_of("sam");
    ASSERT_EQ(sam.size(), 1u);
    EXPECT_FALSE(sam[0].sent);
    EXPECT_EQ(sam[0].reason, SkipReason::online);
}

TEST_F(SenderCopyTest, NoSenderNoCopy) {
    snapshot->settings.client_delivery.confirmation.sender_worker.clear();
    const TimeMs start = kNow + 3 * 24 * kHour;
    events->put(*snapshot, event(start));
    clock.set(start - 24 * kHour);
    EXPECT_EQ(scheduler->run_once().enqueued, 2);
    EXPECT_TRUE(decisions_of("sam").empty());
}

} // namespace
} // namespace extcomm::events
