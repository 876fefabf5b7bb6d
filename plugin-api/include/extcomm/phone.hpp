// Phone numbers: normalise what people type or what extcomm stores to E.164, with a clear reason when the
// number cannot be an international number.
//
// Header-only, C++17, standard library only. The host normalises workers', clients' and sites' numbers
// with it when they are entered; the first-party SMS transports check again before sending, so one bad
// number is settled as rejected for that one message instead of failing a whole provider batch. Vendor
// transports may use it for the same reason.
#ifndef EXTCOMM_PHONE_HPP
#define EXTCOMM_PHONE_HPP

#include <cstddef>
#include <string>
#include <string_view>
#include <variant>

namespace extcomm::phone {

struct NumberOptions {
    // Country calling code (digits, e.g. "61") for national numbers; empty: national numbers are refused.
    std::string default_country_code;
    // National trunk prefix dropped before adding the country code (e.g. "0"); used with default_country_code.
    std::string trunk_prefix = "0";
    size_t min_digits = 7;  // country code included
    size_t max_digits = 15; // E.164 maximum
};

// An international number: country code + subscriber number, digits only (no '+').
struct E164 {
    std::string digits;
    std::string with_plus() const { return "+" + digits; }
};

// Why a number was refused; `text` is safe to show (it does not repeat the number).
struct NumberError {
    std::string code; // "invalid-number"
    std::string text;
};

// Accepts "+61 491 570 156", "+61-491-570-156", "(+61) 491570156", "0061491570156" and, with a default
// country code, national numbers such as "0491 570 156". Letters, a '+' in the middle, a country code
// starting with 0, and too few or too many digits are refused.
inline std::variant<E164, NumberError> normalise_number(std::string_view input, const NumberOptions& options = {}) {
    auto fail = [](std::string text) { return NumberError{"invalid-number", std::move(text)}; };
    std::string digits;
    bool plus = false;
    bool seen_digit = false;
    for (char c : input) {
        if (c >= '0' && c <= '9') {
            digits += c;
            seen_digit = true;
        } else if (c == '+') {
            if (plus || seen_digit) return fail("the destination number has a '+' that is not at its start");
            plus = true;
        } else if (c == ' ' || c == '-' || c == '.' || c == '(' || c == ')' || c == '\t') {
            continue;
        } else {
            return fail("the destination number contains a character that is not a digit");
        }
    }
    if (digits.empty()) return fail("the destination number is empty");
    if (!plus) {
        if (digits.rfind("00", 0) == 0) {
            digits.erase(0, 2); // international call prefix
        } else if (!options.default_country_code.empty()) {
            if (!options.trunk_prefix.empty() && digits.rfind(options.trunk_prefix, 0) == 0)
                digits.erase(0, options.trunk_prefix.size());
            digits = options.default_country_code + digits;
        } else {
            return fail("the destination number is not in international format: it needs '+' and the country "
                        "code, e.g. +61491570156");
        }
    }
    if (digits.empty() || digits[0] == '0')
        return fail("the destination number's country code cannot start with 0 (E.164)");
    if (digits.size() < options.min_digits)
        return fail("the destination number is too short for an international number (fewer than " +
                    std::to_string(options.min_digits) + " digits with the country code)");
    if (digits.size() > options.max_digits)
        return fail("the destination number is too long (more than " + std::to_string(options.max_digits) +
                    " digits with the country code)");
    return E164{digits};
}

} // namespace extcomm::phone

#endif // EXTCOMM_PHONE_HPP
