#include "settings.hpp"

#include <extcomm/sdk.hpp>

#include <gtest/gtest.h>

using namespace extcomm::smtp;
using extcomm::sdk::SettingsError;

namespace {
std::string field_of_error(const std::string& json) {
    try {
        parse_settings(json);
    } catch (const SettingsError& e) {
        return e.field;
    }
    return "(accepted)";
}
} // namespace

TEST(Settings, DefaultsFollowTheEncryption) {
    Settings s = parse_settings(R"({"host":"mail.example","from_address":"noreply@agency.example"})");
    EXPECT_EQ(s.encryption, Encryption::starttls);
    EXPECT_EQ(s.port, 587);
    EXPECT_TRUE(s.verify_tls);
    EXPECT_EQ(parse_settings(R"({"host":"h","from_address":"a@b.c","encryption":"tls"})").port, 465);
    EXPECT_EQ(parse_settings(R"({"host":"h","from_address":"a@b.c","encryption":"none"})").port, 25);
    EXPECT_EQ(parse_settings(R"({"host":"h","from_address":"a@b.c","encryption":"tls","port":2465})").port, 2465);
}

TEST(Settings, ReadsEverything) {
    Settings s = parse_settings(R"({"host":"h","from_address":"a@b.c","from_name":"Équipe","reply_to":"r@b.c",
        "username":"u","password":"p w","auth_mechanism":"login","verify_tls":false,"connect_timeout_seconds":5,
        "response_timeout_seconds":7,"body_encoding":"base64","ehlo_name":"client.example"})");
    EXPECT_EQ(s.from_name, "Équipe");
    EXPECT_EQ(s.reply_to, "r@b.c");
    EXPECT_EQ(s.password, "p w");
    EXPECT_EQ(s.auth_mechanism, AuthMechanism::login);
    EXPECT_FALSE(s.verify_tls);
    EXPECT_EQ(s.connect_timeout_seconds, 5);
    EXPECT_EQ(s.response_timeout_seconds, 7);
    EXPECT_EQ(s.body_encoding, BodyEncoding::base64);
    EXPECT_EQ(s.ehlo_name, "client.example");
}

TEST(Settings, ErrorsNameTheField) {
    EXPECT_EQ(field_of_error(R"({"host":"h","from_address":"nobody"})"), "from_address");
    EXPECT_EQ(field_of_error(R"({"host":"h","from_address":"a@b.c","from_name":"X\r\nBcc: e@v.il"})"), "from_name");
    EXPECT_EQ(field_of_error(R"({"host":"h","from_address":"a@b.c","reply_to":"not an address"})"), "reply_to");
    EXPECT_EQ(field_of_error(R"({"host":"smtp://h:25","from_address":"a@b.c"})"), "host");
    EXPECT_EQ(field_of_error(R"({"host":"h","from_address":"a@b.c","username":"u"})"), "password");
    EXPECT_EQ(field_of_error(R"({"host":"h","from_address":"a@b.c","password":"p"})"), "username");
    EXPECT_EQ(field_of_error(R"({"host":"h","from_address":"a@b.c","ca_file":"/nonexistent/ca.pem"})"), "ca_file");
    EXPECT_EQ(field_of_error(R"({"host":"h","from_address":"a@b.c","ehlo_name":"bad name"})"), "ehlo_name");
    EXPECT_EQ(field_of_error(R"({"host":"h","from_address":"a@b.c","connect_timeout_seconds":0})"),
              "connect_timeout_seconds");
}

TEST(Settings, PasswordInClearNeedsExplicitConsent) {
    EXPECT_EQ(field_of_error(R"({"host":"h","from_address":"a@b.c","encryption":"none","username":"u","password":"p"})"),
              "encryption");
    EXPECT_EQ(field_of_error(R"({"host":"h","from_address":"a@b.c","encryption":"none","username":"u","password":"p",
                                 "allow_auth_without_tls":true})"),
              "(accepted)");
}

TEST(Settings, ErrorTextNeverContainsThePassword) {
    try {
        parse_settings(R"({"host":"h","from_address":"bad","username":"u","password":"s3cret"})");
        FAIL();
    } catch (const SettingsError& e) {
        EXPECT_EQ(std::string(e.what()).find("s3cret"), std::string::npos);
    }
}

TEST(Settings, SchemaDescribesEveryProperty) {
    std::string schema = settings_schema;
    EXPECT_NE(schema.find("\"additionalProperties\": false"), std::string::npos);
    size_t properties = 0, descriptions = 0;
    for (size_t p = schema.find("\": {\"type\""); p != std::string::npos; p = schema.find("\": {\"type\"", p + 1)) ++properties;
    for (size_t p = schema.find("\": {\"enum\""); p != std::string::npos; p = schema.find("\": {\"enum\"", p + 1)) ++properties;
    for (size_t p = schema.find("\"description\""); p != std::string::npos; p = schema.find("\"description\"", p + 1)) ++descriptions;
    EXPECT_EQ(properties, 16u);
    EXPECT_EQ(descriptions, properties);
}
