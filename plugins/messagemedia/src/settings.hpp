// MessageMedia transport settings: the JSON Schema the host validates against, and the parsed form.
#pragma once

#include <extcomm/phone.hpp>

#include <cstdint>
#include <string>
#include <string_view>

namespace extcomm::messagemedia {

extern const char* const kSettingsSchema;

constexpr const char* kDefaultBaseUrl = "https://api.messagemedia.com";
constexpr uint32_t kMaxBatchSize = 100;     // messages per POST /v1/messages (provider limit)
constexpr uint32_t kMaxBodyLength = 5000;   // `content` maxLength
constexpr size_t kMaxNumberLength = 15;     // `destination_number` maxLength, '+' included
constexpr const char* kMetadataKey = "extcomm_message_id";

struct Settings {
    std::string base_url = kDefaultBaseUrl; // without a trailing '/'
    std::string authorization;              // the Basic header value; never logged
    std::string account;                    // sub-account id for the `Account` header; empty: none
    std::string source_number;
    std::string source_number_type; // set whenever source_number is
    bool delivery_report = true;
    std::string callback_url;
    uint32_t batch_size = kMaxBatchSize;
    phone::NumberOptions numbers;
};

// Parses the (already schema-validated) settings JSON. Throws extcomm::sdk::SettingsError for what the
// schema cannot express.
Settings parse_settings(std::string_view json);

} // namespace extcomm::messagemedia
