// Offline tests of the BulkSMS webhook parser against BulkSMS's own payload: an array of Message.
#include "settings.hpp"
#include "webhook.hpp"

#include <extcomm/sdk.hpp>

#include <gtest/gtest.h>

namespace {

using namespace extcomm;

bulksms::Settings settings(const std::string& extra = "") {
    return bulksms::parse_settings(R"({"username":"agency","password":"s3cret")" + extra + "}");
}

sdk::WebhookResult parse(const bulksms::Settings& s, std::string_view body, std::string_view query = "") {
    sdk::WebhookRequest req{"POST", "/v1/webhooks/sms", query, body, {{"Content-Type", "application/json"}}};
    return bulksms::parse_webhook(s, req);
}

TEST(BulkSmsWebhook, DeliveredAndFailedReceipts) {
    auto r = parse(settings(), R"([
      {"id":"4023457654","type":"SENT","from":"Agency","to":"+27001234567","body":"Hello","encoding":"TEXT",
       "userSuppliedId":"m1","submission":{"id":"1-0000","date":"2024-01-01T10:00:00+00:00"},
       "status":{"id":"DELIVERED.null","type":"DELIVERED","subtype":null}},
      {"id":"4023457655","type":"SENT","to":"+27001234568","body":"Hello",
       "status":{"id":"FAILED.EXPIRED","type":"FAILED","subtype":"EXPIRED"}},
      {"id":"4023457656","type":"SENT","to":"+27001234569","body":"Hello",
       "status":{"id":"FAILED.BLOCKED","type":"FAILED","subtype":"BLOCKED"}},
      {"id":"4023457657","type":"SENT","to":"+27001234560","body":"Hello",
       "status":{"id":"FAILED.HANDSET_ERROR","type":"FAILED","subtype":"HANDSET_ERROR"}},
      {"id":"4023457658","type":"SENT","to":"+27001234561","body":"Hello",
       "status":{"id":"SENT.null","type":"SENT","subtype":null}}])");
    EXPECT_EQ(r.http_status, 200);
    ASSERT_EQ(r.updates.size(), 5u);
    EXPECT_EQ(r.updates[0].kind, EXTCOMM_UPDATE_STATUS);
    EXPECT_EQ(r.updates[0].status, EXTCOMM_STATUS_DELIVERED);
    EXPECT_EQ(r.updates[0].message_id, "m1");
    EXPECT_EQ(r.updates[0].provider_message_id, "4023457654");
    EXPECT_EQ(r.updates[0].provider_code, "DELIVERED.null");
    EXPECT_EQ(r.updates[1].status, EXTCOMM_STATUS_EXPIRED);
    EXPECT_EQ(r.updates[1].message_id, "");
    EXPECT_EQ(r.updates[2].status, EXTCOMM_STATUS_REJECTED);
    EXPECT_EQ(r.updates[3].status, EXTCOMM_STATUS_FAILED);
    EXPECT_EQ(r.updates[4].status, EXTCOMM_STATUS_SENT);
}

TEST(BulkSmsWebhook, RepliesBecomeReplyUpdates) {
    auto r = parse(settings(), R"([{"id":"5000001","type":"RECEIVED","from":"+27001234567","to":"+27820000000",
      "body":"Yes, I will come","encoding":"TEXT","relatedSentMessageId":"4023457654",
      "submission":{"id":"2-0000","date":"2024-01-01T12:00:00+02:00"},"status":{"id":"RECEIVED.null","type":"RECEIVED"}}])");
    ASSERT_EQ(r.updates.size(), 1u);
    const auto& u = r.updates[0];
    EXPECT_EQ(u.kind, EXTCOMM_UPDATE_REPLY);
    EXPECT_EQ(u.from, "+27001234567");
    EXPECT_EQ(u.text, "Yes, I will come");
    EXPECT_EQ(u.provider_message_id, "4023457654");
    EXPECT_EQ(u.occurred_at_ms, 1704103200000);
}

// Found by fuzz/bulksms_wire: a reply without "from" became a reply from nobody.
TEST(BulkSmsWebhook, AReplyWithoutItsSenderIsNotAReply) {
    auto r = parse(settings(), R"([{"id":"5000001","type":"RECEIVED","to":"+27820000000","body":"Yes, I will come",
      "relatedSentMessageId":"4023457654","status":{"id":"RECEIVED.null","type":"RECEIVED"}}])");
    EXPECT_EQ(r.http_status, 200);
    EXPECT_TRUE(r.updates.empty());
}

TEST(BulkSmsWebhook, RegistrationProbeAndSubmissionStatesSayNothing) {
    EXPECT_EQ(parse(settings(), "[]").http_status, 200);
    EXPECT_TRUE(parse(settings(), "[]").updates.empty());
    auto r = parse(settings(), R"([{"id":"1","type":"SENT","to":"+1","body":"x","status":{"id":"ACCEPTED.null","type":"ACCEPTED"}}])");
    EXPECT_EQ(r.http_status, 200);
    EXPECT_TRUE(r.updates.empty());
}

TEST(BulkSmsWebhook, NotBulkSmsIsRefused) {
    EXPECT_EQ(parse(settings(), "not json").http_status, 400);
    EXPECT_EQ(parse(settings(), "42").http_status, 400);
    EXPECT_EQ(parse(settings(), "[1,2]").http_status, 400);
}

TEST(BulkSmsWebhook, AuthenticationIsTheHostsBusiness) {
    // The host checks the transport's webhook_secret; the plugin has no token of its own any more.
    EXPECT_EQ(parse(settings(), "[]", "anything=else").http_status, 200);
    EXPECT_EQ(std::string(bulksms::kSettingsSchema).find("webhook_token"), std::string::npos);
}

} // namespace
