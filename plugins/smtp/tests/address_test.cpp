#include "address.hpp"

#include <gtest/gtest.h>

#include <string>

using namespace extcomm::smtp;

TEST(Address, AcceptsOrdinaryMailboxes) {
    EXPECT_TRUE(is_valid_mailbox("jane.doe@example.org"));
    EXPECT_TRUE(is_valid_mailbox("case+worker_7@sub.agency-mail.example"));
    EXPECT_TRUE(is_valid_mailbox("root@localhost"));
}

TEST(Address, RefusesWhatIsNotAMailbox) {
    for (std::string bad : {"", "jane", "@example.org", "jane@", "jane@@example.org", ".jane@example.org",
                            "jane.@example.org", "ja..ne@example.org", "jane doe@example.org", "jane@-example.org",
                            "jane@example..org", "Jane <jane@example.org>", "jané@example.org", "jane@exa_mple.org",
                            "jane@example.org>", "\"jane\"@example.org"})
        EXPECT_FALSE(is_valid_mailbox(bad)) << bad;
    EXPECT_FALSE(is_valid_mailbox(std::string(65, 'a') + "@example.org"));
}

TEST(Address, FindsLineBreaksAndNul) {
    EXPECT_FALSE(has_line_break_or_nul("Appointment reminder"));
    EXPECT_TRUE(has_line_break_or_nul("a\r\nBcc: x@y.z"));
    EXPECT_TRUE(has_line_break_or_nul("a\nb"));
    EXPECT_TRUE(has_line_break_or_nul("a\rb"));
    EXPECT_TRUE(has_line_break_or_nul(std::string("a\0b", 3)));
}

TEST(Address, DomainOf) { EXPECT_EQ(domain_of("a@b.example"), "b.example"); }
