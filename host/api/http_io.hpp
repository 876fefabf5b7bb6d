#pragma once
// Reading requests and writing JSON answers, the same way in every handler.
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <boost/json.hpp>
#include <common/field_error.hpp>

#include <optional>
#include <string>
#include <string_view>

namespace extcomm::host {

constexpr std::size_t kMaxBodyBytes = 16 * 1024 * 1024;
constexpr std::size_t kMaxWebhookBytes = 1024 * 1024; // providers post at most a few hundred messages

// How many body bytes a request to `target` may send, decided before any is read: the API's JSON routes
// kMaxBodyBytes, webhooks a provider's batch (1 MiB), the confirm page (/c/...) a form's few bytes (4 KiB), a
// discussion's page (/d/...) a reply (64 KiB), a client task's page (/t/...) one document's answers (64 KiB).
std::uint64_t body_limit(std::string_view target);

// The request body, or nothing when it exceeds kMaxBodyBytes.
std::optional<std::string> read_body(Poco::Net::HTTPServerRequest& request);
// The request body as JSON; or nothing, the answer sent: 413 too_large, 400 invalid_json, or 400 invalid
// naming a member named twice or a string with a NUL (common/strict_json.hpp).
std::optional<boost::json::value> json_body(Poco::Net::HTTPServerRequest& request,
                                            Poco::Net::HTTPServerResponse& response);
// The same, and an object; else 400 invalid naming "body" with `expected` as the message.
std::optional<boost::json::object> object_body(Poco::Net::HTTPServerRequest& request,
                                               Poco::Net::HTTPServerResponse& response,
                                               const std::string& expected = "must be a JSON object");

// Idempotency keys are at most 200 characters: a longer `key` is refused at `field`.
std::optional<FieldError> check_idempotency_key(const std::string& key, const std::string& field);
// The key a request is made idempotent with: the body's idempotency_key (already read into `key`), else the
// Idempotency-Key header. A key too long is refused naming where it came from.
std::optional<FieldError> idempotency_key(const Poco::Net::HTTPServerRequest& request, std::string& key);
// 409 idempotency_key_reused: `key` (from `field`) names a stored message whose `what` differs.
void send_key_reused(Poco::Net::HTTPServerResponse& response, const std::string& key, const std::string& what,
                     const std::string& field);
// 400 invalid, naming the field at fault.
void send_invalid(Poco::Net::HTTPServerResponse& response, const FieldError& error);

void send_json(Poco::Net::HTTPServerResponse& response, int status, const boost::json::value& body);
void send_text(Poco::Net::HTTPServerResponse& response, int status, const std::string& content_type, const std::string& body);
// {"error": {"code", "message", "field"}}: `field` names the input at fault, or is omitted.
void send_error(Poco::Net::HTTPServerResponse& response, int status, const std::string& code, const std::string& message,
                const std::string& field = {});

} // namespace extcomm::host
