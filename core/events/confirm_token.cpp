#include <events/confirm_token.hpp>

#include <Poco/Base64Decoder.h>
#include <Poco/Base64Encoder.h>
#include <Poco/Exception.h>
#include <Poco/HMACEngine.h>
#include <Poco/SHA2Engine.h>

#include <charconv>
#include <iterator>
#include <optional>
#include <sstream>

namespace extcomm::events {
namespace {

// Poco 1.11's SHA2Engine lacks the block and digest sizes HMACEngine asks its engine for.
class Sha256Engine : public Poco::SHA2Engine {
public:
    enum { BLOCK_SIZE = 64, DIGEST_SIZE = 32 };
    Sha256Engine() : Poco::SHA2Engine(SHA_256) {}
};

// What the signature covers besides the payload: a key used for something else one day signs other text.
constexpr std::string_view kPurpose = "extcomm confirm link v1\n";
constexpr std::size_t kSignatureBytes = 16;

std::string base64url(std::string_view bytes) {
    std::ostringstream out;
    Poco::Base64Encoder encoder(out, Poco::BASE64_URL_ENCODING | Poco::BASE64_NO_PADDING);
    encoder.rdbuf()->setLineLength(0);
    encoder.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    encoder.close();
    return out.str();
}

bool is_base64url(std::string_view text) {
    if (text.empty() || text.size() % 4 == 1) return false;
    for (char ch : text)
        if (!((ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '-' ||
              ch == '_'))
            return false;
    return true;
}

std::optional<std::string> from_base64url(std::string_view text) {
    if (!is_base64url(text)) return std::nullopt;
    std::string padded(text);
    padded.append((4 - padded.size() % 4) % 4, '='); // Poco 1.11's decoder wants the padding back
    try {
        std::istringstream in(padded);
        Poco::Base64Decoder decoder(in, Poco::BASE64_URL_ENCODING);
        return std::string(std::istreambuf_iterator<char>(decoder), std::istreambuf_iterator<char>());
    } catch (const Poco::Exception&) {
        return std::nullopt;
    }
}

// Every byte is compared whatever the first difference: timing says nothing about the signature.
bool same_bytes(std::string_view a, std::string_view b) {
    if (a.size() != b.size()) return false;
    unsigned char diff = 0;
    for (std::size_t i = 0; i < a.size(); ++i) diff |= static_cast<unsigned char>(a[i] ^ b[i]);
    return diff == 0;
}

// Ids never hold a line break (agency::is_valid_id), so it separates the fields.
std::string payload_of(const ConfirmTokenFacts& facts) {
    return facts.event + "\n" + facts.client + "\n" + std::to_string(facts.start);
}

std::optional<ConfirmTokenFacts> parse_payload(const std::string& payload) {
    const auto first = payload.find('\n');
    const auto second = first == std::string::npos ? first : payload.find('\n', first + 1);
    if (second == std::string::npos) return std::nullopt;
    ConfirmTokenFacts facts{payload.substr(0, first), payload.substr(first + 1, second - first - 1), 0};
    const std::string start = payload.substr(second + 1);
    auto [end, ec] = std::from_chars(start.data(), start.data() + start.size(), facts.start);
    if (ec != std::errc() || end != start.data() + start.size() || start.empty()) return std::nullopt;
    if (facts.event.empty() || facts.client.empty() || facts.event.find('\n') != std::string::npos ||
        facts.client.find('\n') != std::string::npos)
        return std::nullopt;
    return facts;
}

} // namespace

ConfirmTokens::ConfirmTokens(std::string key) : key_(std::move(key)) {}

std::string ConfirmTokens::signature(std::string_view payload) const {
    Poco::HMACEngine<Sha256Engine> hmac(key_);
    hmac.update(kPurpose.data(), kPurpose.size());
    hmac.update(payload.data(), payload.size());
    const auto& digest = hmac.digest();
    // The first 128 bits (RFC 2104 truncation): short enough for the link to fit an SMS, far beyond guessing.
    return std::string(digest.begin(), digest.begin() + kSignatureBytes);
}

std::string ConfirmTokens::issue(const ConfirmTokenFacts& facts) const {
    const std::string payload = payload_of(facts);
    return base64url(payload) + "." + base64url(signature(payload));
}

std::variant<ConfirmTokenFacts, TokenProblem> ConfirmTokens::verify(std::string_view token) const {
    // Ids are at most 64 characters: a token is well under 300; anything much longer is not ours.
    if (token.size() > 1024) return TokenProblem::garbled;
    const auto dot = token.find('.');
    if (dot == std::string_view::npos) return TokenProblem::garbled;
    auto payload = from_base64url(token.substr(0, dot));
    auto mac = from_base64url(token.substr(dot + 1));
    if (!payload || !mac) return TokenProblem::garbled;
    // The signature first: nothing of an unsigned payload is looked at.
    if (!same_bytes(*mac, signature(*payload))) return TokenProblem::bad_signature;
    auto facts = parse_payload(*payload);
    if (!facts) return TokenProblem::garbled;
    return *facts;
}

} // namespace extcomm::events
