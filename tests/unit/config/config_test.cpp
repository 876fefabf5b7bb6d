#include <config/config.hpp>

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

namespace extcomm::host {
namespace {

class ConfigTest : public ::testing::Test {
protected:
    std::string write(const std::string& text) {
        path_ = std::filesystem::temp_directory_path() / ("extcomm-config-" + std::to_string(::getpid()) + ".json");
        std::ofstream(path_) << text;
        return path_.string();
    }
    void TearDown() override { std::filesystem::remove(path_); }

    static std::vector<std::string> texts(const ConfigResult& r) {
        std::vector<std::string> out;
        for (const auto& p : r.problems) out.push_back(p.text());
        return out;
    }

private:
    std::filesystem::path path_;
};

const char* kValid = R"({
  "store": {"driver": "sqlite", "path": "var/x.db"},
  "http": {"listen": "127.0.0.1", "port": 0},
  "api_tokens": ["${EXTCOMM_TEST_TOKEN}"],
  "plugin_dir": "build/plugins",
  "transports": [
    {"name": "smtp-main", "plugin": "smtp", "settings": {"password": "${EXTCOMM_TEST_SMTP_PASSWORD}"}},
    {"name": "smtp-auth", "plugin": "smtp", "enabled": false, "settings": {}, "http": {"timeout_ms": 100}}
  ]
})";

TEST_F(ConfigTest, ReadsAValidFileAndTakesSecretsFromTheEnvironment) {
    ::setenv("EXTCOMM_TEST_TOKEN", "a-token-of-sixteen-chars", 1);
    ::setenv("EXTCOMM_TEST_SMTP_PASSWORD", "s3cret", 1);
    ConfigResult r = load_config(write(kValid));
    ASSERT_TRUE(r.config) << ::testing::PrintToString(texts(r));
    EXPECT_EQ(r.config->api_tokens.at(0).secret, "a-token-of-sixteen-chars");
    ASSERT_EQ(r.config->transports.size(), 2u);
    EXPECT_EQ(r.config->transports[0].settings.at("password").as_string(), "s3cret");
    EXPECT_FALSE(r.config->transports[1].enabled);
    EXPECT_EQ(r.config->transports[1].http.timeout.count(), 100);
    EXPECT_EQ(r.config->port, 0);
}

TEST_F(ConfigTest, AMissingVariableIsAnErrorNamingItAndWhereItIsUsed) {
    ::setenv("EXTCOMM_TEST_TOKEN", "a-token-of-sixteen-chars", 1);
    ::unsetenv("EXTCOMM_TEST_SMTP_PASSWORD");
    ConfigResult r = load_config(write(kValid));
    EXPECT_FALSE(r.config);
    EXPECT_EQ(texts(r), std::vector<std::string>{
                            "transports[0].settings.password: environment variable EXTCOMM_TEST_SMTP_PASSWORD is not set"});
}

TEST_F(ConfigTest, SchemaProblemsNameTheirJsonPath) {
    ConfigResult r = load_config(write(R"({
      "store": {"driver": "oracle", "path": 7},
      "plugin_dir": "p", "api_tokens": ["short"],
      "transports": [{"name": "Bad Name", "plugin": "smtp", "settings": {}, "colour": "red"}],
      "listen": 1
    })"));
    EXPECT_FALSE(r.config);
    auto t = texts(r);
    auto has = [&](const std::string& s) { return std::find(t.begin(), t.end(), s) != t.end(); };
    EXPECT_TRUE(has("store.driver: is not one of the allowed values")) << ::testing::PrintToString(t);
    EXPECT_TRUE(has("store.path: expected string")) << ::testing::PrintToString(t);
    EXPECT_TRUE(has("api_tokens[0]: is too short")) << ::testing::PrintToString(t);
    EXPECT_TRUE(has("transports[0].name: does not have the required form")) << ::testing::PrintToString(t);
    EXPECT_TRUE(has("transports[0].colour: is not a known setting")) << ::testing::PrintToString(t);
    EXPECT_TRUE(has("listen: is not a known setting")) << ::testing::PrintToString(t);
}

TEST_F(ConfigTest, MissingRequiredMembersAreNamed) {
    ConfigResult r = load_config(write(R"({"store": {"driver": "sqlite"}, "transports": []})"));
    auto t = texts(r);
    EXPECT_NE(std::find(t.begin(), t.end(), "plugin_dir: is required"), t.end()) << ::testing::PrintToString(t);
}

TEST_F(ConfigTest, TheListenersDeadlinesAreReadAndThreadsIsAcceptedWithAWarning) {
    ConfigResult r = load_config(write(R"({"store": {"driver": "sqlite", "path": "x"}, "plugin_dir": "p",
      "api_tokens": [{"name": "cms", "token": "0123456789abcdef", "role": "integration"}], "transports": [],
      "http": {"threads": 16, "header_timeout_ms": 1500, "max_connections": 50, "handler_threads": 2,
      "max_webhook_receipts": 5}})"));
    ASSERT_TRUE(r.config) << ::testing::PrintToString(texts(r));
    EXPECT_EQ(r.config->http_server.header_timeout.count(), 1500);
    EXPECT_EQ(r.config->http_server.body_timeout.count(), 30000); // the default
    EXPECT_EQ(r.config->http_server.max_connections, 50u);
    EXPECT_EQ(r.config->http_server.handler_threads, 2u);
    EXPECT_EQ(r.config->max_webhook_receipts, 5u);
    ASSERT_EQ(r.warnings.size(), 1u);
    EXPECT_EQ(r.warnings[0].path, "http.threads");
}

TEST_F(ConfigTest, RetentionDaysAreReadWithTheirDefaultsAndLimits) {
    const std::string base = R"({"store": {"driver": "sqlite", "path": "x"}, "plugin_dir": "p",
      "api_tokens": ["0123456789abcdef"], "transports": [], "retention_days": )";
    ConfigResult r = load_config(write(base + R"({"messages": 30, "audit": 0}})"));
    ASSERT_TRUE(r.config) << ::testing::PrintToString(texts(r));
    EXPECT_EQ(r.config->retention_days.messages, 30);
    EXPECT_EQ(r.config->retention_days.audit, 0); // kept for ever
    EXPECT_EQ(r.config->retention_days.receipts, 180);
    EXPECT_EQ(r.config->retention_days.trigger_firings, 365);

    r = load_config(write(base + R"({"receipts": -1, "trigger_firings": 99999999999, "answers": 3}})"));
    EXPECT_FALSE(r.config);
    auto t = texts(r);
    for (const char* p : {"retention_days.receipts: ", "retention_days.trigger_firings: ", "retention_days.answers: "})
        EXPECT_TRUE(std::any_of(t.begin(), t.end(), [&](const std::string& s) { return s.rfind(p, 0) == 0; }))
            << p << ::testing::PrintToString(t);
}

TEST_F(ConfigTest, TheCatchUpWindowOfTimeBasedTriggersHasADefaultAndARange) {
    const std::string base = R"({"store": {"driver": "sqlite", "path": "x"}, "plugin_dir": "p",
      "api_tokens": ["0123456789abcdef"], "transports": [])";
    ConfigResult r = load_config(write(base + "}"));
    ASSERT_TRUE(r.config) << ::testing::PrintToString(texts(r));
    EXPECT_EQ(r.config->events.catch_up_hours, 24);
    r = load_config(write(base + R"(, "events": {"catch_up_hours": 2}})"));
    ASSERT_TRUE(r.config) << ::testing::PrintToString(texts(r));
    EXPECT_EQ(r.config->events.catch_up_hours, 2);
    r = load_config(write(base + R"(, "events": {"catch_up_hours": -1}})"));
    EXPECT_FALSE(r.config);
    auto t = texts(r);
    EXPECT_TRUE(std::any_of(t.begin(), t.end(), [](const std::string& s) { return s.rfind("events.catch_up_hours: ", 0) == 0; }))
        << ::testing::PrintToString(t);
}

TEST_F(ConfigTest, TwoTransportsMayNotShareAName) {
    ConfigResult r = load_config(write(R"({"store": {"driver": "sqlite", "path": "x"}, "plugin_dir": "p",
      "api_tokens": ["0123456789abcdef"],
      "transports": [{"name": "sms", "plugin": "bulksms", "settings": {}}, {"name": "sms", "plugin": "clickatell", "settings": {}}]})"));
    EXPECT_EQ(texts(r), std::vector<std::string>{"transports[1].name: 'sms' is used by another transport"});
}

TEST_F(ConfigTest, TheServiceNeverRunsWithoutATokenAndBadJsonIsReportedAsSuch) {
    ConfigResult no_tokens = load_config(write(R"({"store": {"driver": "sqlite", "path": "x"}, "plugin_dir": "p", "transports": []})"));
    EXPECT_EQ(no_tokens.problems.at(0).path, "api_tokens");
    ConfigResult broken = load_config(write("{ not json"));
    EXPECT_NE(broken.problems.at(0).message.find("is not valid JSON"), std::string::npos);
    ConfigResult missing = load_config("/nonexistent/extcomm.json");
    EXPECT_NE(missing.problems.at(0).message.find("cannot read"), std::string::npos);
}

// A configuration around one transport's `delivery` and the `http.public_url`, for the refusals below.
std::string with(const std::string& delivery, const std::string& public_url = "https://agency.example.org") {
    return R"({"store": {"driver": "sqlite", "path": "x"}, "plugin_dir": "p", "api_tokens": ["0123456789abcdef"],
      "http": {"public_url": ")" + public_url + R"("}, "transports": [{"name": "mail", "plugin": "file",
      "settings": {}, "delivery": )" + delivery + "}]}";
}

TEST_F(ConfigTest, ARepeatedMemberOrANulIsRefusedNamingWhere) {
    ConfigResult twice = load_config(write(with(R"({"concurrency": 2, "concurrency": 3})")));
    ASSERT_EQ(twice.problems.size(), 1u) << ::testing::PrintToString(texts(twice));
    EXPECT_EQ(twice.problems[0].path, "transports[0].delivery.concurrency");
    ConfigResult nul = load_config(write(with("{}", "https://agency.example.org/\\u0000/x")));
    ASSERT_EQ(nul.problems.size(), 1u) << ::testing::PrintToString(texts(nul));
    EXPECT_EQ(nul.problems[0].path, "http.public_url");
}

TEST_F(ConfigTest, EveryIntegerHasARange) {
    for (const char* delivery : {R"({"breaker_failures": 9223372036854775807})", R"({"breaker_open_seconds": 18446744073709551615})",
                                 R"({"kinds": {"booking-notice": {"max_age_seconds": 9223372036854775}}})",
                                 R"({"rate_per_second": 1e300})"}) {
        ConfigResult r = load_config(write(with(delivery)));
        EXPECT_FALSE(r.config) << delivery;
        ASSERT_EQ(r.problems.size(), 1u) << ::testing::PrintToString(texts(r));
        EXPECT_EQ(r.problems[0].path.rfind("transports[0].delivery.", 0), 0u) << r.problems[0].text();
    }
    ConfigResult lease = load_config(write(with("{}").replace(0, 1, R"({"delivery": {"lease_seconds": 9223372036854775000},)")));
    EXPECT_EQ(texts(lease), std::vector<std::string>{"delivery.lease_seconds: must be at most 3600"});
}

TEST_F(ConfigTest, ANumericKindIsNamedAsAKeyNotReadAsAnIndex) {
    ConfigResult r = load_config(write(with(R"({"kinds": {"12345678901234567890123": {"max_attempts": 0}}})")));
    EXPECT_EQ(texts(r), std::vector<std::string>{
                            "transports[0].delivery.kinds.12345678901234567890123.max_attempts: must be at least 1"})
        << ::testing::PrintToString(texts(r));
}

TEST_F(ConfigTest, VariablesAreReadWithoutRecursion) {
    ::setenv("EXTCOMM_TEST_HOST", "agency.example.org", 1);
    ConfigResult r = load_config(write(with("{}", "https://${EXTCOMM_TEST_HOST}/${not a name}/${" + std::string(30000, 'A'))));
    ASSERT_TRUE(r.config) << ::testing::PrintToString(texts(r));
    EXPECT_EQ(r.config->public_url, "https://agency.example.org/${not a name}/${" + std::string(30000, 'A'));
}

TEST_F(ConfigTest, TheEmbeddedDefaultConfigurationIsValid) {
    ::setenv("EXTCOMM_API_TOKEN", "a-token-of-sixteen-chars", 1);
    ConfigResult r = load_config(std::string(std::getenv("EXTCOMM_SOURCE_DIR")) + "/config/extcomm.json");
    ASSERT_TRUE(r.config) << ::testing::PrintToString(texts(r));
    EXPECT_TRUE(r.warnings.empty()) << r.warnings.size(); // its token has a role
}

} // namespace
} // namespace extcomm::host
