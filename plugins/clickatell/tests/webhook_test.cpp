// Legacy Clickatell callbacks, offline: status receipts and MO replies, GET and POST.
#include "settings.hpp"
#include "webhook.hpp"

#include <gtest/gtest.h>

using namespace extcomm;
using namespace extcomm::clickatell;

namespace {

Settings settings() { return parse_settings(R"({"user": "agency", "password": "s3cret", "api_id": "3412345"})"); }

sdk::WebhookRequest get(std::string_view query) { return sdk::WebhookRequest{"GET", "/v1/webhooks/sms", query, "", {}}; }

sdk::WebhookRequest post(std::string_view body) {
    return sdk::WebhookRequest{"POST", "/v1/webhooks/sms", "", body, {{"Content-Type", "application/x-www-form-urlencoded"}}};
}

} // namespace

TEST(ClickatellCallback, StatusCallbackByGet) {
    auto r = parse_callback(settings(), get("api_id=3412345&apiMsgId=996411ad91fa211e7d17bc873aa4a41d&cliMsgId=key0001"
                                            "&timestamp=1218007814&to=27999000001&from=27830000000&status=004&charge=0.300000"));
    EXPECT_EQ(r.http_status, 200);
    ASSERT_EQ(r.updates.size(), 1u);
    const auto& u = r.updates[0];
    EXPECT_EQ(u.kind, EXTCOMM_UPDATE_STATUS);
    EXPECT_EQ(u.status, EXTCOMM_STATUS_DELIVERED);
    EXPECT_EQ(u.provider_message_id, "996411ad91fa211e7d17bc873aa4a41d");
    EXPECT_EQ(u.provider_code, "004");
    EXPECT_NE(u.provider_text.find("key0001"), std::string::npos);
    EXPECT_EQ(u.occurred_at_ms, 1218007814000);
}

TEST(ClickatellCallback, StatusCallbackByPostForm) {
    auto r = parse_callback(settings(), post("api_id=3412345&apiMsgId=abc&cliMsgId=&timestamp=1700000000&to=27999000001&status=010"));
    ASSERT_EQ(r.updates.size(), 1u);
    EXPECT_EQ(r.updates[0].status, EXTCOMM_STATUS_EXPIRED);
}

TEST(ClickatellCallback, EveryStatusCodeMaps) {
    const std::pair<const char*, extcomm_delivery_status> cases[] = {
        {"001", EXTCOMM_STATUS_SENT},     {"002", EXTCOMM_STATUS_SENT},      {"003", EXTCOMM_STATUS_SENT},
        {"004", EXTCOMM_STATUS_DELIVERED}, {"005", EXTCOMM_STATUS_FAILED},   {"006", EXTCOMM_STATUS_FAILED},
        {"007", EXTCOMM_STATUS_FAILED},   {"008", EXTCOMM_STATUS_SENT},      {"009", EXTCOMM_STATUS_FAILED},
        {"010", EXTCOMM_STATUS_EXPIRED},  {"011", EXTCOMM_STATUS_SENT},      {"012", EXTCOMM_STATUS_REJECTED},
        {"014", EXTCOMM_STATUS_REJECTED},
    };
    for (auto [code, status] : cases) {
        auto r = parse_callback(settings(), get(std::string("apiMsgId=x&status=") + code));
        ASSERT_EQ(r.updates.size(), 1u) << code;
        EXPECT_EQ(r.updates[0].status, status) << code;
    }
    // An unknown status is acknowledged (so Clickatell stops retrying) but not applied.
    auto unknown = parse_callback(settings(), get("apiMsgId=x&status=013"));
    EXPECT_EQ(unknown.http_status, 200);
    EXPECT_TRUE(unknown.updates.empty());
}

TEST(ClickatellCallback, MoCallbackIsAReply) {
    auto r = parse_callback(settings(), post("api_id=3412345&moMsgId=b2aee337abd962489b123fda9c3480fa&from=27999000001"
                                             "&to=27830000000&timestamp=2024-03-01+12%3A00%3A00&text=Yes%2C+I%27ll+come"
                                             "&charset=UTF-8&udh="));
    EXPECT_EQ(r.http_status, 200);
    ASSERT_EQ(r.updates.size(), 1u);
    const auto& u = r.updates[0];
    EXPECT_EQ(u.kind, EXTCOMM_UPDATE_REPLY);
    EXPECT_EQ(u.from, "+27999000001");
    EXPECT_EQ(u.text, "Yes, I'll come");
    EXPECT_EQ(u.provider_message_id, "b2aee337abd962489b123fda9c3480fa");
    EXPECT_EQ(u.occurred_at_ms, 1709287200000); // 12:00 GMT+2 = 10:00 UTC
}

// Found by fuzz/clickatell_wire: an MO callback without "from" became a reply from nobody.
TEST(ClickatellCallback, AnMoCallbackWithoutItsSenderIsRefused) {
    auto r = parse_callback(settings(), get("moMsgId=1&to=27830000000&text=Yes"));
    EXPECT_EQ(r.http_status, 400);
    EXPECT_TRUE(r.updates.empty());
}

// Found by fuzz/clickatell_wire: a status callback with an empty apiMsgId became a receipt for no message.
TEST(ClickatellCallback, AStatusCallbackForNoMessageIsRefused) {
    auto r = parse_callback(settings(), get("api_id=3412345&apiMsgId=&cliMsgId=key0001&status=004"));
    EXPECT_EQ(r.http_status, 400);
    EXPECT_TRUE(r.updates.empty());
}

TEST(ClickatellCallback, MoTextInOtherCharsets) {
    auto latin1 = parse_callback(settings(), get("moMsgId=1&from=27999000001&text=Caf%E9&charset=ISO-8859-1"));
    EXPECT_EQ(latin1.updates.at(0).text, "Café");
    auto ucs2 = parse_callback(settings(), get("moMsgId=1&from=27999000001&text=041F04400438&charset=UCS-2"));
    EXPECT_EQ(ucs2.updates.at(0).text, "При");
}

TEST(ClickatellCallback, ForeignOrUnknownCallbacksAreRefused) {
    EXPECT_EQ(parse_callback(settings(), get("api_id=999&apiMsgId=x&status=004")).http_status, 403);
    EXPECT_EQ(parse_callback(settings(), get("hello=world")).http_status, 400);
    EXPECT_EQ(parse_callback(settings(), post("")).http_status, 400);
}
