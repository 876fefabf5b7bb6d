#include "transcript.hpp"

#include <cctype>

namespace extcomm::smtp {

namespace {

bool is_digit(char c) { return c >= '0' && c <= '9'; }

// "5.1.1 " at the start of a reply line (RFC 3463).
size_t enhanced_code_length(std::string_view s) {
    size_t i = 0;
    if (i >= s.size() || !(s[i] == '2' || s[i] == '4' || s[i] == '5') || i + 1 >= s.size() || s[i + 1] != '.') return 0;
    i += 2;
    size_t digits = 0;
    while (i < s.size() && is_digit(s[i]) && digits < 3) ++i, ++digits;
    if (digits == 0 || i >= s.size() || s[i] != '.') return 0;
    ++i;
    digits = 0;
    while (i < s.size() && is_digit(s[i]) && digits < 3) ++i, ++digits;
    if (digits == 0 || (i < s.size() && s[i] != ' ')) return 0;
    return i;
}

std::string upper_verb(std::string_view line) {
    std::string verb;
    for (char c : line) {
        if (c == ' ' || c == '\r' || c == '\n' || verb.size() > 8) break;
        verb += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    }
    return verb;
}

} // namespace

std::string_view name_of(Stage stage) {
    switch (stage) {
    case Stage::greeting: return "greeting";
    case Stage::ehlo: return "EHLO";
    case Stage::starttls: return "STARTTLS";
    case Stage::auth: return "AUTH";
    case Stage::mail: return "MAIL FROM";
    case Stage::rcpt: return "RCPT TO";
    case Stage::data: return "DATA";
    case Stage::end_of_data: return "end of data";
    case Stage::quit: return "QUIT";
    }
    return "?";
}

std::string Reply::provider_code() const { return enhanced.empty() ? std::to_string(code) : std::to_string(code) + " " + enhanced; }

void Transcript::begin() {
    stage_ = Stage::greeting;
    pending_ = Reply{};
    partial_line_.clear();
    failure_.reset();
    acceptance_.reset();
}

void Transcript::sent(std::string_view line) {
    std::string verb = upper_verb(line);
    if (verb == "EHLO" || verb == "HELO") stage_ = Stage::ehlo;
    else if (verb == "STARTTLS") stage_ = Stage::starttls;
    else if (verb == "AUTH") stage_ = Stage::auth;
    else if (verb == "MAIL") stage_ = Stage::mail;
    else if (verb == "RCPT") stage_ = Stage::rcpt;
    else if (verb == "DATA") stage_ = Stage::data;
    else if (verb == "QUIT") stage_ = Stage::quit;
    // Anything else (an AUTH continuation) stays in the current stage.
}

void Transcript::received(std::string_view text) {
    partial_line_.append(text);
    size_t newline;
    while ((newline = partial_line_.find('\n')) != std::string::npos) {
        std::string line = partial_line_.substr(0, newline);
        partial_line_.erase(0, newline + 1);
        if (!line.empty() && line.back() == '\r') line.pop_back();
        if (line.size() < 3 || !is_digit(line[0]) || !is_digit(line[1]) || !is_digit(line[2])) continue;
        bool last = line.size() == 3 || line[3] != '-';
        std::string_view rest = line.size() > 4 ? std::string_view(line).substr(4) : std::string_view();
        if (size_t n = enhanced_code_length(rest)) {
            pending_.enhanced = std::string(rest.substr(0, n));
            rest = rest.substr(std::min(n + 1, rest.size()));
        }
        pending_.code = std::stoi(line.substr(0, 3));
        if (!rest.empty()) {
            if (!pending_.text.empty()) pending_.text += ' ';
            pending_.text += rest;
        }
        if (last) {
            complete(std::move(pending_));
            pending_ = Reply{};
        }
    }
}

void Transcript::complete(Reply reply) {
    if (stage_ == Stage::quit) return; // the goodbye says nothing about the message
    if (reply.code >= 400) {
        if (!failure_) {
            failure_ = reply;
            failure_stage_ = stage_;
        }
        return;
    }
    if (stage_ == Stage::data && reply.code == 354) {
        stage_ = Stage::end_of_data;
        return;
    }
    if (stage_ == Stage::end_of_data && reply.code / 100 == 2) acceptance_ = std::move(reply);
}

} // namespace extcomm::smtp
