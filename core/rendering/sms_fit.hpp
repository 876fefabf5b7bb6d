#pragma once
// Fitting a rendered SMS into its budget of parts, with the agency's prefix in front, using the SDK's
// text model (<extcomm/sms_text.hpp>) so the host and the transports count alike.
#include <extcomm/sms_text.hpp>

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace extcomm::rendering {

// Penelope's "Automated Event Message Prefix (SMS only)": up to 20 characters.
inline constexpr std::size_t kMaxSmsPrefixCharacters = 20;

// How a text goes out as SMS.
struct SmsText {
    sms::Encoding encoding = sms::Encoding::gsm7;
    std::size_t characters = 0; // code points
    std::size_t units = 0;      // GSM-7 septets (an escape character counts two) or UTF-16 code units
    std::size_t segments = 0;   // SMS parts
};

// The measure of valid UTF-8 `text` (invalid UTF-8 measures as empty; rendering only produces UTF-8).
SmsText measure_sms(std::string_view text);

// nullopt when `prefix` can go in front of automated event SMS: at most 20 characters, UTF-8, one line.
std::optional<std::string> check_sms_prefix(std::string_view prefix);

// "<prefix> <text>", or `text` alone when there is no prefix.
std::string with_sms_prefix(std::string_view prefix, std::string_view text);

// True when "<prefix> <text>" takes at most `max_parts` parts.
bool fits_sms(std::string_view prefix, std::string_view text, std::size_t max_parts);

// The longest start of `text` such that "<prefix> <text>" fits `max_parts` parts, cut on a character
// boundary (never inside a GSM-7 escape or a surrogate pair), trailing spaces removed. Cutting may
// also cut away the one character that forced UCS-2, so both encodings are tried and the longer result
// wins: "…160 GSM-7 characters…😀" keeps 159 GSM-7 characters rather than 69 UCS-2 ones.
std::string cut_sms_to_fit(std::string_view prefix, std::string_view text, std::size_t max_parts);

} // namespace extcomm::rendering
