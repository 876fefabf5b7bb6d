#include <events/confirm_token.hpp>

#include <array>

#include <Poco/Base64Decoder.h>
#include <Poco/Base64Encoder.h>
#include <Poco/Exception.h>
#include <Poco/HMACEngine.h>
#include <Poco/RandomStream.h>
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

// What a tag covers besides the id (or the signature besides the payload): a key used for another kind of
// link one day signs other text, so no token of one kind passes as another.
// One string per purpose, in LinkPurpose's order; "confirm link v2" is what confirm links were first signed with.
constexpr std::array<std::string_view, 3> kPurposes{"extcomm confirm link v2\n", "extcomm client task link v1\n",
                                                    "extcomm discussion link v1\n"};
std::string_view purpose_text(LinkPurpose purpose) { return kPurposes[static_cast<std::size_t>(purpose)]; }
constexpr std::size_t kIdBytes = 12;      // 96 bits: unguessable
constexpr std::size_t kIdCharacters = 16; // base64url of 12 bytes
// The tag's 48 bits only keep forged tokens from reaching the store: the id is what cannot be guessed.
constexpr std::size_t kTagBytes = 6;
// The earlier form, accepted until the links sent with it expire.
constexpr std::string_view kPurposeV1 = "extcomm confirm link v1\n";
constexpr std::size_t kSignatureBytesV1 = 16;

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

std::string new_confirm_link_id() {
    std::string bytes(kIdBytes, '\0');
    Poco::RandomInputStream().read(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    return base64url(bytes);
}

ConfirmTokens::ConfirmTokens(std::string key) : key_(std::move(key)) {}

std::string ConfirmTokens::mac(std::string_view purpose, std::string_view text, std::size_t bytes) const {
    Poco::HMACEngine<Sha256Engine> hmac(key_);
    hmac.update(purpose.data(), purpose.size());
    hmac.update(text.data(), text.size());
    const auto& digest = hmac.digest();
    // A prefix of the digest (RFC 2104 truncation): short enough for the link to fit an SMS.
    return std::string(digest.begin(), digest.begin() + static_cast<std::ptrdiff_t>(bytes));
}

std::string ConfirmTokens::issue(std::string_view link_id, LinkPurpose purpose) const {
    return std::string(link_id) + base64url(mac(purpose_text(purpose), link_id, kTagBytes));
}

std::variant<ConfirmLinkId, TokenProblem> ConfirmTokens::verify_id(std::string_view token,
                                                                  LinkPurpose purpose) const {
    if (token.size() != kConfirmTokenCharacters || !is_base64url(token)) return TokenProblem::garbled;
    const std::string_view id = token.substr(0, kIdCharacters);
    auto tag = from_base64url(token.substr(kIdCharacters));
    if (!tag || !same_bytes(*tag, mac(purpose_text(purpose), id, kTagBytes))) return TokenProblem::bad_signature;
    return ConfirmLinkId{std::string(id)};
}

std::variant<ConfirmLinkId, ConfirmTokenFacts, TokenProblem> ConfirmTokens::verify(std::string_view token) const {
    // Ids are at most 64 characters: an earlier token is well under 300; anything much longer is not ours.
    if (token.size() > 1024) return TokenProblem::garbled;
    const auto dot = token.find('.');
    if (dot == std::string_view::npos) {
        auto current = verify_id(token, LinkPurpose::confirm);
        if (auto* problem = std::get_if<TokenProblem>(&current)) return *problem;
        return std::get<ConfirmLinkId>(current);
    }
    auto payload = from_base64url(token.substr(0, dot));
    auto signature = from_base64url(token.substr(dot + 1));
    if (!payload || !signature) return TokenProblem::garbled;
    // The signature first: nothing of an unsigned payload is looked at.
    if (!same_bytes(*signature, mac(kPurposeV1, *payload, kSignatureBytesV1))) return TokenProblem::bad_signature;
    auto facts = parse_payload(*payload);
    if (!facts) return TokenProblem::garbled;
    return *facts;
}

} // namespace extcomm::events
