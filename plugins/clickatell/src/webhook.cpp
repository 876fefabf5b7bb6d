#include "webhook.hpp"

#include "form.hpp"
#include "ucs2.hpp"

#include <extcomm_sms/wire.hpp>

#include <cctype>
#include <cstdio>
#include <string>
#include <vector>

namespace extcomm::clickatell {

namespace {

struct StatusCode {
    const char* code;
    extcomm_delivery_status status;
    const char* meaning;
};

constexpr StatusCode kStatuses[] = {
    {"001", EXTCOMM_STATUS_SENT, "Message unknown"},
    {"002", EXTCOMM_STATUS_SENT, "Message queued"},
    {"003", EXTCOMM_STATUS_SENT, "Delivered to gateway"},
    {"004", EXTCOMM_STATUS_DELIVERED, "Received by recipient"},
    {"005", EXTCOMM_STATUS_FAILED, "Error with message"},
    {"006", EXTCOMM_STATUS_FAILED, "User cancelled message delivery"},
    {"007", EXTCOMM_STATUS_FAILED, "Error delivering message"},
    {"008", EXTCOMM_STATUS_SENT, "OK (received by gateway)"},
    {"009", EXTCOMM_STATUS_FAILED, "Routing error"},
    {"010", EXTCOMM_STATUS_EXPIRED, "Message expired"},
    {"011", EXTCOMM_STATUS_SENT, "Message queued for later delivery"},
    {"012", EXTCOMM_STATUS_REJECTED, "Out of credit"},
    {"014", EXTCOMM_STATUS_REJECTED, "Maximum MT limit exceeded"},
};

// "1700000000" (Unix seconds) or "yyyy-mm-dd hh:mm:ss" in GMT+2 (the MO callback's clock) -> Unix ms.
int64_t timestamp_ms(std::string_view ts) {
    if (sms::all_digits(ts) && ts.size() <= 12) return std::stoll(std::string(ts)) * 1000;
    int y, mo, d, h, mi, s;
    if (ts.size() >= 19 && std::sscanf(std::string(ts).c_str(), "%4d-%2d-%2d %2d:%2d:%2d", &y, &mo, &d, &h, &mi, &s) == 6 &&
        mo >= 1 && mo <= 12 && d >= 1 && d <= 31) {
        int64_t secs = sms::days_from_civil(y, static_cast<unsigned>(mo), static_cast<unsigned>(d)) * 86400 + h * 3600 +
                       mi * 60 + s - 2 * 3600;
        return secs * 1000;
    }
    return 0;
}

std::string lower(std::string_view s) {
    std::string out(s);
    for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
}

// MO text in the callback's charset, as UTF-8.
std::string mo_text(std::string_view text, std::string_view charset) {
    std::string cs = lower(charset);
    if (cs == "iso-8859-1" || cs == "latin1" || cs == "latin-1") {
        std::string out;
        for (char c : text) sms::append_utf8(out, static_cast<unsigned char>(c));
        return out;
    }
    if (cs == "ucs-2" || cs == "ucs2" || cs == "utf-16be" || cs == "utf-16") {
        // Either hex digits (4 per unit) or the raw big-endian bytes.
        bool hex = !text.empty() && text.size() % 4 == 0;
        for (char c : text) hex = hex && std::isxdigit(static_cast<unsigned char>(c));
        std::vector<uint16_t> units;
        if (hex) {
            for (size_t i = 0; i < text.size(); i += 4)
                units.push_back(static_cast<uint16_t>(std::stoul(std::string(text.substr(i, 4)), nullptr, 16)));
        } else {
            for (size_t i = 0; i + 1 < text.size(); i += 2)
                units.push_back(static_cast<uint16_t>((static_cast<unsigned char>(text[i]) << 8) |
                                                      static_cast<unsigned char>(text[i + 1])));
        }
        return utf16_to_utf8(units);
    }
    return std::string(text); // UTF-8 (or unspecified)
}

} // namespace

bool delivery_status_of(std::string_view code, extcomm_delivery_status* status, const char** meaning) {
    std::string padded(code);
    while (padded.size() < 3) padded.insert(padded.begin(), '0');
    for (const StatusCode& s : kStatuses) {
        if (padded != s.code) continue;
        *status = s.status;
        if (meaning) *meaning = s.meaning;
        return true;
    }
    return false;
}

sdk::WebhookResult parse_callback(const Settings& settings, const sdk::WebhookRequest& request) {
    FormFields params = form_decode(request.query);
    std::string_view content_type = request.header("Content-Type");
    if (!request.body.empty() && (content_type.empty() || lower(content_type).find("x-www-form-urlencoded") != std::string::npos)) {
        FormFields body = form_decode(request.body);
        params.insert(params.end(), body.begin(), body.end());
    }
    if (const std::string* api_id = form_get(params, "api_id"); api_id && !api_id->empty() && !sms::same_secret(*api_id, settings.api_id))
        return {403, {}};

    auto get = [&](std::string_view name) {
        const std::string* v = form_get(params, name);
        return v ? *v : std::string();
    };

    sdk::StatusUpdate u;
    if (form_get(params, "moMsgId")) {
        u.kind = EXTCOMM_UPDATE_REPLY;
        u.provider_message_id = get("moMsgId");
        std::string from = get("from");
        if (from.empty()) return {400, {}}; // an MO callback always names its sender
        u.from = sms::all_digits(from) ? "+" + from : from; // Clickatell writes international digits without '+'
        u.text = mo_text(get("text"), get("charset"));
        u.occurred_at_ms = timestamp_ms(get("timestamp"));
        u.provider_code = "MO";
        u.provider_text = "reply to " + get("to");
        return {200, {u}};
    }
    if (form_get(params, "apiMsgId") && form_get(params, "status")) {
        const char* meaning = nullptr;
        extcomm_delivery_status status{};
        std::string code = get("status");
        if (!delivery_status_of(code, &status, &meaning)) return {200, {}}; // a status we do not know: ignore, but don't make them retry
        u.kind = EXTCOMM_UPDATE_STATUS;
        u.status = status;
        u.provider_message_id = get("apiMsgId");
        if (u.provider_message_id.empty()) return {400, {}}; // a receipt for no message (found by fuzz/clickatell_wire)
        u.provider_code = code;
        u.provider_text = meaning;
        if (std::string cli = get("cliMsgId"); !cli.empty()) u.provider_text += " (cliMsgId " + cli + ")";
        u.occurred_at_ms = timestamp_ms(get("timestamp"));
        return {200, {u}};
    }
    return {400, {}};
}

} // namespace extcomm::clickatell
