#include <api/api_server.hpp>
#include <common/log_text.hpp>
#include <api/roles.hpp>
#include <api/http_io.hpp>
#include <api/poco_exchange.hpp>
#include <api/client_messages_api.hpp>
#include <api/client_task_page.hpp>
#include <api/confirm_links_api.hpp>
#include <api/discussion_page.hpp>
#include <api/discussions_api.hpp>
#include <api/message_log_api.hpp>
#include <api/messages_api.hpp>
#include <api/openapi_api.hpp>
#include <api/preview_api.hpp>
#include <api/settings_api.hpp>
#include <api/people_api.hpp>
#include <api/action_triggers_api.hpp>
#include <api/records_api.hpp>
#include <api/tasks_api.hpp>
#include <api/trigger_firings_api.hpp>
#include <api/service_events_api.hpp>
#include <api/worker_messages_api.hpp>
#include <api/webhooks_api.hpp>
#include <api/transports_api.hpp>
#include <api/verification_codes_api.hpp>

#include <Poco/Net/HTTPRequestHandler.h>
#include <spdlog/spdlog.h>

#include <regex>

namespace extcomm::host {
namespace {

using Poco::Net::HTTPServerRequest;
using Poco::Net::HTTPServerResponse;

// Compares every byte whatever the first difference, so timing says nothing about a token.
bool same_secret(const std::string& a, const std::string& b) {
    unsigned char diff = a.size() == b.size() ? 0 : 1;
    for (std::size_t i = 0; i < a.size(); ++i) diff |= static_cast<unsigned char>(a[i] ^ (i < b.size() ? b[i] : 0));
    return diff == 0;
}

// The caller's token, or nothing when the request carries no valid one. Every token is compared.
const ApiToken* authorized(const ApiContext& context, const HTTPServerRequest& request) {
    if (!request.has("Authorization")) return nullptr;
    const std::string& header = request.get("Authorization");
    static const std::string scheme = "Bearer ";
    if (header.size() <= scheme.size() || header.compare(0, scheme.size(), scheme) != 0) return nullptr;
    std::string token = header.substr(scheme.size());
    const ApiToken* found = nullptr;
    for (const ApiToken& t : context.config.api_tokens)
        if (same_secret(token, t.secret) && !found) found = &t;
    return found;
}

// The requests whose handlers neither read the store nor call out, so they run on the I/O thread that read
// them (http_server.hpp): the health check, the API's description, and one message to send (the commit
// answers it). The token and its role are checked in memory on either path. Every other request goes to
// the pool.
bool never_waits(const HttpRequest& request) {
    namespace http = boost::beast::http;
    const auto target = request.target();
    if (request.method() == http::verb::get) return target == "/healthz" || target == "/v1/openapi.json";
    return request.method() == http::verb::post && target == "/v1/messages" && posts_one_message(request.body());
}

class Router final : public Poco::Net::HTTPRequestHandler {
public:
    explicit Router(ApiContext& context) : context_(context) {}

    void handleRequest(HTTPServerRequest& request, HTTPServerResponse& response) override {
        try {
            route(request, response);
        } catch (const std::exception& e) {
            // The path only: a webhook's query holds its secret.
            spdlog::error("{} {}: {}", request.getMethod(), loggable(request.getURI().substr(0, request.getURI().find('?'))),
                          loggable(e.what()));
            if (!response.sent()) send_error(response, 500, "internal", "internal error; see the service log");
        }
    }

private:
    void route(HTTPServerRequest& request, HTTPServerResponse& response) {
        const std::string& method = request.getMethod();
        std::string path = request.getURI().substr(0, request.getURI().find('?'));
        if (path == "/healthz" && method == "GET") return send_json(response, 200, boost::json::object{{"status", "ok"}});
        // The API's description holds no data: tools fetch it without a token.
        if (path == "/v1/openapi.json" && method == "GET") return get_openapi(response);
        // Providers cannot send bearer tokens: webhooks carry their transport's secret instead.
        static const std::regex webhook_path(R"(^/v1/webhooks/([a-z0-9][a-z0-9_-]{0,62})$)");
        if (std::smatch hook; std::regex_match(path, hook, webhook_path)) {
            if (method == "POST" || method == "GET") return handle_webhook(context_, hook[1], request, response);
            response.set("Allow", "POST, GET");
            return send_error(response, 405, "method_not_allowed", "webhooks are POST (or GET for query-string callbacks)");
        }
        // Clients open confirm links from their messages: the signed token in the path is the authority.
        if (route_confirm_pages(context_, method, path, request, response)) return;
        if (route_discussion_pages(context_, method, path, request, response)) return;
        if (route_client_task_pages(context_, method, path, request, response)) return;
        const ApiToken* token = authorized(context_, request);
        if (!token) {
            response.set("WWW-Authenticate", "Bearer");
            return send_error(response, 401, "unauthorized", "a valid bearer token is required (Authorization: Bearer <token>)");
        }
        if (const Role need = role_needed(method, path); !allows(token->role, need))
            return send_error(response, 403, "forbidden",
                              method + " " + path + " needs the " + std::string(to_string(need)) + " role; the token '" +
                                  token->name + "' has the " + std::string(to_string(token->role)) + " role");
        static const std::regex message_path(R"(^/v1/messages/([A-Za-z0-9-]{1,64})$)");
        std::smatch match;
        if (path == "/metrics" && method == "GET") return get_metrics(response);
        if (path == "/v1/messages" && method == "POST") return post_messages(context_, request, response);
        if (std::regex_match(path, match, message_path) && method == "GET") return get_message(context_, match[1], response);
        static const std::regex resume_path(R"(^/v1/transports/([a-z0-9][a-z0-9_-]{0,62})/resume$)");
        if (path == "/v1/transports" && method == "GET") return get_transports(context_, response);
        if (std::regex_match(path, match, resume_path) && method == "POST") return resume_transport(context_, match[1], response);
        if (path == "/v1/settings" || path.starts_with("/v1/settings/") || path == "/v1/audit")
            return handle_settings(context_, path, token->name, request, response);
        if (path == "/v1/preview" && method == "POST") return post_preview(context_, request, response);
        if (route_action_triggers(context_, method, path, token->name, request, response)) return;
        if (route_people(context_, method, path, request, response) ||
            route_worker_messages(context_, method, path, request, response) ||
            route_client_messages(context_, method, path, request, response) ||
            route_message_log(context_, method, path, request, response) ||
            route_service_events(context_, method, path, request, response) ||
            route_records(context_, method, path, request, response) ||
            route_trigger_firings(context_, method, path, request, response) ||
            route_tasks(context_, method, path, request, response) ||
            route_trigger_errors(context_, method, path, request, response) ||
            route_verification_codes(context_, method, path, request, response) ||
            route_discussions(context_, method, path, request, response))
            return;
        send_error(response, 404, "not_found", "no route for " + method + " " + path);
    }

    void get_metrics(HTTPServerResponse& response) {
        std::optional<std::map<MessageState, long>> by_state;
        try {
            by_state = context_.outbox.count_by_state();
        } catch (const std::exception& e) {
            spdlog::warn("metrics: the store could not count messages: {}", loggable(e.what()));
        }
        send_text(response, 200, "text/plain; version=0.0.4", context_.metrics.render(by_state));
    }

    ApiContext& context_;
};

} // namespace

ApiServer::ApiServer(ApiContext& context) : context_(context) {}

ApiServer::~ApiServer() { stop(); }

void ApiServer::start() {
    HttpRoutes routes;
    routes.body_limit = [](const boost::beast::http::request_header<>& header) { return body_limit(header.target()); };
    routes.handle = [this](HttpRequest& request, const HttpPeer& client, const HttpPeer& local, const HttpAnswer& answer) {
        Router router(context_);
        run_poco_handler(router, request, client, local, answer);
    };
    routes.refuse = [](int status, const std::string& code, const std::string& message) {
        return poco_answer([&](HTTPServerResponse& response) { send_error(response, status, code, message); });
    };
    routes.answered = [this](const HttpResponse& answer) { context_.metrics.on_api_request(answer.result_int()); };
    routes.never_waits = never_waits;
    server_ = std::make_unique<HttpServer>(context_.config.http_server, std::move(routes));
    port_ = server_->start(context_.config.listen, static_cast<std::uint16_t>(context_.config.port));
}

void ApiServer::stop() {
    if (!server_) return;
    server_->stop();
    server_.reset();
}

} // namespace extcomm::host
