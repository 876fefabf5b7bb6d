#include "webhook.hpp"

#include <extcomm_sms/json.hpp>
#include <extcomm_sms/wire.hpp>

#include <boost/json.hpp>

#include <optional>
#include <string>

namespace extcomm::bulksms {

namespace json = boost::json;
using sdk::StatusUpdate;
using sdk::WebhookRequest;
using sdk::WebhookResult;
using sms::field;

namespace {

const json::object* object_at(const json::object& o, std::string_view key) {
    auto* v = o.if_contains(key);
    return v && v->is_object() ? &v->as_object() : nullptr;
}

// status.type / status.subtype of a SENT message -> extcomm status; nullopt when it says nothing new
// (ACCEPTED and SCHEDULED are submission states, UNKNOWN is no information).
std::optional<std::pair<extcomm_delivery_status, std::string>> status_of(const std::string& type, const std::string& subtype) {
    if (type == "SENT") return std::pair{EXTCOMM_STATUS_SENT, std::string("relayed to the network")};
    if (type == "DELIVERED") return std::pair{EXTCOMM_STATUS_DELIVERED, std::string("delivered to the phone")};
    if (type != "FAILED") return std::nullopt;
    if (subtype == "EXPIRED") return std::pair{EXTCOMM_STATUS_EXPIRED, std::string("expired before it could be delivered")};
    if (subtype == "BLOCKED")
        return std::pair{EXTCOMM_STATUS_REJECTED, std::string("blocked: the recipient blocked messages from this account")};
    if (subtype == "HANDSET_ERROR") return std::pair{EXTCOMM_STATUS_FAILED, std::string("failed because of the phone")};
    if (subtype == "NOT_SENT") return std::pair{EXTCOMM_STATUS_FAILED, std::string("not sent (no route to the number)")};
    return std::pair{EXTCOMM_STATUS_FAILED, std::string("delivery failed")};
}

std::optional<StatusUpdate> update_of(const json::object& m) {
    std::string type = field(m, "type");
    std::string id = field(m, "id");
    if (id.empty()) return std::nullopt;
    StatusUpdate u;
    if (type == "RECEIVED") {
        u.kind = EXTCOMM_UPDATE_REPLY;
        u.status = EXTCOMM_STATUS_DELIVERED;
        // A reply is linked to the most recent message sent to that number from a REPLIABLE sender.
        u.provider_message_id = field(m, "relatedSentMessageId");
        u.provider_code = "RECEIVED";
        u.provider_text = "reply " + id;
        u.from = field(m, "from");
        if (u.from.empty()) return std::nullopt; // a reply from nobody is not BulkSMS's
        u.text = field(m, "body");
        if (auto* sub = object_at(m, "submission"))
            u.occurred_at_ms = sms::parse_iso8601_ms(field(*sub, "date")).value_or(0);
        return u;
    }
    if (type != "SENT") return std::nullopt;
    const json::object* status = object_at(m, "status");
    if (!status) return std::nullopt;
    std::string status_type = field(*status, "type");
    std::string subtype = field(*status, "subtype");
    auto mapped = status_of(status_type, subtype);
    if (!mapped) return std::nullopt;
    u.kind = EXTCOMM_UPDATE_STATUS;
    u.status = mapped->first;
    u.message_id = field(m, "userSuppliedId");
    u.provider_message_id = id;
    u.provider_code = field(*status, "id");
    if (u.provider_code.empty()) u.provider_code = status_type + "." + (subtype.empty() ? "null" : subtype);
    u.provider_text = mapped->second;
    return u;
}

} // namespace

// The host authenticates webhook calls (the transport's webhook_secret) before they get here.
WebhookResult parse_webhook(const Settings&, const WebhookRequest& request) {
    if (request.method != "POST") return WebhookResult{405, {}};
    std::error_code ec;
    json::value body = json::parse(request.body, ec);
    if (ec) return WebhookResult{400, {}};
    WebhookResult result{200, {}};
    if (body.is_object()) { // be lenient: one Message instead of an array of one
        if (auto u = update_of(body.as_object())) result.updates.push_back(std::move(*u));
        return result;
    }
    if (!body.is_array()) return WebhookResult{400, {}};
    // An empty array is BulkSMS checking the URL when the webhook is registered: answer 2xx.
    for (const json::value& v : body.as_array()) {
        if (!v.is_object()) return WebhookResult{400, {}};
        if (auto u = update_of(v.as_object())) result.updates.push_back(std::move(*u));
    }
    return result;
}

} // namespace extcomm::bulksms
