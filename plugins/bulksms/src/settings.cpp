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

// kSettingsSchema: settings.schema.json beside this folder, embedded at build time (plugins/common/CMakeLists.txt).

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
