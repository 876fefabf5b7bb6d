// What may go into an SMTP envelope or a header: addresses and single-line values.
#pragma once

#include <string_view>

namespace extcomm::smtp {

// CR, LF or NUL: any of them in a header value or envelope address would let the input add headers,
// recipients or SMTP commands.
bool has_line_break_or_nul(std::string_view value);

// An RFC 5321 Mailbox in the form this transport sends: dot-string "@" domain, ASCII only, no
// quoted local parts or address literals (which notification recipients never need).
bool is_valid_mailbox(std::string_view address);

// An RFC 5321 Domain: dot-separated labels of letters, digits and inner hyphens.
bool is_valid_domain(std::string_view domain);

// The domain part of a valid mailbox.
std::string_view domain_of(std::string_view mailbox);

} // namespace extcomm::smtp
