// The `clickatell-platform` transport: Clickatell Platform's REST API (accounts since Nov 2016).
#include "codec.hpp"
#include "settings.hpp"
#include "webhook.hpp"

#include <extcomm/sdk.hpp>

namespace {

using namespace extcomm::sdk;

class ClickatellPlatformTransport final : public Transport {
public:
    explicit ClickatellPlatformTransport(const CreateContext& context)
        : Transport(context), codec_(extcomm::clickatell_platform::parse_settings(context.settings_json)) {}

    static Descriptor describe() {
        // Up to 100 messages per encode call; identical bodies share one request (`to` array), others get
        // one request each. No idempotency: Clickatell does not refuse a repeated clientMessageId.
        // No body limit known to the plugin: the Platform splits long texts itself.
        return {"clickatell-platform", "Clickatell Platform", "extcomm", "1.0.0", EXTCOMM_CHANNEL_SMS,
                EXTCOMM_SEND_HTTP_CODEC, EXTCOMM_CAP_UNICODE | EXTCOMM_CAP_DELIVERY_RECEIPTS | EXTCOMM_CAP_REPLIES,
                static_cast<uint32_t>(extcomm::clickatell_platform::kMaxRecipients), 0,
                extcomm::clickatell_platform::kSettingsSchema,
                "SMS through the Clickatell Platform REST API (platform.clickatell.com/messages, integration API key)."};
    }

    Encoded encode(const std::vector<Message>& messages) override { return codec_.encode(messages); }

    std::vector<Result> decode(const HttpRequest& request, const std::vector<Message>& messages,
                               const HttpResponse& response) override {
        return codec_.decode(request, messages, response);
    }

    WebhookResult parse_webhook(const WebhookRequest& request) override {
        return extcomm::clickatell_platform::parse_callback(codec_.settings(), request);
    }

private:
    extcomm::clickatell_platform::Codec codec_;
};

} // namespace

EXTCOMM_TRANSPORT(ClickatellPlatformTransport)
