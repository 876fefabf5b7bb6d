#pragma once
// Local date and time as messages show them, in an IANA time zone, DST-correct (the system tzdata
// through Howard Hinnant's date/tz).
//
// Style, chosen for SMS (short) and for people (no 24-hour clock, no ambiguous numeric dates):
//   date "Tue 3 Mar"   weekday, day of month, month; no year, as appointments are weeks ahead at most
//                      and the weekday settles which year anyway
//   time "2:30pm"      12-hour clock with minutes, "12:00pm" is noon, "12:00am" midnight
// Templates put them together: "{{date}} at {{time}}" → "Tue 3 Mar at 2:30pm".
#include <common/clock.hpp>

#include <string>
#include <string_view>
#include <variant>

namespace date {
class time_zone;
}

namespace extcomm::rendering {

struct LocalDateTime {
    std::string date; // "Tue 3 Mar"
    std::string time; // "2:30pm"
};

struct UnknownTimeZone {
    std::string zone;
};

// `at` (Unix ms) as a clock on the wall in `zone` (e.g. "Australia/Sydney") shows it.
std::variant<LocalDateTime, UnknownTimeZone> local_date_time(TimeMs at, std::string_view zone);

// True when the system's time zone database knows `zone`.
bool is_known_time_zone(std::string_view zone);
// The zone, or UTC when `zone` is empty or unknown (what an agency's clock falls back to).
const date::time_zone* zone_or_utc(std::string_view zone);

} // namespace extcomm::rendering
