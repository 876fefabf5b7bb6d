// Verification codes on the store (SQLite, and PostgreSQL in the .postgresql variant), with a clock the
// test moves: the message expires with its code and is claimed before bulk messages on its transport,
// a newer code withdraws the older one's queued message, a delivered code's text is erased, and two hosts
// on one store count the daily limit together, alerting once.
#include "store_fixture.hpp"

#include <agency/people_store.hpp>
#include <agency/settings_store.hpp>
#include <authentication/verification_codes.hpp>
#include <sending/pipeline.hpp>

#include <gtest/gtest.h>

#include <atomic>
#include <regex>
#include <thread>

namespace extcomm::authentication {
namespace {

constexpr TimeMs kMinute = 60'000;

// One host on the store: its people, pipeline and verification codes.
struct Host {
    Host(Database& db, Outbox& outbox, const Clock& clock)
        : people(db, clock), pipeline(db, outbox),
          codes(pipeline, people, clock, "test-key", [](const std::string&) { return std::string(); }) {}
    agency::PeopleStore people;
    sending::Pipeline pipeline;
    VerificationCodes codes;
};

class VerificationCodesTest : public extcomm::testing::StoreTest {
protected:
    void SetUp() override {
        StoreTest::SetUp();
        auto& s = snapshot.settings;
        s.general.country_calling_code = "61";
        s.email = {true, "mail", true, ""};
        s.sms = {true, "sms"};
        s.authentication.two_step_login = true;
        s.authentication.limit_alert_category = "security";
        host = std::make_unique<Host>(*db, *outbox, clock);
        ASSERT_EQ(host->people.put_category({"security", "Security"}), agency::Saved::created);
        put("ana", "0491570100", {});
        put("sec", "", {"security"});
    }
    void TearDown() override {
        host.reset();
        StoreTest::TearDown();
    }
    void put(const std::string& id, const std::string& mobile, std::vector<std::string> categories) {
        agency::Worker w;
        w.id = id;
        w.first_name = id;
        w.last_name = "Lee";
        w.email = id + "@agency.example";
        w.mobile = mobile;
        w.categories = std::move(categories);
        ASSERT_TRUE(std::holds_alternative<agency::Saved>(host->people.put_worker(w, snapshot.settings.general)));
    }
    std::variant<IssuedCode, CodeRefused, FieldError> ask(agency::CodeChannel channel = agency::CodeChannel::email,
                                                          Host* on = nullptr) {
        return (on ? on : host.get())->codes.request(snapshot, {"ana", CodePurpose::login, channel});
    }
    std::string issued(agency::CodeChannel channel = agency::CodeChannel::email) {
        auto answer = ask(channel);
        EXPECT_TRUE(std::holds_alternative<IssuedCode>(answer));
        return std::holds_alternative<IssuedCode>(answer) ? std::get<IssuedCode>(answer).id : "";
    }
    Verdict verify(const std::string& id, const std::string& code) {
        auto answer = host->codes.verify(snapshot, id, code);
        EXPECT_TRUE(answer);
        return answer ? answer->verdict : Verdict::invalid;
    }
    static std::string code_in(const OutboundMessage& m) {
        std::smatch match;
        EXPECT_TRUE(std::regex_search(m.body, match, std::regex("code is ([0-9]+)"))) << m.body;
        return match.size() > 1 ? match[1].str() : "";
    }
    std::vector<OutboundMessage> claim(const std::string& transport, int limit = 100) {
        return outbox->claim(transport, "test-" + transport, limit);
    }

    agency::SettingsSnapshot snapshot;
    std::unique_ptr<Host> host;
};

TEST_F(VerificationCodesTest, TheMessageExpiresWithItsCode) {
    const TimeMs asked_at = clock.now_ms();
    const std::string id = issued();
    const auto sent = claim("mail");
    ASSERT_EQ(sent.size(), 1u);
    EXPECT_EQ(sent[0].expires_at, asked_at + 10 * kMinute);
    EXPECT_TRUE(sent[0].priority);
    EXPECT_TRUE(sent[0].secret_body);
    EXPECT_EQ(sent[0].to, "ana@agency.example");
    clock.advance(10 * kMinute);
    EXPECT_EQ(verify(id, code_in(sent[0])), Verdict::expired);
}

TEST_F(VerificationCodesTest, ANewerCodeWithdrawsTheQueuedOneAndOnlyItCounts) {
    const std::string first = issued();
    const std::string second = issued();
    const auto waiting = claim("mail");
    ASSERT_EQ(waiting.size(), 1u); // the first one's message is no longer queued
    const auto withdrawn = outbox->count_by_state()[MessageState::expired];
    EXPECT_EQ(withdrawn, 1);
    const std::string code = code_in(waiting[0]);
    EXPECT_EQ(verify(first, code), Verdict::expired);
    EXPECT_EQ(verify(second, code), Verdict::valid);
}

TEST_F(VerificationCodesTest, TheTextIsErasedOnceHandedOver) {
    issued();
    auto sent = claim("mail");
    ASSERT_EQ(sent.size(), 1u);
    outbox->settle("test-mail", {{sent[0], DeliveryResult{Outcome::accepted, "p-1", "", "", 0}}}, RetryPolicy{});
    const auto stored = outbox->find(sent[0].id);
    ASSERT_TRUE(stored);
    EXPECT_EQ(stored->state, MessageState::sent);
    EXPECT_EQ(stored->body, "");
    EXPECT_EQ(stored->subject, "");
    EXPECT_EQ(stored->html_body, "");
}

TEST_F(VerificationCodesTest, ClaimedBeforeTheBulkQueuedBeforeIt) {
    std::vector<NewMessage> bulk(300, sms());
    outbox->enqueue(std::move(bulk));
    clock.advance(1);
    issued(agency::CodeChannel::sms);
    const auto first_round = claim("sms", 10);
    ASSERT_EQ(first_round.size(), 10u);
    EXPECT_EQ(first_round.front().kind, "verification-code");
    EXPECT_EQ(first_round.front().to, "+61491570100");
}

TEST_F(VerificationCodesTest, LimitsAnswerWithTheNextAgencyMidnightAndAlertOnce) {
    snapshot.settings.general.time_zone = "Australia/Sydney";
    snapshot.settings.authentication.max_codes_per_worker_per_day = 2;
    issued();
    issued();
    for (int i = 0; i < 3; ++i) {
        auto answer = ask();
        ASSERT_TRUE(std::holds_alternative<CodeRefused>(answer));
        const auto& refused = std::get<CodeRefused>(answer);
        EXPECT_EQ(refused.why, CodeRefusal::worker_daily_limit);
        EXPECT_EQ(refused.retry_at, agency_day(clock.now_ms(), "Australia/Sydney")->next_midnight);
    }
    sending::DecisionFilter to_security;
    to_security.worker = "sec";
    EXPECT_EQ(host->pipeline.log().find(to_security).size(), 1u);
    clock.set(std::get<CodeRefused>(ask()).retry_at); // the next day
    EXPECT_TRUE(std::holds_alternative<IssuedCode>(ask()));
}

TEST_F(VerificationCodesTest, TwoHostsOnOneStoreCountTogether) {
    snapshot.settings.authentication.max_codes_per_worker_per_day = 1000;
    snapshot.settings.authentication.max_codes_per_day = 7;
    // A second process on PostgreSQL; on SQLite, which one process holds (the host's store lock), a second
    // set of senders on the same store.
    auto other_db = driver() == "postgresql" ? std::make_unique<Database>(store_options()) : nullptr;
    Database& other_store = other_db ? *other_db : *db;
    auto other_outbox = std::make_unique<Outbox>(other_store, clock);
    Host other(other_store, *other_outbox, clock);
    std::atomic<int> sent{0}, refused{0};
    auto run = [&](Host* on) {
        for (int i = 0; i < 10; ++i) {
            auto answer = ask(agency::CodeChannel::email, on);
            if (std::holds_alternative<IssuedCode>(answer)) ++sent;
            else if (std::holds_alternative<CodeRefused>(answer)) ++refused;
        }
    };
    std::thread a(run, host.get()), b(run, &other);
    a.join();
    b.join();
    EXPECT_EQ(sent.load(), 7);
    EXPECT_EQ(refused.load(), 13);
    sending::DecisionFilter to_security;
    to_security.worker = "sec";
    EXPECT_EQ(host->pipeline.log().find(to_security).size(), 1u);
}

} // namespace
} // namespace extcomm::authentication
