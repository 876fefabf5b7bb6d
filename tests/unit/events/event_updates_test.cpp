// The seed's table "When Event Update Messages are Sent", row by row, through what_happened and
// decide_event_update; consent before and after the booking; the settings that switch notices off.
#include <events/event_change.hpp>
#include <events/event_updates.hpp>

#include <gtest/gtest.h>

namespace extcomm::events {
namespace {

constexpr TimeMs kHour = 3'600'000;
constexpr const char* kZone = "Australia/Sydney";
// 2026-11-23 02:00 UTC = 13:00 in Sydney (AEDT, +11).
constexpr TimeMs kNow = 1'795'399'200'000;

agency::AgencySettings enabled_settings() {
    agency::AgencySettings s;
    s.email.enabled = true;
    s.email.transport = "smtp";
    s.sms.enabled = true;
    s.sms.transport = "bulksms";
    s.client_delivery.enabled = true;
    s.client_delivery.send_booking_notification = true;
    s.client_delivery.send_reschedule_notification = true;
    return s;
}

agency::Client consenting_client(TimeMs consented_at) {
    agency::Client c;
    c.id = "c1";
    c.email = {"home", "c1@example.org", consented_at};
    c.sms = {"mobile", "+61491570156", consented_at};
    return c;
}

ServiceEvent event_at(TimeMs start, EventStatus status = EventStatus::booked) {
    ServiceEvent e;
    e.id = "e1";
    e.start = start;
    e.end = start + kHour;
    e.status = status;
    e.workers = {{"w1", true}};
    e.clients = {{"c1", true}};
    e.booked_at = kNow - 1000;
    return e;
}

// When the event occurs in the seed's table.
TimeMs start_for(EventTiming timing) {
    switch (timing) {
    case EventTiming::future: return kNow + 26 * kHour;
    case EventTiming::past_same_day: return kNow - 2 * kHour;  // 11:00 the same day in Sydney
    case EventTiming::past: return kNow - 48 * kHour;
    }
    return kNow;
}

enum class Action { booking, reverting, rescheduling };

struct Row {
    Action action;
    EventTiming occurs;
    bool sent;
};

std::string row_name(const Row& r) {
    const char* a = r.action == Action::booking ? "booking" : r.action == Action::reverting ? "reverting" : "rescheduling";
    return std::string(a) + " " + std::string(to_string(r.occurs));
}

NoticePlan run(const Row& r) {
    ServiceEvent current = event_at(start_for(r.occurs));
    std::optional<ServiceEvent> previous;
    if (r.action == Action::reverting) previous = event_at(current.start, EventStatus::cancelled);
    if (r.action == Action::rescheduling) previous = event_at(current.start + 3 * kHour);
    EventChange change = what_happened(previous, current, kNow, kZone);
    EXPECT_EQ(change.when, r.occurs) << row_name(r);
    Happening expected = r.action == Action::booking     ? Happening::booked
                         : r.action == Action::reverting ? Happening::reverted_to_booked
                                                         : Happening::rescheduled;
    EXPECT_EQ(change.what, expected) << row_name(r);
    return decide_event_update(enabled_settings(), change, current, {consenting_client(kNow - 10 * kHour)});
}

TEST(EventUpdateTable, EveryRowOfTheSeedsTable) {
    const Row table[] = {
        {Action::booking, EventTiming::future, true},
        {Action::booking, EventTiming::past_same_day, false},
        {Action::booking, EventTiming::past, false},
        {Action::reverting, EventTiming::future, false},
        {Action::reverting, EventTiming::past_same_day, false},
        {Action::reverting, EventTiming::past, false},
        {Action::rescheduling, EventTiming::future, true},
        {Action::rescheduling, EventTiming::past_same_day, true},
        {Action::rescheduling, EventTiming::past, true},
    };
    for (const Row& r : table) {
        NoticePlan plan = run(r);
        if (r.sent) {
            EXPECT_EQ(plan.update, r.action == Action::booking ? EventUpdate::booking_notice : EventUpdate::reschedule_notice)
                << row_name(r);
            ASSERT_EQ(plan.decisions.size(), 2u) << row_name(r);
            for (const auto& d : plan.decisions) EXPECT_TRUE(d.sent) << row_name(r);
        } else {
            EXPECT_EQ(plan.update, EventUpdate::none) << row_name(r);
            EXPECT_EQ(plan.skipped, NoticeSkip::no_event_update) << row_name(r);
            EXPECT_TRUE(plan.decisions.empty()) << row_name(r);
        }
    }
}

TEST(EventUpdateTable, SameDayIsTheLocalDayNotTheUtcDay) {
    // 00:30 in Sydney on 23 Nov is 13:30 UTC on 22 Nov: an event at 00:10 local is the same local day.
    TimeMs now = 1'795'354'200'000;  // 2026-11-22 13:30 UTC
    TimeMs start = now - 20 * 60'000; // 00:10 AEDT
    EXPECT_EQ(event_timing(start, now, kZone), EventTiming::past_same_day);
    // An hour earlier is 23:30 on 22 Nov in Sydney: the previous local day, though the same UTC day.
    EXPECT_EQ(event_timing(now - kHour, now, kZone), EventTiming::past);
    EXPECT_EQ(event_timing(now - kHour, now, "UTC"), EventTiming::past_same_day);
}

TEST(WhatHappened, EachChange) {
    ServiceEvent booked = event_at(kNow + 26 * kHour);
    EXPECT_EQ(what_happened(std::nullopt, booked, kNow, kZone).what, Happening::booked);
    EXPECT_EQ(what_happened(booked, booked, kNow, kZone).what, Happening::nothing);

    ServiceEvent moved = booked;
    moved.start += kHour;
    moved.end += kHour;
    auto change = what_happened(booked, moved, kNow, kZone);
    EXPECT_EQ(change.what, Happening::rescheduled);
    EXPECT_EQ(change.original_start, booked.start);

    ServiceEvent cancelled = booked;
    cancelled.status = EventStatus::cancelled;
    EXPECT_EQ(what_happened(booked, cancelled, kNow, kZone).what, Happening::cancelled);
    EXPECT_EQ(what_happened(cancelled, cancelled, kNow, kZone).what, Happening::nothing);
    EXPECT_EQ(what_happened(cancelled, booked, kNow, kZone).what, Happening::reverted_to_booked);
    // Reverting at another time is still a revert, never a reschedule.
    EXPECT_EQ(what_happened(cancelled, moved, kNow, kZone).what, Happening::reverted_to_booked);

    ServiceEvent no_show = booked;
    no_show.status = EventStatus::no_show;
    EXPECT_EQ(what_happened(booked, no_show, kNow, kZone).what, Happening::marked_no_show);
    EXPECT_EQ(what_happened(no_show, no_show, kNow, kZone).what, Happening::nothing);
    EXPECT_EQ(what_happened(no_show, booked, kNow, kZone).what, Happening::reverted_to_booked);

    ServiceEvent arrived = booked;
    arrived.status = EventStatus::arrived;
    EXPECT_EQ(what_happened(booked, arrived, kNow, kZone).what, Happening::nothing);
}

EventChange future_booking() {
    EventChange change;
    change.what = Happening::booked;
    change.when = EventTiming::future;
    return change;
}

TEST(EventUpdateConsent, ConsentBeforeBookingIsSentAfterIsNot) {
    ServiceEvent e = event_at(kNow + 26 * kHour);
    auto before = decide_event_update(enabled_settings(), future_booking(), e, {consenting_client(e.booked_at - 1)});
    ASSERT_EQ(before.decisions.size(), 2u);
    EXPECT_TRUE(before.decisions[0].sent);
    EXPECT_TRUE(before.decisions[1].sent);
    EXPECT_EQ(before.decisions[0].to, "c1@example.org");
    EXPECT_EQ(before.decisions[1].to, "+61491570156");

    for (TimeMs consented : {e.booked_at, e.booked_at + 1}) {
        auto after = decide_event_update(enabled_settings(), future_booking(), e, {consenting_client(consented)});
        ASSERT_EQ(after.decisions.size(), 2u);
        for (const auto& d : after.decisions) {
            EXPECT_FALSE(d.sent);
            EXPECT_EQ(d.reason, NoticeSkip::consent_after_booking);
        }
    }
}

TEST(EventUpdateConsent, OnlyConsentedChannelsAndEachChannelOnItsOwnDate) {
    ServiceEvent e = event_at(kNow + 26 * kHour);
    agency::Client c = consenting_client(e.booked_at - 1);
    c.sms = {};                     // no SMS consent
    auto plan = decide_event_update(enabled_settings(), future_booking(), e, {c});
    ASSERT_EQ(plan.decisions.size(), 2u);
    EXPECT_TRUE(plan.decisions[0].sent);
    EXPECT_EQ(plan.decisions[1].reason, NoticeSkip::no_consent);

    c = consenting_client(e.booked_at - 1);
    c.email.consented_at = e.booked_at + 5; // email consent came later, SMS before
    plan = decide_event_update(enabled_settings(), future_booking(), e, {c});
    EXPECT_EQ(plan.decisions[0].reason, NoticeSkip::consent_after_booking);
    EXPECT_TRUE(plan.decisions[1].sent);
}

TEST(EventUpdateSettings, ClientDeliveryAndTheMatchingSettingAndChannels) {
    ServiceEvent e = event_at(kNow + 26 * kHour);
    auto client = consenting_client(e.booked_at - 1);

    auto s = enabled_settings();
    s.client_delivery.enabled = false;
    EXPECT_EQ(decide_event_update(s, future_booking(), e, {client}).skipped, NoticeSkip::client_delivery_disabled);

    s = enabled_settings();
    s.client_delivery.send_booking_notification = false;
    EXPECT_EQ(decide_event_update(s, future_booking(), e, {client}).skipped, NoticeSkip::setting_off);
    EventChange reschedule{Happening::rescheduled, EventTiming::future, e.start - kHour};
    EXPECT_TRUE(decide_event_update(s, reschedule, e, {client}).decisions[0].sent); // the other setting

    s = enabled_settings();
    s.client_delivery.send_reschedule_notification = false;
    EXPECT_EQ(decide_event_update(s, reschedule, e, {client}).skipped, NoticeSkip::setting_off);
    EXPECT_TRUE(decide_event_update(s, future_booking(), e, {client}).decisions[0].sent);

    s = enabled_settings();
    s.sms.enabled = false;
    s.email.transport.clear();
    auto plan = decide_event_update(s, future_booking(), e, {client});
    EXPECT_EQ(plan.decisions[0].reason, NoticeSkip::no_transport);
    EXPECT_EQ(plan.decisions[1].reason, NoticeSkip::channel_disabled);
}

} // namespace
} // namespace extcomm::events
