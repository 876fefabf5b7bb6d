// The messagemedia transport: MessageMedia (Sinch) Messages API v1 as an HTTP codec. The host performs
// the requests.
#include "codec.hpp"
#include "settings.hpp"
#include "webhook.hpp"

#include <extcomm/sdk.hpp>

namespace {

using namespace extcomm::sdk;
namespace messagemedia = extcomm::messagemedia;

class MessageMediaTransport final : public Transport {
public:
    explicit MessageMediaTransport(const CreateContext& context)
        : Transport(context), settings_(messagemedia::parse_settings(context.settings_json)) {}

    static Descriptor describe() {
        // No idempotency key: MessageMedia has none, so a resend after a lost answer can send twice.
        return {"messagemedia",
                "MessageMedia",
                "extcomm",
                "1.0.0",
                EXTCOMM_CHANNEL_SMS,
                EXTCOMM_SEND_HTTP_CODEC,
                EXTCOMM_CAP_UNICODE | EXTCOMM_CAP_DELIVERY_RECEIPTS | EXTCOMM_CAP_REPLIES,
                messagemedia::kMaxBatchSize,
                messagemedia::kMaxBodyLength,
                messagemedia::kSettingsSchema,
                "SMS through the MessageMedia (Sinch) Messages API v1, with delivery reports and replies by webhook."};
    }

    Encoded encode(const std::vector<Message>& messages) override { return messagemedia::encode(settings_, messages); }

    std::vector<Result> decode(const HttpRequest& request, const std::vector<Message>& messages,
                               const HttpResponse& response) override {
        return messagemedia::decode(request, messages, response);
    }

    WebhookResult parse_webhook(const WebhookRequest& request) override {
        return messagemedia::parse_webhook(settings_, request);
    }

private:
    messagemedia::Settings settings_;
};

} // namespace

EXTCOMM_TRANSPORT(MessageMediaTransport)
