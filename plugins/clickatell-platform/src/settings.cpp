#include "settings.hpp"

#include <extcomm/sdk.hpp>

#include <boost/json.hpp>

namespace extcomm::clickatell_platform {

namespace json = boost::json;
using extcomm::sdk::SettingsError;

const char* const kSettingsSchema = R"({
  "$schema": "http://json-schema.org/draft-07/schema#",
  "title": "Clickatell Platform transport settings",
  "type": "object",
  "additionalProperties": false,
  "required": ["api_key"],
  "properties": {
    "base_url": {"type": "string", "pattern": "^https?://", "default": "https://platform.clickatell.com",
                 "description": "Clickatell Platform API root; the plugin posts to {base_url}/messages. Override for a simulator."},
    "api_key": {"type": "string", "minLength": 1,
                "description": "The API key of the Platform integration (secret), sent as the raw Authorization header."},
    "from": {"type": "string", "pattern": "^(\\+?[0-9]{3,15}|[A-Za-z0-9 ]{1,11})$",
             "description": "Sender: the integration's two-way number (international) or an approved alphanumeric sender id. Omit for the integration default."}
  }
})";

Settings parse_settings(std::string_view text) {
    std::error_code ec;
    json::value root = json::parse(text, ec);
    if (ec || !root.is_object()) throw SettingsError("", "settings must be a JSON object");
    const json::object& o = root.as_object();
    auto string_at = [&](std::string_view key, std::string fallback) {
        const json::value* v = o.if_contains(key);
        if (!v) return fallback;
        if (!v->is_string()) throw SettingsError(std::string(key), std::string(key) + " must be a string");
        return std::string(v->as_string());
    };
    Settings s;
    s.base_url = string_at("base_url", s.base_url);
    while (!s.base_url.empty() && s.base_url.back() == '/') s.base_url.pop_back();
    if (s.base_url.rfind("http://", 0) != 0 && s.base_url.rfind("https://", 0) != 0)
        throw SettingsError("base_url", "base_url must start with http:// or https://");
    s.api_key = string_at("api_key", "");
    if (s.api_key.empty()) throw SettingsError("api_key", "api_key is required (the Platform integration's API key)");
    s.from = string_at("from", "");
    if (!s.from.empty() && s.from.front() == '+') s.from.erase(0, 1); // international digits, no '+'
    return s;
}

} // namespace extcomm::clickatell_platform
