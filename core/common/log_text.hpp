#pragma once
// Text from outside (a provider's ids, codes and reasons, a plugin's message, a request's path, a file name)
// as a log line quotes it: one log line is one event, so a line break in such text must not start a line
// of its own that reads like ours. Every log call that quotes outside input passes it through loggable().
#include <cstdio>
#include <string>
#include <string_view>

namespace extcomm {

// Control characters (CR, LF, ESC, ...) and backslashes escaped as C writes them ("\n", "\x1b", "\\"), so
// the text reads back exactly; everything else, UTF-8 included, as it is.
inline std::string loggable(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for (char c : text) {
        const auto byte = static_cast<unsigned char>(c);
        if (c == '\\') out += "\\\\";
        else if (c == '\n') out += "\\n";
        else if (c == '\r') out += "\\r";
        else if (c == '\t') out += "\\t";
        else if (byte < 0x20 || byte == 0x7f) {
            char hex[5];
            std::snprintf(hex, sizeof hex, "\\x%02x", byte);
            out += hex;
        } else out += c;
    }
    return out;
}

} // namespace extcomm
