#include "settings.hpp"

#include <extcomm/sdk.hpp>
#include <extcomm_sms/json.hpp>

#include <boost/json.hpp>

namespace extcomm::clickatell {

namespace json = boost::json;
using extcomm::sdk::SettingsError;

// kSettingsSchema: settings.schema.json beside this folder, embedded at build time (plugins/common/CMakeLists.txt).

namespace {

int int_at(const json::object& o, std::string_view key, int fallback, int lo, int hi) {
    const json::value* v = o.if_contains(key);
    if (!v) return fallback;
    if (!v->is_int64() || v->as_int64() < lo || v->as_int64() > hi)
        throw SettingsError(std::string(key), std::string(key) + " must be an integer from " + std::to_string(lo) +
                                                  " to " + std::to_string(hi));
    return static_cast<int>(v->as_int64());
}

} // namespace

Settings parse_settings(std::string_view text) {
    const json::object o = sms::settings_object(text);
    Settings s;
    s.base_url = sms::base_url_setting(o, s.base_url);
    s.user = sms::string_setting(o, "user");
    s.password = sms::string_setting(o, "password");
    s.api_id = sms::string_setting(o, "api_id");
    if (s.user.empty()) throw SettingsError("user", "user is required (the Developers' Central user name)");
    if (s.password.empty()) throw SettingsError("password", "password is required");
    if (s.api_id.empty()) throw SettingsError("api_id", "api_id is required (the HTTP API connection's id)");
    s.from = sms::string_setting(o, "from");
    if (!s.from.empty() && s.from.front() == '+') s.from.erase(0, 1); // Clickatell wants digits only
    if (const json::value* v = o.if_contains("mo")) {
        if (!v->is_bool()) throw SettingsError("mo", "mo must be true or false");
        s.mo = v->as_bool();
    }
    s.callback = int_at(o, "callback", s.callback, 0, 7);
    s.max_parts = int_at(o, "max_parts", s.max_parts, 1, 10);
    return s;
}

} // namespace extcomm::clickatell
