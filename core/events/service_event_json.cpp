#include <events/service_event_json.hpp>

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

} // namespace extcomm::events
