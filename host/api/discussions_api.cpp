#include <api/discussions_api.hpp>
#include <api/http_io.hpp>

#include <agency/people.hpp>
#include <agency/settings_json.hpp> // ClientContext names
#include <common/json_reader.hpp>
#include <discussions/discussions.hpp>

#include <regex>

namespace extcomm::host {
namespace json = boost::json;
namespace {

using Poco::Net::HTTPServerRequest;
using Poco::Net::HTTPServerResponse;

constexpr std::size_t kMaxSubjectCharacters = 200;
constexpr std::size_t kMaxMessageCharacters = 20'000;

void read_message(JsonReader& r, std::string& message) {
    if (!r.text("message", message, kMaxMessageCharacters)) r.fail("message", "is required");
    if (r.ok() && message.empty()) r.fail("message", "is empty");
}

std::optional<FieldError> read_new(const json::object& body, discussions::NewDiscussion& out) {
    JsonReader r(body, "");
    r.only({"client", "workers", "subject", "message", "context", "idempotency_key"});
    r.text("idempotency_key", out.idempotency_key);
    if (!r.text("client", out.client)) r.fail("client", "is required");
    if (r.ok() && !agency::is_valid_id(out.client)) r.fail("client", "must be a client id (1 to 64 of A-Z a-z 0-9 . _ -)");
    if (!r.ids("workers", out.workers, agency::is_valid_id, "must be a worker id")) r.fail("workers", "is required");
    if (r.ok() && out.workers.empty()) r.fail("workers", "needs at least one worker (the first writes the message)");
    if (!r.text("subject", out.subject, kMaxSubjectCharacters)) r.fail("subject", "is required");
    if (r.ok() && out.subject.empty()) r.fail("subject", "is empty");
    read_message(r, out.message);
    std::string names;
    for (auto c : agency::kAllClientContexts) names += (names.empty() ? "" : ", ") + std::string(agency::to_string(c));
    r.parsed("context", out.context, agency::client_context_from, "must be one of " + names);
    return r.error();
}

json::object to_json(const discussions::Discussion& d) {
    json::array workers, messages;
    for (const auto& w : d.workers) workers.emplace_back(w);
    for (const auto& m : d.messages)
        messages.push_back(json::object{{"seq", m.seq},
                                        {"from", {{"type", to_string(m.author)}, {"id", m.author_id}}},
                                        {"message", m.body},
                                        {"at_ms", m.at}});
    return {{"id", d.id},           {"client", d.client},          {"context", agency::to_string(d.context)},
            {"subject", d.subject}, {"workers", std::move(workers)}, {"created_at_ms", d.created_at},
            {"messages", std::move(messages)}};
}

// Where a call's idempotency key came from, for the 409 that names it.
struct Keyed {
    std::string key;
    std::string field; // "idempotency_key" or "Idempotency-Key"
};

// The call's key: the body's idempotency_key (already read into `key`), else the Idempotency-Key header.
std::optional<FieldError> read_key(HTTPServerRequest& request, Keyed& keyed) {
    keyed.field = keyed.key.empty() ? "Idempotency-Key" : "idempotency_key";
    return idempotency_key(request, keyed.key);
}

// 201 with the thread and the messages sent (a repeated call: what the first one posted); else the refusal
// (400), 404, or 409 when the key names another message.
template <typename Result>
void answer(ApiContext& context, HTTPServerResponse& response, const Result& result, const Keyed& keyed,
            const std::string& id = {}) {
    if (auto* error = std::get_if<FieldError>(&result)) return send_invalid(response, *error);
    if (auto* reused = std::get_if<discussions::KeyReused>(&result))
        return send_key_reused(response, keyed.key, reused->what, keyed.field);
    if (!std::holds_alternative<discussions::Posted>(result))
        return send_error(response, 404, "not_found", "no discussion '" + id + "'", "id");
    const auto& posted = std::get<discussions::Posted>(result);
    json::object body = to_json(posted.discussion);
    json::array ids;
    for (const auto& m : posted.message_ids) ids.emplace_back(m);
    body["message_ids"] = std::move(ids);
    send_json(response, 201, body);
    if (!posted.message_ids.empty()) context.dispatcher.wake();
}

bool links_configured(ApiContext& context, HTTPServerResponse& response) {
    if (!context.config.confirm_links.base_url.empty()) return true;
    send_error(response, 503, "not_configured",
               "discussions send the client a link: set confirm_links.base_url, the public address of this service");
    return false;
}

void start(ApiContext& context, HTTPServerRequest& request, HTTPServerResponse& response) {
    auto body = object_body(request, response);
    if (!body) return;
    discussions::NewDiscussion d;
    if (auto error = read_new(*body, d)) return send_invalid(response, *error);
    Keyed keyed{d.idempotency_key, {}};
    if (auto error = read_key(request, keyed)) return send_invalid(response, *error);
    d.idempotency_key = keyed.key;
    if (!links_configured(context, response)) return;
    answer(context, response, context.discussions.start(*context.settings.current(), d), keyed);
}

void reply(ApiContext& context, const std::string& id, HTTPServerRequest& request, HTTPServerResponse& response) {
    auto body = object_body(request, response);
    if (!body) return;
    JsonReader r(*body, "");
    r.only({"worker", "message", "idempotency_key"});
    std::string worker, message;
    Keyed keyed;
    if (!r.text("worker", worker)) r.fail("worker", "is required");
    if (r.ok() && !agency::is_valid_id(worker)) r.fail("worker", "must be a worker id (1 to 64 of A-Z a-z 0-9 . _ -)");
    read_message(r, message);
    r.text("idempotency_key", keyed.key);
    if (r.error()) return send_invalid(response, *r.error());
    if (auto error = read_key(request, keyed)) return send_invalid(response, *error);
    if (!links_configured(context, response)) return;
    answer(context, response, context.discussions.reply(*context.settings.current(), id, worker, message, keyed.key),
           keyed, id);
}

void not_allowed(HTTPServerResponse& response, const std::string& method, const std::string& path, const char* allow) {
    response.set("Allow", allow);
    send_error(response, 405, "method_not_allowed", method + " is not allowed on " + path);
}

} // namespace

bool route_discussions(ApiContext& context, const std::string& method, const std::string& path,
                       HTTPServerRequest& request, HTTPServerResponse& response) {
    static const std::regex one(R"(^/v1/discussions/([^/]+)(/messages)?$)");
    std::smatch m;
    if (path == "/v1/discussions") {
        if (method != "POST") not_allowed(response, method, path, "POST");
        else start(context, request, response);
        return true;
    }
    if (!std::regex_match(path, m, one)) return false;
    const std::string id = m[1];
    if (m[2].matched) {
        if (method != "POST") not_allowed(response, method, path, "POST");
        else reply(context, id, request, response);
        return true;
    }
    if (method != "GET") not_allowed(response, method, path, "GET");
    else if (auto d = context.discussions.find(id)) send_json(response, 200, to_json(*d));
    else send_error(response, 404, "not_found", "no discussion '" + id + "'", "id");
    return true;
}

} // namespace extcomm::host
