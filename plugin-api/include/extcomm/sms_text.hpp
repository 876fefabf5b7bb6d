// SMS text as extcomm counts it: UTF-8 decoding, GSM 03.38 (GSM-7) detection, the length of a text in
// SMS parts, and cutting a text to fit a number of parts.
//
// Header-only, C++17, standard library only. The host renders SMS with these rules and the first-party
// SMS transports check with them, so a vendor transport that includes this header agrees with both about
// which texts are GSM-7 and how many parts they take.
//
// The model:
// - A text goes out as GSM-7 when every character is in the GSM 03.38 basic set (one septet) or its
//   extension table (escape + one septet: two septets, e.g. '€', '{', '[', '~'). One part holds 160
//   septets; a concatenated part holds 153 (the rest is the UDH).
// - Otherwise it goes out as UCS-2, counted in UTF-16 code units: a character outside the BMP (most
//   emoji) is a surrogate pair and costs two. One part holds 70 units; a concatenated part 67.
#ifndef EXTCOMM_SMS_TEXT_HPP
#define EXTCOMM_SMS_TEXT_HPP

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace extcomm::sms {

enum class Encoding { gsm7, ucs2 };

inline constexpr size_t kGsm7SinglePart = 160; // septets
inline constexpr size_t kGsm7ConcatenatedPart = 153;
inline constexpr size_t kUcs2SinglePart = 70; // UTF-16 code units
inline constexpr size_t kUcs2ConcatenatedPart = 67;

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

// Appends the UTF-8 form of a valid code point.
inline void append_utf8(std::string& out, char32_t cp) {
    if (cp < 0x80) {
        out += static_cast<char>(cp);
    } else if (cp < 0x800) {
        out += static_cast<char>(0xC0 | (cp >> 6));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
        out += static_cast<char>(0xE0 | (cp >> 12));
        out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    } else {
        out += static_cast<char>(0xF0 | (cp >> 18));
        out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
        out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    }
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

// What one character costs in `encoding`: septets (1 or 2) for GSM-7, UTF-16 code units (1 or 2) for
// UCS-2. A character GSM-7 cannot carry costs 0 in GSM-7; callers pick the encoding first.
inline size_t units_of(char32_t c, Encoding encoding) {
    if (encoding == Encoding::ucs2) return c > 0xFFFF ? 2 : 1;
    if (is_gsm7_basic(c)) return 1;
    if (is_gsm7_extension(c)) return 2;
    return 0;
}

// The encoding a text of these code points needs: GSM-7 when every one fits, else UCS-2.
inline Encoding encoding_for(const std::vector<char32_t>& code_points) {
    for (char32_t c : code_points)
        if (!is_gsm7_basic(c) && !is_gsm7_extension(c)) return Encoding::ucs2;
    return Encoding::gsm7;
}

// How many units `parts` SMS parts hold in `encoding` (one part: 160 or 70; more: 153 or 67 each).
inline size_t capacity(Encoding encoding, size_t parts) {
    if (parts == 0) return 0;
    if (parts == 1) return encoding == Encoding::gsm7 ? kGsm7SinglePart : kUcs2SinglePart;
    return parts * (encoding == Encoding::gsm7 ? kGsm7ConcatenatedPart : kUcs2ConcatenatedPart);
}

// How many SMS parts `units` units take in `encoding` (0 for an empty text).
inline size_t parts_for(Encoding encoding, size_t units) {
    if (units == 0) return 0;
    size_t single = encoding == Encoding::gsm7 ? kGsm7SinglePart : kUcs2SinglePart;
    size_t concatenated = encoding == Encoding::gsm7 ? kGsm7ConcatenatedPart : kUcs2ConcatenatedPart;
    return units <= single ? 1 : (units + concatenated - 1) / concatenated;
}

struct TextInfo {
    Encoding encoding = Encoding::gsm7;
    size_t units = 0;      // GSM-7 septets or UTF-16 code units
    size_t parts = 0;      // SMS parts needed (0 for an empty text)
    size_t characters = 0; // code points
};

// How `utf8` goes out as SMS. nullopt when the text is not valid UTF-8.
inline std::optional<TextInfo> analyse(std::string_view utf8) {
    auto cps = decode_utf8(utf8);
    if (!cps) return std::nullopt;
    TextInfo info;
    info.characters = cps->size();
    info.encoding = encoding_for(*cps);
    for (char32_t c : *cps) info.units += units_of(c, info.encoding);
    info.parts = parts_for(info.encoding, info.units);
    return info;
}

// True when every character of valid UTF-8 `utf8` can be sent as GSM-7.
inline bool is_gsm7(std::string_view utf8) {
    auto info = analyse(utf8);
    return info && info->encoding == Encoding::gsm7;
}

// The longest leading part of valid UTF-8 `utf8` that costs at most `max_units` in `encoding`. It ends on
// a character boundary, so a GSM-7 escape pair or a UTF-16 surrogate pair is kept whole or left out
// whole; a character `encoding` cannot carry ends it too. Returns `utf8` unchanged when it already fits,
// and nullopt when it is not valid UTF-8.
inline std::optional<std::string> cut_to_units(std::string_view utf8, Encoding encoding, size_t max_units) {
    auto cps = decode_utf8(utf8);
    if (!cps) return std::nullopt;
    std::string out;
    size_t used = 0;
    for (char32_t c : *cps) {
        size_t cost = units_of(c, encoding);
        if (cost == 0 || used + cost > max_units) break; // cost 0: GSM-7 cannot carry it at all
        used += cost;
        append_utf8(out, c);
    }
    return out;
}

} // namespace extcomm::sms

#endif // EXTCOMM_SMS_TEXT_HPP
