#include "settings.hpp"

#include "address.hpp"

#include <extcomm/sdk.hpp>

#include <boost/json.hpp>

#include <fstream>
#include <utility>

namespace extcomm::smtp {

namespace json = boost::json;
using extcomm::sdk::SettingsError;

// settings_schema: settings.schema.json beside this folder, embedded at build time (plugins/common/CMakeLists.txt).

uint16_t default_port(Encryption encryption) {
    switch (encryption) {
    case Encryption::tls: return 465;
    case Encryption::none: return 25;
    case Encryption::starttls: break;
    }
    return 587;
}

namespace {

std::string text_of(const json::object& o, std::string_view key) {
    const json::value* v = o.if_contains(key);
    if (!v) return {};
    if (!v->is_string()) throw SettingsError(std::string(key), std::string(key) + " must be a string");
    return std::string(v->get_string());
}

// Settings end up in protocol lines and headers: a line break there would let one value inject others.
std::string single_line(const json::object& o, std::string_view key) {
    std::string value = text_of(o, key);
    if (has_line_break_or_nul(value))
        throw SettingsError(std::string(key), std::string(key) + " must not contain a line break or NUL character");
    return value;
}

// The settings' names of each choice, as the schema's enums list them.
constexpr std::pair<std::string_view, Encryption> kEncryptions[] = {
    {"starttls", Encryption::starttls}, {"tls", Encryption::tls}, {"none", Encryption::none}};
constexpr std::pair<std::string_view, AuthMechanism> kAuthMechanisms[] = {
    {"auto", AuthMechanism::automatic}, {"plain", AuthMechanism::plain}, {"login", AuthMechanism::login}};
constexpr std::pair<std::string_view, BodyEncoding> kBodyEncodings[] = {
    {"quoted-printable", BodyEncoding::quoted_printable}, {"base64", BodyEncoding::base64}};

// The choice named by setting `key`, or `fallback` when it is absent.
template <class Choice, size_t N>
Choice choice_of(const json::object& o, std::string_view key, const std::pair<std::string_view, Choice> (&names)[N],
                 Choice fallback) {
    std::string value = text_of(o, key);
    if (value.empty()) return fallback;
    std::string listed;
    for (size_t i = 0; i < N; ++i) {
        if (value == names[i].first) return names[i].second;
        listed += (i == 0 ? "" : i + 1 == N ? " or " : ", ") + std::string(names[i].first);
    }
    throw SettingsError(std::string(key), std::string(key) + " must be " + listed);
}

} // namespace

Settings parse_settings(std::string_view json_text) {
    json::value parsed;
    try {
        parsed = json::parse(json_text);
    } catch (const std::exception& e) {
        throw SettingsError("", std::string("settings are not JSON: ") + e.what());
    }
    if (!parsed.is_object()) throw SettingsError("", "settings must be a JSON object");
    const json::object& o = parsed.get_object();

    Settings s;
    s.host = single_line(o, "host");
    if (s.host.empty() || s.host.find_first_of(" /?#@") != std::string::npos)
        throw SettingsError("host", "host must be a host name or IP address, without scheme, port or path");

    s.encryption = choice_of(o, "encryption", kEncryptions, s.encryption);
    s.port = default_port(s.encryption);
    if (const json::value* p = o.if_contains("port")) {
        if (!p->is_int64() || p->as_int64() < 1 || p->as_int64() > 65535)
            throw SettingsError("port", "port must be an integer from 1 to 65535");
        s.port = static_cast<uint16_t>(p->as_int64());
    }

    s.username = single_line(o, "username");
    s.password = text_of(o, "password"); // sent base64-encoded, so any byte is fine
    if (!s.username.empty() && s.password.empty())
        throw SettingsError("password", "password is required when username is set");
    if (s.username.empty() && !s.password.empty())
        throw SettingsError("username", "username is required when password is set");
    s.auth_mechanism = choice_of(o, "auth_mechanism", kAuthMechanisms, s.auth_mechanism);
    if (const json::value* a = o.if_contains("allow_auth_without_tls"); a && a->is_bool())
        s.allow_auth_without_tls = a->get_bool();
    if (!s.username.empty() && s.encryption == Encryption::none && !s.allow_auth_without_tls)
        throw SettingsError("encryption", "encryption none would send the password in clear: use starttls or tls, "
                                          "or set allow_auth_without_tls for a relay on this host");

    s.from_address = single_line(o, "from_address");
    if (!is_valid_mailbox(s.from_address))
        throw SettingsError("from_address", "from_address '" + s.from_address + "' is not an email address (user@domain)");
    s.from_name = single_line(o, "from_name");
    s.reply_to = single_line(o, "reply_to");
    if (!s.reply_to.empty() && !is_valid_mailbox(s.reply_to))
        throw SettingsError("reply_to", "reply_to '" + s.reply_to + "' is not an email address (user@domain)");
    s.ehlo_name = single_line(o, "ehlo_name");
    if (!s.ehlo_name.empty() && !is_valid_domain(s.ehlo_name))
        throw SettingsError("ehlo_name", "ehlo_name must be a host name");

    s.ca_file = single_line(o, "ca_file");
    if (!s.ca_file.empty() && !std::ifstream(s.ca_file).good())
        throw SettingsError("ca_file", "cannot read ca_file '" + s.ca_file + "'");
    if (const json::value* v = o.if_contains("verify_tls"); v && v->is_bool()) s.verify_tls = v->get_bool();

    auto seconds = [&](std::string_view key, long fallback, long max) {
        const json::value* v = o.if_contains(key);
        if (!v) return fallback;
        if (!v->is_int64() || v->as_int64() < 1 || v->as_int64() > max)
            throw SettingsError(std::string(key), std::string(key) + " must be a whole number of seconds from 1 to " +
                                                      std::to_string(max));
        return static_cast<long>(v->as_int64());
    };
    s.connect_timeout_seconds = seconds("connect_timeout_seconds", s.connect_timeout_seconds, 600);
    s.response_timeout_seconds = seconds("response_timeout_seconds", s.response_timeout_seconds, 900);

    s.body_encoding = choice_of(o, "body_encoding", kBodyEncodings, s.body_encoding);
    return s;
}

} // namespace extcomm::smtp
