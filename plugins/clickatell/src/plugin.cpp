// The `clickatell` transport: Clickatell's legacy HTTP API (Developers' Central accounts), as an HTTP codec.
#include "codec.hpp"
#include "settings.hpp"
#include "webhook.hpp"

#include <extcomm/sdk.hpp>

namespace {

using namespace extcomm::sdk;

class ClickatellTransport final : public Transport {
public:
    explicit ClickatellTransport(const CreateContext& context)
        : Transport(context), codec_(extcomm::clickatell::parse_settings(context.settings_json)) {}

    static Descriptor describe() {
        // One message per request (Clickatell's `climsgid` is per message); up to 50 messages per encode call.
        // No idempotency: Clickatell does not refuse a repeated climsgid. Receipts and replies via callbacks.
        // Longest body: 10 parts of 153 GSM-7 characters (the `max_parts` setting lowers it; UCS-2 parts hold 67).
        return {"clickatell", "Clickatell (legacy HTTP API)", "extcomm", "1.0.0", EXTCOMM_CHANNEL_SMS,
                EXTCOMM_SEND_HTTP_CODEC, EXTCOMM_CAP_UNICODE | EXTCOMM_CAP_DELIVERY_RECEIPTS | EXTCOMM_CAP_REPLIES, 50,
                1530, extcomm::clickatell::kSettingsSchema,
                "SMS through Clickatell's legacy HTTP API (api.clickatell.com/http/sendmsg, user/password/api_id)."};
    }

    Encoded encode(const std::vector<Message>& messages) override { return codec_.encode(messages); }

    std::vector<Result> decode(const HttpRequest& request, const std::vector<Message>& messages,
                               const HttpResponse& response) override {
        return codec_.decode(request, messages, response);
    }

    WebhookResult parse_webhook(const WebhookRequest& request) override {
        return extcomm::clickatell::parse_callback(codec_.settings(), request);
    }

private:
    extcomm::clickatell::Codec codec_;
};

} // namespace

EXTCOMM_TRANSPORT(ClickatellTransport)
