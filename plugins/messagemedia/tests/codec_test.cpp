// Offline tests of the MessageMedia codec: what goes on the wire, and what each answer means.
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

messagemedia::Settings settings(const std::string& extra = "") {
    return messagemedia::parse_settings(R"({"api_key":"KEY","api_secret":"s3cret","base_url":"http://127.0.0.1:9/")" +
                                        extra + "}");
}

struct Batch {
    std::deque<std::string> storage;
    std::vector<Message> messages;
    std::string_view keep(std::string s) { return storage.emplace_back(std::move(s)); }
    Batch& add(std::string id, std::string to, std::string body) {
        messages.push_back(Message{sdk::Channel::sms, keep(id), keep("key-" + id), keep(to), {}, keep(body), {}, {}, 1});
        return *this;
    }
};

sdk::HttpResponse response(int status, std::string body, std::vector<sdk::Header> headers = {}) {
    return sdk::HttpResponse{status, std::move(headers), std::move(body)};
}

TEST(MessageMediaEncode, OneRequestWithEverythingMessageMediaNeeds) {
    Batch b;
    b.add("msg-1", "+61 491 570 156", "Hello World");
    auto s = settings(R"(,"source_number":"Agency","callback_url":"https://extcomm.example.org/v1/webhooks/sms?token=t","account":"Sub1")");
    auto enc = messagemedia::encode(s, b.messages);
    ASSERT_EQ(enc.requests.size(), 1u);
    const auto& req = enc.requests[0];
    EXPECT_EQ(req.url, "http://127.0.0.1:9/v1/messages");
    EXPECT_EQ(sdk::find_header(req.headers, "Authorization"), "Basic S0VZOnMzY3JldA=="); // KEY:s3cret
    EXPECT_EQ(sdk::find_header(req.headers, "Content-Type"), "application/json");
    EXPECT_EQ(sdk::find_header(req.headers, "Accept"), "application/json");
    EXPECT_EQ(sdk::find_header(req.headers, "Account"), "Sub1");
    EXPECT_EQ(json::parse(req.body), json::parse(R"({"messages":[{"content":"Hello World","destination_number":"+61491570156",
        "format":"SMS","delivery_report":true,"callback_url":"https://extcomm.example.org/v1/webhooks/sms?token=t",
        "source_number":"Agency","source_number_type":"ALPHANUMERIC","metadata":{"extcomm_message_id":"msg-1"}}]})"))
        << req.body;
}

TEST(MessageMediaEncode, UnicodeContentIsSentAsIs) {
    Batch b;
    b.add("m1", "+61491570156", "Привет 😀");
    auto enc = messagemedia::encode(settings(), b.messages);
    EXPECT_EQ(json::parse(enc.requests.at(0).body).at("messages").at(0).at("content"), "Привет 😀");
}

TEST(MessageMediaEncode, InvalidMessagesAreSettledSoTheyNeverPoisonABatch) {
    Batch b;
    b.add("ok", "+61491570156", "hi")
        .add("national", "0491570156", "hi")
        .add("long-number", "+614915701561234", "hi") // 15 digits + '+' exceeds destination_number's 15
        .add("empty", "+61491570157", "")
        .add("huge", "+61491570158", std::string(5001, 'x'));
    auto enc = messagemedia::encode(settings(), b.messages);
    ASSERT_EQ(enc.settled.size(), 4u);
    EXPECT_EQ(enc.settled[0].second.provider_code, "invalid-number");
    EXPECT_EQ(enc.settled[1].second.provider_code, "invalid-number");
    EXPECT_EQ(enc.settled[2].second.provider_code, "empty-body");
    EXPECT_EQ(enc.settled[3].second.provider_code, "body-too-long");
    for (const auto& [i, r] : enc.settled) EXPECT_EQ(r.outcome, Outcome::rejected);
    ASSERT_EQ(enc.requests.size(), 1u);
    EXPECT_EQ(enc.requests[0].message_indices, std::vector<uint32_t>{0});
}

TEST(MessageMediaEncode, MoreThanOneHundredAreSplit) {
    Batch b;
    for (int i = 0; i < 250; ++i) b.add("m" + std::to_string(i), "+61491" + std::to_string(100000 + i), "hi");
    auto enc = messagemedia::encode(settings(), b.messages);
    ASSERT_EQ(enc.requests.size(), 3u);
    EXPECT_EQ(json::parse(enc.requests[0].body).at("messages").as_array().size(), 100u);
    EXPECT_EQ(json::parse(enc.requests[2].body).at("messages").as_array().size(), 50u);
    EXPECT_EQ(enc.requests[2].message_indices.front(), 200u);
}

TEST(MessageMediaSettings, SenderAndCredentialsChecks) {
    auto field_of = [](const std::string& j) {
        try {
            messagemedia::parse_settings(j);
        } catch (const sdk::SettingsError& e) {
            return e.field;
        }
        return std::string("<accepted>");
    };
    EXPECT_EQ(field_of(R"({"api_secret":"s"})"), "api_key");
    EXPECT_EQ(field_of(R"({"api_key":"k","api_secret":"s","source_number":"AgencyNameTooLong"})"), "source_number");
    EXPECT_EQ(field_of(R"({"api_key":"k","api_secret":"s","source_number":"61491570157","source_number_type":"INTERNATIONAL"})"), "source_number");
    EXPECT_EQ(field_of(R"({"api_key":"k","api_secret":"s","source_number_type":"SHORTCODE"})"), "source_number");
    EXPECT_EQ(field_of(R"({"api_key":"k","api_secret":"s","source_number":"+61491570157"})"), "<accepted>");
    EXPECT_EQ(messagemedia::parse_settings(R"({"api_key":"k","api_secret":"s"})").base_url, "https://api.messagemedia.com");
}

TEST(MessageMediaDecode, AcceptedMapsMessageIds) {
    Batch b;
    b.add("m1", "+61491570156", "a").add("m2", "+61491570157", "b");
    auto req = messagemedia::encode(settings(), b.messages).requests.at(0);
    auto results = messagemedia::decode(req, b.messages, response(202, R"({"messages":[
      {"content":"a","destination_number":"+61491570156","format":"SMS","delivery_report":true,"message_id":"877c19ef-fa2e-4cec-827a-e1df9b5509f7","status":"queued"},
      {"content":"b","destination_number":"+61491570157","format":"SMS","delivery_report":true,"message_id":"977c19ef-fa2e-4cec-827a-e1df9b5509f7","status":"queued"}]})"));
    ASSERT_EQ(results.size(), 2u);
    EXPECT_EQ(results[0].outcome, Outcome::accepted);
    EXPECT_EQ(results[0].provider_message_id, "877c19ef-fa2e-4cec-827a-e1df9b5509f7");
    EXPECT_EQ(results[0].provider_code, "queued");
    EXPECT_EQ(results[1].provider_message_id, "977c19ef-fa2e-4cec-827a-e1df9b5509f7");
}

struct ErrorCase {
    int status;
    const char* body;
    Outcome single;
    Outcome batch;
};

class MessageMediaErrors : public ::testing::TestWithParam<ErrorCase> {};

TEST_P(MessageMediaErrors, MapToTheRightOutcome) {
    const ErrorCase& c = GetParam();
    Batch one, two;
    one.add("m1", "+61491570156", "a");
    two.add("m1", "+61491570156", "a").add("m2", "+61491570157", "b");
    for (auto* b : {&one, &two}) {
        auto req = messagemedia::encode(settings(), b->messages).requests.at(0);
        auto results = messagemedia::decode(req, b->messages, response(c.status, c.body, {{"Retry-After", "7"}}));
        ASSERT_EQ(results.size(), b->messages.size());
        for (const auto& r : results) {
            EXPECT_EQ(r.outcome, b == &one ? c.single : c.batch) << c.status;
            EXPECT_EQ(r.provider_code, std::to_string(c.status));
            EXPECT_EQ(r.provider_text.find("s3cret"), std::string::npos);
            if (r.outcome == Outcome::retry) {
                EXPECT_EQ(r.retry_after_ms, 7000u);
            }
        }
    }
}

INSTANTIATE_TEST_SUITE_P(
    Statuses, MessageMediaErrors,
    ::testing::Values(
        ErrorCase{400, R"({"message":"Invalid message","details":["messages[1].destination_number: invalid number"]})",
                  Outcome::rejected, Outcome::resend_alone},
        ErrorCase{401, R"({"message":"Your API credentials are invalid"})", Outcome::transport_failure, Outcome::transport_failure},
        ErrorCase{403, R"({"message":"Invalid authentication credentials"})", Outcome::transport_failure, Outcome::transport_failure},
        ErrorCase{404, R"({"message":"Resource not found."})", Outcome::transport_failure, Outcome::transport_failure},
        ErrorCase{429, "", Outcome::retry, Outcome::retry},
        ErrorCase{500, "", Outcome::retry, Outcome::retry},
        ErrorCase{503, "<html>busy</html>", Outcome::retry, Outcome::retry}));

TEST(MessageMediaDecode, ErrorTextCarriesMessageAndDetails) {
    Batch b;
    b.add("m1", "+61491570156", "a");
    auto req = messagemedia::encode(settings(), b.messages).requests.at(0);
    auto r = messagemedia::decode(req, b.messages, response(400,
        R"({"message":"Request failed to parse correctly. Please ensure input is valid and try again.","details":["Failed to parse message body."]})"));
    EXPECT_EQ(r[0].provider_text,
              "HTTP 400 Request failed to parse correctly. Please ensure input is valid and try again.: Failed to parse message body.");
    auto f = messagemedia::decode(req, b.messages, response(403, R"({"message":"Invalid authentication credentials"})"));
    EXPECT_EQ(f[0].provider_text, "HTTP 403 Invalid authentication credentials (check api_key/api_secret and account)");
}

} // namespace
