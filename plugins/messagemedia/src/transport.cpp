// The messagemedia transport: MessageMedia (Sinch) Messages API v1 as an HTTP codec. The host performs
// the requests.
#include "codec.hpp"
#include "settings.hpp"
#include "webhook.hpp"

#include <extcomm/sdk.hpp>
#include <extcomm_sms/codec_transport.hpp>

namespace {

namespace messagemedia = extcomm::messagemedia;

struct MessageMediaTransport final
    : extcomm::sms::CodecTransport<messagemedia::parse_settings, messagemedia::encode, messagemedia::decode,
                                   messagemedia::parse_webhook> {
    using CodecTransport::CodecTransport;

    static extcomm::sdk::Descriptor describe() {
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
};

} // namespace

EXTCOMM_TRANSPORT(MessageMediaTransport)
