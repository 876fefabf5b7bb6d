#include <triggers/crossings.hpp>

#include <common/iso_date.hpp>
#include <rendering/local_time.hpp>

#include <date/tz.h>

#include <algorithm>
#include <charconv>
#include <chrono>

namespace extcomm::triggers {
namespace {

using rendering::zone_or_utc;

// The start of `day` on the zone's clock (a day that starts inside a DST gap starts when the gap ends).
TimeMs start_of(date::local_days day, const date::time_zone* tz) {
    using namespace std::chrono;
    const auto info = tz->get_info(day);
    const auto at = info.result == date::local_info::nonexistent ? info.second.begin
                                                                 : tz->to_sys(day, date::choose::earliest);
    return duration_cast<milliseconds>(at.time_since_epoch()).count();
}

int number(std::string_view text) {
    int out = 0;
    std::from_chars(text.data(), text.data() + text.size(), out);
    return out;
}

std::string record_key(const Record& record) { return std::string(to_string(record.kind)) + "/" + record.id; }

} // namespace

std::optional<TimeMs> birthday_at(std::string_view birth_date, int age, std::string_view zone) {
    if (!is_iso_date(birth_date)) return std::nullopt;
    const date::year year{number(birth_date.substr(0, 4)) + age};
    const date::month month{static_cast<unsigned>(number(birth_date.substr(5, 2)))};
    date::day day{static_cast<unsigned>(number(birth_date.substr(8, 2)))};
    if (month == date::February && day == date::day{29} && !year.is_leap()) day = date::day{28};
    return start_of(date::local_days{year / month / day}, zone_or_utc(zone));
}

TimeMs not_completed_at(const StoredRecord& document, int days, std::string_view zone) {
    const date::time_zone* tz = zone_or_utc(zone);
    const boost::json::value* sent = document.current.fields.if_contains("created_at");
    if (sent && sent->is_string() && is_iso_date(sent->as_string())) {
        const std::string_view text = sent->as_string();
        const date::year_month_day created{date::year{number(text.substr(0, 4))},
                                           date::month{static_cast<unsigned>(number(text.substr(5, 2)))},
                                           date::day{static_cast<unsigned>(number(text.substr(8, 2)))}};
        return start_of(date::local_days{created} + date::days{days}, tz);
    }
    using namespace std::chrono;
    const auto local = tz->to_local(sys_time<milliseconds>{milliseconds{document.created_at}}) + date::days{days};
    return duration_cast<milliseconds>(tz->to_sys(local, date::choose::earliest).time_since_epoch()).count();
}

std::vector<std::string> participants(const Record& record) {
    if (record.kind != RecordKind::service_file) return {};
    std::vector<std::string> out;
    if (!record.primary_member.empty()) out.push_back(record.primary_member);
    for (const std::string& m : record.members)
        if (std::find(out.begin(), out.end(), m) == out.end()) out.push_back(m);
    return out;
}

std::vector<Crossing> crossings_of(const Rule& rule, const StoredRecord& stored, const BirthDates& births,
                                   std::string_view zone) {
    const Record& record = stored.current;
    std::vector<Crossing> out;
    if (rule.trigger == Trigger::participant_turns_age) {
        for (const std::string& client : participants(record)) {
            auto birth = births.find(client);
            out.push_back({rule.id, record_key(record), client, rule.trigger,
                           birth == births.end() ? std::nullopt : birthday_at(birth->second, rule.parameters.age, zone)});
        }
    } else if (rule.trigger == Trigger::document_not_completed && record.kind == RecordKind::document &&
               record.document_template == rule.document_template && record.state == DocumentState::in_progress) {
        out.push_back({rule.id, record_key(record), record.completed_for, rule.trigger,
                       not_completed_at(stored, rule.parameters.days, zone)});
    }
    return out;
}

} // namespace extcomm::triggers
