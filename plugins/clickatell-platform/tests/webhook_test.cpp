// Clickatell Platform callbacks, offline: status receipts and MO replies, POST JSON and GET.
#include "settings.hpp"
#include "webhook.hpp"

#include <gtest/gtest.h>

using namespace extcomm;
using namespace extcomm::clickatell_platform;

namespace {

Settings settings() { return parse_settings(R"({"api_key": "KEY-abc123=="})"); }

sdk::WebhookRequest post_json(std::string_view body) {
    return sdk::WebhookRequest{"POST", "/v1/webhooks/sms", "", body, {{"Content-Type", "application/json"}}};
}

} // namespace

TEST(PlatformCallback, StatusCallbackJson) {
    auto r = parse_callback(settings(), post_json(R"({"integrationName":"extcomm","messageId":"1d1e9a0f9b2bf2c7",
        "requestId":"2f6b","clientMessageId":"key0001","to":"27999000001","from":"27830000000","statusCode":4,
        "status":"RECEIVED_BY_RECIPIENT","statusDescription":"Received by recipient","timestamp":1506607698000})"));
    EXPECT_EQ(r.http_status, 200);
    ASSERT_EQ(r.updates.size(), 1u);
    const auto& u = r.updates[0];
    EXPECT_EQ(u.kind, EXTCOMM_UPDATE_STATUS);
    EXPECT_EQ(u.status, EXTCOMM_STATUS_DELIVERED);
    EXPECT_EQ(u.provider_message_id, "1d1e9a0f9b2bf2c7");
    EXPECT_EQ(u.provider_code, "4");
    EXPECT_EQ(u.occurred_at_ms, 1506607698000);
}

TEST(PlatformCallback, StatusCallbackByGetWithSecondsTimestamp) {
    auto r = parse_callback(settings(), sdk::WebhookRequest{"GET", "/v1/webhooks/sms",
                                                            "messageId=abc&statusCode=3&status=DELIVERED_TO_GATEWAY&timestamp=1506607698", "", {}});
    ASSERT_EQ(r.updates.size(), 1u);
    EXPECT_EQ(r.updates[0].status, EXTCOMM_STATUS_SENT);
    EXPECT_EQ(r.updates[0].occurred_at_ms, 1506607698000);
}

TEST(PlatformCallback, StatusNamesAndCodesMap) {
    extcomm_delivery_status s{};
    ASSERT_TRUE(delivery_status_of("ERROR_DELIVERING_MESSAGE", "", &s));
    EXPECT_EQ(s, EXTCOMM_STATUS_FAILED);
    ASSERT_TRUE(delivery_status_of("", "10", &s));
    EXPECT_EQ(s, EXTCOMM_STATUS_EXPIRED);
    ASSERT_TRUE(delivery_status_of("OUT_OF_CREDIT", "12", &s));
    EXPECT_EQ(s, EXTCOMM_STATUS_REJECTED);
    ASSERT_TRUE(delivery_status_of("ROUTING_ERROR", "9", &s));
    EXPECT_EQ(s, EXTCOMM_STATUS_FAILED);
    EXPECT_FALSE(delivery_status_of("SOMETHING_NEW", "77", &s));
}

TEST(PlatformCallback, MoCallbackIsAReply) {
    auto r = parse_callback(settings(), post_json(R"({"integrationId":"4a2b","messageId":"mo-1","replyMessageId":"1d1e9a0f",
        "apiKey":"KEY-abc123==","fromNumber":"27999000001","toNumber":"27830000000","timestamp":1506607698000,
        "text":"Ja, ek kom 👍","charset":"UTF-8"})"));
    EXPECT_EQ(r.http_status, 200);
    ASSERT_EQ(r.updates.size(), 1u);
    const auto& u = r.updates[0];
    EXPECT_EQ(u.kind, EXTCOMM_UPDATE_REPLY);
    EXPECT_EQ(u.from, "+27999000001");
    EXPECT_EQ(u.text, "Ja, ek kom 👍");
    EXPECT_EQ(u.provider_message_id, "mo-1");
}

// Found by fuzz/clickatell_platform_wire: an empty sender (here the later of two "fromNumber") made a reply
// from nobody.
TEST(PlatformCallback, AReplyWithoutItsSenderIsRefused) {
    auto r = parse_callback(settings(), post_json(R"({"messageId":"mo-1","fromNumber":"27999000001",
        "toNumber":"27830000000","text":"Yes","fromNumber":""})"));
    EXPECT_EQ(r.http_status, 400);
    EXPECT_TRUE(r.updates.empty());
}

// Found by fuzz/clickatell_platform_wire: a status with an empty messageId was a receipt about nothing.
TEST(PlatformCallback, AStatusWithoutItsMessageIsRefused) {
    auto r = parse_callback(settings(), post_json(R"({"messageId":"","statusCode":4,"status":"RECEIVED_BY_RECIPIENT"})"));
    EXPECT_EQ(r.http_status, 400);
    EXPECT_TRUE(r.updates.empty());
}

// Found by fuzz/clickatell_platform_wire: a number too large for int64 was cast to one (undefined behaviour).
TEST(PlatformCallback, ATimestampNoClockCanHoldIsUnknown) {
    auto r = parse_callback(settings(), post_json(R"({"messageId":"1d1e9a0f","status":"RECEIVED_BY_RECIPIENT",
        "statusCode":4,"timestamp":1.5e27})"));
    EXPECT_EQ(r.http_status, 200);
    ASSERT_EQ(r.updates.size(), 1u);
    EXPECT_EQ(r.updates[0].occurred_at_ms, 0);
}

TEST(PlatformCallback, ForeignOrUnknownCallbacksAreRefused) {
    EXPECT_EQ(parse_callback(settings(), post_json(R"({"apiKey":"other","messageId":"x","status":"QUEUED"})")).http_status, 403);
    EXPECT_EQ(parse_callback(settings(), post_json(R"({"hello":"world"})")).http_status, 400);
    EXPECT_EQ(parse_callback(settings(), post_json("not json")).http_status, 400);
    auto unknown = parse_callback(settings(), post_json(R"({"messageId":"x","status":"SOMETHING_NEW"})"));
    EXPECT_EQ(unknown.http_status, 200);
    EXPECT_TRUE(unknown.updates.empty());
}
