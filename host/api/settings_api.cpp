#include <api/confirm_links_api.hpp>
#include <common/log_text.hpp>
#include <api/http_io.hpp>
#include <api/settings_api.hpp>
#include <agency/people_store.hpp>
#include <rendering/variables.hpp>

#include <Poco/URI.h>
#include <spdlog/spdlog.h>

#include <charconv>
#include <regex>

namespace extcomm::host {
namespace json = boost::json;
using Poco::Net::HTTPServerRequest;
using Poco::Net::HTTPServerResponse;
constexpr std::size_t kMaxActorCharacters = 200;

// Who is making the change: the X-Extcomm-Actor header (optional) and the token's name.
std::optional<agency::Actor> actor_of(const HTTPServerRequest& request, const std::string& token_name,
                                      HTTPServerResponse& response) {
    agency::Actor actor{"", token_name};
    if (request.has("X-Extcomm-Actor")) {
        actor.name = request.get("X-Extcomm-Actor");
        bool printable = std::none_of(actor.name.begin(), actor.name.end(),
                                      [](char c) { return static_cast<unsigned char>(c) < 0x20 || c == 0x7f; });
        if (!printable || actor.name.size() > kMaxActorCharacters) {
            send_error(response, 400, "invalid", "must be a person's name or id: printable, at most 200 characters",
                       "X-Extcomm-Actor");
            return std::nullopt;
        }
    }
    return actor;
}

namespace {

using rendering::MessageKind;

constexpr std::size_t kDefaultAuditPage = 50;
constexpr std::size_t kMaxAuditPage = 500;

void not_allowed(HTTPServerResponse& response, const std::string& allow, const std::string& path) {
    response.set("Allow", allow);
    send_error(response, 405, "method_not_allowed", path + " takes " + allow);
}

json::array variables_json(const std::vector<rendering::VariableDoc>& docs) {
    json::array out;
    for (const auto& v : docs) {
        json::object o{{"name", v.name}, {"description", v.description}};
        if (!v.item_variables.empty()) o["items"] = variables_json(v.item_variables);
        out.push_back(std::move(o));
    }
    return out;
}

json::object template_entry(const agency::SettingsSnapshot& snapshot, MessageKind kind, Channel channel) {
    json::object entry{{"kind", rendering::to_string(kind)}, {"channel", to_string(channel)}};
    for (auto& [k, v] : agency::to_json(snapshot.templates.get(kind, channel))) entry[k] = v;
    entry["default"] = snapshot.templates.is_default(kind, channel);
    auto catalogue = rendering::documented_variables(kind, channel);
    entry["variables"] = variables_json(catalogue.variables);
    json::array withheld;
    for (const auto& w : catalogue.withheld) withheld.push_back({{"name", w.name}, {"reason", w.reason}});
    entry["withheld"] = std::move(withheld);
    return entry;
}

void get_audit(ApiContext& context, HTTPServerRequest& request, HTTPServerResponse& response) {
    std::size_t limit = kDefaultAuditPage;
    std::optional<std::int64_t> before;
    for (const auto& [key, value] : Poco::URI(request.getURI()).getQueryParameters()) {
        std::int64_t n = 0;
        auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), n);
        bool number = ec == std::errc() && end == value.data() + value.size();
        if (key == "limit") {
            if (!number || n < 1 || n > static_cast<std::int64_t>(kMaxAuditPage))
                return send_error(response, 400, "invalid", "must be a whole number from 1 to 500", "limit");
            limit = static_cast<std::size_t>(n);
        } else if (key == "before") {
            if (!number || n < 1) return send_error(response, 400, "invalid", "must be an audit entry id (a positive whole number)", "before");
            before = n;
        } else {
            return send_error(response, 400, "invalid", "is not a parameter of /v1/audit (limit, before)", key);
        }
    }
    auto entries = context.settings.audit(limit, before);
    json::array out;
    for (const auto& e : entries)
        out.push_back({{"id", e.id}, {"at_ms", e.at}, {"actor", e.actor}, {"token", e.token}, {"target", e.target},
                       {"changes", e.changes}});
    json::value next = entries.size() == limit ? json::value(entries.back().id) : json::value(nullptr);
    send_json(response, 200, json::object{{"entries", std::move(out)}, {"next_before", next}});
}

void templates_route(ApiContext& context, const std::string& path, const std::string& rest, const std::string& token_name,
                     HTTPServerRequest& request, HTTPServerResponse& response) {
    const std::string& method = request.getMethod();
    if (rest.empty()) {
        if (method != "GET") return not_allowed(response, "GET", path);
        auto snapshot = context.settings.current();
        json::array out;
        for (MessageKind kind : rendering::kAllMessageKinds)
            for (Channel channel : {Channel::email, Channel::sms}) out.push_back(template_entry(*snapshot, kind, channel));
        return send_json(response, 200, json::object{{"templates", std::move(out)}});
    }
    static const std::regex one(R"(^/([a-z-]+)/([a-z]+)$)");
    std::smatch match;
    if (!std::regex_match(rest, match, one)) return send_error(response, 404, "not_found", "no route for " + method + " " + path);
    auto kind = rendering::message_kind_from(match[1].str());
    if (!kind) return send_error(response, 404, "not_found", "'" + match[1].str() + "' is not a message kind", "kind");
    auto channel = channel_from(match[2].str());
    if (!channel) return send_error(response, 404, "not_found", "'" + match[2].str() + "' is not a channel (email, sms)", "channel");
    if (method == "GET") return send_json(response, 200, template_entry(*context.settings.current(), *kind, *channel));
    if (method != "PUT" && method != "DELETE") return not_allowed(response, "GET, PUT, DELETE", path);
    auto actor = actor_of(request, token_name, response);
    if (!actor) return;
    agency::SnapshotPtr stored;
    if (method == "DELETE") {
        stored = context.settings.reset_template(*kind, *channel, *actor);
    } else {
        auto doc = json_body(request, response);
        if (!doc) return;
        auto result = context.settings.put_template(*kind, *channel, *doc,
                                                     settings_check(context.config, context.transports), *actor);
        if (auto* error = std::get_if<FieldError>(&result))
            return send_error(response, 400, "invalid_template", error->reason, error->field);
        stored = std::get<agency::SnapshotPtr>(result);
    }
    send_json(response, 200, template_entry(*stored, *kind, *channel));
}

} // namespace

agency::SettingsCheck settings_check(const Config& config, TransportChannels channels, agency::PeopleStore* people) {
    agency::SettingsCheck check;
    check.confirm_link_characters = confirm_link_characters(config.confirm_links.base_url);
    if (people) check.worker_exists = [people](const std::string& id) { return people->worker(id).has_value(); };
    check.transports = std::move(channels);
    return check;
}

agency::SettingsCheck settings_check(const Config& config, const TransportSet& transports, agency::PeopleStore* people) {
    TransportChannels channels;
    for (const auto& t : transports.transports) {
        auto& carried = channels[t->name()];
        for (Channel c : {Channel::email, Channel::sms})
            if (t->plugin().carries(c)) carried.insert(c);
    }
    return settings_check(config, std::move(channels), people);
}

void handle_settings(ApiContext& context, const std::string& path, const std::string& token_name,
                     HTTPServerRequest& request, HTTPServerResponse& response) try {
    const std::string& method = request.getMethod();
    if (path == "/v1/audit") {
        if (method != "GET") return not_allowed(response, "GET", path);
        return get_audit(context, request, response);
    }
    static const std::string prefix = "/v1/settings";
    std::string rest = path.substr(prefix.size()); // "", "/general", "/templates/booking-notice/sms"
    if (rest.empty()) {
        if (method != "GET") return not_allowed(response, "GET", path);
        return send_json(response, 200, agency::to_json(context.settings.current()->settings));
    }
    static const std::string templates = "/templates";
    if (rest.compare(0, templates.size(), templates) == 0 && (rest.size() == templates.size() || rest[templates.size()] == '/'))
        return templates_route(context, path, rest.substr(templates.size()), token_name, request, response);
    auto section = agency::settings_section_from(rest.substr(1));
    if (!section) {
        std::string known;
        for (auto s : agency::kAllSettingsSections) known += std::string(agency::to_string(s)) + ", ";
        return send_error(response, 404, "not_found", "'" + rest.substr(1) + "' is not a settings section (" + known + "templates)",
                          "section");
    }
    if (method == "GET") return send_json(response, 200, agency::to_json(context.settings.current()->settings, *section));
    if (method != "PUT") return not_allowed(response, "GET, PUT", path);
    auto actor = actor_of(request, token_name, response);
    if (!actor) return;
    auto doc = json_body(request, response);
    if (!doc) return;
    auto result = context.settings.put_section(
        *section, *doc, settings_check(context.config, context.transports, &context.people), *actor);
    if (auto* error = std::get_if<FieldError>(&result))
        return send_error(response, 400, "invalid_setting", error->reason, error->field);
    send_json(response, 200, agency::to_json(std::get<agency::SnapshotPtr>(result)->settings, *section));
} catch (const std::runtime_error& e) {
    // Nothing was changed: the transaction did not commit.
    spdlog::error("{} {}: {}", request.getMethod(), loggable(path), loggable(e.what()));
    if (!response.sent()) send_error(response, 503, "store_unavailable", "the settings store could not be reached; try again");
}

} // namespace extcomm::host
