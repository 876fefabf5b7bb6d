#pragma once
// Whether a recipient address can be used on a channel. Email: RFC 5321 mailbox syntax, no CR/LF.
// SMS: E.164 (a '+', then 8 to 15 digits, no leading 0).
#include <outbox/message.hpp>

#include <string>
#include <string_view>

namespace extcomm {

// Empty when usable; otherwise what is wrong, in words for the person who typed it.
std::string recipient_problem(Channel channel, std::string_view to);

} // namespace extcomm
