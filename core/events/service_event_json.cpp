#include <agency/people.hpp>
#include <common/json_reader.hpp>
#include <events/service_event_json.hpp>

#include <date/date.h>

#include <array>
#include <chrono>
#include <cstdlib>
#include <regex>
#include <set>
#include <sstream>

namespace extcomm::events {
namespace {

boost::json::array participants(const std::vector<Participant>& list) {
    boost::json::array out;
    for (const auto& p : list) out.push_back(boost::json::object{{"id", p.id}, {"primary", p.primary}});
    return out;
}

std::vector<Participant> participants_from(const boost::json::value* v) {
    std::vector<Participant> out;
    if (!v || !v->is_array()) return out;
    for (const auto& item : v->as_array()) {
        if (!item.is_object()) continue;
        const auto& o = item.as_object();
        Participant p;
        if (auto* id = o.if_contains("id"); id && id->is_string()) p.id = std::string(id->as_string());
        if (auto* primary = o.if_contains("primary"); primary && primary->is_bool()) p.primary = primary->as_bool();
        out.push_back(std::move(p));
    }
    return out;
}

std::string text(const boost::json::object& o, const char* key) {
    auto* v = o.if_contains(key);
    return v && v->is_string() ? std::string(v->as_string()) : std::string();
}

std::int64_t number(const boost::json::object& o, const char* key) {
    auto* v = o.if_contains(key);
    return v && v->is_int64() ? v->as_int64() : 0;
}

bool flag(const boost::json::object& o, const char* key) {
    auto* v = o.if_contains(key);
    return v && v->is_bool() && v->as_bool();
}


// ---- the API's form ----

boost::json::array api_participants(const std::vector<Participant>& list) {
    boost::json::array out;
    for (const auto& p : list) out.push_back(boost::json::object{{"id", p.id}, {"primary", p.primary}});
    return out;
}

constexpr const char* kIdForm = "must be an id (1 to 64 of A-Z a-z 0-9 . _ -)";

std::optional<std::string> valid_id(std::string_view text) {
    return agency::is_valid_id(text) ? std::optional<std::string>(text) : std::nullopt;
}

// workers / clients: [{"id", "primary"?}], at least one, distinct valid ids, exactly one primary.
void read_participants(JsonReader& r, const char* key, std::vector<Participant>& out) {
    const boost::json::value* v = r.member(key);
    if (!v) return r.fail(key, "is required: [{\"id\", \"primary\"}], one of them primary");
    if (!v->is_array() || v->as_array().empty())
        return r.fail(key, "must be a non-empty array of {\"id\", \"primary\"}");
    std::set<std::string> seen;
    int primaries = 0;
    r.items(key, "", [&](const boost::json::value& value, const std::string& at) {
        JsonReader item(value, at, "must be an object {\"id\", \"primary\"}");
        item.only({"id", "primary"});
        Participant p;
        if (!item.parsed("id", p.id, valid_id, kIdForm) && item.ok()) item.fail(item.at("id"), kIdForm);
        if (item.ok() && !seen.insert(p.id).second) item.fail(item.at("id"), "names '" + p.id + "' a second time");
        item.boolean("primary", p.primary);
        r.fail(item.error());
        primaries += p.primary ? 1 : 0;
        out.push_back(std::move(p));
        return item.ok();
    });
    if (!r.ok()) return;
    if (out.size() == 1 && primaries == 0) out.front().primary = true; // the only one is the primary
    else if (primaries != 1) r.fail(key, "must have exactly one primary (has " + std::to_string(primaries) + ")");
}

// The offset's minutes as written ("+10:60", "+1060": 60), which date::parse reads as an hour more.
bool offset_minutes_valid(std::string_view text) {
    const std::size_t sign = text.find_last_of("+-");
    if (sign == std::string_view::npos || sign < text.find('T')) return true; // "Z"
    std::string digits;
    for (char c : text.substr(sign + 1))
        if (c != ':') digits += c;
    return digits.size() != 4 || digits.compare(2, 2, "60") < 0;
}

} // namespace

boost::json::object to_json(const ServiceEvent& e) {
    return {{"id", e.id},
            {"start", e.start},
            {"end", e.end},
            {"start_offset_minutes", e.start_offset_minutes},
            {"end_offset_minutes", e.end_offset_minutes},
            {"status", to_string(e.status)},
            {"workers", participants(e.workers)},
            {"clients", participants(e.clients)},
            {"site", e.site},
            {"location", e.location},
            {"service_file", e.service_file},
            {"first_event", e.first_event},
            {"group", e.group},
            {"booked_at", e.booked_at}};
}

std::optional<ServiceEvent> service_event_from_json(const std::string& text_in) {
    boost::system::error_code ec;
    auto value = boost::json::parse(text_in, ec);
    if (ec || !value.is_object()) return std::nullopt;
    const auto& o = value.as_object();
    ServiceEvent e;
    e.id = text(o, "id");
    e.start = number(o, "start");
    e.end = number(o, "end");
    e.start_offset_minutes = static_cast<int>(number(o, "start_offset_minutes"));
    e.end_offset_minutes = static_cast<int>(number(o, "end_offset_minutes"));
    auto status = event_status_from(text(o, "status"));
    if (!status) return std::nullopt;
    e.status = *status;
    e.workers = participants_from(o.if_contains("workers"));
    e.clients = participants_from(o.if_contains("clients"));
    e.site = text(o, "site");
    e.location = text(o, "location");
    e.service_file = text(o, "service_file");
    e.first_event = flag(o, "first_event");
    e.group = flag(o, "group");
    e.booked_at = number(o, "booked_at");
    return e;
}

// date::parse's %T rounds the seconds it read into the time even when it could not read them (date.h
// declares them uninitialised): undefined behaviour on every time without seconds or with garbled ones,
// found by fuzz/json_members. So the text must have the digits each field needs before date::parse sees
// it, and gets the form with seconds (%T) only when it has them. GCC 12 still warns about date.h's
// uninitialised seconds inside the instantiation below; Clang has no such warning.
#pragma GCC diagnostic push
#if !defined(__clang__)
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#endif
std::optional<OffsetTime> parse_offset_time(std::string_view text) {
    using namespace std::chrono;
    static const std::regex with_seconds(R"(^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,3})?([Zz]|[+-]\d{2}(:?\d{2})?)$)");
    static const std::regex without_seconds(R"(^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}([Zz]|[+-]\d{2}(:?\d{2})?)$)");
    std::string input(text);
    const bool seconds = std::regex_match(input, with_seconds);
    if (!seconds && !std::regex_match(input, without_seconds)) return std::nullopt;
    // date::parse reads offsets ("+11:00", "+1100", "+11"), not the "Z" of UTC.
    if (input.back() == 'Z' || input.back() == 'z') input.replace(input.size() - 1, 1, "+00:00");
    const auto forms = seconds ? std::array{"%FT%T%Ez", "%FT%T%z"} : std::array{"%FT%R%Ez", "%FT%R%z"};
    for (const char* form : forms) {
        std::istringstream in(input);
        date::sys_time<milliseconds> at;
        minutes offset{0};
        in >> date::parse(form, at, offset);
        if (in.fail() || in.peek() != std::char_traits<char>::eof()) continue;
        if (std::abs(offset.count()) > 18 * 60 || !offset_minutes_valid(input)) return std::nullopt;
        const int year = static_cast<int>(date::year_month_day(date::floor<date::days>(at + offset)).year());
        if (year < kFirstYear || year > kLastYear) return std::nullopt;
        return OffsetTime{at.time_since_epoch().count(), static_cast<int>(offset.count())};
    }
    return std::nullopt;
}
#pragma GCC diagnostic pop

std::string format_offset_time(TimeMs at, int offset_minutes) {
    using namespace std::chrono;
    const date::local_time<milliseconds> local{milliseconds{at} + minutes{offset_minutes}};
    const seconds offset{offset_minutes * 60};
    std::ostringstream out;
    // Whole seconds unless the instant has milliseconds: "14:30:00+11:00", "14:30:00.250+11:00".
    if (at % 1000 == 0) date::to_stream(out, "%FT%T%Ez", date::floor<seconds>(local), nullptr, &offset);
    else date::to_stream(out, "%FT%T%Ez", local, nullptr, &offset);
    return out.str();
}

boost::json::object to_api_json(const ServiceEvent& e) {
    return {{"id", e.id},
            {"start", format_offset_time(e.start, e.start_offset_minutes)},
            {"end", format_offset_time(e.end, e.end_offset_minutes)},
            {"status", to_string(e.status)},
            {"workers", api_participants(e.workers)},
            {"clients", api_participants(e.clients)},
            {"site", e.site.empty() ? boost::json::value(nullptr) : boost::json::value(e.site)},
            {"location", e.location},
            {"service_file", e.service_file.empty() ? boost::json::value(nullptr) : boost::json::value(e.service_file)},
            {"first_event", e.first_event},
            {"group", e.group},
            // Penelope's booking time, in the event's own offset.
            {"booked_at", format_offset_time(e.booked_at, e.start_offset_minutes)}};
}

std::variant<ServiceEvent, FieldError> service_event_from_api(const boost::json::value& body, const std::string& id) {
    JsonReader r(body, "", "must be a JSON object (a service event)");
    r.only({"start", "end", "status", "workers", "clients", "site", "location", "service_file", "first_event", "group",
            "booked_at"});
    auto time = [&](const char* key, bool required, OffsetTime& out) {
        if (!r.parsed(key, out, parse_offset_time, kOffsetTimeForm) && required && r.ok())
            r.fail(key, std::string("is required: ") + kOffsetTimeForm);
    };
    OffsetTime start, end, booked{0, 0};
    time("start", true, start);
    time("end", true, end);
    time("booked_at", false, booked);
    if (r.ok() && end.at < start.at) r.fail("end", "must not be before start");
    ServiceEvent e;
    e.id = id;
    e.start = start.at;
    e.start_offset_minutes = start.offset_minutes;
    e.end = end.at;
    e.end_offset_minutes = end.offset_minutes;
    e.booked_at = booked.at;

    constexpr const char* kStatusForm = "must be one of booked, cancelled, no-show, arrived, completed";
    if (!r.parsed("status", e.status, event_status_from, kStatusForm) && r.ok()) r.fail("status", kStatusForm);
    read_participants(r, "workers", e.workers);
    read_participants(r, "clients", e.clients);

    // site and service_file: an id, or empty/null for none.
    constexpr const char* kIdOrNull = "must be an id (1 to 64 of A-Z a-z 0-9 . _ -) or null";
    auto id_or_none = [](std::string_view text) {
        return text.empty() || agency::is_valid_id(text) ? std::optional<std::string>(text) : std::nullopt;
    };
    r.parsed("site", e.site, id_or_none, kIdOrNull);
    r.text("location", e.location);
    r.parsed("service_file", e.service_file, id_or_none, kIdOrNull);
    r.boolean("first_event", e.first_event);
    r.boolean("group", e.group);
    if (r.ok() && e.first_event && e.service_file.empty())
        r.fail("first_event", "needs service_file: the first event of which service file");
    if (!r.ok()) return *r.error();
    return e;
}

} // namespace extcomm::events
