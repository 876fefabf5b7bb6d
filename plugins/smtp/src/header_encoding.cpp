#include "header_encoding.hpp"

#include <Poco/Base64Encoder.h>

#include <sstream>

namespace extcomm::smtp {

namespace {

constexpr std::string_view kFold = "\r\n ";
// 39 bytes of text become 52 base64 characters, a 64-character word: with a field name in front the
// first line stays under 78 characters.
constexpr size_t kBytesPerWord = 39;

std::string base64(std::string_view bytes) {
    std::ostringstream out;
    Poco::Base64Encoder encoder(out);
    encoder.rdbuf()->setLineLength(0);
    encoder.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    encoder.close();
    return out.str();
}

bool is_printable_ascii(std::string_view s) {
    for (char c : s)
        if (static_cast<unsigned char>(c) < 0x20 || static_cast<unsigned char>(c) > 0x7e) return false;
    return true;
}

// Text a mail reader would show as is: printable ASCII, and nothing it could mistake for an encoded-word.
bool is_plain(std::string_view s) { return is_printable_ascii(s) && s.find("=?") == std::string_view::npos; }

bool is_continuation_byte(char c) { return (static_cast<unsigned char>(c) & 0xC0) == 0x80; }

bool is_atom_phrase(std::string_view s) {
    if (s.empty() || s.front() == ' ' || s.back() == ' ') return false;
    for (char c : s) {
        bool alnum = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
        if (!alnum && std::string_view(" !#$%&'*+-/=?^_`{|}~").find(c) == std::string_view::npos) return false;
    }
    return true;
}

std::string quoted_string(std::string_view s) {
    std::string out = "\"";
    for (char c : s) {
        if (c == '"' || c == '\\') out += '\\';
        out += c;
    }
    return out + "\"";
}

} // namespace

std::string encoded_words(std::string_view text) {
    std::string out;
    size_t start = 0;
    while (start < text.size()) {
        size_t end = std::min(start + kBytesPerWord, text.size());
        // RFC 2047 §5: every encoded-word holds whole characters, so never cut a UTF-8 sequence.
        while (end < text.size() && end > start + 1 && is_continuation_byte(text[end])) --end;
        if (!out.empty()) out += kFold;
        out += "=?UTF-8?B?" + base64(text.substr(start, end - start)) + "?=";
        start = end;
    }
    return out;
}

std::string unstructured_field(std::string_view name, std::string_view value) {
    std::string line = std::string(name) + ": ";
    if (is_plain(value) && line.size() + value.size() <= 78) return line + std::string(value) + "\r\n";
    return line + encoded_words(value) + "\r\n";
}

std::string mailbox_field(std::string_view name, std::string_view display_name, std::string_view address) {
    std::string line = std::string(name) + ": ";
    if (display_name.empty()) return line + std::string(address) + "\r\n";
    std::string phrase;
    if (is_atom_phrase(display_name)) phrase = std::string(display_name);
    else if (is_plain(display_name)) phrase = quoted_string(display_name);
    else phrase = encoded_words(display_name);
    bool fits = line.size() + phrase.size() + address.size() + 3 <= 78 && phrase.find('\n') == std::string::npos;
    return line + phrase + (fits ? " <" : std::string(kFold) + "<") + std::string(address) + ">\r\n";
}

} // namespace extcomm::smtp
