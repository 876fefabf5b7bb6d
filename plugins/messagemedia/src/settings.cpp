#include "settings.hpp"

#include <extcomm/sdk.hpp>
#include <extcomm_sms/json.hpp>
#include <extcomm_sms/wire.hpp>

#include <boost/json.hpp>

#include <algorithm>

namespace extcomm::messagemedia {

namespace json = boost::json;
using sdk::SettingsError;

// kSettingsSchema: settings.schema.json beside this folder, embedded at build time (plugins/common/CMakeLists.txt).

Settings parse_settings(std::string_view text) {
    const json::object o = sms::settings_object(text);
    Settings s;
    s.base_url = sms::base_url_setting(o, kDefaultBaseUrl);

    std::string key = sms::string_setting(o, "api_key"), secret = sms::string_setting(o, "api_secret");
    if (key.empty()) throw SettingsError("api_key", "MessageMedia needs an API key (api_key) and secret (api_secret)");
    if (secret.empty()) throw SettingsError("api_secret", "MessageMedia needs an API secret (api_secret)");
    s.authorization = sms::basic_auth(key, secret);
    s.account = sms::string_setting(o, "account");

    s.source_number = sms::string_setting(o, "source_number");
    s.source_number_type = sms::string_setting(o, "source_number_type");
    if (s.source_number.empty() && !s.source_number_type.empty())
        throw SettingsError("source_number", "source_number_type " + s.source_number_type + " needs a source_number");
    if (!s.source_number.empty()) {
        const std::string& n = s.source_number;
        if (s.source_number_type.empty())
            s.source_number_type = n[0] != '+' && !sms::all_digits(n) ? "ALPHANUMERIC" : "INTERNATIONAL";
        if (s.source_number_type == "ALPHANUMERIC" && n.size() > 11)
            throw SettingsError("source_number", "an alpha tag has at most 11 characters");
        if (s.source_number_type == "INTERNATIONAL" &&
            (n[0] != '+' || !sms::all_digits(std::string_view(n).substr(1)) || n.size() < 8))
            throw SettingsError("source_number", "an international source number is '+' and 7 to 14 digits (E.164)");
        if (s.source_number_type == "SHORTCODE" && !sms::all_digits(n))
            throw SettingsError("source_number", "a short code has digits only");
    }
    if (auto* v = o.if_contains("delivery_report"); v && v->is_bool()) s.delivery_report = v->as_bool();
    s.callback_url = sms::string_setting(o, "callback_url");
    if (auto* v = o.if_contains("batch_size"); v && v->is_int64())
        s.batch_size = static_cast<uint32_t>(std::clamp<int64_t>(v->as_int64(), 1, kMaxBatchSize));
    s.numbers.default_country_code = sms::string_setting(o, "default_country_code");
    s.numbers.max_digits = kMaxNumberLength - 1; // '+' counts toward destination_number's 15
    return s;
}

} // namespace extcomm::messagemedia
