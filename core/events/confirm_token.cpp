#include <events/confirm_token.hpp>

#include <Poco/Base64Decoder.h>
#include <Poco/Base64Encoder.h>
#include <Poco/Exception.h>
#include <Poco/HMACEngine.h>
#include <Poco/SHA2Engine.h>
#include <boost/json.hpp>

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
        if (!((ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '-' || ch == '_'))
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

std::optional<ConfirmTokenFacts> parse_payload(const std::string& payload) {
    boost::system::error_code ec;
    boost::json::value doc = boost::json::parse(payload, ec);
    if (ec || !doc.is_array()) return std::nullopt;
    const auto& a = doc.as_array();
    if (a.size() != 3 || !a[0].is_string() || !a[1].is_string() || !a[2].is_int64()) return std::nullopt;
    ConfirmTokenFacts facts{std::string(a[0].as_string()), std::string(a[1].as_string()), a[2].as_int64()};
    if (facts.event.empty() || facts.client.empty()) return std::nullopt;
    return facts;
}

} // namespace

ConfirmTokens::ConfirmTokens(std::string key) : key_(std::move(key)) {}

std::string ConfirmTokens::signature(std::string_view payload) const {
    Poco::HMACEngine<Sha256Engine> hmac(key_);
    hmac.update(kPurpose.data(), kPurpose.size());
    hmac.update(payload.data(), payload.size());
    const auto& digest = hmac.digest();
    return std::string(digest.begin(), digest.end());
}

std::string ConfirmTokens::issue(const ConfirmTokenFacts& facts) const {
    const std::string payload =
        boost::json::serialize(boost::json::array{boost::json::string(facts.event), boost::json::string(facts.client),
                                                  facts.start});
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
