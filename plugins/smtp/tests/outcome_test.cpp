#include "outcome.hpp"

#include <gtest/gtest.h>

using namespace extcomm::smtp;
using extcomm::sdk::Outcome;

namespace {
Attempt refused(int code, std::string enhanced, Stage stage) {
    Attempt a;
    a.curl = CURLE_SEND_ERROR;
    a.failure = Reply{code, std::move(enhanced), "words"};
    a.failure_stage = stage;
    return a;
}
Attempt curl_failed(CURLcode code) {
    Attempt a;
    a.curl = code;
    a.curl_error = "libcurl says no";
    return a;
}
} // namespace

TEST(Outcome, AcceptedCarriesMessageIdAndServerReply) {
    Attempt a;
    a.acceptance = Reply{250, "2.0.0", "Ok: queued as ABC"};
    auto r = outcome_of(a, "extcomm.k1@agency.example");
    EXPECT_EQ(r.outcome, Outcome::accepted);
    EXPECT_EQ(r.provider_message_id, "extcomm.k1@agency.example");
    EXPECT_EQ(r.provider_code, "250 2.0.0");
    EXPECT_EQ(r.provider_text, "Ok: queued as ABC");
}

TEST(Outcome, TransientRepliesRetryWherever) {
    for (Stage s : {Stage::greeting, Stage::ehlo, Stage::auth, Stage::mail, Stage::rcpt, Stage::data, Stage::end_of_data}) {
        auto r = outcome_of(refused(451, "4.3.0", s), "id");
        EXPECT_EQ(r.outcome, Outcome::retry) << name_of(s);
        EXPECT_EQ(r.provider_code, "451 4.3.0");
    }
    EXPECT_EQ(outcome_of(refused(421, "", Stage::greeting), "id").outcome, Outcome::retry);
    EXPECT_TRUE(fails_whole_batch(refused(421, "", Stage::greeting)));
    EXPECT_FALSE(fails_whole_batch(refused(451, "4.3.0", Stage::rcpt)));
}

TEST(Outcome, PermanentRefusalOfTheRecipientOrContentRejectsTheMessage) {
    auto r = outcome_of(refused(550, "5.1.1", Stage::rcpt), "id");
    EXPECT_EQ(r.outcome, Outcome::rejected);
    EXPECT_EQ(r.provider_code, "550 5.1.1");
    EXPECT_EQ(r.provider_text, "words (reply to RCPT TO)");
    EXPECT_EQ(outcome_of(refused(554, "5.6.0", Stage::end_of_data), "id").outcome, Outcome::rejected);
    EXPECT_EQ(outcome_of(refused(552, "5.3.4", Stage::mail), "id").outcome, Outcome::rejected);
    EXPECT_FALSE(fails_whole_batch(refused(550, "5.1.1", Stage::rcpt)));
}

TEST(Outcome, BadCredentialsAndConfigurationAreTransportFailures) {
    EXPECT_EQ(outcome_of(refused(535, "5.7.8", Stage::auth), "id").outcome, Outcome::transport_failure);
    EXPECT_EQ(outcome_of(refused(534, "5.7.9", Stage::auth), "id").outcome, Outcome::transport_failure);
    EXPECT_EQ(outcome_of(refused(530, "5.7.0", Stage::mail), "id").outcome, Outcome::transport_failure);
    EXPECT_EQ(outcome_of(refused(553, "5.7.1", Stage::mail), "id").outcome, Outcome::transport_failure);
    EXPECT_EQ(outcome_of(refused(554, "", Stage::greeting), "id").outcome, Outcome::transport_failure);
    EXPECT_TRUE(fails_whole_batch(refused(535, "5.7.8", Stage::auth)));
    EXPECT_TRUE(fails_whole_batch(refused(553, "5.7.1", Stage::mail)));
}

TEST(Outcome, ConnectionAndTlsFailures) {
    EXPECT_EQ(outcome_of(curl_failed(CURLE_COULDNT_CONNECT), "id").outcome, Outcome::retry);
    EXPECT_EQ(outcome_of(curl_failed(CURLE_COULDNT_CONNECT), "id").provider_code, "connect");
    EXPECT_EQ(outcome_of(curl_failed(CURLE_OPERATION_TIMEDOUT), "id").outcome, Outcome::retry);
    EXPECT_EQ(outcome_of(curl_failed(CURLE_SSL_CONNECT_ERROR), "id").outcome, Outcome::retry);
    EXPECT_EQ(outcome_of(curl_failed(CURLE_PEER_FAILED_VERIFICATION), "id").outcome, Outcome::transport_failure);
    EXPECT_EQ(outcome_of(curl_failed(CURLE_USE_SSL_FAILED), "id").outcome, Outcome::transport_failure);
    EXPECT_EQ(outcome_of(curl_failed(CURLE_USE_SSL_FAILED), "id").provider_code, "starttls-refused");
    EXPECT_EQ(outcome_of(curl_failed(CURLE_LOGIN_DENIED), "id").outcome, Outcome::transport_failure);
    EXPECT_EQ(outcome_of(curl_failed(CURLE_OUT_OF_MEMORY), "id").outcome, Outcome::internal);
    EXPECT_TRUE(fails_whole_batch(curl_failed(CURLE_COULDNT_CONNECT)));
}

TEST(Outcome, ServerReplyWinsOverLibcurlsSummary) {
    Attempt a = refused(454, "4.7.0", Stage::starttls);
    a.curl = CURLE_USE_SSL_FAILED;
    EXPECT_EQ(outcome_of(a, "id").outcome, Outcome::retry); // RFC 3207: 454 is temporary
}
