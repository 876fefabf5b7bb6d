// The legacy Clickatell transport's settings: JSON Schema and parsed form.
#pragma once

#include <string>
#include <string_view>

namespace extcomm::clickatell {

extern const char* const kSettingsSchema;

struct Settings {
    std::string base_url = "https://api.clickatell.com"; // without a trailing '/'
    std::string user, password, api_id;                   // secrets: never logged, never in results
    std::string from;                                     // sender id / two-way number; empty = account default
    bool mo = true;          // send mo=1 with `from` (Clickatell ignores `from` without it)
    int callback = 7;        // statuses Clickatell reports: 1 intermediate, 2 final, 4 errors (bits)
    int max_parts = 3;       // concatenated parts a message may use (Clickatell's `concat`)
};

// Parses the (schema-validated) settings JSON. Throws extcomm::sdk::SettingsError for what the schema
// cannot express.
Settings parse_settings(std::string_view json);

} // namespace extcomm::clickatell
