#include "message_composer.hpp"

#include "header_encoding.hpp"

#include <Poco/Base64Encoder.h>
#include <Poco/Net/QuotedPrintableEncoder.h>

#include <array>
#include <cstdio>
#include <ctime>
#include <random>
#include <sstream>

namespace extcomm::smtp {

namespace {

// FNV-1a: a stable hash (std::hash is not stable across builds) for names derived from ids.
uint64_t fnv1a(std::string_view s) {
    uint64_t h = 14695981039346656037ull;
    for (char c : s) {
        h ^= static_cast<unsigned char>(c);
        h *= 1099511628211ull;
    }
    return h;
}

std::string hex64(uint64_t v) {
    char buffer[17];
    std::snprintf(buffer, sizeof buffer, "%016llx", static_cast<unsigned long long>(v));
    return buffer;
}

bool is_token_char(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
}

std::string random_token() {
    std::random_device device;
    return hex64((static_cast<uint64_t>(device()) << 32) | device()) + hex64((static_cast<uint64_t>(device()) << 32) | device());
}

std::string encode_body(std::string_view text, BodyEncoding encoding) {
    std::string normalized = with_crlf_lines(text);
    std::ostringstream out;
    if (encoding == BodyEncoding::base64) {
        Poco::Base64Encoder encoder(out); // 76-character lines ending in CRLF
        encoder.rdbuf()->setLineLength(76);
        encoder << normalized;
        encoder.close();
        out << "\r\n";
    } else {
        // The input ends with CRLF, so the encoder has no pending trailing whitespace to lose at close.
        Poco::Net::QuotedPrintableEncoder encoder(out);
        encoder << normalized;
        encoder.close();
    }
    return out.str();
}

std::string_view transfer_encoding_name(BodyEncoding encoding) {
    return encoding == BodyEncoding::base64 ? "base64" : "quoted-printable";
}

std::string part_headers(std::string_view media_type, BodyEncoding encoding) {
    return "Content-Type: " + std::string(media_type) + "; charset=utf-8\r\nContent-Transfer-Encoding: " +
           std::string(transfer_encoding_name(encoding)) + "\r\n";
}

} // namespace

std::string message_id_for(std::string_view idempotency_key, std::string_view extcomm_id, std::string_view domain) {
    std::string_view source = !idempotency_key.empty() ? idempotency_key : extcomm_id;
    std::string left;
    if (source.empty()) {
        left = random_token();
    } else {
        static constexpr char digits[] = "0123456789ABCDEF";
        for (char c : source) {
            if (is_token_char(c)) {
                left += c;
            } else { // '=' is atext: escape everything else as =XX so distinct keys stay distinct
                left += '=';
                left += digits[static_cast<unsigned char>(c) >> 4];
                left += digits[static_cast<unsigned char>(c) & 0xF];
            }
        }
        // Keep the id short enough to be reported whole as the provider message id.
        if (left.size() > 64) left = "h" + hex64(fnv1a(source));
    }
    return "<extcomm." + left + "@" + std::string(domain) + ">";
}

std::string rfc5322_date(std::chrono::system_clock::time_point when) {
    static constexpr std::array<const char*, 7> days{"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
    static constexpr std::array<const char*, 12> months{"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                        "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    std::time_t t = std::chrono::system_clock::to_time_t(when);
    std::tm utc{};
    gmtime_r(&t, &utc);
    // Written by hand rather than with strftime so the host's locale cannot change the names.
    char buffer[64];
    std::snprintf(buffer, sizeof buffer, "%s, %02d %s %04d %02d:%02d:%02d +0000", days[static_cast<size_t>(utc.tm_wday)],
                  utc.tm_mday, months[static_cast<size_t>(utc.tm_mon)], utc.tm_year + 1900, utc.tm_hour, utc.tm_min,
                  utc.tm_sec);
    return buffer;
}

std::string with_crlf_lines(std::string_view text) {
    std::string out;
    out.reserve(text.size() + text.size() / 32 + 2);
    for (size_t i = 0; i < text.size(); ++i) {
        char c = text[i];
        if (c == '\r') {
            out += "\r\n";
            if (i + 1 < text.size() && text[i + 1] == '\n') ++i;
        } else if (c == '\n') {
            out += "\r\n";
        } else {
            out += c;
        }
    }
    if (out.size() < 2 || out.compare(out.size() - 2, 2, "\r\n") != 0) out += "\r\n";
    return out;
}

std::string compose_message(const Sender& sender, const Letter& letter, std::string_view message_id,
                            std::chrono::system_clock::time_point date, BodyEncoding encoding) {
    std::string out;
    out += "Date: " + rfc5322_date(date) + "\r\n";
    out += mailbox_field("From", sender.name, sender.address);
    if (!sender.reply_to.empty()) out += mailbox_field("Reply-To", "", sender.reply_to);
    out += mailbox_field("To", "", letter.to);
    if (!letter.subject.empty()) out += unstructured_field("Subject", letter.subject);
    out += "Message-ID: " + std::string(message_id) + "\r\n";
    bool safe_id = !letter.extcomm_id.empty() && letter.extcomm_id.size() <= 128;
    for (char c : letter.extcomm_id) safe_id = safe_id && (is_token_char(c) || c == '.' || c == ':');
    if (safe_id) out += "X-Extcomm-Message-ID: " + std::string(letter.extcomm_id) + "\r\n";
    out += "MIME-Version: 1.0\r\n";

    if (letter.html.empty()) {
        out += part_headers("text/plain", encoding);
        out += "\r\n";
        out += encode_body(letter.text, encoding);
        return out;
    }
    // "=_" never occurs in quoted-printable or base64 output, so the boundary cannot occur in a part.
    std::string boundary = "=_extcomm_" + hex64(fnv1a(message_id));
    out += "Content-Type: multipart/alternative; boundary=\"" + boundary + "\"\r\n\r\n";
    out += "--" + boundary + "\r\n" + part_headers("text/plain", encoding) + "\r\n" + encode_body(letter.text, encoding);
    out += "\r\n--" + boundary + "\r\n" + part_headers("text/html", encoding) + "\r\n" + encode_body(letter.html, encoding);
    out += "\r\n--" + boundary + "--\r\n";
    return out;
}

} // namespace extcomm::smtp
