#include <api/http_io.hpp>
#include <api/webhooks_api.hpp>

#include <common/log_text.hpp>

#include <Poco/URI.h>
#include <spdlog/spdlog.h>

#include <vector>

namespace extcomm::host {
namespace json = boost::json;
namespace {

// Compares every byte whatever the first difference, so timing says nothing about the secret.
bool same_secret(const std::string& a, const std::string& b) {
    unsigned char diff = a.size() == b.size() ? 0 : 1;
    for (std::size_t i = 0; i < a.size(); ++i) diff |= static_cast<unsigned char>(a[i] ^ (i < b.size() ? b[i] : 0));
    return diff == 0;
}


// The first of an update's texts holding a NUL ("provider_message_id"), or "".
std::string field_with_nul(const PluginTransport::WebhookUpdate& u) {
    const std::pair<const char*, const std::string*> texts[] = {
        {"message_id", &u.message_id},       {"provider_message_id", &u.provider_message_id},
        {"provider_code", &u.provider_code}, {"provider_text", &u.provider_text},
        {"from", &u.from},                   {"text", &u.text}};
    for (const auto& [name, text] : texts)
        if (text->find('\0') != std::string::npos) return name;
    return "";
}

} // namespace

std::string query_without_secret(const std::string& query, std::optional<std::string>& secret) {
    std::string kept;
    std::size_t start = 0;
    while (start <= query.size()) {
        std::size_t end = query.find('&', start);
        if (end == std::string::npos) end = query.size();
        std::string pair = query.substr(start, end - start);
        std::string name = pair.substr(0, pair.find('='));
        if (name == "secret") {
            std::string value = pair.find('=') == std::string::npos ? "" : pair.substr(pair.find('=') + 1);
            secret.emplace();
            Poco::URI::decode(value, *secret);
        } else if (!pair.empty()) {
            if (!kept.empty()) kept += '&';
            kept += pair;
        }
        start = end + 1;
    }
    return kept;
}

// Records each receipt and reply, each in its own transaction; the answer counts what became of them.
// Throws when the store fails.
json::object record_updates(ApiContext& context, const std::string& name,
                            const std::vector<PluginTransport::WebhookUpdate>& updates) {
    int applied = 0, unknown = 0, duplicates = 0, replies = 0, ignored = 0;
    for (const auto& u : updates) {
        if (u.reply) {
            Reply r{name, u.from, u.text, u.message_id, u.provider_message_id, u.provider_code, u.provider_text, u.occurred_at_ms};
            if (context.receipts.record_reply(r)) ++replies;
            else ++duplicates;
            continue;
        }
        if (!u.state) {
            ++ignored;
            continue;
        }
        Receipt r{name, u.message_id, u.provider_message_id, *u.state, u.provider_code, u.provider_text, u.occurred_at_ms};
        switch (context.receipts.apply(r).effect) {
        case ReceiptEffect::changed:
        case ReceiptEffect::unchanged: ++applied; break;
        case ReceiptEffect::duplicate: ++duplicates; break;
        case ReceiptEffect::pending: ++unknown; break;
        }
    }
    return {{"received", updates.size()}, {"applied", applied},   {"unknown", unknown},
            {"duplicates", duplicates},   {"replies", replies},   {"ignored", ignored}};
}

void handle_webhook(ApiContext& context, const std::string& name, Poco::Net::HTTPServerRequest& request,
                    Poco::Net::HTTPServerResponse& response) {
    const TransportConfig* config = context.config.transport(name);
    auto transport = context.transports.find(name);
    if (!config || !config->enabled || !transport || !transport->takes_webhooks())
        return send_error(response, 404, "not_found", "no enabled transport named '" + name + "' takes webhooks", "transport");
    const std::string& uri = request.getURI();
    std::size_t q = uri.find('?');
    std::optional<std::string> secret;
    std::string query = q == std::string::npos ? std::string() : query_without_secret(uri.substr(q + 1), secret);
    if (config->webhook_secret.empty())
        return send_error(response, 403, "webhooks_disabled",
                          "transport '" + name + "' has no webhook_secret: set " + config->path +
                              ".webhook_secret and put it in the callback URL as ?secret=...");
    if (!secret || !same_secret(*secret, config->webhook_secret)) {
        // Never log what was offered: a near-miss is still most of a secret.
        spdlog::warn("webhook for transport {} refused: {} secret (from {})", name, secret ? "wrong" : "no",
                     request.clientAddress().host().toString());
        return send_error(response, 401, "unauthorized", "a valid ?secret= is required", "secret");
    }

    std::string body;
    if (request.getMethod() == "POST" || request.getMethod() == "PUT") {
        std::istream& in = request.stream();
        char buffer[16384];
        while (in.read(buffer, sizeof buffer) || in.gcount() > 0) {
            body.append(buffer, static_cast<std::size_t>(in.gcount()));
            if (body.size() > kMaxWebhookBytes) return send_error(response, 413, "too_large", "the webhook body is larger than 1 MiB");
        }
    }
    std::string method = request.getMethod(), path = uri.substr(0, q);
    PluginTransport::WebhookCall call{method, path, query, {}, std::move(body)};
    for (const auto& [k, v] : request) call.headers.emplace_back(k, v);
    std::vector<PluginTransport::WebhookUpdate> updates;
    int status = transport->parse_webhook(call, updates);
    if (status < 200 || status >= 300) {
        spdlog::warn("webhook for transport {}: the plugin answered {} ({} bytes, {})", name, status, call.body.size(), method);
        if (status >= 400 && status < 500) return send_error(response, status, "bad_webhook", "the plugin did not understand this call");
        return send_error(response, 500, "internal", "the plugin failed on this call; see the service log");
    }

    // Each receipt is its own transaction: a call carrying thousands would hold a handler thread for
    // seconds. Refused whole (nothing recorded, so the provider still has every one of them).
    if (updates.size() > context.config.max_webhook_receipts)
        return send_error(response, 413, "too_many_receipts",
                          "this call carries " + std::to_string(updates.size()) + " receipts and replies; at most " +
                              std::to_string(context.config.max_webhook_receipts) +
                              " are taken in one call (http.max_webhook_receipts)");
    // The store keeps text up to a NUL: refused whole, as request bodies are, rather than kept cut.
    for (std::size_t i = 0; i < updates.size(); ++i)
        if (std::string field = field_with_nul(updates[i]); !field.empty())
            return send_error(response, 400, "invalid", "contains a NUL character (\\u0000), which would be lost",
                              "updates[" + std::to_string(i) + "]." + field);
    try {
        send_json(response, 200, record_updates(context, name, updates));
    } catch (const std::exception& e) {
        // Not recorded: a non-2xx answer makes the provider send it again.
        spdlog::error("webhook for transport {}: {}", name, loggable(e.what()));
        return send_error(response, 503, "store_unavailable", "the receipt could not be recorded; send it again");
    }
}

} // namespace extcomm::host
