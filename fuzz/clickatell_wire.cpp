// Fuzzes the legacy Clickatell plugin's callback parser (GET query or POST form) and its text-answer
// decoder (its codec library) with HTTP exchanges as sms_wire.hpp reads them. Invariants: one result per
// message a request carried; every receipt names its message and every reply its sender; a callback
// answers an HTTP status.
#include "sms_wire.hpp"

#include "codec.hpp"
#include "settings.hpp"
#include "webhook.hpp"

using namespace extcomm;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    static const clickatell::Codec codec(
        clickatell::parse_settings(R"({"base_url":"http://127.0.0.1:9/","user":"agency","password":"s3cret","api_id":"3412345"})"),
        [] { return int64_t{1'772'500'000'000}; });
    return fuzz::run_wire(
        data, size, [](const sdk::WebhookRequest& request) { return clickatell::parse_callback(codec.settings(), request); },
        [] { return codec.encode(fuzz::two_messages()); },
        [](const auto& request, const auto& messages, const auto& response) { return codec.decode(request, messages, response); });
}
