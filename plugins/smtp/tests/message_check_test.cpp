#include "message_check.hpp"

#include <gtest/gtest.h>

using namespace extcomm::smtp;
using extcomm::sdk::Channel;
using extcomm::sdk::Message;
using extcomm::sdk::Outcome;

namespace {
Message email(std::string_view to, std::string_view subject) {
    return Message{Channel::email, "m1", "k1", to, subject, "body", "", "", 1};
}
} // namespace

TEST(MessageCheck, SendableMessagePasses) { EXPECT_FALSE(check_message(email("jane@example.org", "Hello"))); }

TEST(MessageCheck, LineBreakOrNulInSubjectIsRejected) {
    for (std::string_view subject : {std::string_view("Hi\r\nBcc: evil@example.com"), std::string_view("Hi\nX: y"),
                                     std::string_view("Hi\0there", 8)}) {
        auto result = check_message(email("jane@example.org", subject));
        ASSERT_TRUE(result);
        EXPECT_EQ(result->outcome, Outcome::rejected);
        EXPECT_EQ(result->provider_code, "invalid-header");
        EXPECT_NE(result->provider_text.find("subject"), std::string::npos);
    }
}

TEST(MessageCheck, LineBreakInAddressIsRejected) {
    auto result = check_message(email("jane@example.org\r\nRCPT TO:<evil@example.com>", "Hi"));
    ASSERT_TRUE(result);
    EXPECT_EQ(result->outcome, Outcome::rejected);
    EXPECT_EQ(result->provider_code, "invalid-header");
}

TEST(MessageCheck, InvalidAddressIsRejected) {
    auto result = check_message(email("not-an-address", "Hi"));
    ASSERT_TRUE(result);
    EXPECT_EQ(result->outcome, Outcome::rejected);
    EXPECT_EQ(result->provider_code, "invalid-address");
    EXPECT_NE(result->provider_text.find("not-an-address"), std::string::npos);
}

TEST(MessageCheck, SmsIsNotForThisTransport) {
    Message m = email("jane@example.org", "Hi");
    m.channel = Channel::sms;
    EXPECT_EQ(check_message(m)->outcome, Outcome::rejected);
}
