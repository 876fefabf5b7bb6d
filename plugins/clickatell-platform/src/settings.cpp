#include "settings.hpp"

#include <extcomm/sdk.hpp>
#include <extcomm_sms/json.hpp>

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
    const json::object o = sms::settings_object(text);
    Settings s;
    s.base_url = sms::base_url_setting(o, s.base_url);
    s.api_key = sms::string_setting(o, "api_key");
    if (s.api_key.empty()) throw SettingsError("api_key", "api_key is required (the Platform integration's API key)");
    s.from = sms::string_setting(o, "from");
    if (!s.from.empty() && s.from.front() == '+') s.from.erase(0, 1); // international digits, no '+'
    return s;
}

} // namespace extcomm::clickatell_platform
