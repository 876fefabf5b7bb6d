#include "message_check.hpp"

#include "address.hpp"

#include <string>

namespace extcomm::smtp {

using extcomm::sdk::Result;

std::optional<Result> check_message(const extcomm::sdk::Message& message) {
    // Checked before the address syntax so the operator sees an injection attempt for what it is.
    if (has_line_break_or_nul(message.to))
        return Result::rejected("invalid-header", "the recipient address contains a line break or NUL character; not sent");
    if (has_line_break_or_nul(message.subject))
        return Result::rejected("invalid-header", "the subject contains a line break or NUL character; not sent");
    if (!is_valid_mailbox(message.to)) {
        std::string shown(message.to.substr(0, 200));
        return Result::rejected("invalid-address", "'" + shown + "' is not an email address (user@domain); not sent");
    }
    if (message.channel != extcomm::sdk::Channel::email)
        return Result::rejected("wrong-channel", "the smtp transport only delivers email");
    return std::nullopt;
}

} // namespace extcomm::smtp
