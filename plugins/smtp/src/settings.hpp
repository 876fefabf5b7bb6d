// The smtp transport's settings: what the operator writes under `settings` in the configuration.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace extcomm::smtp {

enum class Encryption { starttls, tls, none };
enum class AuthMechanism { automatic, plain, login };
enum class BodyEncoding { quoted_printable, base64 };

struct Settings {
    std::string host;
    uint16_t port = 587;
    Encryption encryption = Encryption::starttls;
    std::string username; // empty: no AUTH
    std::string password; // a secret: never logged, never in a result text
    AuthMechanism auth_mechanism = AuthMechanism::automatic;
    bool allow_auth_without_tls = false;
    std::string from_address;
    std::string from_name;
    std::string reply_to;
    std::string ehlo_name; // empty: libcurl's default
    std::string ca_file;   // empty: the system's trust store
    bool verify_tls = true;
    long connect_timeout_seconds = 30;
    long response_timeout_seconds = 120;
    BodyEncoding body_encoding = BodyEncoding::quoted_printable;
};

// The JSON Schema (draft 7) the host validates `settings` against before create.
extern const char* const settings_schema;

// Reads the (schema-valid) settings JSON and checks what the schema cannot express. Throws
// extcomm::sdk::SettingsError naming the offending field.
Settings parse_settings(std::string_view json_text);

uint16_t default_port(Encryption encryption);

} // namespace extcomm::smtp
