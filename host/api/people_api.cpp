#include <api/http_io.hpp>
#include <api/json_input.hpp>
#include <api/people_api.hpp>

#include <agency/people_store.hpp>

#include <regex>

namespace extcomm::host {
namespace json = boost::json;
using rendering::CollaborationType;

namespace {

json::value or_null(const std::string& s) { return s.empty() ? json::value(nullptr) : json::value(s); }

void invalid(Poco::Net::HTTPServerResponse& response, const FieldError& error) {
    send_error(response, 400, "invalid", error.reason, error.field);
}

// ---- workers ----

json::object to_json(const agency::WorkerMessageSettings& s) {
    json::object channels;
    for (CollaborationType t : rendering::kAllCollaborationTypes) channels[rendering::to_string(t)] = to_string(s.channel(t));
    return {{"channels", channels},
            {"event_notifications", to_string(s.event_notifications)},
            {"only_when_offline", s.only_when_offline},
            {"reminder_minutes", s.reminder_minutes},
            {"first_event_reminder_minutes", s.first_event_reminder_minutes},
            {"notify_when_client_confirms", s.notify_when_client_confirms}};
}

json::object to_json(const agency::Worker& w) {
    json::array categories;
    for (const auto& c : w.categories) categories.emplace_back(c);
    json::object presence{{"online", w.presence.online},
                          {"since_ms", w.presence.since ? json::value(w.presence.since) : json::value(nullptr)}};
    return {{"id", w.id},           {"first_name", w.first_name},
            {"last_name", w.last_name}, {"categories", categories},
            {"email", or_null(w.email)}, {"mobile", or_null(w.mobile)},
            {"message_settings", to_json(w.message_settings)}, {"presence", presence},
            {"updated_at_ms", w.updated_at}};
}

std::optional<FieldError> read_choice(const json::value& v, const std::string& field, agency::ChannelChoice& out) {
    if (!v.is_string()) return FieldError{field, "must be one of email, sms, both, none"};
    auto choice = agency::channel_choice_from(v.as_string());
    if (!choice) return FieldError{field, "must be one of email, sms, both, none"};
    out = *choice;
    return std::nullopt;
}

// The whole of a worker's message settings: members left out take their defaults.
std::optional<FieldError> read_message_settings(const json::value& v, agency::WorkerMessageSettings& out) {
    const std::string prefix = "message_settings";
    if (!v.is_object()) return FieldError{prefix, "must be an object"};
    const auto& o = v.as_object();
    if (auto e = input::only(o, {"channels", "event_notifications", "only_when_offline", "reminder_minutes",
                                 "first_event_reminder_minutes", "notify_when_client_confirms"},
                             prefix))
        return e;
    agency::WorkerMessageSettings s;
    if (const auto* channels = o.if_contains("channels"); channels && !channels->is_null()) {
        if (!channels->is_object()) return FieldError{prefix + ".channels", "must be an object of collaboration type: channel"};
        for (const auto& [key, value] : channels->as_object()) {
            std::string field = prefix + ".channels." + std::string(key);
            auto type = rendering::collaboration_type_from(key);
            if (!type)
                return FieldError{field, "is not a collaboration type (conversation, alert, notification, discussion, "
                                         "event-notification, workflow, reminder)"};
            agency::ChannelChoice choice{};
            if (auto e = read_choice(value, field, choice)) return e;
            s.set_channel(*type, choice);
        }
    }
    if (const auto* events = o.if_contains("event_notifications"); events && !events->is_null())
        if (auto e = read_choice(*events, prefix + ".event_notifications", s.event_notifications)) return e;
    std::optional<FieldError> error;
    input::boolean(o, "only_when_offline", prefix, s.only_when_offline, error);
    if (!error) input::integer(o, "reminder_minutes", prefix, s.reminder_minutes, error);
    if (!error) input::integer(o, "first_event_reminder_minutes", prefix, s.first_event_reminder_minutes, error);
    if (!error) input::boolean(o, "notify_when_client_confirms", prefix, s.notify_when_client_confirms, error);
    if (error) return error;
    out = s;
    return std::nullopt;
}

void put_worker(ApiContext& context, const std::string& id, Poco::Net::HTTPServerRequest& request,
                Poco::Net::HTTPServerResponse& response) {
    auto body = object_body(request, response);
    if (!body) return;
    if (auto e = input::only(*body, {"first_name", "last_name", "categories", "email", "mobile", "message_settings"}))
        return invalid(response, *e);
    agency::Worker w;
    w.id = id;
    std::optional<FieldError> error;
    if (!input::string(*body, "first_name", "", w.first_name, error) && !error)
        error = FieldError{"first_name", "is required"};
    if (!error) input::string(*body, "last_name", "", w.last_name, error);
    if (!error) input::ids(*body, "categories", "", w.categories, error);
    if (!error) input::string(*body, "email", "", w.email, error);
    if (!error) input::string(*body, "mobile", "", w.mobile, error);
    if (error) return invalid(response, *error);
    if (const auto* ms = body->if_contains("message_settings"); ms && !ms->is_null()) {
        if (auto e = read_message_settings(*ms, w.message_settings)) return invalid(response, *e);
    } else if (auto stored = context.people->worker(id)) {
        w.message_settings = stored->message_settings; // left out: kept as they are
    }
    auto saved = context.people->put_worker(w, agency_settings(context).general);
    if (auto* e = std::get_if<FieldError>(&saved)) return invalid(response, *e);
    send_json(response, std::get<agency::Saved>(saved) == agency::Saved::created ? 201 : 200,
              to_json(*context.people->worker(id)));
}

void put_presence(ApiContext& context, const std::string& id, Poco::Net::HTTPServerRequest& request,
                  Poco::Net::HTTPServerResponse& response) {
    auto body = object_body(request, response);
    if (!body) return;
    if (auto e = input::only(*body, {"online"})) return invalid(response, *e);
    bool online = false;
    std::optional<FieldError> error;
    if (!input::boolean(*body, "online", "", online, error))
        return invalid(response, error.value_or(FieldError{"online", "is required (true or false)"}));
    auto w = context.people->set_presence(id, online);
    if (!w) return send_error(response, 404, "not_found", "no worker '" + id + "'", "id");
    send_json(response, 200, json::object{{"id", id}, {"online", w->presence.online}, {"since_ms", w->presence.since}});
}

// ---- worker categories ----

void put_category(ApiContext& context, const std::string& id, Poco::Net::HTTPServerRequest& request,
                  Poco::Net::HTTPServerResponse& response) {
    auto body = object_body(request, response);
    if (!body) return;
    if (auto e = input::only(*body, {"name"})) return invalid(response, *e);
    agency::WorkerCategory c{id, ""};
    std::optional<FieldError> error;
    if (!input::string(*body, "name", "", c.name, error) || c.name.empty())
        return invalid(response, error.value_or(FieldError{"name", "is required"}));
    auto saved = context.people->put_category(c);
    json::array members;
    for (const auto& m : context.people->members(id)) members.emplace_back(m);
    send_json(response, saved == agency::Saved::created ? 201 : 200,
              json::object{{"id", id}, {"name", c.name}, {"members", members}});
}

void get_category(ApiContext& context, const std::string& id, Poco::Net::HTTPServerResponse& response) {
    auto c = context.people->category(id);
    if (!c) return send_error(response, 404, "not_found", "no worker category '" + id + "'", "id");
    json::array members;
    for (const auto& m : context.people->members(id)) members.emplace_back(m);
    send_json(response, 200, json::object{{"id", id}, {"name", c->name}, {"members", members}});
}

// ---- clients ----

json::value to_json(const agency::Consent& c) {
    if (!c.given()) return nullptr;
    return json::object{{"entry", c.entry}, {"address", c.address}, {"consented_at_ms", c.consented_at}};
}

json::object to_json(const agency::Client& c) {
    json::array contacts;
    for (const auto& e : c.contacts)
        contacts.push_back(json::object{{"id", e.id}, {"channel", to_string(e.channel)}, {"address", e.address}, {"in_use", e.in_use}});
    return {{"id", c.id},
            {"name", c.name},
            {"contacts", contacts},
            {"email_via", or_null(c.email.entry)},
            {"sms_via", or_null(c.sms.entry)},
            {"consent", json::object{{"email", to_json(c.email)}, {"sms", to_json(c.sms)}}},
            {"updated_at_ms", c.updated_at}};
}

// "email_via"/"sms_via": absent keeps the stored choice, null or "" withdraws consent, a string chooses.
std::optional<FieldError> read_via(const json::object& o, std::string_view key, std::optional<std::string>& out) {
    const auto* v = o.if_contains(key);
    if (!v) return std::nullopt;
    if (v->is_null()) {
        out = std::string();
        return std::nullopt;
    }
    if (!v->is_string()) return FieldError{std::string(key), "must be the id of an in-use contact entry, or null for no consent"};
    out = std::string(v->as_string());
    return std::nullopt;
}

void put_client(ApiContext& context, const std::string& id, Poco::Net::HTTPServerRequest& request,
                Poco::Net::HTTPServerResponse& response) {
    auto body = object_body(request, response);
    if (!body) return;
    if (auto e = input::only(*body, {"name", "contacts", "email_via", "sms_via"})) return invalid(response, *e);
    agency::ClientUpdate u;
    u.id = id;
    std::optional<FieldError> error;
    if (!input::string(*body, "name", "", u.name, error) && !error) error = FieldError{"name", "is required"};
    if (error) return invalid(response, *error);
    if (const auto* contacts = body->if_contains("contacts"); contacts && !contacts->is_null()) {
        if (!contacts->is_array()) return invalid(response, {"contacts", "must be an array of contact entries"});
        const auto& items = contacts->as_array();
        for (std::size_t i = 0; i < items.size(); ++i) {
            std::string prefix = "contacts[" + std::to_string(i) + "]";
            if (!items[i].is_object()) return invalid(response, {prefix, "must be an object {id, channel, address, in_use}"});
            const auto& o = items[i].as_object();
            if (auto e = input::only(o, {"id", "channel", "address", "in_use"}, prefix)) return invalid(response, *e);
            agency::ContactEntry entry;
            std::string channel;
            input::string(o, "id", prefix, entry.id, error);
            if (!error && !input::string(o, "channel", prefix, channel, error) && !error)
                error = FieldError{prefix + ".channel", "is required (email or sms)"};
            if (!error && !channel_from(channel)) error = FieldError{prefix + ".channel", "must be 'email' or 'sms'"};
            if (!error && !input::string(o, "address", prefix, entry.address, error) && !error)
                error = FieldError{prefix + ".address", "is required"};
            if (!error) input::boolean(o, "in_use", prefix, entry.in_use, error);
            if (error) return invalid(response, *error);
            entry.channel = *channel_from(channel);
            u.contacts.push_back(std::move(entry));
        }
    }
    if (auto e = read_via(*body, "email_via", u.email_via)) return invalid(response, *e);
    if (auto e = read_via(*body, "sms_via", u.sms_via)) return invalid(response, *e);
    auto saved = context.people->put_client(std::move(u), agency_settings(context).general);
    if (auto* e = std::get_if<FieldError>(&saved)) return invalid(response, *e);
    auto& [how, client] = std::get<std::pair<agency::Saved, agency::Client>>(saved);
    send_json(response, how == agency::Saved::created ? 201 : 200, to_json(client));
}

// ---- sites ----

json::object to_json(const agency::Site& s) {
    return {{"id", s.id}, {"name", s.name}, {"phone", or_null(s.phone)}, {"address", s.address},
            {"time_zone", or_null(s.time_zone)}, {"updated_at_ms", s.updated_at}};
}

void put_site(ApiContext& context, const std::string& id, Poco::Net::HTTPServerRequest& request,
              Poco::Net::HTTPServerResponse& response) {
    auto body = object_body(request, response);
    if (!body) return;
    if (auto e = input::only(*body, {"name", "phone", "address", "time_zone"})) return invalid(response, *e);
    agency::Site s;
    s.id = id;
    std::optional<FieldError> error;
    input::string(*body, "name", "", s.name, error);
    if (!error) input::string(*body, "phone", "", s.phone, error);
    if (!error) input::string(*body, "address", "", s.address, error);
    if (!error) input::string(*body, "time_zone", "", s.time_zone, error);
    if (error) return invalid(response, *error);
    auto saved = context.people->put_site(s, agency_settings(context).general);
    if (auto* e = std::get_if<FieldError>(&saved)) return invalid(response, *e);
    send_json(response, std::get<agency::Saved>(saved) == agency::Saved::created ? 201 : 200, to_json(*context.people->site(id)));
}

} // namespace

agency::AgencySettings agency_settings(const ApiContext& context) {
    if (context.settings) return context.settings->current()->settings;
    return {};
}

bool route_people(ApiContext& context, const std::string& method, const std::string& path,
                  Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response) {
    static const std::regex person(R"(^/v1/(workers|worker-categories|clients|sites)/([^/]*)(/presence)?$)");
    std::smatch m;
    if (!std::regex_match(path, m, person)) return false;
    std::string what = m[1], id = m[2];
    bool presence = m[3].matched;
    if (presence && what != "workers") return false;
    if (!context.people) {
        send_error(response, 503, "unavailable", "people are not available on this host");
        return true;
    }
    if (!agency::is_valid_id(id)) {
        send_error(response, 400, "invalid", "must be 1 to 64 of A-Z a-z 0-9 . _ -", "id");
        return true;
    }
    bool put = method == "PUT", get = method == "GET";
    if (!(put || (get && !presence))) {
        response.set("Allow", presence ? "PUT" : "GET, PUT");
        send_error(response, 405, "method_not_allowed", method + " is not allowed on " + path);
        return true;
    }
    if (presence) {
        put_presence(context, id, request, response);
    } else if (what == "workers") {
        if (put) {
            put_worker(context, id, request, response);
        } else if (auto w = context.people->worker(id)) {
            send_json(response, 200, to_json(*w));
        } else {
            send_error(response, 404, "not_found", "no worker '" + id + "'", "id");
        }
    } else if (what == "worker-categories") {
        put ? put_category(context, id, request, response) : get_category(context, id, response);
    } else if (what == "clients") {
        if (put) {
            put_client(context, id, request, response);
        } else if (auto c = context.people->client(id)) {
            send_json(response, 200, to_json(*c));
        } else {
            send_error(response, 404, "not_found", "no client '" + id + "'", "id");
        }
    } else {
        if (put) {
            put_site(context, id, request, response);
        } else if (auto s = context.people->site(id)) {
            send_json(response, 200, to_json(*s));
        } else {
            send_error(response, 404, "not_found", "no site '" + id + "'", "id");
        }
    }
    return true;
}

} // namespace extcomm::host
