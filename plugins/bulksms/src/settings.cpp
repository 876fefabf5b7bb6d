#include "settings.hpp"

#include <extcomm/sdk.hpp>
#include <extcomm_sms/json.hpp>
#include <extcomm_sms/wire.hpp>

#include <boost/json.hpp>

#include <algorithm>
#include <cctype>

namespace extcomm::bulksms {

namespace json = boost::json;
using sdk::SettingsError;

const char* const kSettingsSchema = R"({
  "$schema": "http://json-schema.org/draft-07/schema#",
  "title": "BulkSMS transport settings",
  "type": "object",
  "additionalProperties": false,
  "properties": {
    "base_url": {"type": "string", "pattern": "^https?://", "default": "https://api.bulksms.com/v1",
      "description": "BulkSMS JSON API v1 base URL; messages are posted to {base_url}/messages. Override for a simulator or proxy."},
    "username": {"type": "string", "minLength": 1,
      "description": "BulkSMS account username for HTTP Basic auth (with password). Alternatively use token_id and token_secret."},
    "password": {"type": "string", "minLength": 1, "description": "BulkSMS account password (with username). Secret: never logged."},
    "token_id": {"type": "string", "minLength": 1,
      "description": "API token id (Settings > Developer Settings > API Tokens), used with token_secret instead of username/password."},
    "token_secret": {"type": "string", "minLength": 1, "description": "API token secret (with token_id). Secret: never logged."},
    "from": {"type": "string", "minLength": 1, "maxLength": 16,
      "description": "Sender id: an alphanumeric id (up to 11 characters), an international number (7-15 digits, '+' allowed) or a short code. Omit to use the account's default (and its repliable setting)."},
    "from_type": {"enum": ["INTERNATIONAL", "ALPHANUMERIC", "SHORTCODE", "REPLIABLE"],
      "description": "Type of the sender id. Default: ALPHANUMERIC when `from` has a non-digit and no leading '+', else INTERNATIONAL. REPLIABLE (without `from`) lets recipients reply."},
    "batch_size": {"type": "integer", "minimum": 1, "maximum": 1000, "default": 100,
      "description": "Messages per POST /messages request (one submission, one deduplication-id)."},
    "delivery_reports": {"enum": ["ALL", "ERRORS", "NONE"], "default": "ALL",
      "description": "Which delivery reports to request from the network (deliveryReports)."},
    "routing_group": {"enum": ["ECONOMY", "STANDARD", "PREMIUM"], "description": "BulkSMS routing group; omit for the default (STANDARD)."},
    "long_message_max_parts": {"type": "integer", "minimum": 1, "maximum": 10, "default": 10,
      "description": "Most SMS parts one message may use (longMessageMaxParts); longer bodies are rejected before sending."},
    "default_country_code": {"type": "string", "pattern": "^[1-9][0-9]{0,2}$",
      "description": "Country calling code (e.g. \"44\") for destination numbers stored without one; without it such numbers are rejected."}
  },
  "dependencies": {
    "username": ["password"], "password": ["username"],
    "token_id": ["token_secret"], "token_secret": ["token_id"]
  }
})";

namespace {

std::optional<Sender> parse_sender(const json::object& o) {
    std::string from = sms::string_setting(o, "from");
    std::string type = sms::string_setting(o, "from_type");
    if (type == "REPLIABLE") {
        if (!from.empty())
            throw SettingsError("from", "from_type REPLIABLE uses BulkSMS's reply number: remove `from`");
        return Sender{"REPLIABLE", {}};
    }
    if (from.empty()) {
        if (!type.empty()) throw SettingsError("from", "from_type " + type + " needs a `from` sender id");
        return std::nullopt;
    }
    if (type.empty()) {
        bool alpha = from[0] != '+' && !sms::all_digits(from);
        type = alpha ? "ALPHANUMERIC" : "INTERNATIONAL";
    }
    if (type == "ALPHANUMERIC") {
        if (from.size() > 11) throw SettingsError("from", "an alphanumeric sender id has at most 11 characters");
    } else if (type == "INTERNATIONAL") {
        std::string_view digits = from;
        if (!digits.empty() && digits[0] == '+') digits.remove_prefix(1);
        if (!sms::all_digits(digits) || digits.size() < 7 || digits.size() > 15)
            throw SettingsError("from", "an international sender id is 7 to 15 digits, optionally after '+'");
    } else if (type == "SHORTCODE") {
        if (!sms::all_digits(from) || from.size() > 6) throw SettingsError("from", "a short code is at most 6 digits");
    }
    return Sender{type, from};
}

} // namespace

Settings parse_settings(std::string_view text) {
    const json::object o = sms::settings_object(text);
    Settings s;
    s.base_url = sms::base_url_setting(o, kDefaultBaseUrl);

    bool user = o.contains("username") || o.contains("password");
    bool token = o.contains("token_id") || o.contains("token_secret");
    if (user && token)
        throw SettingsError("token_id", "set either username/password or token_id/token_secret, not both");
    if (user)
        s.authorization = sms::basic_auth(sms::string_setting(o, "username"), sms::string_setting(o, "password"));
    else if (token)
        s.authorization = sms::basic_auth(sms::string_setting(o, "token_id"), sms::string_setting(o, "token_secret"));
    else
        throw SettingsError("username", "BulkSMS needs credentials: set username and password, or token_id and token_secret");

    s.from = parse_sender(o);
    if (auto* v = o.if_contains("batch_size"); v && v->is_int64())
        s.batch_size = static_cast<uint32_t>(std::clamp<int64_t>(v->as_int64(), 1, kMaxBatchSize));
    s.delivery_reports = sms::string_setting(o, "delivery_reports", "ALL");
    s.routing_group = sms::string_setting(o, "routing_group");
    if (auto* v = o.if_contains("long_message_max_parts"); v && v->is_int64())
        s.long_message_max_parts = static_cast<uint32_t>(std::clamp<int64_t>(v->as_int64(), 1, kMaxPartsLimit));
    s.numbers.default_country_code = sms::string_setting(o, "default_country_code");
    return s;
}

} // namespace extcomm::bulksms
