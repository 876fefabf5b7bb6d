#include "settings.hpp"

#include <extcomm/sdk.hpp>
#include <extcomm_sms/json.hpp>

#include <boost/json.hpp>

namespace extcomm::clickatell_platform {

namespace json = boost::json;
using extcomm::sdk::SettingsError;

// kSettingsSchema: settings.schema.json beside this folder, embedded at build time (plugins/common/CMakeLists.txt).

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
