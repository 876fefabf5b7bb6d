#include <rendering/local_time.hpp>

#include <date/tz.h>

#include <chrono>
#include <stdexcept>

namespace extcomm::rendering {

namespace {

const date::time_zone* find_zone(std::string_view zone) {
    if (zone.empty()) return nullptr;
    try {
        return date::locate_zone(std::string(zone));
    } catch (const std::exception&) { // date/tz reports an unknown name by throwing
        return nullptr;
    }
}

} // namespace

bool is_known_time_zone(std::string_view zone) { return find_zone(zone) != nullptr; }

const date::time_zone* zone_or_utc(std::string_view zone) {
    const date::time_zone* tz = find_zone(zone);
    return tz ? tz : date::locate_zone("UTC");
}

std::variant<LocalDateTime, UnknownTimeZone> local_date_time(TimeMs at, std::string_view zone) {
    const date::time_zone* tz = find_zone(zone);
    if (!tz) return UnknownTimeZone{std::string(zone)};
    using namespace std::chrono;
    const sys_time<milliseconds> instant{milliseconds{at}};
    const auto local = date::floor<minutes>(tz->to_local(instant));
    const auto day = date::floor<date::days>(local);
    const date::year_month_day ymd{day};
    const date::weekday wd{day};
    const date::hh_mm_ss<minutes> hms{local - day};

    static constexpr const char* kWeekdays[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
    static constexpr const char* kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                              "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    LocalDateTime out;
    out.date = std::string(kWeekdays[wd.c_encoding()]) + " " + std::to_string(static_cast<unsigned>(ymd.day())) + " " +
               kMonths[static_cast<unsigned>(ymd.month()) - 1];
    const long hour24 = hms.hours().count();
    const long minute = hms.minutes().count();
    const long hour12 = hour24 % 12 == 0 ? 12 : hour24 % 12;
    out.time = std::to_string(hour12) + ":" + (minute < 10 ? "0" : "") + std::to_string(minute) +
               (hour24 < 12 ? "am" : "pm");
    return out;
}

} // namespace extcomm::rendering
