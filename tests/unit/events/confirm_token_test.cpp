// The confirm link's token and the "YES" reply rule (pure): a token made with our key verifies to the id
// it was made from, is short and shows nothing but that random id; changed in any character, signed with
// another key or garbled it does not verify; a token of the earlier form (payload "." signature) still
// verifies to its facts; a link expires when the event starts.
#include <events/confirm_replies.hpp>
#include <events/confirm_token.hpp>

#include <gtest/gtest.h>

#include <set>
#include <string>

namespace extcomm::events {
namespace {

const std::string kKey = "0123456789abcdef0123456789abcdef-test-key";
const ConfirmTokenFacts kFacts{"ev-1", "jo", 1'791'151'200'000};
// Made with kKey by the earlier form for kFacts, and for client "sam": links of that form are out there.
const std::string kEarlierToken = "ZXYtMQpqbwoxNzkxMTUxMjAwMDAw.RMYtNKVAlhx_tQt7qsXtKw";
const std::string kEarlierTokenOfSam = "ZXYtMQpzYW0KMTc5MTE1MTIwMDAwMA.u4aTZ3NFVYMSD8kwgdiSzQ";

TEST(ConfirmToken, AValidTokenVerifiesToItsIdAndIsShortAndUrlSafe) {
    ConfirmTokens tokens(kKey);
    const std::string id = new_confirm_link_id();
    const std::string token = tokens.issue(id);
    auto verified = tokens.verify(token);
    ASSERT_TRUE(std::holds_alternative<ConfirmLinkId>(verified));
    EXPECT_EQ(std::get<ConfirmLinkId>(verified).id, id);
    EXPECT_EQ(token.size(), kConfirmTokenCharacters);
    // URL-safe as it is: no padding, no '+' or '/'.
    EXPECT_EQ(token.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"),
              std::string::npos);
}

TEST(ConfirmToken, IdsAreFreshEachTime) {
    std::set<std::string> ids;
    for (int i = 0; i < 1000; ++i) ids.insert(new_confirm_link_id());
    EXPECT_EQ(ids.size(), 1000u);
    EXPECT_EQ(ids.begin()->size(), 16u); // 12 random bytes
}

TEST(ConfirmToken, EveryChangedCharacterIsRefused) {
    ConfirmTokens tokens(kKey);
    const std::string id = new_confirm_link_id();
    const std::string token = tokens.issue(id);
    for (std::size_t i = 0; i < token.size(); ++i) {
        std::string tampered = token;
        tampered[i] = tampered[i] == 'A' ? 'B' : 'A';
        auto verified = tokens.verify(tampered);
        // A change in the last character may only flip unused bits of the base64 text: still the same bytes.
        if (auto* same = std::get_if<ConfirmLinkId>(&verified)) {
            EXPECT_EQ(same->id, id) << "position " << i;
            EXPECT_EQ(i, token.size() - 1);
            continue;
        }
        EXPECT_TRUE(std::holds_alternative<TokenProblem>(verified)) << "position " << i;
    }
}

TEST(ConfirmToken, AnotherIdWithOurTagIsRefused) {
    ConfirmTokens tokens(kKey);
    const std::string mine = tokens.issue(new_confirm_link_id());
    const std::string theirs = tokens.issue(new_confirm_link_id());
    EXPECT_EQ(std::get<TokenProblem>(tokens.verify(theirs.substr(0, 16) + mine.substr(16))),
              TokenProblem::bad_signature);
}

TEST(ConfirmToken, AnotherKeysTokenIsRefused) {
    ConfirmTokens ours(kKey), theirs("another-key-of-32-characters-or-more!!");
    EXPECT_EQ(std::get<TokenProblem>(ours.verify(theirs.issue(new_confirm_link_id()))), TokenProblem::bad_signature);
    EXPECT_EQ(std::get<TokenProblem>(theirs.verify(kEarlierToken)), TokenProblem::bad_signature);
}

// A token opens only the kind of page it was issued for: a client-task link is no confirm link, nor a
// discussion link, and the reverse.
TEST(ConfirmToken, ATokenOpensOnlyThePageItWasIssuedFor) {
    ConfirmTokens tokens(kKey);
    const std::string id = new_confirm_link_id();
    const std::string task = tokens.issue(id, LinkPurpose::client_task);
    auto as_task = tokens.verify_id(task, LinkPurpose::client_task);
    ASSERT_TRUE(std::holds_alternative<ConfirmLinkId>(as_task));
    EXPECT_EQ(std::get<ConfirmLinkId>(as_task).id, id);
    EXPECT_EQ(std::get<TokenProblem>(tokens.verify(task)), TokenProblem::bad_signature);
    EXPECT_EQ(std::get<TokenProblem>(tokens.verify_id(task, LinkPurpose::discussion)), TokenProblem::bad_signature);
    EXPECT_EQ(std::get<TokenProblem>(tokens.verify_id(tokens.issue(id), LinkPurpose::client_task)),
              TokenProblem::bad_signature);
    EXPECT_EQ(std::get<TokenProblem>(tokens.verify_id(kEarlierToken, LinkPurpose::confirm)), TokenProblem::garbled);
}

TEST(ConfirmToken, AnEarlierTokenStillVerifiesToItsFacts) {
    ConfirmTokens tokens(kKey);
    auto verified = tokens.verify(kEarlierToken);
    ASSERT_TRUE(std::holds_alternative<ConfirmTokenFacts>(verified));
    EXPECT_EQ(std::get<ConfirmTokenFacts>(verified), kFacts);
    // Another client's payload with this signature.
    const std::string swapped = kEarlierTokenOfSam.substr(0, kEarlierTokenOfSam.find('.')) +
                                kEarlierToken.substr(kEarlierToken.find('.'));
    EXPECT_EQ(std::get<TokenProblem>(tokens.verify(swapped)), TokenProblem::bad_signature);
}

TEST(ConfirmToken, GarbledTokensAreRefused) {
    ConfirmTokens tokens(kKey);
    const std::string token = tokens.issue(new_confirm_link_id());
    for (std::string garbled : {std::string(), std::string("x"), std::string("abc"), std::string("."),
                                std::string("a.b.c"), std::string("!!!!.????"), token.substr(0, 16), token + "%00",
                                std::string(23, '!') + "?", std::string(5000, 'A') + ".AAAA",
                                kEarlierToken.substr(0, kEarlierToken.find('.'))})
        EXPECT_EQ(std::get<TokenProblem>(tokens.verify(garbled)), TokenProblem::garbled) << garbled;
    // Cut or lengthened tags and signatures.
    for (std::string cut : {token.substr(0, token.size() - 1), token + "x", token + "AAAA",
                            kEarlierToken.substr(0, kEarlierToken.size() - 4), kEarlierToken + "AAAA"})
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
