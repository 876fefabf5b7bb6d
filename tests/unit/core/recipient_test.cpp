#include <outbox/recipient.hpp>

#include <gtest/gtest.h>

namespace extcomm {
namespace {

TEST(RecipientTest, AcceptsE164Numbers) {
    EXPECT_EQ(recipient_problem(Channel::sms, "+61491570156"), "");
    EXPECT_EQ(recipient_problem(Channel::sms, "+12025550123"), "");
}

TEST(RecipientTest, RefusesNationalOrMalformedNumbers) {
    EXPECT_NE(recipient_problem(Channel::sms, "0491570156"), "");
    EXPECT_NE(recipient_problem(Channel::sms, "+0491570156"), "");
    EXPECT_NE(recipient_problem(Channel::sms, "+61 491 570 156"), "");
    EXPECT_NE(recipient_problem(Channel::sms, "+1234567890123456"), "");
    EXPECT_NE(recipient_problem(Channel::sms, ""), "");
}

TEST(RecipientTest, AcceptsOrdinaryMailboxes) {
    EXPECT_EQ(recipient_problem(Channel::email, "jo.client+appt@agency.example.org"), "");
}

TEST(RecipientTest, RefusesHeaderInjectionAndMalformedAddresses) {
    EXPECT_NE(recipient_problem(Channel::email, "a@example.org\r\nBcc: evil@example.org"), "");
    EXPECT_NE(recipient_problem(Channel::email, "a@example.org\n"), "");
    EXPECT_NE(recipient_problem(Channel::email, std::string("a@example.org\0x", 15)), "");
    EXPECT_NE(recipient_problem(Channel::email, "no-at-sign"), "");
    EXPECT_NE(recipient_problem(Channel::email, "a@localhost"), "");
    EXPECT_NE(recipient_problem(Channel::email, "a b@example.org"), "");
}

} // namespace
} // namespace extcomm
