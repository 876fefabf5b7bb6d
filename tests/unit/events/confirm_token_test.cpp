// The confirm link's token and the "YES" reply rule (pure): a token made with our key verifies to what it
// was made from; changed in any character, signed with another key or garbled it does not; it expires when
// the event starts.
#include <events/confirm_replies.hpp>
#include <events/confirm_token.hpp>

#include <gtest/gtest.h>

#include <string>

namespace extcomm::events {
namespace {

const std::string kKey = "0123456789abcdef0123456789abcdef-test-key";
const ConfirmTokenFacts kFacts{"ev-1", "jo", 1'791'151'200'000};

TEST(ConfirmToken, AValidTokenVerifiesToWhatItWasMadeFrom) {
    ConfirmTokens tokens(kKey);
    std::string token = tokens.issue(kFacts);
    auto verified = tokens.verify(token);
    ASSERT_TRUE(std::holds_alternative<ConfirmTokenFacts>(verified));
    EXPECT_EQ(std::get<ConfirmTokenFacts>(verified), kFacts);
    // URL-safe as it is: no padding, no '+' or '/'.
    EXPECT_EQ(token.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_."),
              std::string::npos);
}

TEST(ConfirmToken, EveryChangedCharacterIsRefused) {
    ConfirmTokens tokens(kKey);
    const std::string token = tokens.issue(kFacts);
    for (std::size_t i = 0; i < token.size(); ++i) {
        if (token[i] == '.') continue;
        std::string tampered = token;
        tampered[i] = tampered[i] == 'A' ? 'B' : 'A';
        auto verified = tokens.verify(tampered);
        // A change in the last character may only flip unused bits of the base64 text: still the same bytes.
        if (auto* facts = std::get_if<ConfirmTokenFacts>(&verified)) {
            EXPECT_EQ(*facts, kFacts) << "position " << i;
            continue;
        }
        EXPECT_TRUE(std::holds_alternative<TokenProblem>(verified)) << "position " << i;
    }
}

TEST(ConfirmToken, AnotherClientsPayloadWithOurSignatureIsRefused) {
    ConfirmTokens tokens(kKey);
    std::string mine = tokens.issue(kFacts);
    std::string theirs = tokens.issue({"ev-1", "sam", kFacts.start});
    // Their payload with my signature, and the other way round.
    std::string swapped = theirs.substr(0, theirs.find('.')) + mine.substr(mine.find('.'));
    EXPECT_EQ(std::get<TokenProblem>(tokens.verify(swapped)), TokenProblem::bad_signature);
}

TEST(ConfirmToken, AnotherKeysTokenIsRefused) {
    ConfirmTokens ours(kKey), theirs("another-key-of-32-characters-or-more!!");
    EXPECT_EQ(std::get<TokenProblem>(ours.verify(theirs.issue(kFacts))), TokenProblem::bad_signature);
}

TEST(ConfirmToken, GarbledTokensAreRefused) {
    ConfirmTokens tokens(kKey);
    const std::string token = tokens.issue(kFacts);
    for (std::string garbled : {std::string(), std::string("x"), std::string("abc"), std::string("."),
                                std::string("a.b.c"), std::string("!!!!.????"),
                                token.substr(0, token.find('.')), token + "%00", std::string(5000, 'A') + ".AAAA"})
        EXPECT_EQ(std::get<TokenProblem>(tokens.verify(garbled)), TokenProblem::garbled) << garbled;
    // Cut or lengthened signatures.
    for (std::string cut : {token.substr(0, token.size() - 4), token.substr(0, token.find('.') + 3), token + "x",
                            token + "AAAA"})
        EXPECT_TRUE(std::holds_alternative<TokenProblem>(tokens.verify(cut))) << cut;
}

TEST(ConfirmToken, ExpiresWhenTheEventStarts) {
    EXPECT_FALSE(token_expired(kFacts, kFacts.start - 1));
    EXPECT_TRUE(token_expired(kFacts, kFacts.start));
    EXPECT_TRUE(token_expired(kFacts, kFacts.start + 1));
}

TEST(ConfirmingReply, YesOrYInAnyCaseWithPunctuationAround) {
    for (const char* yes :
         {"YES", "yes", "Yes", "y", "Y", " yes.", "YES!", "  y  ", "\"Yes\"", "yes\n", "Yes!!!", "(y)"})
        EXPECT_TRUE(is_confirming_reply(yes)) << yes;
}

TEST(ConfirmingReply, AnythingElseIsLeftAlone) {
    for (const char* other : {"no", "NO", "n", "", " ", "...", "yes please", "y y", "yess", "ye", "yes, but late",
                              "STOP", "not yes"})
        EXPECT_FALSE(is_confirming_reply(other)) << other;
}

} // namespace
} // namespace extcomm::events
