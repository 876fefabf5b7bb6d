// Local date and time in the site's IANA time zone (else the agency's), correct across DST changes.
#include <rendering/local_time.hpp>
#include <rendering_fixtures.hpp>

using namespace extcomm;
using namespace extcomm::rendering;
using namespace extcomm::rendering::testing;

namespace {

LocalDateTime local(TimeMs at, const char* zone) {
    auto out = local_date_time(at, zone);
    EXPECT_TRUE(std::holds_alternative<LocalDateTime>(out)) << zone;
    return std::holds_alternative<LocalDateTime>(out) ? std::get<LocalDateTime>(out) : LocalDateTime{};
}

} // namespace

TEST(LocalTime, StyleIsWeekdayDayMonthAndTwelveHourClock) {
    EXPECT_EQ(local(utc(2026, 3, 3, 14, 30), "UTC").date, "Tue 3 Mar");
    EXPECT_EQ(local(utc(2026, 3, 3, 14, 30), "UTC").time, "2:30pm");
    EXPECT_EQ(local(utc(2026, 3, 3, 9, 5), "UTC").time, "9:05am");
    EXPECT_EQ(local(utc(2026, 3, 3, 12, 0), "UTC").time, "12:00pm");
    EXPECT_EQ(local(utc(2026, 3, 3, 0, 0), "UTC").time, "12:00am");
    EXPECT_EQ(local(utc(2026, 12, 31, 23, 59), "UTC").date, "Thu 31 Dec");
}

TEST(LocalTime, NineAmTheDayAfterSydneyLeavesDaylightSavingIsNineAm) {
    // Sydney leaves DST on Sun 5 Apr 2026 (3:00 AEDT → 2:00 AEST): 9:00 local is 22:00Z before, 23:00Z after.
    auto before = local(utc(2026, 4, 3, 22, 0), "Australia/Sydney");
    EXPECT_EQ(before.date, "Sat 4 Apr");
    EXPECT_EQ(before.time, "9:00am");
    auto after = local(utc(2026, 4, 5, 23, 0), "Australia/Sydney");
    EXPECT_EQ(after.date, "Mon 6 Apr");
    EXPECT_EQ(after.time, "9:00am");
    // The same UTC hour as before the change is now 8:00am: a fixed offset would have been wrong.
    EXPECT_EQ(local(utc(2026, 4, 5, 22, 0), "Australia/Sydney").time, "8:00am");
}

TEST(LocalTime, NineAmTheDayAfterNewYorkEntersDaylightSavingIsNineAm) {
    // New York enters DST on Sun 8 Mar 2026: 9:00 EST is 14:00Z, 9:00 EDT is 13:00Z.
    EXPECT_EQ(local(utc(2026, 3, 6, 14, 0), "America/New_York").time, "9:00am");
    auto after = local(utc(2026, 3, 9, 13, 0), "America/New_York");
    EXPECT_EQ(after.date, "Mon 9 Mar");
    EXPECT_EQ(after.time, "9:00am");
}

TEST(LocalTime, UnknownZonesAreNamed) {
    auto out = local_date_time(0, "Mars/Olympus_Mons");
    ASSERT_TRUE(std::holds_alternative<UnknownTimeZone>(out));
    EXPECT_EQ(std::get<UnknownTimeZone>(out).zone, "Mars/Olympus_Mons");
    EXPECT_FALSE(is_known_time_zone(""));
    EXPECT_TRUE(is_known_time_zone("Europe/London"));
}

TEST(LocalTime, MessagesUseTheSiteZoneElseTheAgencyZone) {
    TemplateSet templates;
    ASSERT_FALSE(templates.set(MessageKind::worker_reminder, Channel::sms, {"", "{{date}} {{time}}", ""}));
    auto event = appointment(); // 03:30Z
    event.site.time_zone = "Europe/London";
    EXPECT_EQ(rendered(templates, MessageKind::worker_reminder, Channel::sms, event).body, "Tue 3 Mar 3:30am");
    event.site.time_zone.clear(); // the agency's: Sydney
    EXPECT_EQ(rendered(templates, MessageKind::worker_reminder, Channel::sms, event).body, "Tue 3 Mar 2:30pm");
}

TEST(LocalTime, ABookingRenderedAcrossADstChangeShowsTheLocalTimeOfTheEvent) {
    // Booked in March (AEDT), held in April after the change (AEST): the notice says 9:00am.
    TemplateSet templates;
    auto event = appointment();
    event.start = utc(2026, 4, 5, 23, 0);
    auto sms = rendered(templates, MessageKind::booking_notice, Channel::sms, event);
    EXPECT_TRUE(contains(sms.body, "Mon 6 Apr at 9:00am")) << sms.body;
}

TEST(LocalTime, AnUnknownSiteZoneIsRefusedNamingTheField) {
    TemplateSet templates;
    auto event = appointment();
    event.site.time_zone = "Sydney";
    auto error = refused(templates, MessageKind::booking_notice, Channel::sms, event);
    EXPECT_EQ(error.field, "site.time_zone");
    EXPECT_TRUE(contains(error.reason, "\"Sydney\"")) << error.reason;
    RenderSettings settings = agency();
    settings.agency_time_zone = "Nowhere/Town";
    event.site.time_zone.clear();
    EXPECT_EQ(refused(templates, MessageKind::booking_notice, Channel::sms, event, settings).field, "agency_time_zone");
}
