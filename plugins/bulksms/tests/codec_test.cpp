// Offline tests of the BulkSMS codec: what goes on the wire, and what each answer means.
#include "codec.hpp"
#include "settings.hpp"

#include <extcomm/sdk.hpp>

#include <boost/json.hpp>
#include <gtest/gtest.h>

#include <deque>
#include <string>

namespace {

namespace json = boost::json;
using namespace extcomm;
using sdk::Message;
using sdk::Outcome;

bulksms::Settings settings(const std::string& extra = "") {
    return bulksms::parse_settings(R"({"username":"agency","password":"s3cret","base_url":"http://127.0.0.1:9/v1")" +
                                   extra + "}");
}

// Owns the strings the Message views point at.
struct Batch {
    std::deque<std::string> storage;
    std::vector<Message> messages;
    std::string_view keep(std::string s) { return storage.emplace_back(std::move(s)); }
    Batch& add(std::string id, std::string to, std::string body) {
        Message m{sdk::Channel::sms, keep(id), keep("key-" + id), keep(to), {}, keep(body), {}, {}, 1};
        messages.push_back(m);
        return *this;
    }
};

sdk::HttpResponse response(int status, std::string body, std::vector<sdk::Header> headers = {}) {
    return sdk::HttpResponse{status, std::move(headers), std::move(body)};
}

std::vector<Message> carried(const sdk::HttpRequest& req, const std::vector<Message>& all) {
    std::vector<Message> out;
    for (uint32_t i : req.message_indices) out.push_back(all[i]);
    return out;
}

TEST(BulkSmsEncode, OneRequestInTheStrictSpecForm) {
    Batch b;
    b.add("m1", "+27 00 123 4567", "Hello World!");
    auto enc = bulksms::encode(settings(R"(,"from":"Agency")"), b.messages);
    ASSERT_EQ(enc.requests.size(), 1u);
    ASSERT_TRUE(enc.settled.empty());
    const auto& req = enc.requests[0];
    EXPECT_EQ(req.method, "POST");
    EXPECT_EQ(req.url.rfind("http://127.0.0.1:9/v1/messages?deduplication-id=", 0), 0u) << req.url;
    EXPECT_NE(req.url.find("&auto-unicode=true"), std::string::npos);
    EXPECT_EQ(sdk::find_header(req.headers, "Content-Type"), "application/json");
    EXPECT_EQ(sdk::find_header(req.headers, "Authorization"), "Basic YWdlbmN5OnMzY3JldA=="); // agency:s3cret
    json::value body = json::parse(req.body);
    json::value expected = json::parse(R"([{"to":[{"type":"INTERNATIONAL","address":"+27001234567"}],
        "body":"Hello World!","encoding":"TEXT","deliveryReports":"ALL","longMessageMaxParts":10,
        "from":{"type":"ALPHANUMERIC","address":"Agency"},"userSuppliedId":"m1"}])");
    EXPECT_EQ(body, expected) << req.body;
    EXPECT_EQ(req.message_indices, std::vector<uint32_t>{0});
}

TEST(BulkSmsEncode, TokenCredentialsAndSenderTypes) {
    auto s = bulksms::parse_settings(R"({"token_id":"ABC","token_secret":"xyz","from":"+447700900123"})");
    EXPECT_EQ(s.authorization, "Basic QUJDOnh5eg==");
    EXPECT_EQ(s.base_url, "https://api.bulksms.com/v1");
    ASSERT_TRUE(s.from);
    EXPECT_EQ(s.from->type, "INTERNATIONAL");
    auto r = bulksms::parse_settings(R"({"token_id":"ABC","token_secret":"xyz","from_type":"REPLIABLE"})");
    EXPECT_EQ(r.from->type, "REPLIABLE");
    EXPECT_TRUE(r.from->address.empty());
}

TEST(BulkSmsSettings, WhatTheSchemaCannotSayIsRefused) {
    auto field_of = [](const std::string& j) {
        try {
            bulksms::parse_settings(j);
        } catch (const sdk::SettingsError& e) {
            return e.field;
        }
        return std::string("<accepted>");
    };
    EXPECT_EQ(field_of(R"({})"), "username");
    EXPECT_EQ(field_of(R"({"username":"u","password":"p","token_id":"t","token_secret":"s"})"), "token_id");
    EXPECT_EQ(field_of(R"({"username":"u","password":"p","from":"TooLongSender1"})"), "from");
    EXPECT_EQ(field_of(R"({"username":"u","password":"p","from":"123","from_type":"INTERNATIONAL"})"), "from");
    EXPECT_EQ(field_of(R"({"username":"u","password":"p","from":"Agency","from_type":"REPLIABLE"})"), "from");
    EXPECT_EQ(field_of(R"({"username":"u","password":"p","base_url":"ftp://x"})"), "base_url");
}

TEST(BulkSmsEncode, UnicodeIsSentAsUnicode) {
    Batch b;
    b.add("m1", "+27001234567", "Привет, ваша встреча завтра");
    b.add("m2", "+27001234568", "Café à 10h");
    auto enc = bulksms::encode(settings(), b.messages);
    ASSERT_EQ(enc.requests.size(), 1u);
    json::array body = json::parse(enc.requests[0].body).as_array();
    EXPECT_EQ(body[0].at("encoding"), "UNICODE");
    EXPECT_EQ(body[0].at("body"), "Привет, ваша встреча завтра");
    EXPECT_EQ(body[1].at("encoding"), "TEXT");
}

TEST(BulkSmsEncode, InvalidNumbersAreSettledAndNeverSent) {
    Batch b;
    b.add("ok", "+27001234567", "hi").add("bad", "0821234567", "hi").add("letters", "+27abc", "hi");
    auto enc = bulksms::encode(settings(), b.messages);
    ASSERT_EQ(enc.settled.size(), 2u);
    EXPECT_EQ(enc.settled[0].first, 1u);
    EXPECT_EQ(enc.settled[0].second.outcome, Outcome::rejected);
    EXPECT_EQ(enc.settled[0].second.provider_code, "invalid-number");
    EXPECT_NE(enc.settled[0].second.provider_text.find("international format"), std::string::npos);
    EXPECT_EQ(enc.settled[1].first, 2u);
    ASSERT_EQ(enc.requests.size(), 1u);
    EXPECT_EQ(enc.requests[0].message_indices, std::vector<uint32_t>{0});
}

TEST(BulkSmsEncode, NationalNumbersWithADefaultCountry) {
    Batch b;
    b.add("m1", "07700 900123", "hi");
    auto enc = bulksms::encode(settings(R"(,"default_country_code":"44")"), b.messages);
    ASSERT_EQ(enc.requests.size(), 1u);
    EXPECT_EQ(json::parse(enc.requests[0].body).at(0).at("to").at(0).at("address"), "+447700900123");
}

TEST(BulkSmsEncode, TooLongAndEmptyBodiesAreRejected) {
    Batch b;
    b.add("long", "+27001234567", std::string(3 * 153 + 1, 'a')).add("empty", "+27001234567", "");
    auto enc = bulksms::encode(settings(R"(,"long_message_max_parts":3)"), b.messages);
    ASSERT_EQ(enc.settled.size(), 2u);
    EXPECT_EQ(enc.settled[0].second.provider_code, "body-too-long");
    EXPECT_EQ(enc.settled[1].second.provider_code, "empty-body");
    EXPECT_TRUE(enc.requests.empty());
}

TEST(BulkSmsEncode, BatchesAreSplitAtTheConfiguredSize) {
    Batch b;
    for (int i = 0; i < 7; ++i) b.add("m" + std::to_string(i), "+2700123456" + std::to_string(i), "hi");
    auto enc = bulksms::encode(settings(R"(,"batch_size":3)"), b.messages);
    ASSERT_EQ(enc.requests.size(), 3u);
    EXPECT_EQ(json::parse(enc.requests[0].body).as_array().size(), 3u);
    EXPECT_EQ(json::parse(enc.requests[2].body).as_array().size(), 1u);
    EXPECT_EQ(enc.requests[2].message_indices, std::vector<uint32_t>{6});
    EXPECT_NE(enc.requests[0].url, enc.requests[1].url); // different submissions, different deduplication-ids
}

TEST(BulkSmsEncode, DeduplicationIdIsStableAcrossAttempts) {
    Batch first, retry;
    first.add("m1", "+27001234567", "hi");
    retry.add("m1", "+27001234567", "hi");
    retry.messages[0].attempt = 3;
    auto a = bulksms::encode(settings(), first.messages).requests.at(0).url;
    auto b = bulksms::encode(settings(), retry.messages).requests.at(0).url;
    EXPECT_EQ(a, b);
    Batch other;
    other.add("m2", "+27001234567", "hi");
    EXPECT_NE(a, bulksms::encode(settings(), other.messages).requests.at(0).url);
    int32_t id = bulksms::deduplication_id(first.messages, {0});
    EXPECT_GT(id, 0);
}

TEST(BulkSmsEncode, LongIdsAreNotSentAsUserSuppliedId) {
    Batch b;
    b.add("0123456789abcdef0123456789", "+27001234567", "hi");
    auto body = json::parse(bulksms::encode(settings(), b.messages).requests.at(0).body);
    EXPECT_FALSE(body.at(0).as_object().contains("userSuppliedId"));
}

TEST(BulkSmsDecode, CreatedMapsEachMessageToItsId) {
    Batch b;
    b.add("m1", "+27001234567", "a").add("m2", "+27001234568", "b");
    auto req = bulksms::encode(settings(), b.messages).requests.at(0);
    auto results = bulksms::decode(req, carried(req, b.messages), response(201, R"([
      {"id":"4023457654","type":"SENT","from":"","to":"+27001234567","body":"a","encoding":"TEXT","protocolId":0,
       "messageClass":2,"submission":{"id":"1-00000000000522347562","date":"2024-01-01T10:00:00+00:00"},
       "status":{"id":"ACCEPTED.null","type":"ACCEPTED","subtype":null}},
      {"id":"4023457655","type":"SENT","to":"+27001234568","body":"b","status":{"id":"FAILED.BLOCKED","type":"FAILED","subtype":"BLOCKED"},
       "submission":{"id":"1-00000000000522347562","date":"2024-01-01T10:00:00+00:00"}}])"));
    ASSERT_EQ(results.size(), 2u);
    EXPECT_EQ(results[0].outcome, Outcome::accepted);
    EXPECT_EQ(results[0].provider_message_id, "4023457654");
    EXPECT_EQ(results[0].provider_code, "ACCEPTED.null");
    EXPECT_EQ(results[1].outcome, Outcome::rejected);
    EXPECT_EQ(results[1].provider_code, "FAILED.BLOCKED");
    EXPECT_EQ(results[1].provider_message_id, "4023457655");
}

TEST(BulkSmsDecode, CreatedWithFewerEntriesMatchesByNumber) {
    Batch b;
    b.add("m1", "+27001234567", "a").add("m2", "+27001234568", "b");
    auto req = bulksms::encode(settings(), b.messages).requests.at(0);
    auto results = bulksms::decode(req, carried(req, b.messages), response(201,
        R"([{"id":"77","type":"SENT","to":"27001234568","body":"b","status":{"id":"ACCEPTED.null","type":"ACCEPTED"}}])"));
    EXPECT_EQ(results[1].provider_message_id, "77");
    EXPECT_EQ(results[0].outcome, Outcome::accepted); // created, but not listed: never resent blindly
    EXPECT_TRUE(results[0].provider_message_id.empty());
}

struct ErrorCase {
    int status;
    const char* body;
    Outcome single;
    Outcome batch;
    const char* code;
};

class BulkSmsErrors : public ::testing::TestWithParam<ErrorCase> {};

TEST_P(BulkSmsErrors, MapToTheRightOutcome) {
    const ErrorCase& c = GetParam();
    Batch one, two;
    one.add("m1", "+27001234567", "a");
    two.add("m1", "+27001234567", "a").add("m2", "+27001234568", "b");
    for (auto* b : {&one, &two}) {
        auto req = bulksms::encode(settings(), b->messages).requests.at(0);
        auto results = bulksms::decode(req, carried(req, b->messages), response(c.status, c.body, {{"Retry-After", "30"}}));
        ASSERT_EQ(results.size(), b->messages.size());
        for (const auto& r : results) {
            EXPECT_EQ(r.outcome, b == &one ? c.single : c.batch) << c.status;
            EXPECT_EQ(r.provider_code, c.code);
            EXPECT_EQ(r.provider_text.find("s3cret"), std::string::npos);
            if (r.outcome == Outcome::retry) {
                EXPECT_EQ(r.retry_after_ms, 30000u);
            }
        }
    }
}

INSTANTIATE_TEST_SUITE_P(
    Statuses, BulkSmsErrors,
    ::testing::Values(
        ErrorCase{400, R"({"type":"https://developer.bulksms.com/json/v1/errors#bad-request","title":"Bad Request","status":400,"detail":"Invalid phone number"})",
                  Outcome::rejected, Outcome::resend_alone, "bad-request"},
        ErrorCase{401, R"({"type":"https://developer.bulksms.com/json/v1/errors#authentication-failed","title":"Authentication Failed","status":401,"detail":"Full authentication is required to access this resource"})",
                  Outcome::transport_failure, Outcome::transport_failure, "authentication-failed"},
        ErrorCase{403, R"({"status":403,"title":"Insufficient Credits","type":"https://developer.bulksms.com/json/v1/errors#insufficient-credits"})",
                  Outcome::transport_failure, Outcome::transport_failure, "insufficient-credits"},
        ErrorCase{429, "", Outcome::retry, Outcome::retry, "429"},
        ErrorCase{500, R"({"type":"https://developer.bulksms.com/json/v1/errors#internal-error","title":"Internal Error","status":500})",
                  Outcome::retry, Outcome::retry, "internal-error"},
        ErrorCase{503, "<html>Service Unavailable</html>", Outcome::retry, Outcome::retry, "503"},
        ErrorCase{404, R"({"type":"https://developer.bulksms.com/json/v1/errors#not-found","title":"Not Found","status":404})",
                  Outcome::transport_failure, Outcome::transport_failure, "not-found"}));

TEST(BulkSmsDecode, ErrorTextCarriesTitleAndDetail) {
    Batch b;
    b.add("m1", "+27001234567", "a");
    auto req = bulksms::encode(settings(), b.messages).requests.at(0);
    auto r = bulksms::decode(req, b.messages, response(403,
        R"({"status":403,"title":"Insufficient Credits","type":"https://developer.bulksms.com/json/v1/errors#insufficient-credits","detail":"You need 1 more credit"})"));
    EXPECT_EQ(r[0].provider_text, "HTTP 403 Insufficient Credits: You need 1 more credit");
}

} // namespace
