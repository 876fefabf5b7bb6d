// The bulksms transport: BulkSMS JSON REST API v1 as an HTTP codec. The host performs the requests.
#include "codec.hpp"
#include "settings.hpp"
#include "webhook.hpp"

#include <extcomm/sdk.hpp>
#include <extcomm_sms/codec_transport.hpp>

namespace {

namespace bulksms = extcomm::bulksms;

struct BulkSmsTransport final : extcomm::sms::CodecTransport<bulksms::parse_settings, bulksms::encode, bulksms::decode,
                                                             bulksms::parse_webhook> {
    using CodecTransport::CodecTransport;

    static extcomm::sdk::Descriptor describe() {
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
};

} // namespace

EXTCOMM_TRANSPORT(BulkSmsTransport)
