#include <agency/people.hpp>
#include <events/service_event_json.hpp>

#include <date/date.h>

#include <chrono>
#include <cstdlib>
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

// workers / clients: [{"id", "primary"?}], at least one, distinct valid ids, exactly one primary.
std::optional<FieldError> read_participants(const boost::json::object& o, const char* key,
                                            std::vector<Participant>& out) {
    const std::string field = key;
    const auto* v = o.if_contains(key);
    if (!v || v->is_null()) return FieldError{field, "is required: [{\"id\", \"primary\"}], one of them primary"};
    if (!v->is_array() || v->as_array().empty())
        return FieldError{field, "must be a non-empty array of {\"id\", \"primary\"}"};
    const auto& items = v->as_array();
    std::set<std::string> seen;
    int primaries = 0;
    for (std::size_t i = 0; i < items.size(); ++i) {
        const std::string at = field + "[" + std::to_string(i) + "]";
        if (!items[i].is_object()) return FieldError{at, "must be an object {\"id\", \"primary\"}"};
        const auto& item = items[i].as_object();
        for (const auto& member : item)
            if (member.key() != "id" && member.key() != "primary")
                return FieldError{at + "." + std::string(member.key()), "is not a known member (known: id, primary)"};
        Participant p;
        const auto* id = item.if_contains("id");
        if (!id || !id->is_string() || !agency::is_valid_id(id->as_string()))
            return FieldError{at + ".id", "must be an id (1 to 64 of A-Z a-z 0-9 . _ -)"};
        p.id = std::string(id->as_string());
        if (!seen.insert(p.id).second) return FieldError{at + ".id", "names '" + p.id + "' a second time"};
        if (const auto* primary = item.if_contains("primary"); primary && !primary->is_null()) {
            if (!primary->is_bool()) return FieldError{at + ".primary", "must be true or false"};
            p.primary = primary->as_bool();
        }
        primaries += p.primary ? 1 : 0;
        out.push_back(std::move(p));
    }
    if (out.size() == 1 && primaries == 0) out.front().primary = true; // the only one is the primary
    else if (primaries != 1)
        return FieldError{field, "must have exactly one primary (has " + std::to_string(primaries) + ")"};
    return std::nullopt;
}

constexpr const char* kTimeForm =
    "must be ISO 8601 with an offset, e.g. 2026-03-03T14:30:00+11:00 or 2026-03-03T03:30:00Z";

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

// GCC 12 sees date::parse's seconds as maybe uninitialized where the fraction is absent (they are set
// before use); the warning is about date.h, not this code.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
std::optional<OffsetTime> parse_offset_time(std::string_view text) {
    using namespace std::chrono;
    std::string input(text);
    // date::parse reads offsets ("+11:00", "+1100", "+11"), not the "Z" of UTC.
    if (!input.empty() && (input.back() == 'Z' || input.back() == 'z')) input.replace(input.size() - 1, 1, "+00:00");
    for (const char* form : {"%FT%T%Ez", "%FT%T%z", "%FT%R%Ez", "%FT%R%z"}) {
        std::istringstream in(input);
        date::sys_time<milliseconds> at;
        minutes offset{0};
        in >> date::parse(form, at, offset);
        if (in.fail() || in.peek() != std::char_traits<char>::eof()) continue;
        if (std::abs(offset.count()) > 18 * 60) return std::nullopt;
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
    if (!body.is_object()) return FieldError{"body", "must be a JSON object (a service event)"};
    const auto& o = body.as_object();
    static constexpr std::string_view kKnown[] = {"start",   "end",          "status",      "workers",
                                                  "clients", "site",         "location",    "service_file",
                                                  "first_event", "group",    "booked_at"};
    for (const auto& member : o) {
        bool known = false;
        for (auto k : kKnown) known |= member.key() == k;
        if (!known)
            return FieldError{std::string(member.key()),
                              "is not a known member (known: start, end, status, workers, clients, site, location, "
                              "service_file, first_event, group, booked_at)"};
    }
    ServiceEvent e;
    e.id = id;
    auto time = [&](const char* key, bool required, OffsetTime& out) -> std::optional<FieldError> {
        const auto* v = o.if_contains(key);
        if (!v || v->is_null()) {
            if (required) return FieldError{key, std::string("is required: ") + kTimeForm};
            return std::nullopt;
        }
        auto parsed = v->is_string() ? parse_offset_time(v->as_string()) : std::nullopt;
        if (!parsed) return FieldError{key, kTimeForm};
        out = *parsed;
        return std::nullopt;
    };
    OffsetTime start, end, booked{0, 0};
    if (auto error = time("start", true, start)) return *error;
    if (auto error = time("end", true, end)) return *error;
    if (auto error = time("booked_at", false, booked)) return *error;
    if (end.at < start.at) return FieldError{"end", "must not be before start"};
    e.start = start.at;
    e.start_offset_minutes = start.offset_minutes;
    e.end = end.at;
    e.end_offset_minutes = end.offset_minutes;
    e.booked_at = booked.at;

    const auto* status = o.if_contains("status");
    auto parsed_status = status && status->is_string() ? event_status_from(status->as_string()) : std::nullopt;
    if (!parsed_status) return FieldError{"status", "must be one of booked, cancelled, no-show, arrived, completed"};
    e.status = *parsed_status;

    if (auto error = read_participants(o, "workers", e.workers)) return *error;
    if (auto error = read_participants(o, "clients", e.clients)) return *error;

    auto string = [&](const char* key, bool is_id, std::string& out) -> std::optional<FieldError> {
        const auto* v = o.if_contains(key);
        if (!v || v->is_null()) return std::nullopt;
        if (!v->is_string())
            return FieldError{key, is_id ? "must be an id (1 to 64 of A-Z a-z 0-9 . _ -) or null" : "must be a string"};
        out = std::string(v->as_string());
        if (is_id && !out.empty() && !agency::is_valid_id(out))
            return FieldError{key, "must be an id (1 to 64 of A-Z a-z 0-9 . _ -) or null"};
        return std::nullopt;
    };
    if (auto error = string("site", true, e.site)) return *error;
    if (auto error = string("location", false, e.location)) return *error;
    if (auto error = string("service_file", true, e.service_file)) return *error;
    auto flag_of = [&](const char* key, bool& out) -> std::optional<FieldError> {
        const auto* v = o.if_contains(key);
        if (!v || v->is_null()) return std::nullopt;
        if (!v->is_bool()) return FieldError{key, "must be true or false"};
        out = v->as_bool();
        return std::nullopt;
    };
    if (auto error = flag_of("first_event", e.first_event)) return *error;
    if (auto error = flag_of("group", e.group)) return *error;
    if (e.first_event && e.service_file.empty())
        return FieldError{"first_event", "needs service_file: the first event of which service file"};
    return e;
}

} // namespace extcomm::events
