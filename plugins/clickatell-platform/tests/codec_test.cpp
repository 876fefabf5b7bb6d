// The Clickatell Platform codec, offline: requests it builds, answers it understands, outcomes it maps.
#include "codec.hpp"
#include "settings.hpp"

#include <boost/json.hpp>
#include <gtest/gtest.h>

using namespace extcomm;
using namespace extcomm::clickatell_platform;
using sdk::Outcome;
namespace json = boost::json;

namespace {

Settings settings(std::string extra = "") {
    return parse_settings(R"({"base_url": "http://127.0.0.1:9/", "api_key": "KEY-abc123==")" + extra + "}");
}

sdk::Message sms(std::string_view to, std::string_view body, std::string_view key = "key-0001") {
    sdk::Message m{};
    m.channel = sdk::Channel::sms;
    m.id = "msg-1";
    m.idempotency_key = key;
    m.to = to;
    m.body = body;
    m.attempt = 1;
    return m;
}

sdk::HttpResponse answer(int status, std::string body, std::vector<sdk::Header> headers = {}) {
    return sdk::HttpResponse{status, std::move(headers), std::move(body)};
}

struct Sent {
    Codec codec;
    std::vector<sdk::Message> messages;
    sdk::Encoded encoded;
    std::vector<sdk::Result> decode(const sdk::HttpResponse& r, size_t request = 0) const {
        const auto& req = encoded.requests.at(request);
        std::vector<sdk::Message> carried;
        for (uint32_t i : req.message_indices) carried.push_back(messages[i]);
        return codec.decode(req, carried, r);
    }
};

Sent send(std::vector<sdk::Message> ms, std::string extra = "") {
    Codec codec(settings(extra));
    auto encoded = codec.encode(ms);
    return Sent{codec, std::move(ms), std::move(encoded)};
}

} // namespace

TEST(PlatformEncode, JsonPostWithRawApiKeyAndEveryField) {
    auto s = send({sms("+27 99 900-0001", "Your appointment is at 10:00")}, R"(, "from": "+27830000000")");
    ASSERT_EQ(s.encoded.requests.size(), 1u);
    const auto& req = s.encoded.requests[0];
    EXPECT_EQ(req.method, "POST");
    EXPECT_EQ(req.url, "http://127.0.0.1:9/messages");
    EXPECT_EQ(sdk::find_header(req.headers, "Authorization"), "KEY-abc123=="); // raw, no "Bearer"
    EXPECT_EQ(sdk::find_header(req.headers, "Content-Type"), "application/json");
    EXPECT_EQ(sdk::find_header(req.headers, "Accept"), "application/json");
    auto body = json::parse(req.body).as_object();
    EXPECT_EQ(body.at("content"), "Your appointment is at 10:00");
    EXPECT_EQ(body.at("to"), json::array({"27999000001"}));
    EXPECT_EQ(body.at("from"), "27830000000");
    EXPECT_EQ(body.at("clientMessageId"), "key0001");
}

TEST(PlatformEncode, UnicodeContentGoesAsUtf8Json) {
    auto s = send({sms("+27999000001", "Привет 👋 Café")});
    auto body = json::parse(s.encoded.requests.at(0).body).as_object();
    EXPECT_EQ(body.at("content"), "Привет 👋 Café");
    EXPECT_FALSE(body.contains("from"));
}

TEST(PlatformEncode, IdenticalBodiesShareARequestOthersDoNot) {
    auto s = send({sms("+27999000001", "Reminder"), sms("+27999000002", "Other"), sms("+27999000003", "Reminder"),
                   sms("+27999000001", "Reminder")});
    ASSERT_EQ(s.encoded.requests.size(), 3u);
    EXPECT_EQ(s.encoded.requests[0].message_indices, (std::vector<uint32_t>{0, 2}));
    EXPECT_EQ(s.encoded.requests[1].message_indices, (std::vector<uint32_t>{1}));
    EXPECT_EQ(s.encoded.requests[2].message_indices, (std::vector<uint32_t>{3})); // `to` entries must be unique
    auto shared = json::parse(s.encoded.requests[0].body).as_object();
    EXPECT_EQ(shared.at("to"), json::array({"27999000001", "27999000003"}));
    EXPECT_FALSE(shared.contains("clientMessageId")); // one id cannot name two messages
}

TEST(PlatformEncode, MoreRecipientsThanTheLimitAreSplit) {
    std::vector<sdk::Message> ms;
    std::vector<std::string> numbers;
    for (int i = 0; i < 250; ++i) numbers.push_back("+2799900" + std::to_string(1000 + i));
    for (const auto& n : numbers) ms.push_back(sms(n, "Same text"));
    auto s = send(ms);
    ASSERT_EQ(s.encoded.requests.size(), 3u);
    size_t total = 0;
    for (const auto& req : s.encoded.requests) {
        auto to = json::parse(req.body).as_object().at("to").as_array();
        EXPECT_LE(to.size(), kMaxRecipients);
        EXPECT_EQ(to.size(), req.message_indices.size());
        total += to.size();
    }
    EXPECT_EQ(total, 250u);
}

TEST(PlatformEncode, InvalidNumbersAndEmptyBodiesAreRejectedWithoutARequest) {
    auto s = send({sms("0821234567", "x"), sms("+27abc", "x"), sms("+27999000001", ""), sms("+27999000001", "ok")});
    ASSERT_EQ(s.encoded.requests.size(), 1u);
    EXPECT_EQ(s.encoded.requests[0].message_indices, std::vector<uint32_t>{3});
    ASSERT_EQ(s.encoded.settled.size(), 3u);
    EXPECT_EQ(s.encoded.settled[0].second.provider_code, "invalid-number");
    EXPECT_EQ(s.encoded.settled[1].second.provider_code, "invalid-number");
    EXPECT_EQ(s.encoded.settled[2].second.provider_code, "empty_body");
    for (const auto& [i, r] : s.encoded.settled) EXPECT_EQ(r.outcome, Outcome::rejected) << i;
}

TEST(PlatformDecode, AcceptedAndRejectedRecipientsIn202) {
    auto s = send({sms("+27999000001", "Hi"), sms("+27111111111", "Hi")});
    auto results = s.decode(answer(202, R"({"messages":[
        {"apiMessageId":null,"accepted":false,"to":"27111111111","errorCode":25,"error":"Invalid destination address.","errorDescription":null},
        {"apiMessageId":"1d1e9a0f9b2bf2c7d4c8c7a1b2c3d4e5","accepted":true,"to":"27999000001","errorCode":null,"error":null,"errorDescription":null}],
        "errorCode":null,"error":null,"errorDescription":null})"));
    ASSERT_EQ(results.size(), 2u);
    EXPECT_EQ(results[0].outcome, Outcome::accepted);
    EXPECT_EQ(results[0].provider_message_id, "1d1e9a0f9b2bf2c7d4c8c7a1b2c3d4e5");
    EXPECT_EQ(results[1].outcome, Outcome::rejected);
    EXPECT_EQ(results[1].provider_code, "25");
    EXPECT_EQ(results[1].provider_text, "Invalid destination address.");
}

TEST(PlatformDecode, ArcturialFixtureWithoutCodeIsRejected) {
    auto s = send({sms("+27111111111", "Hi")});
    auto r = s.decode(answer(202, R"({"messages":[{"apiMessageId":null,"accepted":false,"to":"27111111111","error":"Invalid destination address."}],"error":null})"));
    EXPECT_EQ(r.at(0).outcome, Outcome::rejected);
    EXPECT_EQ(r.at(0).provider_text, "Invalid destination address.");
}

TEST(PlatformDecode, TopLevelErrorsMapByStatusAndCode) {
    auto one = send({sms("+27999000001", "Hi")});
    auto two = send({sms("+27999000001", "Hi"), sms("+27999000002", "Hi")});
    auto bad_key = one.decode(answer(401, R"({"messages":[],"errorCode":1,"error":"Invalid or missing Integration API Key","errorDescription":null})"));
    EXPECT_EQ(bad_key.at(0).outcome, Outcome::transport_failure);
    EXPECT_EQ(bad_key.at(0).provider_code, "1");
    EXPECT_EQ(one.decode(answer(402, R"({"messages":[],"errorCode":20,"error":"Insufficient balance"})")).at(0).outcome,
              Outcome::transport_failure);
    EXPECT_EQ(one.decode(answer(404, R"({"messages":[],"error":"Some error occured"})")).at(0).outcome,
              Outcome::transport_failure);
    auto limited = one.decode(answer(429, R"({"messages":[],"errorCode":43,"error":"Rate limit exceeded"})", {{"Retry-After", "3"}}));
    EXPECT_EQ(limited.at(0).outcome, Outcome::retry);
    EXPECT_EQ(limited.at(0).retry_after_ms, 3000u);
    EXPECT_EQ(one.decode(answer(503, "<html>down</html>")).at(0).outcome, Outcome::retry);
    EXPECT_EQ(one.decode(answer(500, "")).at(0).outcome, Outcome::retry);
    EXPECT_EQ(one.decode(answer(400, R"({"messages":[],"errorCode":23,"error":"Invalid or missing parameter"})")).at(0).outcome,
              Outcome::rejected);
    auto batch = two.decode(answer(400, R"({"messages":[],"errorCode":23,"error":"Invalid or missing parameter"})"));
    EXPECT_EQ(batch.at(0).outcome, Outcome::resend_alone);
    EXPECT_EQ(batch.at(1).outcome, Outcome::resend_alone);
    EXPECT_EQ(one.decode(answer(200, "not json")).at(0).outcome, Outcome::internal);
}

TEST(PlatformDecode, ApiKeyNeverAppearsInResults) {
    auto one = send({sms("+27999000001", "Hi")});
    for (auto resp : {answer(401, "{}"), answer(403, "Forbidden"), answer(200, "garbage")})
        EXPECT_EQ(one.decode(resp).at(0).provider_text.find("KEY-abc123"), std::string::npos);
}

TEST(PlatformSettings, SchemaIsJsonAndStrict) {
    auto schema = json::parse(kSettingsSchema).as_object();
    EXPECT_EQ(schema.at("additionalProperties"), false);
    for (const auto& p : schema.at("properties").as_object())
        EXPECT_TRUE(p.value().as_object().contains("description")) << p.key();
    EXPECT_EQ(parse_settings(R"({"api_key":"k"})").base_url, "https://platform.clickatell.com");
    try {
        parse_settings(R"({"base_url":"http://x"})");
        FAIL();
    } catch (const sdk::SettingsError& e) {
        EXPECT_EQ(e.field, "api_key");
    }
}
