// Fuzzes the BulkSMS plugin's webhook parser and response decoder (its codec library) with HTTP exchanges
// as sms_wire.hpp reads them. Invariants: one result per message a request carried; every receipt names
// its message and every reply its sender; a webhook answers an HTTP status.
#include "sms_wire.hpp"

#include "codec.hpp"
#include "settings.hpp"
#include "webhook.hpp"

using namespace extcomm;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    static const bulksms::Settings settings =
        bulksms::parse_settings(R"({"username":"agency","password":"s3cret","base_url":"http://127.0.0.1:9/v1"})");
    auto input = fuzz::read_wire_input(data, size);
    if (!input) return 0;
    if (input->webhook) {
        fuzz::check_webhook(bulksms::parse_webhook(settings, input->webhook_request()));
        return 0;
    }
    for (const auto& request : bulksms::encode(settings, fuzz::two_messages()).requests)
        fuzz::check_results(request, bulksms::decode(request, fuzz::carried(request), input->response()));
    return 0;
}
