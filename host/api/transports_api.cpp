#include <api/http_io.hpp>
#include <api/transports_api.hpp>

#include <cmath>
#include <cstdint>

namespace extcomm::host {
namespace json = boost::json;
namespace {

// Boost.JSON writes every double with an exponent ("0E0", "5E0"); a whole rate is written as the integer it
// is, which parses to the same number and reads as the configuration said it.
json::value rate_json(double rate) {
    double whole = 0;
    if (std::modf(rate, &whole) == 0 && std::fabs(whole) < 1e15) return static_cast<std::int64_t>(whole);
    return rate;
}

} // namespace

void get_transports(ApiContext& context, Poco::Net::HTTPServerResponse& response) {
    auto depth = context.outbox.queue_depths();
    json::array out;
    for (const TransportStatus& s : context.dispatcher.status()) {
        auto t = context.transports.find(s.name);
        json::object breaker{{"state", s.breaker}, {"consecutive_failures", s.consecutive_failures}};
        if (s.breaker_reopens_at) breaker["reopens_at_ms"] = s.breaker_reopens_at;
        json::object entry{{"name", s.name},
                           {"plugin", t ? t->plugin().id : ""},
                           {"state", s.paused ? "paused" : s.breaker == "closed" ? "running" : "breaker_" + s.breaker},
                           {"queue_depth", depth.count(s.name) ? depth.at(s.name) : 0},
                           {"breaker", breaker},
                           {"concurrency", s.concurrency},
                           {"rate_per_second", rate_json(s.rate_per_second)}};
        if (s.paused) entry["paused_reason"] = s.paused_reason;
        if (!s.last_error.empty()) entry["last_error"] = json::object{{"text", s.last_error}, {"at_ms", s.last_error_at}};
        out.push_back(std::move(entry));
    }
    // Configured but not running (plugin missing, settings refused): visible, with why.
    for (const auto& p : context.transports.problems) out.push_back(json::object{{"state", "not_running"}, {"problem", p.text()}});
    send_json(response, 200, json::object{{"transports", out}});
}

void resume_transport(ApiContext& context, const std::string& name, Poco::Net::HTTPServerResponse& response) {
    if (!context.dispatcher.resume(name))
        return send_error(response, 404, "not_found", "no running transport named '" + name + "'", "name");
    send_json(response, 200, json::object{{"name", name}, {"state", "running"}});
}

} // namespace extcomm::host
