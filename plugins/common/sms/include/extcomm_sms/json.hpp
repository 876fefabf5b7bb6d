// Reading JSON with Boost.JSON the way the SMS transports all do: provider answers and webhooks (ids that
// come as strings or numbers), and the transport's settings (the host validated them against the schema;
// what a schema cannot say is checked here and refused with sdk::SettingsError naming the member).
#ifndef EXTCOMM_SMS_JSON_HPP
#define EXTCOMM_SMS_JSON_HPP

#include <extcomm/sdk.hpp>

#include <boost/json.hpp>

#include <string>
#include <string_view>

namespace extcomm::sms {

// The member `key` as text when it is a string or an integer (providers send ids either way); empty when
// it is absent or anything else.
inline std::string field(const boost::json::object& o, std::string_view key) {
    if (auto* v = o.if_contains(key)) {
        if (v->is_string()) return std::string(v->as_string());
        if (v->is_int64()) return std::to_string(v->as_int64());
        if (v->is_uint64()) return std::to_string(v->as_uint64());
    }
    return {};
}

// The settings text as a JSON object.
inline boost::json::object settings_object(std::string_view text) {
    std::error_code ec;
    boost::json::value root = boost::json::parse(text, ec);
    if (ec || !root.is_object()) throw sdk::SettingsError("", "settings must be a JSON object");
    return std::move(root.as_object());
}

// The string setting `key`, or `fallback` when it is absent.
inline std::string string_setting(const boost::json::object& o, std::string_view key, std::string fallback = {}) {
    const boost::json::value* v = o.if_contains(key);
    if (!v) return fallback;
    if (!v->is_string()) throw sdk::SettingsError(std::string(key), std::string(key) + " must be a string");
    return std::string(v->as_string());
}

// The `base_url` setting (or `fallback`) without a trailing '/', so paths can be appended.
inline std::string base_url_setting(const boost::json::object& o, std::string fallback) {
    std::string url = string_setting(o, "base_url", std::move(fallback));
    while (!url.empty() && url.back() == '/') url.pop_back();
    if (url.rfind("http://", 0) != 0 && url.rfind("https://", 0) != 0)
        throw sdk::SettingsError("base_url", "base_url must start with https:// (or http:// for a local simulator)");
    return url;
}

} // namespace extcomm::sms

#endif // EXTCOMM_SMS_JSON_HPP
