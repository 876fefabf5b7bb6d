// Just enough JSON for the Acme transports, with the C++ standard library only: read a string member of
// a flat object (the host hands over its settings as JSON), and escape a string for a request body.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace acme {

// The value of the string member `key` of the JSON object `json`, or nothing. Flat objects only, which is
// all a settings object with this schema can be.
inline std::optional<std::string> string_member(std::string_view json, std::string_view key) {
    std::string quoted = "\"" + std::string(key) + "\"";
    for (std::size_t at = json.find(quoted); at != std::string_view::npos; at = json.find(quoted, at + 1)) {
        std::size_t i = at + quoted.size();
        while (i < json.size() && (json[i] == ' ' || json[i] == '\t' || json[i] == '\n' || json[i] == '\r')) ++i;
        if (i >= json.size() || json[i] != ':') continue; // a value that happens to equal the key
        ++i;
        while (i < json.size() && (json[i] == ' ' || json[i] == '\t' || json[i] == '\n' || json[i] == '\r')) ++i;
        if (i >= json.size() || json[i] != '"') return std::nullopt;
        std::string out;
        for (++i; i < json.size() && json[i] != '"'; ++i) {
            if (json[i] != '\\' || i + 1 >= json.size()) {
                out += json[i];
                continue;
            }
            char e = json[++i];
            switch (e) {
            case 'n': out += '\n'; break;
            case 't': out += '\t'; break;
            case 'r': out += '\r'; break;
            case 'b': out += '\b'; break;
            case 'f': out += '\f'; break;
            case 'u': out += '?'; i += 4; break; // settings here are ASCII; keep it simple
            default: out += e; // \" \\ \/
            }
        }
        return out;
    }
    return std::nullopt;
}

inline std::string escape(std::string_view s) {
    static const char* hex = "0123456789abcdef";
    std::string out;
    for (char c : s) {
        auto u = static_cast<unsigned char>(c);
        if (c == '"' || c == '\\') {
            out += '\\';
            out += c;
        } else if (u < 0x20) {
            out += "\\u00";
            out += hex[u >> 4];
            out += hex[u & 15];
        } else {
            out += c;
        }
    }
    return out;
}

} // namespace acme
