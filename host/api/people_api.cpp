#include <api/http_io.hpp>
#include <api/people_api.hpp>
#include <api/trigger_firings_api.hpp>

#include <agency/people_store.hpp>
#include <common/json_reader.hpp>
#include <triggers/records.hpp>

#include <regex>

namespace extcomm::host {
namespace json = boost::json;
using rendering::CollaborationType;

namespace {

json::value or_null(const std::string& s) { return s.empty() ? json::value(nullptr) : json::value(s); }

constexpr const char* kIdForm = "must be an id (1 to 64 of A-Z a-z 0-9 . _ -)";
constexpr const char* kChoices = "must be one of email, sms, both, none";
// Reminder minutes are checked by the people rules; this only keeps them within an int.
constexpr int kLargest = 1 << 30;

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

// The whole of a worker's message settings: members left out take their defaults.
std::optional<FieldError> read_message_settings(const json::value& v, agency::WorkerMessageSettings& out) {
    JsonReader r(v, "message_settings", "must be an object");
    r.only({"channels", "event_notifications", "only_when_offline", "reminder_minutes", "first_event_reminder_minutes",
            "notify_when_client_confirms"});
    agency::WorkerMessageSettings s;
    if (const json::value* channels = r.member("channels")) {
        if (!channels->is_object()) r.fail(r.at("channels"), "must be an object of collaboration type: channel");
        else for (const auto& [key, value] : channels->as_object()) {
            std::string field = r.at("channels") + "." + std::string(key);
            auto type = rendering::collaboration_type_from(key);
            if (!type) {
                r.fail(field, "is not a collaboration type (conversation, alert, notification, discussion, "
                              "event-notification, workflow, reminder)");
                break;
            }
            auto choice = value.is_string() ? agency::channel_choice_from(value.as_string()) : std::nullopt;
            if (!choice) {
                r.fail(field, kChoices);
                break;
            }
            s.set_channel(*type, *choice);
        }
    }
    r.parsed("event_notifications", s.event_notifications, agency::channel_choice_from, kChoices);
    r.boolean("only_when_offline", s.only_when_offline);
    r.integer("reminder_minutes", s.reminder_minutes, -kLargest, kLargest, "is out of range");
    r.integer("first_event_reminder_minutes", s.first_event_reminder_minutes, -kLargest, kLargest, "is out of range");
    r.boolean("notify_when_client_confirms", s.notify_when_client_confirms);
    if (!r.ok()) return r.error();
    out = s;
    return std::nullopt;
}

void put_worker(ApiContext& context, const std::string& id, Poco::Net::HTTPServerRequest& request,
                Poco::Net::HTTPServerResponse& response) {
    auto body = object_body(request, response);
    if (!body) return;
    JsonReader r(*body, "");
    r.only({"first_name", "last_name", "categories", "email", "mobile", "message_settings"});
    agency::Worker w;
    w.id = id;
    if (!r.text("first_name", w.first_name)) r.fail("first_name", "is required");
    r.text("last_name", w.last_name);
    r.ids("categories", w.categories, agency::is_valid_id, kIdForm);
    r.text("email", w.email);
    r.text("mobile", w.mobile);
    if (const json::value* ms = r.member("message_settings")) r.fail(read_message_settings(*ms, w.message_settings));
    else if (auto stored = r.ok() ? context.people.worker(id) : std::nullopt)
        w.message_settings = stored->message_settings; // left out: kept as they are
    if (!r.ok()) return send_invalid(response, *r.error());
    auto saved = context.people.put_worker(w, context.settings.current()->settings.general);
    if (auto* e = std::get_if<FieldError>(&saved)) return send_invalid(response, *e);
    send_json(response, std::get<agency::Saved>(saved) == agency::Saved::created ? 201 : 200,
              to_json(*context.people.worker(id)));
}

void put_presence(ApiContext& context, const std::string& id, Poco::Net::HTTPServerRequest& request,
                  Poco::Net::HTTPServerResponse& response) {
    auto body = object_body(request, response);
    if (!body) return;
    JsonReader r(*body, "");
    r.only({"online"});
    bool online = false;
    if (!r.boolean("online", online)) r.fail("online", "is required (true or false)");
    if (!r.ok()) return send_invalid(response, *r.error());
    auto w = context.people.set_presence(id, online);
    if (!w) return send_error(response, 404, "not_found", "no worker '" + id + "'", "id");
    send_json(response, 200, json::object{{"id", id}, {"online", w->presence.online}, {"since_ms", w->presence.since}});
}

// ---- worker categories ----

void put_category(ApiContext& context, const std::string& id, Poco::Net::HTTPServerRequest& request,
                  Poco::Net::HTTPServerResponse& response) {
    auto body = object_body(request, response);
    if (!body) return;
    JsonReader r(*body, "");
    r.only({"name"});
    agency::WorkerCategory c{id, ""};
    if (!r.text("name", c.name) || c.name.empty()) r.fail("name", "is required");
    if (!r.ok()) return send_invalid(response, *r.error());
    auto saved = context.people.put_category(c);
    json::array members;
    for (const auto& m : context.people.members(id)) members.emplace_back(m);
    send_json(response, saved == agency::Saved::created ? 201 : 200,
              json::object{{"id", id}, {"name", c.name}, {"members", members}});
}

void get_category(ApiContext& context, const std::string& id, Poco::Net::HTTPServerResponse& response) {
    auto c = context.people.category(id);
    if (!c) return send_error(response, 404, "not_found", "no worker category '" + id + "'", "id");
    json::array members;
    for (const auto& m : context.people.members(id)) members.emplace_back(m);
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
            {"birth_date", or_null(c.birth_date)},
            {"agency_fields", c.agency_fields},
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
    JsonReader r(*body, "");
    r.only({"name", "birth_date", "agency_fields", "contacts", "email_via", "sms_via"});
    agency::ClientUpdate u;
    u.id = id;
    if (!r.text("name", u.name)) r.fail("name", "is required");
    r.text("birth_date", u.birth_date);
    if (const json::value* fields = r.member("agency_fields")) {
        if (fields->is_object()) u.agency_fields = fields->as_object();
        else r.fail("agency_fields", "must be an object of name: value");
    }
    r.items("contacts", "must be an array of contact entries", [&](const json::value& item, const std::string& path) {
        JsonReader c(item, path, "must be an object {id, channel, address, in_use}");
        c.only({"id", "channel", "address", "in_use"});
        agency::ContactEntry entry;
        std::string channel;
        c.text("id", entry.id);
        if (!c.text("channel", channel)) c.fail(c.at("channel"), "is required (email or sms)");
        else if (auto parsed = channel_from(channel)) entry.channel = *parsed;
        else c.fail(c.at("channel"), "must be 'email' or 'sms'");
        if (!c.text("address", entry.address)) c.fail(c.at("address"), "is required");
        c.boolean("in_use", entry.in_use);
        r.fail(c.error());
        u.contacts.push_back(std::move(entry));
        return c.ok();
    });
    if (r.ok()) r.fail(read_via(*body, "email_via", u.email_via));
    if (r.ok()) r.fail(read_via(*body, "sms_via", u.sms_via));
    if (!r.ok()) return send_invalid(response, *r.error());
    auto saved = context.records.put_client(*context.settings.current(), std::move(u));
    if (auto* e = std::get_if<FieldError>(&saved)) return send_invalid(response, *e);
    const auto& applied = std::get<triggers::ClientApplied>(saved);
    json::object answer = to_json(applied.client);
    add_fired(context, applied.fired.firings, answer);
    send_json(response, applied.saved == agency::Saved::created ? 201 : 200, answer);
    if (!applied.fired.message_ids.empty()) context.dispatcher.wake();
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
    JsonReader r(*body, "");
    r.only({"name", "phone", "address", "time_zone"});
    agency::Site s;
    s.id = id;
    r.text("name", s.name);
    r.text("phone", s.phone);
    r.text("address", s.address);
    r.text("time_zone", s.time_zone);
    if (!r.ok()) return send_invalid(response, *r.error());
    auto saved = context.people.put_site(s, context.settings.current()->settings.general);
    if (auto* e = std::get_if<FieldError>(&saved)) return send_invalid(response, *e);
    send_json(response, std::get<agency::Saved>(saved) == agency::Saved::created ? 201 : 200, to_json(*context.people.site(id)));
}

} // namespace

bool route_people(ApiContext& context, const std::string& method, const std::string& path,
                  Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response) {
    static const std::regex person(R"(^/v1/(workers|worker-categories|clients|sites)/([^/]*)(/presence)?$)");
    std::smatch m;
    if (!std::regex_match(path, m, person)) return false;
    std::string what = m[1], id = m[2];
    bool presence = m[3].matched;
    if (presence && what != "workers") return false;
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
        } else if (auto w = context.people.worker(id)) {
            send_json(response, 200, to_json(*w));
        } else {
            send_error(response, 404, "not_found", "no worker '" + id + "'", "id");
        }
    } else if (what == "worker-categories") {
        put ? put_category(context, id, request, response) : get_category(context, id, response);
    } else if (what == "clients") {
        if (put) {
            put_client(context, id, request, response);
        } else if (auto c = context.people.client(id)) {
            send_json(response, 200, to_json(*c));
        } else {
            send_error(response, 404, "not_found", "no client '" + id + "'", "id");
        }
    } else {
        if (put) {
            put_site(context, id, request, response);
        } else if (auto s = context.people.site(id)) {
            send_json(response, 200, to_json(*s));
        } else {
            send_error(response, 404, "not_found", "no site '" + id + "'", "id");
        }
    }
    return true;
}

} // namespace extcomm::host
