// application/x-www-form-urlencoded encoding and decoding (requests to Clickatell, its callbacks).
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace extcomm::clickatell {

using FormFields = std::vector<std::pair<std::string, std::string>>;

// Percent-encodes `text` for a form body or query string (space as '+', UTF-8 bytes as %XX).
std::string form_escape(std::string_view text);

// name=value&name=value, each part escaped.
std::string form_encode(const FormFields& fields);

// Parses a query string or form body; '+' is a space, %XX a byte. Malformed escapes are kept as is.
FormFields form_decode(std::string_view text);

// The first value of `name`, or nullptr.
const std::string* form_get(const FormFields& fields, std::string_view name);

} // namespace extcomm::clickatell
