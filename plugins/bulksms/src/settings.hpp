// BulkSMS transport settings: the JSON Schema the host validates against, and the parsed form.
#pragma once

#include <extcomm/phone.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace extcomm::bulksms {

extern const char* const kSettingsSchema;

constexpr const char* kDefaultBaseUrl = "https://api.bulksms.com/v1";
constexpr uint32_t kMaxBatchSize = 1000;      // messages per encode call (descriptor)
constexpr uint32_t kMaxPartsLimit = 10;       // what the schema allows for long_message_max_parts
constexpr uint32_t kMaxBodyLength = 67 * kMaxPartsLimit; // UCS-2 characters in kMaxPartsLimit parts

struct Sender {
    std::string type;    // INTERNATIONAL | ALPHANUMERIC | SHORTCODE | REPLIABLE
    std::string address; // empty for REPLIABLE
};

struct Settings {
    std::string base_url = kDefaultBaseUrl; // without a trailing '/'
    std::string authorization;              // the Basic header value; never logged
    std::optional<Sender> from;
    uint32_t batch_size = 100;
    std::string delivery_reports = "ALL";
    std::string routing_group; // empty: the account's default
    uint32_t long_message_max_parts = kMaxPartsLimit;
    phone::NumberOptions numbers;
};

// Parses the (already schema-validated) settings JSON. Throws extcomm::sdk::SettingsError for what the
// schema cannot express (which credentials pair, a sender id that does not fit its type).
Settings parse_settings(std::string_view json);

} // namespace extcomm::bulksms
