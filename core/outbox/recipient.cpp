#include <outbox/recipient.hpp>

#include <regex>

namespace extcomm {

std::string recipient_problem(Channel channel, std::string_view to) {
    if (to.empty()) return "is empty";
    for (char c : to)
        if (c == '\r' || c == '\n' || c == '\0') return "contains a line break or NUL";
    std::string s(to);
    if (channel == Channel::sms) {
        static const std::regex e164(R"(^\+[1-9][0-9]{7,14}$)");
        if (!std::regex_match(s, e164)) return "is not an E.164 phone number (+ and 8 to 15 digits, e.g. +61491570156)";
        return {};
    }
    // Dot-atom local part and a domain of labels: what RFC 5321 allows without quoting.
    static const std::regex mailbox(
        R"(^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*@[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$)");
    if (s.size() > 254) return "is longer than 254 characters";
    if (!std::regex_match(s, mailbox)) return "is not an email address (like name@example.org)";
    return {};
}

} // namespace extcomm
