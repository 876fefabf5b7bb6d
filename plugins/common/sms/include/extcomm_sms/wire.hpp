// Small wire helpers the HTTP-codec transports share: Basic auth, Retry-After, query strings, digits,
// ISO-8601 timestamps, a stable hash. Pure functions, no I/O.
#ifndef EXTCOMM_SMS_WIRE_HPP
#define EXTCOMM_SMS_WIRE_HPP

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace extcomm::sms {

inline std::string base64(std::string_view in) {
    static constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    std::string out;
    out.reserve((in.size() + 2) / 3 * 4);
    size_t i = 0;
    while (i + 3 <= in.size()) {
        uint32_t v = (uint32_t(uint8_t(in[i])) << 16) | (uint32_t(uint8_t(in[i + 1])) << 8) | uint8_t(in[i + 2]);
        out += kAlphabet[(v >> 18) & 63];
        out += kAlphabet[(v >> 12) & 63];
        out += kAlphabet[(v >> 6) & 63];
        out += kAlphabet[v & 63];
        i += 3;
    }
    if (size_t rest = in.size() - i; rest > 0) {
        uint32_t v = uint32_t(uint8_t(in[i])) << 16;
        if (rest == 2) v |= uint32_t(uint8_t(in[i + 1])) << 8;
        out += kAlphabet[(v >> 18) & 63];
        out += kAlphabet[(v >> 12) & 63];
        out += rest == 2 ? kAlphabet[(v >> 6) & 63] : '=';
        out += '=';
    }
    return out;
}

// The value of an `Authorization` header for HTTP Basic (RFC 7617).
inline std::string basic_auth(std::string_view user, std::string_view secret) {
    std::string pair(user);
    pair += ':';
    pair += secret;
    return "Basic " + base64(pair);
}

// Retry-After in milliseconds when it is delay-seconds; 0 when absent or an HTTP-date (a pure codec has
// no clock to compare a date with).
inline uint32_t retry_after_ms(std::string_view value) {
    while (!value.empty() && (value.front() == ' ' || value.front() == '\t')) value.remove_prefix(1);
    while (!value.empty() && (value.back() == ' ' || value.back() == '\t')) value.remove_suffix(1);
    if (value.empty() || value.size() > 9) return 0;
    uint64_t seconds = 0;
    for (char c : value) {
        if (c < '0' || c > '9') return 0;
        seconds = seconds * 10 + uint64_t(c - '0');
    }
    uint64_t ms = seconds * 1000;
    return ms > UINT32_MAX ? UINT32_MAX : uint32_t(ms);
}

// Percent-encoding for a query value (RFC 3986 unreserved characters stay as they are).
inline std::string percent_encode(std::string_view in) {
    static constexpr char kHex[] = "0123456789ABCDEF";
    std::string out;
    for (char ch : in) {
        auto c = static_cast<unsigned char>(ch);
        if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_' ||
            c == '.' || c == '~') {
            out += char(c);
        } else {
            out += '%';
            out += kHex[c >> 4];
            out += kHex[c & 15];
        }
    }
    return out;
}

inline std::string percent_decode(std::string_view in) {
    auto hex = [](char c) -> int {
        if (c >= '0' && c <= '9') return c - '0';
        if (c >= 'a' && c <= 'f') return c - 'a' + 10;
        if (c >= 'A' && c <= 'F') return c - 'A' + 10;
        return -1;
    };
    std::string out;
    for (size_t i = 0; i < in.size(); ++i) {
        if (in[i] == '%' && i + 2 < in.size() && hex(in[i + 1]) >= 0 && hex(in[i + 2]) >= 0) {
            out += char(hex(in[i + 1]) * 16 + hex(in[i + 2]));
            i += 2;
        } else if (in[i] == '+') {
            out += ' ';
        } else {
            out += in[i];
        }
    }
    return out;
}

// The decoded value of the first `name=` parameter of a raw query string, or nullopt.
inline std::optional<std::string> query_param(std::string_view query, std::string_view name) {
    while (!query.empty()) {
        size_t amp = query.find('&');
        std::string_view pair = query.substr(0, amp);
        query = amp == std::string_view::npos ? std::string_view() : query.substr(amp + 1);
        size_t eq = pair.find('=');
        std::string key = percent_decode(pair.substr(0, eq));
        if (key == name) return eq == std::string_view::npos ? std::string() : percent_decode(pair.substr(eq + 1));
    }
    return std::nullopt;
}

// True when `s` is one or more ASCII digits.
inline bool all_digits(std::string_view s) {
    if (s.empty()) return false;
    for (char c : s)
        if (c < '0' || c > '9') return false;
    return true;
}

// Compare two secrets without stopping at the first difference.
inline bool same_secret(std::string_view a, std::string_view b) {
    unsigned diff = a.size() == b.size() ? 0u : 1u;
    for (size_t i = 0; i < a.size(); ++i) diff |= unsigned(uint8_t(a[i]) ^ uint8_t(i < b.size() ? b[i] : 0));
    return diff == 0;
}

// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's days_from_civil).
inline int64_t days_from_civil(int64_t y, unsigned m, unsigned d) {
    y -= m <= 2;
    const int64_t era = (y >= 0 ? y : y - 399) / 400;
    const unsigned yoe = static_cast<unsigned>(y - era * 400);
    const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + static_cast<int64_t>(doe) - 719468;
}

// Unix milliseconds of an ISO-8601 / RFC 3339 date-time such as "2016-11-03T11:49:02.807Z" or
// "2024-01-01T10:00:00+02:00" (a missing offset is taken as UTC). nullopt when it is not one.
inline std::optional<int64_t> parse_iso8601_ms(std::string_view s) {
    auto num = [&](size_t pos, size_t len) -> std::optional<int> {
        if (pos + len > s.size()) return std::nullopt;
        int v = 0;
        for (size_t i = pos; i < pos + len; ++i) {
            if (s[i] < '0' || s[i] > '9') return std::nullopt;
            v = v * 10 + (s[i] - '0');
        }
        return v;
    };
    auto year = num(0, 4), month = num(5, 2), day = num(8, 2), hour = num(11, 2), minute = num(14, 2),
         second = num(17, 2);
    if (!year || !month || !day || !hour || !minute || !second || s[4] != '-' || s[7] != '-' ||
        (s[10] != 'T' && s[10] != 't' && s[10] != ' ') || s[13] != ':' || s[16] != ':')
        return std::nullopt;
    if (*month < 1 || *month > 12 || *day < 1 || *day > 31 || *hour > 23 || *minute > 59 || *second > 60)
        return std::nullopt;
    size_t pos = 19;
    int64_t millis = 0;
    if (pos < s.size() && s[pos] == '.') {
        ++pos;
        int64_t scale = 100;
        while (pos < s.size() && s[pos] >= '0' && s[pos] <= '9') {
            millis += (s[pos] - '0') * scale;
            scale /= 10;
            ++pos;
        }
    }
    int64_t offset_min = 0;
    if (pos < s.size()) {
        if (s[pos] == 'Z' || s[pos] == 'z') {
            ++pos;
        } else if (s[pos] == '+' || s[pos] == '-') {
            int sign = s[pos] == '-' ? -1 : 1;
            auto oh = num(pos + 1, 2);
            std::optional<int> om;
            if (pos + 3 < s.size() && s[pos + 3] == ':') {
                om = num(pos + 4, 2);
                pos += 6;
            } else {
                om = num(pos + 3, 2);
                pos += 5;
            }
            if (!oh || !om) return std::nullopt;
            offset_min = sign * (*oh * 60 + *om);
        } else {
            return std::nullopt;
        }
    }
    if (pos != s.size()) return std::nullopt;
    int64_t days = days_from_civil(*year, unsigned(*month), unsigned(*day));
    int64_t seconds = days * 86400 + *hour * 3600 + *minute * 60 + *second - offset_min * 60;
    return seconds * 1000 + millis;
}

// FNV-1a, 64 bits: a stable hash (same on every machine and run) for ids derived from keys.
inline uint64_t fnv1a64(std::string_view data, uint64_t hash = 0xcbf29ce484222325ull) {
    for (char c : data) {
        hash ^= uint8_t(c);
        hash *= 0x100000001b3ull;
    }
    return hash;
}

} // namespace extcomm::sms

#endif // EXTCOMM_SMS_WIRE_HPP
