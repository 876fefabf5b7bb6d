// Confirmations and reminders as schedule rows, driven by a ManualClock (nothing sleeps), on both drivers:
// booking creates them, a reschedule moves them, a cancellation removes them, the misfire rule, a DST
// change between booking and event, and a restart after a crash between claim and commit.
#include "events_fixture.hpp"

#include <events/scheduler.hpp>
#include <events/service_event_store.hpp>
#include <events/service_events.hpp>

#include <Poco/Data/Transaction.h>

#include <gtest/gtest.h>

#include <memory>
#include <stdexcept>

namespace extcomm::events {
namespace {

using agency::ChannelChoice;

using testing::kHour;
using testing::kMinute;
// Sydney moves from AEST (+10) to AEDT (+11) on 2026-10-04 at 02:00 local.
constexpr TimeMs kBookedAt = testing::kNow;
// 2026-10-05 09:00 AEDT = 2026-10-04 22:00 UTC, the day after the change.
constexpr TimeMs kNineAmAfterDst = 1'791'151'200'000;

class SchedulesTest : public testing::EventsTest {
protected:
    void SetUp() override {
        EventsTest::SetUp();
        auto& s = snapshot->settings;
        s.general.time_zone = "UTC";
        s.client_delivery.enabled = true;
        s.client_delivery.confirmation.enabled = true;
        s.client_delivery.confirmation.hours_before = 24;

        agency::Worker ana = worker("ana", ChannelChoice::email);
        ana.first_name = "Ana";
        ana.email = "ana@example.org";
        ana.message_settings.reminder_minutes = 30;
        ana.message_settings.first_event_reminder_minutes = 120;
        put(ana);
        ASSERT_TRUE(std::holds_alternative<agency::Saved>(
            people->put_site({"north", "North", "0291234567", "1 Main St", "Australia/Sydney", 0}, s.general)));
        // Consent given before the booking (the clock is an hour before kBookedAt).
        put(agency::ClientUpdate{"jo", "Jo",
                                 {{"home", Channel::email, "jo@example.org", true}, {"mob", Channel::sms, "0491570156", true}},
                                 std::string("home"), std::string("mob")});
        clock.set(kBookedAt);
    }
    // Ana's first event of service file sf1, at the North site.
    ServiceEvent event(TimeMs start) const {
        ServiceEvent e = EventsTest::event("ev1", start);
        e.workers = {{"ana", true}};
        e.site = "north";
        e.service_file = "sf1";
        e.first_event = true;
        return e;
    }
    std::vector<Schedule> pending() {
        auto c = db->connect();
        return pending_schedules(c, "ev1");
    }
    std::vector<OutboundMessage> claim(const std::string& transport) { return outbox->claim(transport, "test", 100); }
};

TEST_F(SchedulesTest, BookingCreatesConfirmationAndRemindersThatFireOnceAtTheirTime) {
    TimeMs start = kBookedAt + 3 * 24 * kHour;
    auto applied = events->put(*snapshot, event(start));
    EXPECT_EQ(applied.change.what, Happening::booked);
    std::vector<Schedule> expected = {
        {"ev1", "jo", ScheduleKind::confirmation, start - 24 * kHour, start},
        {"ev1", "ana", ScheduleKind::first_event_reminder, start - 120 * kMinute, start},
        {"ev1", "ana", ScheduleKind::worker_reminder, start - 30 * kMinute, start},
    };
    EXPECT_EQ(pending(), expected);

    clock.set(start - 24 * kHour - 1);
    EXPECT_EQ(scheduler->run_once().claimed, 0);
    clock.set(start - 24 * kHour);
    auto run = scheduler->run_once();
    EXPECT_EQ(run.claimed, 1);
    EXPECT_EQ(run.enqueued, 2); // email and SMS, both consented before the booking
    auto sms = claim("sms");
    ASSERT_EQ(sms.size(), 1u);
    EXPECT_EQ(sms[0].to, "+61491570156");
    EXPECT_EQ(sms[0].kind, "confirmation");
    EXPECT_EQ(sms[0].expires_at, start);
    EXPECT_EQ(scheduler->run_once().claimed, 0); // fired once

    clock.set(start - 30 * kMinute);
    run = scheduler->run_once();
    EXPECT_EQ(run.claimed, 2);
    EXPECT_EQ(run.enqueued, 2); // two reminders to Ana, by email (her choice)
    EXPECT_TRUE(pending().empty());
}

TEST_F(SchedulesTest, RescheduleMovesPendingSchedulesAndCancellationRemovesThem) {
    TimeMs start = kBookedAt + 3 * 24 * kHour;
    ServiceEvent e = event(start);
    events->put(*snapshot, e);
    e.start += 2 * 24 * kHour;
    e.end += 2 * 24 * kHour;
    clock.advance(kHour);
    auto applied = events->put(*snapshot, e);
    EXPECT_EQ(applied.change.what, Happening::rescheduled);
    auto moved = pending();
    ASSERT_EQ(moved.size(), 3u);
    for (const auto& s : moved) EXPECT_EQ(s.event_start, e.start);
    EXPECT_EQ(moved[0].run_at, e.start - 24 * kHour);

    // Nothing fires at the old times.
    clock.set(start - 30 * kMinute);
    EXPECT_EQ(scheduler->run_once().claimed, 0);

    e.status = EventStatus::cancelled;
    EXPECT_EQ(events->put(*snapshot, e).change.what, Happening::cancelled);
    EXPECT_TRUE(pending().empty());
    clock.set(e.start);
    EXPECT_EQ(scheduler->run_once().claimed, 0);
    EXPECT_EQ(queued(), 0); // booking and reschedule notices are off in these settings
}

TEST_F(SchedulesTest, MisfireRuleNothingWhosTimeHasPassedAndNothingAfterTheEventStarted) {
    // Booked 1 hour ahead: the 24-hour confirmation and the 2-hour reminder have passed; the 30-minute stays.
    TimeMs start = kBookedAt + kHour;
    events->put(*snapshot, event(start));
    auto rows = pending();
    ASSERT_EQ(rows.size(), 1u);
    EXPECT_EQ(rows[0].kind, ScheduleKind::worker_reminder);

    // The host was down until after the event started: the reminder is dropped, not sent late.
    clock.set(start + 1);
    auto run = scheduler->run_once();
    EXPECT_EQ(run.claimed, 1);
    EXPECT_EQ(run.dropped, 1);
    EXPECT_EQ(run.enqueued, 0);
    EXPECT_EQ(queued(), 0);
}

TEST_F(SchedulesTest, ConfirmationOnlyOnChannelsConsentedBeforeTheBooking) {
    // Jo's SMS consent is given after the booking: the confirmation goes by email only.
    TimeMs start = kBookedAt + 3 * 24 * kHour;
    events->put(*snapshot, event(start));
    clock.advance(kMinute);
    agency::ClientUpdate u{"jo", "Jo",
                           {{"home", Channel::email, "jo@example.org", true}, {"mob2", Channel::sms, "0491570157", true}},
                           std::nullopt, std::string("mob2")};
    ASSERT_TRUE((std::holds_alternative<std::pair<agency::Saved, agency::Client>>(
        people->put_client(u, snapshot->settings.general))));
    clock.set(start - 24 * kHour);
    auto run = scheduler->run_once();
    EXPECT_EQ(run.enqueued, 1);
    EXPECT_EQ(run.skipped, 1);
    EXPECT_TRUE(claim("sms").empty());
    EXPECT_EQ(claim("mail").size(), 1u);
}

TEST_F(SchedulesTest, DstChangeBetweenBookingAndEventFiresAtTheRightInstant) {
    // Booked on AEST (+10) for 9:00am AEDT (+11) the day after the change: 24 hours before is
    // 2026-10-03 22:00 UTC (9:00am local on the day of the change, after it), not 23:00 UTC.
    events->put(*snapshot, event(kNineAmAfterDst));
    auto rows = pending();
    ASSERT_FALSE(rows.empty());
    EXPECT_EQ(rows[0].kind, ScheduleKind::confirmation);
    EXPECT_EQ(rows[0].run_at, kNineAmAfterDst - 24 * kHour);
    EXPECT_EQ(rows[0].run_at, 1'791'064'800'000);

    clock.set(rows[0].run_at - 1);
    EXPECT_EQ(scheduler->run_once().claimed, 0);
    clock.set(rows[0].run_at);
    EXPECT_EQ(scheduler->run_once().enqueued, 2);
    auto sms = claim("sms");
    ASSERT_EQ(sms.size(), 1u);
    // The message shows the site's local time on the event's day.
    EXPECT_NE(sms[0].body.find("Mon 5 Oct"), std::string::npos) << sms[0].body;
    EXPECT_NE(sms[0].body.find("9:00am"), std::string::npos) << sms[0].body;
}

TEST_F(SchedulesTest, RestartAfterACrashBetweenClaimAndCommitLosesNothingAndDoublesNothing) {
    TimeMs start = kBookedAt + 3 * 24 * kHour;
    events->put(*snapshot, event(start));
    clock.set(start - 30 * kMinute); // all three due
    scheduler->set_before_commit([] { throw std::runtime_error("crash"); });
    EXPECT_THROW(scheduler->run_once(), std::runtime_error);
    EXPECT_EQ(queued(), 0);
    EXPECT_EQ(pending().size(), 3u); // rolled back: nothing lost

    // "Restart": a new store handle and a new Scheduler on the same store.
    scheduler.reset();
    events.reset();
    people.reset();
    open();
    make();
    auto run = scheduler->run_once();
    EXPECT_EQ(run.claimed, 3);
    EXPECT_EQ(run.enqueued, 4); // confirmation by email and SMS, two reminders by email
    EXPECT_EQ(queued(), 4);
    EXPECT_EQ(scheduler->run_once().claimed, 0);
    EXPECT_EQ(queued(), 4); // nothing doubled

    // Even a row put back by hand (a second host that claimed it before the first one's commit) is not sent
    // twice: the idempotency key is the same.
    {
        auto c = db->connect();
        replace_schedules(c, "ev1", {{"ev1", "ana", ScheduleKind::worker_reminder, start - 30 * kMinute, start}});
    }
    EXPECT_EQ(scheduler->run_once().claimed, 1);
    EXPECT_EQ(queued(), 4);
}

TEST_F(SchedulesTest, GroupEventsGetNoFirstEventReminder) {
    ServiceEvent e = event(kBookedAt + 3 * 24 * kHour);
    e.group = true;
    events->put(*snapshot, e);
    for (const auto& s : pending()) EXPECT_NE(s.kind, ScheduleKind::first_event_reminder);
    EXPECT_EQ(pending().size(), 2u);
}

TEST_F(SchedulesTest, BookingNoticeGoesOutOnceAndARevertSendsNone) {
    snapshot->settings.client_delivery.send_booking_notification = true;
    snapshot->settings.client_delivery.send_reschedule_notification = true;
    ServiceEvent e = event(kBookedAt + 3 * 24 * kHour);
    auto applied = events->put(*snapshot, e);
    EXPECT_EQ(applied.notices.update, EventUpdate::booking_notice);
    EXPECT_EQ(applied.message_ids.size(), 2u);
    EXPECT_EQ(events->put(*snapshot, e).change.what, Happening::nothing); // a repeated PUT
    EXPECT_EQ(queued(), 2);
    auto sms = claim("sms");
    ASSERT_EQ(sms.size(), 1u);
    EXPECT_EQ(sms[0].kind, "booking_notice");

    e.status = EventStatus::cancelled;
    events->put(*snapshot, e);
    e.status = EventStatus::booked;
    auto reverted = events->put(*snapshot, e);
    EXPECT_EQ(reverted.change.what, Happening::reverted_to_booked);
    EXPECT_TRUE(reverted.message_ids.empty());
    EXPECT_EQ(reverted.schedules.size(), 3u); // the schedules come back with the event

    e.start += kHour;
    e.end += kHour;
    auto moved = events->put(*snapshot, e);
    EXPECT_EQ(moved.notices.update, EventUpdate::reschedule_notice);
    EXPECT_EQ(moved.message_ids.size(), 2u);
}

} // namespace
} // namespace extcomm::events
