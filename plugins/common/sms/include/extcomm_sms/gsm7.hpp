// SMS text: UTF-8 decoding, GSM 03.38 (GSM-7) detection, and the length of a text in SMS parts.
//
// A text is sent as GSM-7 when every character is in the GSM 03.38 basic set or its extension table
// (an extension character costs two septets); otherwise it is sent as UCS-2, counted in UTF-16 code
// units (a character outside the BMP, e.g. most emoji, costs two).
#ifndef EXTCOMM_SMS_GSM7_HPP
#define EXTCOMM_SMS_GSM7_HPP

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

namespace extcomm::sms {

// The code points of `utf8`, or nullopt when it is not valid UTF-8 (overlong forms, surrogates and
// values above U+10FFFF are invalid).
inline std::optional<std::vector<char32_t>> decode_utf8(std::string_view utf8) {
    std::vector<char32_t> out;
    out.reserve(utf8.size());
    size_t i = 0;
    while (i < utf8.size()) {
        auto b0 = static_cast<unsigned char>(utf8[i]);
        char32_t cp;
        size_t n;
        if (b0 < 0x80) {
            cp = b0;
            n = 1;
        } else if ((b0 & 0xE0) == 0xC0) {
            cp = b0 & 0x1F;
            n = 2;
        } else if ((b0 & 0xF0) == 0xE0) {
            cp = b0 & 0x0F;
            n = 3;
        } else if ((b0 & 0xF8) == 0xF0) {
            cp = b0 & 0x07;
            n = 4;
        } else {
            return std::nullopt;
        }
        if (i + n > utf8.size()) return std::nullopt;
        for (size_t k = 1; k < n; ++k) {
            auto b = static_cast<unsigned char>(utf8[i + k]);
            if ((b & 0xC0) != 0x80) return std::nullopt;
            cp = (cp << 6) | (b & 0x3F);
        }
        static constexpr char32_t kMin[] = {0, 0, 0x80, 0x800, 0x10000};
        if (cp < kMin[n] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return std::nullopt;
        out.push_back(cp);
        i += n;
    }
    return out;
}

// In the GSM 03.38 basic character set (one septet)?
inline bool is_gsm7_basic(char32_t c) {
    if (c >= 'a' && c <= 'z') return true;
    if (c >= 'A' && c <= 'Z') return true;
    if (c >= '0' && c <= '9') return true;
    if (c >= 0x20 && c <= 0x2F) return true; // space ! " # $ % & ' ( ) * + , - . /
    switch (c) {
    case '\n': case '\r': case ':': case ';': case '<': case '=': case '>': case '?': case '@': case '_':
    case U'£': case U'¥': case U'è': case U'é': case U'ù': case U'ì': case U'ò': case U'Ç': case U'Ø':
    case U'ø': case U'Å': case U'å': case U'Δ': case U'Φ': case U'Γ': case U'Λ': case U'Ω': case U'Π':
    case U'Ψ': case U'Σ': case U'Θ': case U'Ξ': case U'Æ': case U'æ': case U'ß': case U'É': case U'¤':
    case U'¡': case U'Ä': case U'Ö': case U'Ñ': case U'Ü': case U'§': case U'¿': case U'ä': case U'ö':
    case U'ñ': case U'ü': case U'à':
        return true;
    default:
        return false;
    }
}

// In the GSM 03.38 extension table (escape + one septet: two septets)?
inline bool is_gsm7_extension(char32_t c) {
    switch (c) {
    case '\f': case '^': case '{': case '}': case '\\': case '[': case '~': case ']': case '|': case U'€':
        return true;
    default:
        return false;
    }
}

enum class Encoding { gsm7, ucs2 };

struct TextInfo {
    Encoding encoding = Encoding::gsm7;
    size_t units = 0; // GSM-7 septets or UTF-16 code units
    size_t parts = 0; // SMS parts needed (0 for an empty text)
    size_t characters = 0; // code points
};

// How `utf8` goes out as SMS. nullopt when the text is not valid UTF-8.
inline std::optional<TextInfo> analyse(std::string_view utf8) {
    auto cps = decode_utf8(utf8);
    if (!cps) return std::nullopt;
    TextInfo info;
    info.characters = cps->size();
    size_t septets = 0;
    bool gsm = true;
    for (char32_t c : *cps) {
        if (is_gsm7_basic(c)) {
            septets += 1;
        } else if (is_gsm7_extension(c)) {
            septets += 2;
        } else {
            gsm = false;
            break;
        }
    }
    if (gsm) {
        info.encoding = Encoding::gsm7;
        info.units = septets;
        info.parts = septets == 0 ? 0 : septets <= 160 ? 1 : (septets + 152) / 153;
    } else {
        size_t units = 0;
        for (char32_t c : *cps) units += c > 0xFFFF ? 2 : 1;
        info.encoding = Encoding::ucs2;
        info.units = units;
        info.parts = units == 0 ? 0 : units <= 70 ? 1 : (units + 66) / 67;
    }
    return info;
}

// True when every character of valid UTF-8 `utf8` can be sent as GSM-7.
inline bool is_gsm7(std::string_view utf8) {
    auto info = analyse(utf8);
    return info && info->encoding == Encoding::gsm7;
}

} // namespace extcomm::sms

#endif // EXTCOMM_SMS_GSM7_HPP
