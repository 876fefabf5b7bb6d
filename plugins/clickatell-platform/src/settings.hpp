// The Clickatell Platform transport's settings: JSON Schema and parsed form.
#pragma once

#include <string>
#include <string_view>

namespace extcomm::clickatell_platform {

extern const char* const kSettingsSchema;

struct Settings {
    std::string base_url = "https://platform.clickatell.com"; // without a trailing '/'
    std::string api_key;                                      // secret: never logged, never in results
    std::string from;                                         // two-way number / sender id; empty = integration default
};

// Parses the (schema-validated) settings JSON; throws extcomm::sdk::SettingsError.
Settings parse_settings(std::string_view json);

} // namespace extcomm::clickatell_platform
