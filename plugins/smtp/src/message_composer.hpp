// Turns one extcomm message into the RFC 5322 / MIME bytes that follow SMTP DATA.
#pragma once

#include "settings.hpp"

#include <chrono>
#include <string>
#include <string_view>

namespace extcomm::smtp {

struct Sender {
    std::string address;
    std::string name;     // may be empty
    std::string reply_to; // may be empty
};

// What the message says. Every field must already have passed check_message() (see message_check.hpp).
struct Letter {
    std::string_view extcomm_id; // extcomm's id, carried in X-Extcomm-Message-ID when it is a safe token
    std::string_view to;
    std::string_view subject;
    std::string_view text;
    std::string_view html; // empty: text only
};

// "<left@domain>": the same idempotency key always gives the same Message-ID, so a retried message
// carries the Message-ID of its first attempt and receivers can drop the duplicate.
std::string message_id_for(std::string_view idempotency_key, std::string_view extcomm_id, std::string_view domain);

// RFC 5322 date-time in UTC, e.g. "Tue, 03 Mar 2026 09:05:00 +0000".
std::string rfc5322_date(std::chrono::system_clock::time_point when);

// Body text with every line ending as CRLF, ending with CRLF (RFC 5322 §2.3).
std::string with_crlf_lines(std::string_view text);

// The whole message: headers, then a text/plain body, or multipart/alternative with text and HTML.
// Bodies are UTF-8 in quoted-printable or base64, so the message is 7-bit and needs no 8BITMIME.
std::string compose_message(const Sender& sender, const Letter& letter, std::string_view message_id,
                            std::chrono::system_clock::time_point date, BodyEncoding encoding);

} // namespace extcomm::smtp
