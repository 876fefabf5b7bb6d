#include "webhook.hpp"

#include <extcomm_sms/wire.hpp>

#include <boost/json.hpp>

#include <cctype>
#include <cmath>
#include <map>
#include <string>

namespace extcomm::clickatell_platform {

namespace json = boost::json;

namespace {

using Fields = std::map<std::string, std::string>;

std::string scalar(const json::value& v) {
    if (v.is_string()) return std::string(v.as_string());
    if (v.is_int64()) return std::to_string(v.as_int64());
    if (v.is_uint64()) return std::to_string(v.as_uint64());
    // A double outside int64's range has no int64 (the cast would be undefined behaviour: fuzz found it).
    if (v.is_double() && std::abs(v.as_double()) < 9.2e18) return std::to_string(static_cast<int64_t>(v.as_double()));
    if (v.is_bool()) return v.as_bool() ? "true" : "false";
    return {};
}

void add_query(Fields& f, std::string_view query) {
    while (!query.empty()) {
        size_t amp = query.find('&');
        std::string_view pair = query.substr(0, amp);
        query = amp == std::string_view::npos ? std::string_view() : query.substr(amp + 1);
        size_t eq = pair.find('=');
        std::string key = sms::percent_decode(pair.substr(0, eq));
        if (!key.empty() && !f.count(key))
            f[key] = eq == std::string_view::npos ? std::string() : sms::percent_decode(pair.substr(eq + 1));
    }
}

// Unix ms from epoch ms, epoch seconds, or an ISO-8601 date-time; 0 when none.
int64_t timestamp_ms(const std::string& ts) {
    if (sms::all_digits(ts) && ts.size() <= 16) {
        int64_t v = std::stoll(ts);
        return v >= 100000000000LL ? v : v * 1000;
    }
    return sms::parse_iso8601_ms(ts).value_or(0);
}

std::string upper(std::string_view s) {
    std::string out(s);
    for (char& c : out) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    return out;
}

} // namespace

bool delivery_status_of(std::string_view name, std::string_view code, extcomm_delivery_status* status) {
    static const std::map<std::string, extcomm_delivery_status> names = {
        {"MESSAGE_UNKNOWN", EXTCOMM_STATUS_SENT},        {"QUEUED", EXTCOMM_STATUS_SENT},
        {"MESSAGE_QUEUED", EXTCOMM_STATUS_SENT},         {"DELIVERED_TO_GATEWAY", EXTCOMM_STATUS_SENT},
        {"RECEIVED_BY_GATEWAY", EXTCOMM_STATUS_SENT},    {"SENT_TO_SUPPLIER", EXTCOMM_STATUS_SENT},
        {"MESSAGE_QUEUED_FOR_LATER", EXTCOMM_STATUS_SENT},
        {"RECEIVED_BY_RECIPIENT", EXTCOMM_STATUS_DELIVERED}, {"DEVICE_ACK", EXTCOMM_STATUS_DELIVERED},
        {"ERROR_WITH_MESSAGE", EXTCOMM_STATUS_FAILED},   {"USER_CANCELLED", EXTCOMM_STATUS_FAILED},
        {"ERROR_DELIVERING_MESSAGE", EXTCOMM_STATUS_FAILED}, {"ERROR_DELIVERING", EXTCOMM_STATUS_FAILED},
        {"ROUTING_ERROR", EXTCOMM_STATUS_FAILED},        {"DELIVERY_FAILURE", EXTCOMM_STATUS_FAILED},
        {"MESSAGE_EXPIRED", EXTCOMM_STATUS_EXPIRED},     {"EXPIRED", EXTCOMM_STATUS_EXPIRED},
        {"OUT_OF_CREDIT", EXTCOMM_STATUS_REJECTED},      {"NO_BALANCE", EXTCOMM_STATUS_REJECTED},
        {"MAX_MT_EXCEEDED", EXTCOMM_STATUS_REJECTED},
    };
    // statusCode as in Clickatell's message status table (1..14).
    static const std::map<int, extcomm_delivery_status> codes = {
        {1, EXTCOMM_STATUS_SENT},      {2, EXTCOMM_STATUS_SENT},   {3, EXTCOMM_STATUS_SENT},
        {4, EXTCOMM_STATUS_DELIVERED}, {5, EXTCOMM_STATUS_FAILED}, {6, EXTCOMM_STATUS_FAILED},
        {7, EXTCOMM_STATUS_FAILED},    {8, EXTCOMM_STATUS_SENT},   {9, EXTCOMM_STATUS_FAILED},
        {10, EXTCOMM_STATUS_EXPIRED},  {11, EXTCOMM_STATUS_SENT},  {12, EXTCOMM_STATUS_REJECTED},
        {14, EXTCOMM_STATUS_REJECTED},
    };
    if (auto it = names.find(upper(name)); it != names.end()) {
        *status = it->second;
        return true;
    }
    if (sms::all_digits(code) && code.size() <= 4) {
        if (auto it = codes.find(std::stoi(std::string(code))); it != codes.end()) {
            *status = it->second;
            return true;
        }
    }
    return false;
}

sdk::WebhookResult parse_callback(const Settings& settings, const sdk::WebhookRequest& request) {
    Fields f;
    if (!request.body.empty()) {
        std::error_code ec;
        json::value root = json::parse(request.body, ec);
        if (!ec && root.is_object()) {
            for (const auto& kv : root.as_object()) f[std::string(kv.key())] = scalar(kv.value());
        } else if (std::string(request.header("Content-Type")).find("x-www-form-urlencoded") != std::string::npos) {
            add_query(f, request.body);
        } else {
            return {400, {}};
        }
    }
    add_query(f, request.query);
    auto get = [&](const char* key) {
        auto it = f.find(key);
        return it == f.end() ? std::string() : it->second;
    };
    if (std::string key = get("apiKey"); !key.empty() && !sms::same_secret(key, settings.api_key)) return {403, {}};

    sdk::StatusUpdate u;
    if (f.count("fromNumber") && f.count("text")) {
        u.kind = EXTCOMM_UPDATE_REPLY;
        u.provider_message_id = get("messageId");
        std::string from = get("fromNumber");
        if (from.empty()) return {400, {}}; // a reply from nobody cannot be matched to anyone
        u.from = sms::all_digits(from) ? "+" + from : from;
        u.text = get("text");
        u.occurred_at_ms = timestamp_ms(get("timestamp"));
        u.provider_code = "MO";
        u.provider_text = "reply to " + get("toNumber");
        if (std::string replied = get("replyMessageId"); !replied.empty()) u.provider_text += " (replyMessageId " + replied + ")";
        return {200, {u}};
    }
    // A status needs the message it is about: an empty messageId matches nothing (refused, as unknown shapes are).
    if (!get("messageId").empty() && (f.count("status") || f.count("statusCode"))) {
        extcomm_delivery_status status{};
        if (!delivery_status_of(get("status"), get("statusCode"), &status)) return {200, {}}; // unknown: ignore, don't make them retry
        u.kind = EXTCOMM_UPDATE_STATUS;
        u.status = status;
        u.provider_message_id = get("messageId");
        u.provider_code = get("statusCode").empty() ? get("status") : get("statusCode");
        u.provider_text = get("status");
        if (std::string d = get("statusDescription"); !d.empty()) u.provider_text += u.provider_text.empty() ? d : ": " + d;
        if (std::string cli = get("clientMessageId"); !cli.empty()) u.provider_text += " (clientMessageId " + cli + ")";
        u.occurred_at_ms = timestamp_ms(get("timestamp"));
        return {200, {u}};
    }
    return {400, {}};
}

} // namespace extcomm::clickatell_platform
