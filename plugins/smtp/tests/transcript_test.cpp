#include "transcript.hpp"

#include <gtest/gtest.h>

using namespace extcomm::smtp;

TEST(Transcript, RecordsTheFirstRefusalWithItsStage) {
    Transcript t;
    t.begin();
    t.received("220 sim.test ESMTP\r\n");
    t.sent("EHLO client\r\n");
    t.received("250-sim.test\r\n250-SIZE 1000\r\n250 HELP\r\n");
    t.sent("MAIL FROM:<a@b.c>\r\n");
    t.received("250 2.1.0 ok\r\n");
    t.sent("RCPT TO:<x@y.z>\r\n");
    t.received("550-5.1.1 No such\r\n550 5.1.1 user here\r\n");
    t.sent("QUIT\r\n");
    t.received("221 Bye\r\n");
    ASSERT_TRUE(t.failure());
    EXPECT_EQ(t.failure_stage(), Stage::rcpt);
    EXPECT_EQ(t.failure()->code, 550);
    EXPECT_EQ(t.failure()->provider_code(), "550 5.1.1");
    EXPECT_EQ(t.failure()->text, "No such user here");
    EXPECT_FALSE(t.acceptance());
}

TEST(Transcript, AcceptanceIsTheReplyToTheEndOfData) {
    Transcript t;
    t.begin();
    t.sent("MAIL FROM:<a@b.c>\r\n");
    t.received("250 ok\r\n");
    t.sent("RCPT TO:<x@y.z>\r\n");
    t.received("250 ok\r\n");
    t.sent("DATA\r\n");
    t.received("354 go ahead\r\n");
    t.received("250 2.0.0 Ok: queued as X1\r\n");
    EXPECT_FALSE(t.failure());
    ASSERT_TRUE(t.acceptance());
    EXPECT_EQ(t.acceptance()->provider_code(), "250 2.0.0");
    EXPECT_EQ(t.acceptance()->text, "Ok: queued as X1");
}

TEST(Transcript, AuthContinuationKeepsTheAuthStage) {
    Transcript t;
    t.begin();
    t.sent("AUTH LOGIN\r\n");
    t.received("334 VXNlcm5hbWU6\r\n");
    t.sent("dXNlcg==\r\n");
    t.received("334 UGFzc3dvcmQ6\r\n");
    t.sent("cGFzcw==\r\n");
    t.received("535 5.7.8 Authentication credentials invalid\r\n");
    ASSERT_TRUE(t.failure());
    EXPECT_EQ(t.failure_stage(), Stage::auth);
}

TEST(Transcript, ReplyLinesMayArriveInPieces) {
    Transcript t;
    t.begin();
    t.received("42");
    t.received("1 4.3.2 Service not");
    t.received(" available\r\n");
    ASSERT_TRUE(t.failure());
    EXPECT_EQ(t.failure_stage(), Stage::greeting);
    EXPECT_EQ(t.failure()->text, "Service not available");
}
