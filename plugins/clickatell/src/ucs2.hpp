// UCS-2 as the legacy API wants it with unicode=1 (UTF-16BE code units as hex), and back.
#pragma once

#include <extcomm/sms_text.hpp>

#include <cstdint>
#include <string>
#include <vector>

namespace extcomm::clickatell {

// UTF-16BE code units of `cps` as upper-case hex, four digits each ("Hi" -> "00480069").
inline std::string ucs2_hex(const std::vector<char32_t>& cps) {
    static constexpr char kHex[] = "0123456789ABCDEF";
    std::string out;
    auto unit = [&](uint32_t u) {
        for (int shift = 12; shift >= 0; shift -= 4) out += kHex[(u >> shift) & 0xF];
    };
    for (char32_t cp : cps) {
        if (cp >= 0x10000) {
            uint32_t v = static_cast<uint32_t>(cp) - 0x10000;
            unit(0xD800 + (v >> 10));
            unit(0xDC00 + (v & 0x3FF));
        } else {
            unit(static_cast<uint32_t>(cp));
        }
    }
    return out;
}


// UTF-16 code units (big-endian order already applied) to UTF-8; lone surrogates become U+FFFD.
inline std::string utf16_to_utf8(const std::vector<uint16_t>& units) {
    std::string out;
    for (size_t i = 0; i < units.size(); ++i) {
        char32_t cp = units[i];
        if (cp >= 0xD800 && cp <= 0xDBFF && i + 1 < units.size() && units[i + 1] >= 0xDC00 && units[i + 1] <= 0xDFFF) {
            cp = 0x10000 + ((cp - 0xD800) << 10) + (units[i + 1] - 0xDC00);
            ++i;
        } else if (cp >= 0xD800 && cp <= 0xDFFF) {
            cp = 0xFFFD;
        }
        sms::append_utf8(out, cp);
    }
    return out;
}

} // namespace extcomm::clickatell
