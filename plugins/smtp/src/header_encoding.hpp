// Header fields that are safe to put on the wire: RFC 2047 encoded-words for non-ASCII text, folded so
// no line grows past RFC 5322's recommended 78 characters.
#pragma once

#include <string>
#include <string_view>

namespace extcomm::smtp {

// "Name: value\r\n" for an unstructured field (Subject). Printable ASCII that fits on one line is
// written as is; anything else becomes UTF-8 "B" encoded-words, split between whole characters.
std::string unstructured_field(std::string_view name, std::string_view value);

// "Name: display name <address>\r\n" (or "Name: address\r\n" without a display name). The display name
// is written as an atom phrase, a quoted-string, or encoded-words, whichever it needs. The address
// must already be a valid mailbox.
std::string mailbox_field(std::string_view name, std::string_view display_name, std::string_view address);

// The RFC 2047 encoded-words for `text` (UTF-8), joined by folding whitespace.
std::string encoded_words(std::string_view text);

} // namespace extcomm::smtp
