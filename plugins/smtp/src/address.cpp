#include "address.hpp"

#include <string>

namespace extcomm::smtp {

namespace {

bool is_alnum(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'); }

// RFC 5322 atext.
bool is_atext(char c) { return is_alnum(c) || std::string_view("!#$%&'*+-/=?^_`{|}~").find(c) != std::string_view::npos; }

bool is_dot_string(std::string_view s) {
    if (s.empty() || s.front() == '.' || s.back() == '.') return false;
    char previous = 0;
    for (char c : s) {
        if (c == '.' && previous == '.') return false;
        if (c != '.' && !is_atext(c)) return false;
        previous = c;
    }
    return true;
}

} // namespace

bool has_line_break_or_nul(std::string_view value) { return value.find_first_of(std::string_view("\r\n\0", 3)) != std::string_view::npos; }

bool is_valid_domain(std::string_view domain) {
    if (domain.empty() || domain.size() > 253) return false;
    size_t start = 0;
    while (start <= domain.size()) {
        size_t end = domain.find('.', start);
        if (end == std::string_view::npos) end = domain.size();
        std::string_view label = domain.substr(start, end - start);
        if (label.empty() || label.size() > 63 || label.front() == '-' || label.back() == '-') return false;
        for (char c : label)
            if (!is_alnum(c) && c != '-') return false;
        start = end + 1;
    }
    return true;
}

bool is_valid_mailbox(std::string_view address) {
    if (address.size() > 254) return false;
    size_t at = address.rfind('@');
    if (at == std::string_view::npos) return false;
    std::string_view local = address.substr(0, at);
    return local.size() <= 64 && is_dot_string(local) && is_valid_domain(address.substr(at + 1));
}

std::string_view domain_of(std::string_view mailbox) {
    size_t at = mailbox.rfind('@');
    return at == std::string_view::npos ? std::string_view() : mailbox.substr(at + 1);
}

} // namespace extcomm::smtp
