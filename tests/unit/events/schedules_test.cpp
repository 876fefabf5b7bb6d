// Confirmations and reminders as schedule rows, driven by a ManualClock (nothing sleeps), on both drivers:
// booking creates them, a reschedule moves them, a cancellation removes them, the misfire rule, a DST
// change between booking and event, a restart after a crash between claim and commit; what each fired
// row did in the message log (sent, or why not); the Reminder detail level; every reschedule's notice.
#include "events_fixture.hpp"

#include <events/scheduler.hpp>
#include <events/service_event_store.hpp>
#include <events/service_events.hpp>

#include <Poco/Data/Transaction.h>

#include <gtest/gtest.h>

#include <algorithm>
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
    // The message log's decisions about confirmations to a client (not the booking notice, also logged).
    std::vector<sending::Decision> confirmations_to(const std::string& client) {
        std::vector<sending::Decision> out;
        for (auto& d : decisions_of("", client))
            if (pipeline->log().request(d.request_id)->kind == "confirmation") out.push_back(std::move(d));
        std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.channel < b.channel; });
        return out;
    }
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
    pipeline.reset();
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
    EXPECT_EQ(applied.client_notice.kind, rendering::MessageKind::booking_notice);
    EXPECT_EQ(applied.message_ids.size(), 2u);
    EXPECT_EQ(events->put(*snapshot, e).change.what, Happening::nothing); // a repeated PUT
    EXPECT_EQ(queued(), 2);
    auto sms = claim("sms");
    ASSERT_EQ(sms.size(), 1u);
    EXPECT_EQ(sms[0].kind, "booking-notice");

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
    EXPECT_EQ(moved.client_notice.kind, rendering::MessageKind::reschedule_notice);
    EXPECT_EQ(moved.message_ids.size(), 2u);
}

// The decisions, as "channel sent" or "channel reason" ("-": every channel).
std::vector<std::string> logged_lines(const std::vector<sending::Decision>& decisions) {
    std::vector<std::string> out;
    for (const auto& d : decisions)
        out.push_back((d.channel ? std::string(to_string(*d.channel)) : "-") + " " +
                      (d.sent ? "sent" : std::string(to_string(*d.reason))));
    return out;
}

TEST_F(SchedulesTest, FiredConfirmationsAndRemindersAreInTheMessageLog) {
    TimeMs start = kBookedAt + 3 * 24 * kHour;
    events->put(*snapshot, event(start));
    clock.set(start - 24 * kHour);
    scheduler->run_once();
    auto jo = confirmations_to("jo");
    EXPECT_EQ(logged_lines(jo), (std::vector<std::string>{"email sent", "sms sent"}));
    for (const auto& d : jo) EXPECT_FALSE(d.message_id.empty());
    auto request = pipeline->log().request(jo[0].request_id);
    ASSERT_TRUE(request);
    EXPECT_EQ(request->kind, "confirmation");
    EXPECT_EQ(request->about, "ev1");
    EXPECT_EQ(request->client, "jo");

    clock.set(start - 30 * kMinute);
    scheduler->run_once();
    auto ana = decisions_of("ana");
    ASSERT_EQ(ana.size(), 2u); // the first-event and the 30-minute reminders, by email
    for (const auto& d : ana) {
        EXPECT_TRUE(d.sent);
        EXPECT_EQ(pipeline->log().request(d.request_id)->kind, "worker-reminder");
        EXPECT_EQ(outbox->find(d.message_id)->kind, "worker-reminder");
    }
}

TEST_F(SchedulesTest, ConsentWithdrawnSinceTheBookingIsLoggedNoConsent) {
    TimeMs start = kBookedAt + 3 * 24 * kHour;
    events->put(*snapshot, event(start));
    clock.advance(kMinute);
    put(agency::ClientUpdate{"jo", "Jo", {{"home", Channel::email, "jo@example.org", true}}, std::string("home"),
                             std::nullopt});
    clock.set(start - 24 * kHour);
    auto run = scheduler->run_once();
    EXPECT_EQ(run.enqueued, 1);
    EXPECT_EQ(run.skipped, 1);
    EXPECT_EQ(logged_lines(confirmations_to("jo")), (std::vector<std::string>{"email sent", "sms no-consent"}));
}

TEST_F(SchedulesTest, RemindersWithWorkerDeliveryOffOrToAWorkerLoggedInAreLoggedWithWhy) {
    snapshot->settings.client_delivery.confirmation.enabled = false; // only the reminders
    TimeMs start = kBookedAt + 3 * 24 * kHour;
    events->put(*snapshot, event(start));
    snapshot->settings.worker_delivery.enabled = false;
    clock.set(start - 120 * kMinute);
    auto run = scheduler->run_once();
    EXPECT_EQ(run.claimed, 1);
    EXPECT_EQ(run.dropped, 1);
    EXPECT_EQ(logged_lines(decisions_of("ana")), (std::vector<std::string>{"- worker-delivery-disabled"}));

    snapshot->settings.worker_delivery.enabled = true;
    agency::Worker ana = *people->worker("ana");
    ana.message_settings.only_when_offline = true;
    put(ana);
    ASSERT_TRUE(people->set_presence("ana", true));
    clock.set(start - 30 * kMinute);
    run = scheduler->run_once();
    EXPECT_EQ(run.claimed, 1);
    EXPECT_EQ(run.enqueued, 0);
    auto logged = decisions_of("ana"); // newest first
    ASSERT_EQ(logged.size(), 2u);
    EXPECT_EQ(logged[0].reason, sending::SkipReason::online);
    EXPECT_EQ(queued(), 0);
}

TEST_F(SchedulesTest, ARowWhoseEventWasCancelledOrHasStartedIsLoggedSkipped) {
    TimeMs start = kBookedAt + 3 * 24 * kHour;
    ServiceEvent e = event(start);
    events->put(*snapshot, e);
    e.status = EventStatus::cancelled;
    events->put(*snapshot, e);
    // A row another host claimed before the cancellation committed, put back.
    {
        auto c = db->connect();
        replace_schedules(c, "ev1", {{"ev1", "ana", ScheduleKind::worker_reminder, start - 30 * kMinute, start}});
    }
    clock.set(start - 30 * kMinute);
    auto run = scheduler->run_once();
    EXPECT_EQ(run.claimed, 1);
    EXPECT_EQ(run.dropped, 1);
    // The cancellation logged the reminders it withdrew; the row fired after it is logged the same way.
    auto logged = decisions_of("ana");
    ASSERT_GE(logged.size(), 2u);
    for (const auto& d : logged) {
        EXPECT_EQ(d.reason, sending::SkipReason::event_not_booked);
        EXPECT_NE(d.reason_text.find("cancelled"), std::string::npos) << d.reason_text;
    }

    // Booked again, a reminder due 10 minutes before; the host was down until the event started.
    e.status = EventStatus::booked;
    events->put(*snapshot, e);
    {
        auto c = db->connect();
        replace_schedules(c, "ev1", {{"ev1", "ana", ScheduleKind::worker_reminder, start - 10 * kMinute, start}});
    }
    clock.set(start + 1);
    EXPECT_EQ(scheduler->run_once().dropped, 1);
    EXPECT_EQ(queued(), 0);
    const std::size_t before = logged.size();
    logged = decisions_of("ana");
    ASSERT_EQ(logged.size(), before + 1);
    EXPECT_EQ(logged[0].reason, sending::SkipReason::event_started);
}

// Reminders follow the Reminder type's detail level (Worker Delivery > Delivery Details).
TEST_F(SchedulesTest, TheReminderDetailLevelGovernsReminders) {
    snapshot->settings.client_delivery.confirmation.enabled = false; // only the reminders
    TimeMs start = kBookedAt + 3 * 24 * kHour;
    events->put(*snapshot, event(start));
    auto& levels = snapshot->settings.worker_delivery.detail_levels;
    levels[static_cast<std::size_t>(rendering::CollaborationType::reminder)] = rendering::DetailLevel::disallow;
    clock.set(start - 120 * kMinute);
    EXPECT_EQ(scheduler->run_once().enqueued, 0);
    EXPECT_EQ(logged_lines(decisions_of("ana")), (std::vector<std::string>{"- detail-level-disallow"}));

    levels[static_cast<std::size_t>(rendering::CollaborationType::reminder)] = rendering::DetailLevel::subject_only;
    clock.set(start - 30 * kMinute);
    EXPECT_EQ(scheduler->run_once().enqueued, 1);
    auto mail = claim("mail");
    ASSERT_EQ(mail.size(), 1u);
    EXPECT_FALSE(mail[0].subject.empty());
    EXPECT_EQ(mail[0].body, "Only the subject of this Reminder leaves Penelope. Log in to Penelope to read it.\n");
}

// Every reschedule is news of its own: A → B, back to A and to B again are three notices, each with the
// start it moved from and the one it moved to.
TEST_F(SchedulesTest, EveryRescheduleSendsItsOwnNoticeWithItsTimes) {
    snapshot->settings.client_delivery.send_reschedule_notification = true;
    const TimeMs a = kBookedAt + 3 * 24 * kHour, b = a + 24 * kHour;
    ServiceEvent e = event(a);
    events->put(*snapshot, e);
    std::vector<std::pair<TimeMs, TimeMs>> moves = {{a, b}, {b, a}, {a, b}};
    for (const auto& [from, to] : moves) {
        clock.advance(kMinute);
        e.start = to;
        e.end = to + kHour;
        auto applied = events->put(*snapshot, e);
        EXPECT_EQ(applied.change.what, Happening::rescheduled);
        EXPECT_EQ(applied.change.original_start, from);
        ASSERT_TRUE(applied.client_notice.sent);
        EXPECT_FALSE(applied.client_notice.sent->replayed);
        EXPECT_EQ(applied.message_ids.size(), 2u);
    }
    auto mail = claim("mail");
    ASSERT_EQ(mail.size(), 3u);
    std::sort(mail.begin(), mail.end(), [](const auto& x, const auto& y) { return x.created_at < y.created_at; });
    // 10:00am at the North site (Sydney, AEST) on the 23rd (A) and the 24th (B).
    const char* said[] = {"Your Wed 23 Sep appt. has been rescheduled to Thu 24 Sep at 10:00am",
                          "Your Thu 24 Sep appt. has been rescheduled to Wed 23 Sep at 10:00am",
                          "Your Wed 23 Sep appt. has been rescheduled to Thu 24 Sep at 10:00am"};
    for (std::size_t i = 0; i < mail.size(); ++i) {
        EXPECT_EQ(mail[i].kind, "reschedule-notice");
        EXPECT_NE(mail[i].body.find(said[i]), std::string::npos) << mail[i].body;
    }
}

} // namespace
} // namespace extcomm::events
