// Offline tests of the MessageMedia webhook parser against MessageMedia's push payloads.
#include "settings.hpp"
#include "webhook.hpp"

#include <extcomm/sdk.hpp>

#include <gtest/gtest.h>

namespace {

using namespace extcomm;

messagemedia::Settings settings(const std::string& extra = "") {
    return messagemedia::parse_settings(R"({"api_key":"KEY","api_secret":"s3cret")" + extra + "}");
}

sdk::WebhookResult parse(const messagemedia::Settings& s, std::string_view body, std::string_view query = "") {
    return messagemedia::parse_webhook(s, sdk::WebhookRequest{"POST", "/v1/webhooks/sms", query, body, {}});
}

constexpr const char* kDelivered = R"({"callback_url":"https://x/v1/webhooks/sms","delivery_report_id":"01e1fa0a-6e27-4945-9cdb-18644b4de043",
  "source_number":"+61491570156","date_received":"2016-11-03T11:49:02.807Z","status":"delivered","delay":0,
  "submitted_date":"2016-11-03T11:49:02.807Z","original_text":"Hello world!","message_id":"877c19ef-fa2e-4cec-827a-e1df9b5509f7",
  "vendor_account_id":{"vendor_id":"MessageMedia","account_id":"MyAccount"},"error_code":"220",
  "metadata":{"extcomm_message_id":"msg-1"}})";

TEST(MessageMediaWebhook, DeliveredReport) {
    auto r = parse(settings(), kDelivered);
    EXPECT_EQ(r.http_status, 200);
    ASSERT_EQ(r.updates.size(), 1u);
    const auto& u = r.updates[0];
    EXPECT_EQ(u.kind, EXTCOMM_UPDATE_STATUS);
    EXPECT_EQ(u.status, EXTCOMM_STATUS_DELIVERED);
    EXPECT_EQ(u.message_id, "msg-1");
    EXPECT_EQ(u.provider_message_id, "877c19ef-fa2e-4cec-827a-e1df9b5509f7");
    EXPECT_EQ(u.provider_code, "220");
    EXPECT_EQ(u.occurred_at_ms, 1478173742807);
}

TEST(MessageMediaWebhook, StatusesMapToExtcommStatuses) {
    struct Case {
        const char* status;
        const char* code;
        extcomm_delivery_status expected;
    };
    for (const Case& c : {Case{"enroute", "200", EXTCOMM_STATUS_SENT}, Case{"submitted", "210", EXTCOMM_STATUS_SENT},
                          Case{"expired", "320", EXTCOMM_STATUS_EXPIRED}, Case{"rejected", "301", EXTCOMM_STATUS_REJECTED},
                          Case{"rejected", "302", EXTCOMM_STATUS_REJECTED}, Case{"failed", "411", EXTCOMM_STATUS_FAILED},
                          Case{"undeliverable", "400", EXTCOMM_STATUS_FAILED}}) {
        std::string body = std::string(R"({"delivery_report_id":"d1","message_id":"m-uuid","status":")") + c.status +
                           R"(","error_code":")" + c.code + R"("})";
        auto r = parse(settings(), body);
        ASSERT_EQ(r.updates.size(), 1u) << c.status;
        EXPECT_EQ(r.updates[0].status, c.expected) << c.status;
        EXPECT_EQ(r.updates[0].provider_code, c.code);
    }
    auto credit = parse(settings(), R"({"delivery_report_id":"d1","message_id":"m","status":"rejected","error_code":"301"})");
    EXPECT_EQ(credit.updates[0].provider_text, "rejected: usage threshold reached (out of credit)");
}

// Found by fuzz/messagemedia_wire: a long run of digits overflowed the code's int (undefined behaviour).
TEST(MessageMediaWebhook, AnErrorCodeOutsideTheTableMeansNothing) {
    auto r = parse(settings(), R"({"delivery_report_id":"d1","message_id":"m","status":"rejected",)"
                               R"("error_code":"88888888888888888302"})");
    ASSERT_EQ(r.updates.size(), 1u);
    EXPECT_EQ(r.updates[0].status, EXTCOMM_STATUS_REJECTED);
    EXPECT_EQ(r.updates[0].provider_text, "rejected");
}

TEST(MessageMediaWebhook, RepliesBecomeReplyUpdates) {
    auto r = parse(settings(), R"({"callback_url":"https://x","content":"Yes please","date_received":"2016-11-03T11:49:02.807Z",
      "destination_number":"+61491570157","message_id":"877c19ef-fa2e-4cec-827a-e1df9b5509f7",
      "metadata":{"extcomm_message_id":"msg-1"},"reply_id":"a175e797-2b54-468b-9850-41a3eab32f74","source_number":"+61491570156",
      "vendor_account_id":{"vendor_id":"MessageMedia","account_id":"MyAccount"}})");
    ASSERT_EQ(r.updates.size(), 1u);
    const auto& u = r.updates[0];
    EXPECT_EQ(u.kind, EXTCOMM_UPDATE_REPLY);
    EXPECT_EQ(u.from, "+61491570156");
    EXPECT_EQ(u.text, "Yes please");
    EXPECT_EQ(u.message_id, "msg-1");
    EXPECT_EQ(u.provider_message_id, "877c19ef-fa2e-4cec-827a-e1df9b5509f7");
}

// Found by fuzz/messagemedia_wire: a reply without "source_number" became a reply from nobody.
TEST(MessageMediaWebhook, AReplyWithoutItsSenderIsNotAReply) {
    auto r = parse(settings(), R"({"content":"Yes please","message_id":"877c19ef-fa2e-4cec-827a-e1df9b5509f7",
      "reply_id":"a175e797-2b54-468b-9850-41a3eab32f74","destination_number":"+61491570157"})");
    EXPECT_TRUE(r.updates.empty());
}

TEST(MessageMediaWebhook, PolledShapesAreUnderstoodToo) {
    auto r = parse(settings(), std::string(R"({"delivery_reports":[)") + kDelivered + "]}");
    ASSERT_EQ(r.updates.size(), 1u);
    EXPECT_EQ(r.updates[0].message_id, "msg-1");
}

TEST(MessageMediaWebhook, NotMessageMediaIsRefused) {
    EXPECT_EQ(parse(settings(), "nope").http_status, 400);
    EXPECT_EQ(parse(settings(), R"({"hello":"world"})").http_status, 400);
    EXPECT_EQ(parse(settings(), "7").http_status, 400);
}

TEST(MessageMediaWebhook, AuthenticationIsTheHostsBusiness) {
    // The host checks the transport's webhook_secret; the plugin has no token of its own any more.
    EXPECT_EQ(parse(settings(), kDelivered, "anything=else").http_status, 200);
    EXPECT_EQ(std::string(messagemedia::kSettingsSchema).find("webhook_token"), std::string::npos);
}

} // namespace
