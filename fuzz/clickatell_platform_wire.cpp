// Fuzzes the Clickatell Platform plugin's callback parser and JSON answer decoder (its codec library)
// with HTTP exchanges as sms_wire.hpp reads them. Invariants: one result per message a request carried;
// every receipt names its message and every reply its sender; a callback answers an HTTP status.
#include "sms_wire.hpp"

#include "codec.hpp"
#include "settings.hpp"
#include "webhook.hpp"

using namespace extcomm;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    static const clickatell_platform::Codec codec(
        clickatell_platform::parse_settings(R"({"base_url":"http://127.0.0.1:9/","api_key":"KEY-abc123=="})"));
    return fuzz::run_wire(
        data, size,
        [](const sdk::WebhookRequest& request) { return clickatell_platform::parse_callback(codec.settings(), request); },
        [] { return codec.encode(fuzz::two_messages()); },
        [](const auto& request, const auto& messages, const auto& response) { return codec.decode(request, messages, response); });
}
