#include <api/action_triggers_api.hpp>
#include <api/http_io.hpp>
#include <api/settings_api.hpp>

#include <triggers/rule_store.hpp>

#include <regex>

namespace extcomm::host {
namespace json = boost::json;
namespace {

using Poco::Net::HTTPServerRequest;
using Poco::Net::HTTPServerResponse;
using triggers::NoSuchRule;
using triggers::Rule;

json::object catalogue_json() {
    json::array out;
    for (triggers::Trigger t : triggers::kAllTriggers) {
        const triggers::TriggerInfo& about = triggers::info(t);
        json::array parameters, others;
        for (auto p : about.parameters) parameters.emplace_back(triggers::to_string(p));
        for (auto o : about.other_recipients) others.emplace_back(triggers::to_string(o));
        out.push_back(json::object{
            {"trigger", triggers::to_string(t)},
            {"category", triggers::to_string(about.category)},
            {"family", triggers::attached_to_template(t) ? "document-template" : "system"},
            {"description", about.description},
            {"parameters", std::move(parameters)},
            {"other_recipients", std::move(others)},
            {"assign_to_client", about.client != triggers::AssignableClient::none},
            {"client", about.client == triggers::AssignableClient::none ? json::value(nullptr)
                                                                         : json::value(triggers::to_string(about.client))},
            {"time_based", about.time_based}});
    }
    return {{"triggers", std::move(out)}};
}

// A rule change's answer: the rule (with `status`), a 400 naming the field, or 404.
void answer(HTTPServerResponse& response, const std::string& id, std::variant<Rule, FieldError, NoSuchRule> done, int status) {
    if (auto* rule = std::get_if<Rule>(&done)) return send_json(response, status, triggers::to_json(*rule));
    if (auto* error = std::get_if<FieldError>(&done)) return send_invalid(response, *error);
    send_error(response, 404, "not_found", "no action trigger '" + id + "'", "id");
}

std::optional<Rule> rule_body(HTTPServerRequest& request, HTTPServerResponse& response) {
    auto body = json_body(request, response);
    if (!body) return std::nullopt;
    auto read = triggers::rule_from_api(*body);
    if (auto* error = std::get_if<FieldError>(&read)) {
        send_invalid(response, *error);
        return std::nullopt;
    }
    return std::get<Rule>(std::move(read));
}

void on_collection(ApiContext& context, const std::string& method, const agency::Actor& actor,
                   HTTPServerRequest& request, HTTPServerResponse& response) {
    if (method == "GET") {
        json::array rules;
        for (const Rule& r : context.rules.list()) rules.push_back(triggers::to_json(r));
        return send_json(response, 200, json::object{{"action_triggers", std::move(rules)}});
    }
    auto rule = rule_body(request, response);
    if (!rule) return;
    auto created = context.rules.create(std::move(*rule), actor);
    if (auto* error = std::get_if<FieldError>(&created)) return send_invalid(response, *error);
    send_json(response, 201, triggers::to_json(std::get<Rule>(created)));
}

void on_rule(ApiContext& context, const std::string& method, const std::string& id, const agency::Actor& actor,
             HTTPServerRequest& request, HTTPServerResponse& response) {
    if (method == "GET") {
        if (auto rule = context.rules.find(id)) return send_json(response, 200, triggers::to_json(*rule));
        return send_error(response, 404, "not_found", "no action trigger '" + id + "'", "id");
    }
    if (method == "DELETE") {
        if (!context.rules.remove(id, actor)) return send_error(response, 404, "not_found", "no action trigger '" + id + "'", "id");
        response.setStatus(Poco::Net::HTTPResponse::HTTP_NO_CONTENT);
        response.setContentLength(0);
        response.send();
        return;
    }
    auto rule = rule_body(request, response);
    if (!rule) return;
    answer(response, id, context.rules.replace(id, std::move(*rule), actor), 200);
}

void on_verb(ApiContext& context, const std::string& verb, const std::string& id, const agency::Actor& actor,
             HTTPServerResponse& response) {
    if (verb == "copy") return answer(response, id, context.rules.copy(id, actor), 201);
    answer(response, id, context.rules.set_enabled(id, verb == "enable", actor), 200);
}

void not_allowed(HTTPServerResponse& response, const std::string& method, const std::string& path, const char* allow) {
    response.set("Allow", allow);
    send_error(response, 405, "method_not_allowed", method + " is not allowed on " + path);
}

} // namespace

bool route_action_triggers(ApiContext& context, const std::string& method, const std::string& path,
                           const std::string& token_name, HTTPServerRequest& request, HTTPServerResponse& response) {
    static const std::regex rule_path(R"(^/v1/action-triggers/([A-Za-z0-9._-]{1,64})(/(enable|disable|copy))?$)");
    std::smatch m;
    const bool collection = path == "/v1/action-triggers";
    if (!collection && !std::regex_match(path, m, rule_path)) return false;
    if (!collection && m[1] == "catalogue" && !m[2].matched) {
        if (method != "GET") not_allowed(response, method, path, "GET");
        else send_json(response, 200, catalogue_json());
        return true;
    }
    const char* allow = collection ? "GET, POST" : (m[2].matched ? "POST" : "GET, PUT, DELETE");
    const bool allowed = collection ? (method == "GET" || method == "POST")
                                    : (m[2].matched ? method == "POST" : (method == "GET" || method == "PUT" || method == "DELETE"));
    if (!allowed) {
        not_allowed(response, method, path, allow);
        return true;
    }
    auto actor = actor_of(request, token_name, response);
    if (!actor) return true;
    if (collection) on_collection(context, method, *actor, request, response);
    else if (m[2].matched) on_verb(context, m[3], m[1], *actor, response);
    else on_rule(context, method, m[1], *actor, request, response);
    return true;
}

} // namespace extcomm::host
