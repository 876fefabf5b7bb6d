#include "webhook.hpp"

#include <extcomm_sms/json.hpp>
#include <extcomm_sms/wire.hpp>

#include <boost/json.hpp>

#include <optional>
#include <string>

namespace extcomm::messagemedia {

namespace json = boost::json;
using sdk::StatusUpdate;
using sdk::WebhookRequest;
using sdk::WebhookResult;
using sms::field;

namespace {

std::string echoed_id(const json::object& o) {
    auto* md = o.if_contains("metadata");
    return md && md->is_object() ? field(md->as_object(), kMetadataKey) : std::string();
}

int64_t time_of(const json::object& o, std::string_view first, std::string_view second) {
    if (auto t = sms::parse_iso8601_ms(field(o, first))) return *t;
    return sms::parse_iso8601_ms(field(o, second)).value_or(0);
}

// The meaning of a delivery report's error_code, per MessageMedia's table.
std::string error_meaning(const std::string& code) {
    // The table's codes have three digits; anything longer means nothing here (and would overflow an int).
    if (code.empty() || code.size() > 4) return {};
    int c = 0;
    for (char ch : code) {
        if (ch < '0' || ch > '9') return {};
        c = c * 10 + (ch - '0');
    }
    if (c == 220 || c == 221) return "delivered";
    if (c == 301) return "usage threshold reached (out of credit)";
    if (c == 302) return "destination blocked";
    if (c == 305) return "duplicate";
    if (c == 320 || c == 401) return "expired";
    if (c >= 330 && c <= 333) return "route failure";
    if (c == 400) return "undeliverable";
    if (c == 411) return "invalid destination";
    if (c >= 412 && c <= 414) return "destination unreachable";
    if (c >= 100 && c < 200) return "processing";
    if (c >= 200 && c < 300) return "submitted";
    return {};
}

std::optional<extcomm_delivery_status> status_of(const std::string& s) {
    if (s == "enroute" || s == "submitted") return EXTCOMM_STATUS_SENT;
    if (s == "delivered") return EXTCOMM_STATUS_DELIVERED;
    if (s == "expired") return EXTCOMM_STATUS_EXPIRED;
    if (s == "rejected") return EXTCOMM_STATUS_REJECTED;
    if (s == "failed" || s == "undeliverable") return EXTCOMM_STATUS_FAILED;
    return std::nullopt; // queued, processed, scheduled, cancelled: nothing the host acts on
}

// nullopt: not a report or reply we understand (ignored); throws nothing.
std::optional<StatusUpdate> update_of(const json::object& o) {
    StatusUpdate u;
    u.message_id = echoed_id(o);
    u.provider_message_id = field(o, "message_id");
    if (o.contains("reply_id")) {
        u.kind = EXTCOMM_UPDATE_REPLY;
        u.status = EXTCOMM_STATUS_DELIVERED;
        u.from = field(o, "source_number"); // who replied
        if (u.from.empty()) return std::nullopt; // a reply from nobody is not MessageMedia's
        u.text = field(o, "content");
        u.provider_code = "reply";
        u.provider_text = "reply " + field(o, "reply_id");
        u.occurred_at_ms = time_of(o, "date_received", "submitted_date");
        return u;
    }
    std::string status = field(o, "status");
    auto mapped = status_of(status);
    if (!mapped || u.provider_message_id.empty()) return std::nullopt;
    u.kind = EXTCOMM_UPDATE_STATUS;
    u.status = *mapped;
    std::string code = field(o, "error_code");
    u.provider_code = code.empty() ? status : code;
    std::string meaning = error_meaning(code);
    u.provider_text = meaning.empty() ? status : status + ": " + meaning;
    // submitted_date is when the status changed; date_received when the report was made.
    u.occurred_at_ms = time_of(o, "submitted_date", "date_received");
    return u;
}

} // namespace

// The host authenticates webhook calls (the transport's webhook_secret) before they get here.
WebhookResult parse_webhook(const Settings&, const WebhookRequest& request) {
    if (request.method != "POST") return WebhookResult{405, {}};
    std::error_code ec;
    json::value body = json::parse(request.body, ec);
    if (ec) return WebhookResult{400, {}};

    // A push is one object; the polling shapes ({"delivery_reports":[...]}, {"replies":[...]}) and a
    // plain array are understood too.
    std::vector<const json::object*> items;
    auto add_array = [&](const json::value& v) {
        if (!v.is_array()) return false;
        for (const auto& item : v.as_array()) {
            if (!item.is_object()) return false;
            items.push_back(&item.as_object());
        }
        return true;
    };
    if (body.is_array()) {
        if (!add_array(body)) return WebhookResult{400, {}};
    } else if (body.is_object()) {
        const auto& o = body.as_object();
        if (auto* v = o.if_contains("delivery_reports")) {
            if (!add_array(*v)) return WebhookResult{400, {}};
        } else if (auto* r = o.if_contains("replies")) {
            if (!add_array(*r)) return WebhookResult{400, {}};
        } else if (o.contains("delivery_report_id") || o.contains("reply_id") || o.contains("message_id")) {
            items.push_back(&o);
        } else {
            return WebhookResult{400, {}};
        }
    } else {
        return WebhookResult{400, {}};
    }
    WebhookResult result{200, {}};
    for (const json::object* item : items)
        if (auto u = update_of(*item)) result.updates.push_back(std::move(*u));
    return result;
}

} // namespace extcomm::messagemedia
