// Fuzzes the confirm link's token check (ConfirmTokens::verify) with what a visitor puts after /c/ in the
// one public form, the confirm page (GET and POST /c/{token}: the POST's body is read and discarded, so
// the token is all the page parses). Invariants: a token read as a current link's id is exactly the token
// issued for that id (one spelling per link); an earlier-form token that verifies names an event and a
// client; and a token issued for any id of the current form verifies back to that id.
#include "invariant.hpp"

#include <events/confirm_token.hpp>

#include <algorithm>
#include <string>
#include <string_view>

using namespace extcomm;

namespace {

bool is_id_character(char ch) {
    return (ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '-' || ch == '_';
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    static const events::ConfirmTokens tokens(std::string(32, 'k'));
    const std::string_view token(reinterpret_cast<const char*>(data), size);
    auto verified = tokens.verify(token);
    if (auto* id = std::get_if<events::ConfirmLinkId>(&verified))
        fuzz::require(tokens.issue(id->id) == token, "a current token is the one issued for its id");
    if (auto* facts = std::get_if<events::ConfirmTokenFacts>(&verified))
        fuzz::require(!facts->event.empty() && !facts->client.empty(), "an earlier token names its event and client");

    // The input's first 16 characters as a link id, when they can be one (base64url of 12 bytes).
    const std::string_view id = token.substr(0, 16);
    if (id.size() == 16 && std::all_of(id.begin(), id.end(), is_id_character)) {
        auto again = tokens.verify(tokens.issue(id));
        auto* back = std::get_if<events::ConfirmLinkId>(&again);
        fuzz::require(back && back->id == id, "an issued token verifies to its id");
    }
    return 0;
}
