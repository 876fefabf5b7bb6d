// The legacy Clickatell codec, offline: requests it builds, answers it understands, outcomes it maps.
#include "codec.hpp"
#include "error_codes.hpp"
#include "form.hpp"
#include "settings.hpp"

#include <boost/json.hpp>
#include <gtest/gtest.h>

using namespace extcomm;
using namespace extcomm::clickatell;
using sdk::Outcome;

namespace {

Settings settings(std::string extra = "") {
    return parse_settings(R"({"base_url": "http://127.0.0.1:9/", "user": "agency", "password": "s3cret", "api_id": "3412345")" +
                          extra + "}");
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

std::string field(const sdk::HttpRequest& req, std::string_view name) {
    FormFields f = form_decode(req.body);
    const std::string* v = form_get(f, name);
    return v ? *v : "<absent>";
}

sdk::HttpResponse answer(int status, std::string body, std::vector<sdk::Header> headers = {}) {
    return sdk::HttpResponse{status, std::move(headers), std::move(body)};
}

sdk::Result decode_one(const Codec& codec, const sdk::HttpResponse& response) {
    std::vector<sdk::Message> ms{sms("+27999000001", "Hi")};
    auto encoded = codec.encode(ms);
    auto results = codec.decode(encoded.requests.at(0), ms, response);
    return results.at(0);
}

} // namespace

TEST(ClickatellEncode, OneFormPostPerMessageWithEveryRequiredParameter) {
    Codec codec(settings(R"(, "from": "+27830000000")"));
    std::vector<sdk::Message> ms{sms("+27 99 900-0001", "Your appointment is at 10:00"), sms("+447700900123", "Second", "k2")};
    auto encoded = codec.encode(ms);
    ASSERT_EQ(encoded.requests.size(), 2u);
    EXPECT_TRUE(encoded.settled.empty());
    const auto& req = encoded.requests[0];
    EXPECT_EQ(req.method, "POST");
    EXPECT_EQ(req.url, "http://127.0.0.1:9/http/sendmsg");
    EXPECT_EQ(sdk::find_header(req.headers, "content-type"), "application/x-www-form-urlencoded");
    EXPECT_EQ(req.message_indices, std::vector<uint32_t>{0});
    EXPECT_EQ(field(req, "user"), "agency");
    EXPECT_EQ(field(req, "password"), "s3cret");
    EXPECT_EQ(field(req, "api_id"), "3412345");
    EXPECT_EQ(field(req, "to"), "27999000001"); // digits only: no '+', no spaces
    EXPECT_EQ(field(req, "text"), "Your appointment is at 10:00");
    EXPECT_EQ(field(req, "unicode"), "<absent>");
    EXPECT_EQ(field(req, "from"), "27830000000");
    EXPECT_EQ(field(req, "mo"), "1");
    EXPECT_EQ(field(req, "callback"), "7");
    EXPECT_EQ(field(req, "deliv_ack"), "1");
    EXPECT_EQ(field(req, "climsgid"), "key0001");
    EXPECT_EQ(field(req, "concat"), "<absent>");
    EXPECT_EQ(encoded.requests[1].message_indices, std::vector<uint32_t>{1});
    EXPECT_EQ(field(encoded.requests[1], "to"), "447700900123");
}

TEST(ClickatellEncode, FormValuesAreEscaped) {
    Codec codec(settings());
    std::vector<sdk::Message> ms{sms("+27999000001", "A&B=C + 100% sure?")};
    auto req = codec.encode(ms).requests.at(0);
    EXPECT_NE(req.body.find("text=A%26B%3DC+%2B+100%25+sure%3F"), std::string::npos) << req.body;
    EXPECT_EQ(field(req, "text"), "A&B=C + 100% sure?");
}

TEST(ClickatellEncode, NoSenderMeansNoFromAndNoMo) {
    Codec codec(settings(R"(, "callback": 3)"));
    std::vector<sdk::Message> ms{sms("+27999000001", "Hi")};
    auto req = codec.encode(ms).requests.at(0);
    EXPECT_EQ(field(req, "from"), "<absent>");
    EXPECT_EQ(field(req, "mo"), "<absent>");
    EXPECT_EQ(field(req, "callback"), "3");
}

TEST(ClickatellEncode, ClientMessageIdIsAtMost32AlnumAndStable) {
    EXPECT_EQ(client_message_id("3f2b8c1e-4a5d-4e6f-9a0b-1c2d3e4f5a6b"), "3f2b8c1e4a5d4e6f9a0b1c2d3e4f5a6b");
    std::string hashed = client_message_id("outbox:42:sms:+27999000001:attempt-independent");
    EXPECT_EQ(hashed.size(), 32u);
    for (char c : hashed) EXPECT_TRUE(std::isalnum(static_cast<unsigned char>(c)));
    EXPECT_EQ(hashed, client_message_id("outbox:42:sms:+27999000001:attempt-independent"));
    EXPECT_NE(hashed, client_message_id("outbox:43:sms:+27999000001:attempt-independent"));
}

TEST(ClickatellEncode, NonGsmTextGoesAsUcs2HexWithUnicodeFlag) {
    Codec codec(settings());
    std::vector<sdk::Message> ms{sms("+27999000001", "Привет 👋")};
    auto req = codec.encode(ms).requests.at(0);
    EXPECT_EQ(field(req, "unicode"), "1");
    EXPECT_EQ(field(req, "text"), "041F044004380432043504420020D83DDC4B");
}

TEST(ClickatellEncode, GsmTextOutsideAsciiAlsoGoesAsUcs2) {
    // The legacy API's byte handling depends on the account; UCS-2 is exact.
    Codec codec(settings());
    std::vector<sdk::Message> ms{sms("+27999000001", "Café €5")};
    auto req = codec.encode(ms).requests.at(0);
    EXPECT_EQ(field(req, "unicode"), "1");
    EXPECT_EQ(field(req, "text"), "00430061006600E9002020AC0035");
}

TEST(ClickatellEncode, LongTextAsksForConcatenationAndOverLongIsRejected) {
    Codec codec(settings(R"(, "max_parts": 2)"));
    const std::string two_parts(300, 'a'), three_parts(307, 'a'), three_ucs2_parts = std::string(135, 'a') + "ж";
    std::vector<sdk::Message> ms{sms("+27999000001", two_parts), sms("+27999000001", three_parts),
                                 sms("+27999000001", three_ucs2_parts)};
    auto encoded = codec.encode(ms);
    ASSERT_EQ(encoded.requests.size(), 1u);
    EXPECT_EQ(field(encoded.requests[0], "concat"), "2");
    ASSERT_EQ(encoded.settled.size(), 2u);
    EXPECT_EQ(encoded.settled[0].first, 1u);
    EXPECT_EQ(encoded.settled[0].second.outcome, Outcome::rejected);
    EXPECT_EQ(encoded.settled[0].second.provider_code, "too_long");
    EXPECT_EQ(encoded.settled[1].first, 2u); // 136 UCS-2 units = 3 parts
}

TEST(ClickatellEncode, InvalidNumbersAreRejectedWithoutARequest) {
    Codec codec(settings());
    std::vector<sdk::Message> ms{sms("0821234567", "national"), sms("+27abc", "letters"), sms("+123", "short"),
                                 sms("+27999000001", "fine"), sms("", "empty")};
    auto encoded = codec.encode(ms);
    ASSERT_EQ(encoded.requests.size(), 1u);
    EXPECT_EQ(encoded.requests[0].message_indices, std::vector<uint32_t>{3});
    ASSERT_EQ(encoded.settled.size(), 4u);
    for (const auto& [index, result] : encoded.settled) {
        EXPECT_EQ(result.outcome, Outcome::rejected) << index;
        EXPECT_EQ(result.provider_code, "invalid-number") << index;
        EXPECT_FALSE(result.provider_text.empty());
    }
}

TEST(ClickatellEncode, EmptyBodyAndEmailAreRejected) {
    Codec codec(settings());
    sdk::Message email = sms("a@example.org", "Hi");
    email.channel = sdk::Channel::email;
    std::vector<sdk::Message> ms{sms("+27999000001", ""), email};
    auto encoded = codec.encode(ms);
    EXPECT_TRUE(encoded.requests.empty());
    ASSERT_EQ(encoded.settled.size(), 2u);
    EXPECT_EQ(encoded.settled[0].second.provider_code, "empty_body");
    EXPECT_EQ(encoded.settled[1].second.provider_code, "not_sms");
}

TEST(ClickatellEncode, ABatchOfManyMessagesIsOneRequestEach) {
    Codec codec(settings());
    std::vector<std::string> numbers;
    for (int i = 0; i < 700; ++i) numbers.push_back("+2799900" + std::to_string(1000 + i));
    std::vector<sdk::Message> ms;
    for (const auto& n : numbers) ms.push_back(sms(n, "Reminder"));
    auto encoded = codec.encode(ms);
    ASSERT_EQ(encoded.requests.size(), 700u); // never more than one number (Clickatell allows 600 per POST)
    for (uint32_t i = 0; i < 700; ++i) {
        EXPECT_EQ(encoded.requests[i].message_indices, std::vector<uint32_t>{i});
        EXPECT_EQ(field(encoded.requests[i], "to").find(','), std::string::npos);
    }
}

TEST(ClickatellDecode, IdLineIsAccepted) {
    Codec codec(settings());
    auto r = decode_one(codec, answer(200, "ID: 0b85c11e81e4a9a2d4ebc3f6cb4e3b0c\n"));
    EXPECT_EQ(r.outcome, Outcome::accepted);
    EXPECT_EQ(r.provider_message_id, "0b85c11e81e4a9a2d4ebc3f6cb4e3b0c");
    auto multi = decode_one(codec, answer(200, "ID: abc123 To: 27999000001"));
    EXPECT_EQ(multi.provider_message_id, "abc123");
}

struct Case {
    const char* code;
    Outcome outcome;
};

TEST(ClickatellDecode, EveryDocumentedErrorCodeMapsToItsOutcome) {
    Codec codec(settings(), [] { return int64_t{1'700'000'000'000}; });
    const Case cases[] = {
        {"001", Outcome::transport_failure}, {"002", Outcome::transport_failure}, {"003", Outcome::retry},
        {"004", Outcome::transport_failure}, {"007", Outcome::transport_failure}, {"100", Outcome::rejected},
        {"101", Outcome::rejected},          {"103", Outcome::rejected},          {"104", Outcome::rejected},
        {"105", Outcome::rejected},          {"106", Outcome::rejected},          {"107", Outcome::rejected},
        {"108", Outcome::transport_failure}, {"113", Outcome::rejected},          {"114", Outcome::rejected},
        {"115", Outcome::rejected},          {"116", Outcome::rejected},          {"121", Outcome::rejected},
        {"122", Outcome::rejected},          {"123", Outcome::transport_failure}, {"128", Outcome::rejected},
        {"130", Outcome::retry},             {"301", Outcome::transport_failure}, {"302", Outcome::transport_failure},
        {"901", Outcome::retry},
    };
    size_t count = 0;
    error_codes(&count);
    EXPECT_EQ(count, std::size(cases)); // the table covers every code providers.md lists
    for (const Case& c : cases) {
        auto r = decode_one(codec, answer(200, std::string("ERR: ") + c.code + ", Some description"));
        EXPECT_EQ(r.outcome, c.outcome) << c.code;
        EXPECT_EQ(r.provider_code, c.code);
        EXPECT_EQ(r.provider_text, "Some description");
    }
}

TEST(ClickatellDecode, MtLimitGivesTheTimeLeftAsRetryHint) {
    Codec codec(settings(), [] { return int64_t{1'700'000'000'000}; });
    auto r = decode_one(codec, answer(200, "ERR: 130, Maximum MT limit exceeded until 1700000090"));
    EXPECT_EQ(r.outcome, Outcome::retry);
    EXPECT_EQ(r.retry_after_ms, 90'000u);
}

TEST(ClickatellDecode, UnknownCodesFallBackByRange) {
    Codec codec(settings());
    EXPECT_EQ(decode_one(codec, answer(200, "ERR: 009, New auth thing")).outcome, Outcome::transport_failure);
    EXPECT_EQ(decode_one(codec, answer(200, "ERR: 199, New message thing")).outcome, Outcome::rejected);
    EXPECT_EQ(decode_one(codec, answer(200, "ERR: 999, New internal thing")).outcome, Outcome::retry);
}

TEST(ClickatellDecode, HttpFailuresWithoutClickatellTextMapByStatus) {
    Codec codec(settings());
    auto limited = decode_one(codec, answer(429, "Too Many Requests", {{"Retry-After", "7"}}));
    EXPECT_EQ(limited.outcome, Outcome::retry);
    EXPECT_EQ(limited.retry_after_ms, 7000u);
    EXPECT_EQ(limited.provider_code, "HTTP 429");
    auto unavailable = decode_one(codec, answer(503, "<html>Service Unavailable</html>"));
    EXPECT_EQ(unavailable.outcome, Outcome::retry);
    EXPECT_EQ(decode_one(codec, answer(500, "")).outcome, Outcome::retry);
    EXPECT_EQ(decode_one(codec, answer(401, "Unauthorized")).outcome, Outcome::transport_failure);
    EXPECT_EQ(decode_one(codec, answer(404, "Not Found")).outcome, Outcome::transport_failure);
    EXPECT_EQ(decode_one(codec, answer(200, "<html>captive portal</html>")).outcome, Outcome::internal);
    // Clickatell's own text wins over the status.
    EXPECT_EQ(decode_one(codec, answer(500, "ERR: 901, Internal error")).provider_code, "901");
}

TEST(ClickatellDecode, SecretsNeverAppearInResults) {
    Codec codec(settings());
    for (auto resp : {answer(200, "ERR: 001, Authentication failed"), answer(401, "nope"), answer(200, "garbage")}) {
        auto r = decode_one(codec, resp);
        EXPECT_EQ(r.provider_text.find("s3cret"), std::string::npos);
        EXPECT_EQ(r.provider_text.find("3412345"), std::string::npos);
    }
}

TEST(ClickatellSettings, SchemaIsJsonAndStrict) {
    auto schema = boost::json::parse(kSettingsSchema).as_object();
    EXPECT_EQ(schema.at("additionalProperties"), false);
    for (const auto& p : schema.at("properties").as_object())
        EXPECT_TRUE(p.value().as_object().contains("description")) << p.key();
    EXPECT_EQ(settings().base_url, "http://127.0.0.1:9");
    EXPECT_EQ(parse_settings(R"({"user":"u","password":"p","api_id":"1"})").base_url, "https://api.clickatell.com");
    EXPECT_THROW(parse_settings(R"({"user":"u","password":"p","api_id":"1","base_url":"ftp://x"})"), sdk::SettingsError);
    try {
        parse_settings(R"({"user":"u","api_id":"1"})");
        FAIL();
    } catch (const sdk::SettingsError& e) {
        EXPECT_EQ(e.field, "password");
    }
}
