// The seed's table "When Event Update Messages are Sent", row by row, through what_happened and
// event_update_for; what each change of a service event is. Who gets the notice is the sending
// pipeline's rule (tests/unit/sending/rules_test.cpp).
#include <events/event_change.hpp>

#include <gtest/gtest.h>

namespace extcomm::events {
namespace {

constexpr TimeMs kHour = 3'600'000;
constexpr const char* kZone = "Australia/Sydney";
// 2026-11-23 02:00 UTC = 13:00 in Sydney (AEDT, +11).
constexpr TimeMs kNow = 1'795'399'200'000;

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

std::optional<rendering::MessageKind> run(const Row& r) {
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
    return event_update_for(change);
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
        const auto kind = run(r);
        if (r.sent)
            EXPECT_EQ(kind, r.action == Action::booking ? rendering::MessageKind::booking_notice
                                                        : rendering::MessageKind::reschedule_notice)
                << row_name(r);
        else
            EXPECT_FALSE(kind) << row_name(r);
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

TEST(EventUpdateTable, NothingElseSendsAnEventUpdate) {
    for (Happening what : {Happening::nothing, Happening::cancelled, Happening::marked_no_show})
        for (EventTiming when : {EventTiming::future, EventTiming::past_same_day, EventTiming::past})
            EXPECT_FALSE(event_update_for({what, when, 0})) << to_string(what) << " " << to_string(when);
}

} // namespace
} // namespace extcomm::events
