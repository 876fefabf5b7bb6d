// Fuzzes the MessageMedia plugin's webhook parser and response decoder (its codec library) with HTTP
// exchanges as sms_wire.hpp reads them. Invariants: one result per message a request carried; every
// receipt names its message and every reply its sender; a webhook answers an HTTP status.
#include "sms_wire.hpp"

#include "codec.hpp"
#include "settings.hpp"
#include "webhook.hpp"

using namespace extcomm;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    static const messagemedia::Settings settings =
        messagemedia::parse_settings(R"({"api_key":"key","api_secret":"s3cret","base_url":"http://127.0.0.1:9"})");
    return fuzz::run_wire(
        data, size, [](const sdk::WebhookRequest& request) { return messagemedia::parse_webhook(settings, request); },
        [] { return messagemedia::encode(settings, fuzz::two_messages()); }, messagemedia::decode);
}
