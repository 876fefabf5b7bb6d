// Loading never takes the host down: every broken plugin in test-plugins/ is refused with its reason,
// the good ones load and send, and a plugin whose tables are shorter than this header's still works.
#include <plugins/catalog.hpp>
#include <plugins/plugin_transport.hpp>
#include <runtime/transport_set.hpp>

#include <http/http_engine.hpp>

#include <gtest/gtest.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <filesystem>
#include <map>
#include <string>

namespace extcomm::host {
namespace {

const PluginCatalog& catalog() {
    static const PluginCatalog loaded = load_plugins(EXTCOMM_TEST_PLUGIN_DIR);
    return loaded;
}

std::map<std::string, std::string> refusals() {
    std::map<std::string, std::string> out;
    for (const auto& r : catalog().refused) out[r.file.filename().string()] = r.reason;
    return out;
}

TransportConfig transport(const std::string& name, const std::string& plugin, boost::json::object settings,
                          std::size_t index) {
    TransportConfig t;
    t.name = name;
    t.plugin = plugin;
    t.settings = std::move(settings);
    t.path = "transports[" + std::to_string(index) + "]";
    return t;
}

OutboundMessage message(const std::string& id, const std::string& to) {
    OutboundMessage m;
    m.id = id;
    m.idempotency_key = id;
    m.channel = Channel::email;
    m.to = to;
    m.subject = "s";
    m.body = "b";
    m.attempts = 1;
    return m;
}

TEST(PluginLoading, EachBrokenPluginIsRefusedWithItsReason) {
    auto refused = refusals();
    const std::map<std::string, std::string> expected = {
        {"no-entry.so", "not a plugin: no extcomm_transport_entry symbol"},
        {"future-version.so", "interface version not supported: host speaks 1..1, plugin accepted none"},
        {"twin-a.so", "duplicate id 'test-twin': also claimed by zz-duplicate-id.so (neither is loaded)"},
        {"zz-duplicate-id.so", "duplicate id 'test-twin': also claimed by twin-a.so (neither is loaded)"},
        {"no-channel.so", "bad descriptor: no channel (email or sms)"},
        {"codec-without-decode.so", "bad descriptor: an HTTP-codec transport must provide encode and decode"},
        {"open-schema.so", "bad descriptor: the settings schema must reject unknown keys (\"additionalProperties\": false)"},
    };
    for (const auto& [file, reason] : expected) {
        ASSERT_TRUE(refused.count(file)) << file << " was not refused";
        EXPECT_EQ(refused[file], reason) << file;
    }
    ASSERT_TRUE(refused.count("garbage.so"));
    EXPECT_EQ(refused["garbage.so"].rfind("load failure: ", 0), 0u) << refused["garbage.so"];
    EXPECT_NE(refused["garbage.so"].find("invalid ELF header"), std::string::npos) << refused["garbage.so"];
    EXPECT_EQ(refused.size(), expected.size() + 1) << "something else was refused too";
}

TEST(PluginLoading, GoodPluginsLoadBesideTheBrokenOnes) {
    for (const char* id : {"test-echo", "create-throws", "raw-create-throws", "strict-port", "old-table", "misbehaving-codec"})
        EXPECT_TRUE(catalog().find(id)) << id << " did not load; loaded: " << catalog().ids();
    auto echo = catalog().find("test-echo");
    ASSERT_TRUE(echo);
    EXPECT_EQ(echo->file.filename(), "good-echo.so");
    EXPECT_FALSE(catalog().find("test-twin")) << "a duplicate id must refuse every file claiming it";
    EXPECT_EQ(echo->interface_version, 1u);
}

TEST(PluginLoading, GoodTransportsSendWhileBadOnesAreLeftOut) {
    Config config;
    config.transports.push_back(transport("echo", "test-echo", {}, 0));
    config.transports.push_back(transport("thrower", "create-throws", {}, 1));
    config.transports.push_back(transport("raw-thrower", "raw-create-throws", {}, 2));
    config.transports.push_back(transport("strict", "strict-port", {{"host", "mail.example.org"}, {"port", "abc"}}, 3));
    config.transports.push_back(transport("ghost", "no-channel", {}, 4));

    TransportSet set = create_transports(config, catalog(), nullptr);
    ASSERT_EQ(set.transports.size(), 1u);
    EXPECT_EQ(set.transports[0]->name(), "echo");

    ASSERT_EQ(set.problems.size(), 4u);
    bool sdk_throw = false, raw_throw = false, port = false, ghost = false;
    for (const auto& p : set.problems) {
        std::string t = p.text();
        if (t.rfind("transports[1]: plugin 'create-throws' refused to create the transport: plugin threw: "
                    "create-throws always fails to start", 0) == 0)
            sdk_throw = true;
        if (t == "transports[2]: plugin 'raw-create-throws' refused to create the transport: create threw an exception")
            raw_throw = true;
        if (t == "transports[3].settings.port: expected integer") port = true;
        if (t.rfind("transports[4].plugin: no plugin with id 'no-channel' was loaded", 0) == 0) ghost = true;
    }
    EXPECT_TRUE(sdk_throw && raw_throw && port && ghost) << [&] {
        std::string all;
        for (const auto& p : set.problems) all += p.text() + "\n";
        return all;
    }();

    auto results = set.transports[0]->deliver({message("m1", "a@example.org"), message("m2", "b@example.org")});
    ASSERT_EQ(results.size(), 2u);
    EXPECT_EQ(results[0].outcome, Outcome::accepted);
    EXPECT_EQ(results[0].provider_message_id, "echo-m1");
    EXPECT_EQ(results[1].provider_message_id, "echo-m2");
}

TEST(PluginLoading, SchemaIsCheckedBeforeCreateAndUnknownKeysAreErrors) {
    Config config;
    config.transports.push_back(
        transport("strict", "strict-port", {{"host", "h"}, {"port", 25}, {"prot", 25}}, 0));
    auto problems = check_transports(config, catalog());
    ASSERT_EQ(problems.size(), 1u);
    EXPECT_EQ(problems[0].text(), "transports[0].settings.prot: is not a known setting");

    config.transports[0].settings = {{"host", "h"}, {"port", 25}};
    EXPECT_TRUE(check_transports(config, catalog()).empty());
    TransportSet set = create_transports(config, catalog(), nullptr);
    ASSERT_EQ(set.transports.size(), 1u);
    EXPECT_EQ(set.transports[0]->deliver({message("m", "a@example.org")}).front().outcome, Outcome::accepted);
}

// A plugin whose tables are shorter than this header's (as one built against an older header would be):
// the fields past each struct_size read as absent, whatever bytes follow them in the plugin's memory.
TEST(PluginLoading, OlderSmallerTablesLoadAndMissingEntriesAreAbsent) {
    auto old = catalog().find("old-table");
    ASSERT_TRUE(old);
    EXPECT_EQ(old->api.struct_size, offsetof(extcomm_transport_api, parse_webhook));
    EXPECT_EQ(old->api.parse_webhook, nullptr) << "read past the table's struct_size";
    EXPECT_EQ(old->description, "") << "read past the descriptor's struct_size";
    EXPECT_EQ(old->capabilities.max_batch_size, 5u);
    EXPECT_EQ(old->capabilities.max_body_length, 0u) << "read past the capabilities' struct_size";

    Config config;
    config.transports.push_back(transport("old", "old-table", {}, 0));
    TransportSet set = create_transports(config, catalog(), nullptr);
    ASSERT_EQ(set.transports.size(), 1u) << (set.problems.empty() ? "" : set.problems[0].text());
    auto result = set.transports[0]->deliver({message("m7", "a@example.org")}).front();
    EXPECT_EQ(result.outcome, Outcome::accepted);
    EXPECT_EQ(result.provider_message_id, "old-m7");

    // The absent optional entry: the host answers for it (the plugin's poison is never called).
    std::vector<PluginTransport::WebhookUpdate> updates;
    EXPECT_EQ(set.transports[0]->parse_webhook({"POST", "/", "", {}, ""}, updates), 404);
    EXPECT_TRUE(updates.empty());
}

// R13: code is loaded only from files nobody else could have replaced. Each case is a copy of
// good-echo.so in a folder of its own, made untrusted one way.
class UntrustedPlugins : public ::testing::Test {
protected:
    void SetUp() override {
        folder = std::filesystem::temp_directory_path() /
                 ("extcomm-untrusted-" + std::to_string(::getpid()) + "-" +
                  ::testing::UnitTest::GetInstance()->current_test_info()->name());
        std::filesystem::remove_all(folder);
        std::filesystem::create_directory(folder);
        std::filesystem::permissions(folder, std::filesystem::perms::owner_all | std::filesystem::perms::group_read |
                                                 std::filesystem::perms::group_exec);
        file = folder / "good-echo.so";
        std::filesystem::copy_file(std::filesystem::path(EXTCOMM_TEST_PLUGIN_DIR) / "good-echo.so", file);
        std::filesystem::permissions(file, std::filesystem::perms::owner_all);
    }
    void TearDown() override { std::filesystem::remove_all(folder); }

    std::string only_refusal() {
        PluginCatalog c = load_plugins(folder);
        EXPECT_TRUE(c.plugins.empty()) << c.ids();
        return c.refused.size() == 1 ? c.refused[0].reason : "refusals: " + std::to_string(c.refused.size());
    }

    std::filesystem::path folder, file;
};

TEST_F(UntrustedPlugins, ATrustedCopyLoads) {
    EXPECT_TRUE(load_plugins(folder).find("test-echo"));
}

TEST_F(UntrustedPlugins, AFileOthersOrItsGroupCanWriteIsRefused) {
    std::filesystem::permissions(file, std::filesystem::perms::group_write, std::filesystem::perm_options::add);
    EXPECT_EQ(only_refusal(), "untrusted file: writable by its group (mode 0720)");
    std::filesystem::permissions(file, std::filesystem::perms::others_write, std::filesystem::perm_options::add);
    EXPECT_EQ(only_refusal(), "untrusted file: writable by others (mode 0722)");
}

TEST_F(UntrustedPlugins, AFolderOthersCanWriteLoadsNothing) {
    std::filesystem::permissions(folder, std::filesystem::perms::others_write, std::filesystem::perm_options::add);
    EXPECT_EQ(only_refusal(), "untrusted plugin folder: writable by others (mode 0752); no plugin is loaded from it");
}

TEST_F(UntrustedPlugins, AFileOwnedByAnotherUserIsRefused) {
    if (::geteuid() != 0) GTEST_SKIP() << "only root can give a file to another user";
    ASSERT_EQ(::chown(file.c_str(), 4242, 4242), 0);
    EXPECT_EQ(only_refusal(), "untrusted file: owned by uid 4242, not by root or the service user (uid 0)");
}

// A TCP port on 127.0.0.1 that was free a moment ago: nothing listens there.
int closed_port() {
    int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof addr;
    EXPECT_EQ(::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
    EXPECT_EQ(::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len), 0);
    ::close(fd);
    return ntohs(addr.sin_port);
}

// R9: every message is carried once or settled, never both or neither; connection failures never reach
// decode (which would say "accepted").
TEST(PluginLoading, TheHostHoldsACodecToOneRequestOrSettlementPerMessage) {
    HttpEngine engine;
    Config config;
    std::string url = "http://127.0.0.1:" + std::to_string(closed_port()) + "/send";
    config.transports.push_back(transport("codec", "misbehaving-codec", {{"url", url}}, 0));
    TransportSet set = create_transports(config, catalog(), &engine);
    ASSERT_EQ(set.transports.size(), 1u) << (set.problems.empty() ? "" : set.problems[0].text());
    auto& codec = *set.transports[0];
    auto sms = [](const std::string& body) {
        OutboundMessage m = message("m-" + body, "+4915112345678");
        m.channel = Channel::sms;
        m.body = body;
        return m;
    };

    for (const char* body : {"twice", "settle-and-send"}) {
        auto r = codec.deliver({sms(body)}).front();
        EXPECT_EQ(r.outcome, Outcome::internal) << body;
        EXPECT_EQ(r.provider_text, "encode failed") << body;
    }
    auto forgotten = codec.deliver({sms("forget")}).front();
    EXPECT_EQ(forgotten.outcome, Outcome::internal);
    EXPECT_EQ(forgotten.provider_text, "the plugin neither sent nor settled this message");

    auto results = codec.deliver({sms("fine"), sms("also-fine")});
    ASSERT_EQ(results.size(), 2u);
    for (const auto& r : results) {
        EXPECT_EQ(r.outcome, Outcome::retry);
        EXPECT_EQ(r.provider_code, "http-connect") << r.provider_text;
    }
}

TEST(PluginLoading, AMissingFolderIsARefusalNotACrash) {
    PluginCatalog none = load_plugins(std::string(EXTCOMM_TEST_PLUGIN_DIR) + "/does-not-exist");
    EXPECT_TRUE(none.plugins.empty());
    ASSERT_EQ(none.refused.size(), 1u);
    EXPECT_EQ(none.refused[0].reason.rfind("cannot read plugin folder: ", 0), 0u);
}

} // namespace
} // namespace extcomm::host
