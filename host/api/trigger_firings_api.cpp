#include <api/http_io.hpp>
#include <api/message_log_api.hpp>
#include <api/trigger_firings_api.hpp>

#include <sending/message_log.hpp>
#include <triggers/records.hpp>

#include <Poco/URI.h>

#include <charconv>

namespace extcomm::host {
namespace json = boost::json;
namespace {

constexpr int kMaxPage = 500;

std::optional<std::int64_t> whole_number(const std::string& text) {
    std::int64_t n = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
    if (ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
    return n;
}

} // namespace

std::optional<bool> read_paging(const std::string& key, const std::string& value, int& limit,
                                std::optional<std::int64_t>& before, Poco::Net::HTTPServerResponse& response) {
    if (key != "limit" && key != "before") return std::nullopt;
    auto n = whole_number(value);
    if (key == "limit" && n && *n >= 1 && *n <= kMaxPage) limit = static_cast<int>(*n);
    else if (key == "before" && n && *n >= 1) before = *n;
    else {
        send_error(response, 400, "invalid", key == "limit" ? "must be a whole number from 1 to 500" : "must be an entry's seq", key);
        return false;
    }
    return true;
}

bool read_log_query(const std::string& method, const std::string& path, const std::string& known,
                    Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response, int& limit,
                    std::optional<std::int64_t>& before, const std::function<bool(const std::string&, const std::string&)>& other) {
    if (method != "GET") {
        response.set("Allow", "GET");
        send_error(response, 405, "method_not_allowed", method + " is not allowed on " + path);
        return false;
    }
    for (const auto& [key, value] : Poco::URI(request.getURI()).getQueryParameters()) {
        auto paged = read_paging(key, value, limit, before, response);
        if (paged && !*paged) return false;
        if (!paged && !other(key, value)) {
            send_error(response, 400, "invalid", "is not a parameter of " + path + " (" + known + ")", key);
            return false;
        }
    }
    return true;
}

bool route_trigger_errors(ApiContext& context, const std::string& method, const std::string& path,
                          Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response) {
    if (path != "/v1/errors") return false;
    triggers::ErrorFilter filter;
    if (!read_log_query(method, path, "limit, before", request, response, filter.limit, filter.before,
                        [](const std::string&, const std::string&) { return false; }))
        return true;
    auto found = context.records.errors(filter);
    json::array errors;
    for (const auto& e : found) errors.push_back(triggers::to_json(e));
    json::object answer{{"errors", std::move(errors)}};
    answer["next_before"] = found.size() == static_cast<std::size_t>(filter.limit) ? json::value(found.back().seq) : json::value(nullptr);
    send_json(response, 200, answer);
    return true;
}

json::array firings_json(ApiContext& context, const std::vector<json::object>& entries) {
    json::array out;
    for (json::object entry : entries) {
        for (json::value& action : entry["actions"].as_array()) {
            json::object& a = action.as_object();
            if (!a.contains("request")) continue;
            json::array decisions;
            for (const auto& d : context.decisions.of_request(std::string(a.at("request").as_string())))
                decisions.push_back(decision_json(d));
            a["decisions"] = std::move(decisions);
        }
        out.push_back(std::move(entry));
    }
    return out;
}

void add_fired(ApiContext& context, const std::vector<json::object>& entries, json::object& answer) {
    std::vector<json::object> fired;
    std::int64_t rules = 0;
    for (const json::object& e : entries) {
        if (e.at("fired").as_bool()) fired.push_back(e);
        rules += triggers::rules_in(e);
    }
    answer["firings"] = firings_json(context, fired);
    answer["rules_evaluated"] = rules;
}

bool route_trigger_firings(ApiContext& context, const std::string& method, const std::string& path,
                           Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response) {
    if (path != "/v1/trigger-firings") return false;
    triggers::FiringFilter filter;
    if (!read_log_query(method, path, "rule, record, limit, before", request, response, filter.limit, filter.before,
                        [&](const std::string& key, const std::string& value) {
                            if (key == "rule") filter.rule = value;
                            else if (key == "record") filter.record = value;
                            return key == "rule" || key == "record";
                        }))
        return true;
    auto entries = context.records.firings(filter);
    json::object answer{{"firings", firings_json(context, entries)}};
    answer["next_before"] = entries.size() == static_cast<std::size_t>(filter.limit) ? entries.back().at("seq") : json::value(nullptr);
    send_json(response, 200, answer);
    return true;
}

} // namespace extcomm::host
