#include <api/http_io.hpp>
#include <common/strict_json.hpp>

#include <istream>

namespace extcomm::host {

std::uint64_t body_limit(std::string_view target) {
    if (target.starts_with("/c/")) return 4 * 1024;
    if (target.starts_with("/d/")) return 64 * 1024; // a reply of 4,000 characters, URL-encoded: 12 bytes each at most
    if (target.starts_with("/t/")) return 64 * 1024; // a task's documents: a few forms of answers
    if (target.starts_with("/v1/webhooks/")) return kMaxWebhookBytes;
    return kMaxBodyBytes;
}

std::optional<std::string> read_body(Poco::Net::HTTPServerRequest& request) {
    std::string body;
    std::istream& in = request.stream();
    char buffer[16384];
    while (in.read(buffer, sizeof buffer) || in.gcount() > 0) {
        body.append(buffer, static_cast<std::size_t>(in.gcount()));
        if (body.size() > kMaxBodyBytes) return std::nullopt;
    }
    return body;
}

std::optional<boost::json::value> json_body(Poco::Net::HTTPServerRequest& request,
                                            Poco::Net::HTTPServerResponse& response) {
    auto body = read_body(request);
    if (!body) {
        send_error(response, 413, "too_large", "the request body is larger than 16 MiB");
        return std::nullopt;
    }
    // Every route reads its body here, so none accepts a repeated member or a NUL it would lose.
    StrictJson parsed = parse_strict_json(*body);
    if (parsed.syntax) {
        send_error(response, 400, "invalid_json", "the body is not valid JSON: " + parsed.syntax.message(), "body");
        return std::nullopt;
    }
    if (parsed.refused) {
        send_error(response, 400, "invalid", parsed.refused->reason,
                   parsed.refused->field.empty() ? "body" : parsed.refused->field);
        return std::nullopt;
    }
    return std::move(parsed.value);
}

std::optional<boost::json::object> object_body(Poco::Net::HTTPServerRequest& request,
                                               Poco::Net::HTTPServerResponse& response, const std::string& expected) {
    auto doc = json_body(request, response);
    if (!doc) return std::nullopt;
    if (!doc->is_object()) {
        send_error(response, 400, "invalid", expected, "body");
        return std::nullopt;
    }
    return std::move(doc->as_object());
}

std::optional<FieldError> check_idempotency_key(const std::string& key, const std::string& field) {
    if (key.size() > 200) return FieldError{field, "is longer than 200 characters"};
    return std::nullopt;
}

std::optional<FieldError> idempotency_key(const Poco::Net::HTTPServerRequest& request, std::string& key) {
    if (!key.empty()) return check_idempotency_key(key, "idempotency_key");
    if (request.has("Idempotency-Key")) key = request.get("Idempotency-Key");
    return check_idempotency_key(key, "Idempotency-Key");
}

void send_key_reused(Poco::Net::HTTPServerResponse& response, const std::string& key, const std::string& what,
                     const std::string& field) {
    send_error(response, 409, "idempotency_key_reused",
               "'" + key + "' was used for another message (its " + what +
                   " differs): send the same message again, or use a new key for a new message",
               field);
}

void send_invalid(Poco::Net::HTTPServerResponse& response, const FieldError& error) {
    send_error(response, 400, "invalid", error.reason, error.field);
}

void send_text(Poco::Net::HTTPServerResponse& response, int status, const std::string& content_type,
               const std::string& body) {
    response.setStatus(static_cast<Poco::Net::HTTPResponse::HTTPStatus>(status));
    response.setContentType(content_type);
    response.setContentLength(static_cast<std::streamsize>(body.size()));
    response.send() << body;
}

void send_json(Poco::Net::HTTPServerResponse& response, int status, const boost::json::value& body) {
    send_text(response, status, "application/json", boost::json::serialize(body));
}

void send_error(Poco::Net::HTTPServerResponse& response, int status, const std::string& code,
                const std::string& message, const std::string& field) {
    boost::json::object error{{"code", code}, {"message", message}};
    if (!field.empty()) error["field"] = field;
    send_json(response, status, boost::json::object{{"error", error}});
}

} // namespace extcomm::host
