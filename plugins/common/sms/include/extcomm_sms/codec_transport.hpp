// The sdk::Transport of an SMS HTTP codec written as free functions over its settings: the settings are
// parsed once at creation, and every call goes to the codec. A transport derives from it only to add its
// static describe():
//
//   struct BulkSmsTransport final
//       : sms::CodecTransport<bulksms::parse_settings, bulksms::encode, bulksms::decode, bulksms::parse_webhook> {
//       using CodecTransport::CodecTransport;
//       static sdk::Descriptor describe();
//   };
#ifndef EXTCOMM_SMS_CODEC_TRANSPORT_HPP
#define EXTCOMM_SMS_CODEC_TRANSPORT_HPP

#include <extcomm/sdk.hpp>

#include <string_view>
#include <vector>

namespace extcomm::sms {

// parse_settings: Settings(std::string_view) throwing sdk::SettingsError; encode: (settings, messages);
// decode: (request, messages, response); parse_webhook: (settings, request).
template <auto parse_settings, auto encode_messages, auto decode_response, auto parse_webhook_request>
class CodecTransport : public sdk::Transport {
public:
    explicit CodecTransport(const sdk::CreateContext& context)
        : Transport(context), settings_(parse_settings(context.settings_json)) {}

    sdk::Encoded encode(const std::vector<sdk::Message>& messages) override {
        return encode_messages(settings_, messages);
    }

    std::vector<sdk::Result> decode(const sdk::HttpRequest& request, const std::vector<sdk::Message>& messages,
                                    const sdk::HttpResponse& response) override {
        return decode_response(request, messages, response);
    }

    sdk::WebhookResult parse_webhook(const sdk::WebhookRequest& request) override {
        return parse_webhook_request(settings_, request);
    }

private:
    decltype(parse_settings(std::string_view())) settings_;
};

} // namespace extcomm::sms

#endif // EXTCOMM_SMS_CODEC_TRANSPORT_HPP
