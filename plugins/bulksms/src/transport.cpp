// The bulksms transport: BulkSMS JSON REST API v1 as an HTTP codec. The host performs the requests.
#include "codec.hpp"
#include "settings.hpp"
#include "webhook.hpp"

#include <extcomm/sdk.hpp>

namespace {

using namespace extcomm::sdk;
namespace bulksms = extcomm::bulksms;

class BulkSmsTransport final : public Transport {
public:
    explicit BulkSmsTransport(const CreateContext& context)
        : Transport(context), settings_(bulksms::parse_settings(context.settings_json)) {}

    static Descriptor describe() {
        return {"bulksms",
                "BulkSMS",
                "extcomm",
                "1.0.0",
                EXTCOMM_CHANNEL_SMS,
                EXTCOMM_SEND_HTTP_CODEC,
                EXTCOMM_CAP_UNICODE | EXTCOMM_CAP_DELIVERY_RECEIPTS | EXTCOMM_CAP_IDEMPOTENCY_KEY | EXTCOMM_CAP_REPLIES,
                bulksms::kMaxBatchSize,
                bulksms::kMaxBodyLength,
                bulksms::kSettingsSchema,
                "SMS through the BulkSMS JSON REST API v1 (api.bulksms.com), with delivery reports and replies by webhook."};
    }

    Encoded encode(const std::vector<Message>& messages) override { return bulksms::encode(settings_, messages); }

    std::vector<Result> decode(const HttpRequest& request, const std::vector<Message>& messages,
                               const HttpResponse& response) override {
        return bulksms::decode(request, messages, response);
    }

    WebhookResult parse_webhook(const WebhookRequest& request) override {
        return bulksms::parse_webhook(settings_, request);
    }

private:
    bulksms::Settings settings_;
};

} // namespace

EXTCOMM_TRANSPORT(BulkSmsTransport)
