#include "store_fixture.hpp"

#include <store/migrations.hpp>

#include <algorithm>
#include <set>

namespace extcomm::testing {
namespace {

using Results = std::vector<std::pair<OutboundMessage, DeliveryResult>>;

DeliveryResult outcome(Outcome o, std::string code = "", TimeMs retry_after = 0) {
    return DeliveryResult{o, o == Outcome::accepted ? "provider-1" : "", code, "provider text", retry_after};
}

class OutboxTest : public StoreTest {};

// The store, the API and /metrics spell a state the way this table does, and read it back the same way.
TEST(MessageStateNames, EveryStateHasItsOwnNameThatReadsBack) {
    std::set<std::string_view> names;
    for (MessageState s : kAllMessageStates) {
        EXPECT_EQ(state_from(to_string(s)), s);
        names.insert(to_string(s));
    }
    EXPECT_EQ(names.size(), std::size(kAllMessageStates));
    EXPECT_FALSE(state_from("unknown"));
}

TEST_F(OutboxTest, AcceptedMessageIsStoredQueuedWithItsExpiry) {
    auto stored = outbox->enqueue({sms()});
    ASSERT_EQ(stored.size(), 1u);
    auto found = outbox->find(stored[0].id);
    ASSERT_TRUE(found);
    EXPECT_EQ(found->state, MessageState::queued);
    EXPECT_EQ(found->to, "+61491570156");
    EXPECT_EQ(found->idempotency_key, found->id);
    EXPECT_EQ(found->expires_at, clock.now_ms() + outbox_options.default_max_age_ms);
}

// Time-ordered ids keep a batch of new rows on the last pages of the id and key indexes (see new_id()).
TEST_F(OutboxTest, IdsAreTimeOrderedUuids) {
    std::vector<NewMessage> batch(300, sms());
    auto first = outbox->enqueue(batch);
    auto second = outbox->enqueue(batch);
    std::set<std::string> seen;
    for (const auto* stored : {&first, &second})
        for (const OutboundMessage& m : *stored) {
            ASSERT_EQ(m.id.size(), 36u) << m.id;
            EXPECT_EQ(m.id[14], '7') << m.id;                             // version 7
            EXPECT_NE(std::string("89ab").find(m.id[19]), std::string::npos) << m.id; // RFC 4122 variant
            EXPECT_TRUE(seen.insert(m.id).second) << "repeated id " << m.id;
        }
    // Made one batch after the other (on the group commit's thread): the later batch sorts after the earlier.
    EXPECT_LT(std::max_element(first.begin(), first.end(), [](auto& a, auto& b) { return a.id < b.id; })->id,
              std::min_element(second.begin(), second.end(), [](auto& a, auto& b) { return a.id < b.id; })->id);
}

TEST_F(OutboxTest, SurvivesReopeningTheStore) {
    auto id = outbox->enqueue({sms()})[0].id;
    open(); // a new process on the same file
    ASSERT_TRUE(outbox->find(id));
    EXPECT_EQ(db->schema_version(), migrations().back().version);
}

TEST_F(OutboxTest, SameIdempotencyKeyGivesTheSameMessage) {
    NewMessage a = sms(), b = sms("+61491570157", "other");
    a.idempotency_key = b.idempotency_key = "booking-42-confirmation";
    auto first = outbox->enqueue({a});
    auto second = outbox->enqueue({b});
    EXPECT_EQ(first[0].id, second[0].id);
    EXPECT_EQ(second[0].to, "+61491570156"); // the stored message, not the one offered again
    EXPECT_EQ(outbox->count_by_state()[MessageState::queued], 1);
}

TEST_F(OutboxTest, FindsStoredMessagesByTheirIdempotencyKeys) {
    NewMessage a = sms("+61491570156", "first"), b = sms("+61491570157", "second");
    a.idempotency_key = "key-a";
    b.idempotency_key = "key-b";
    outbox->enqueue({a, b});
    auto found = outbox->find_by_keys({"key-b", "key-unknown", "key-b"});
    ASSERT_EQ(found.size(), 1u);
    EXPECT_EQ(found[0].idempotency_key, "key-b");
    EXPECT_EQ(found[0].body, "second");
    EXPECT_TRUE(outbox->find_by_keys({}).empty());
}

TEST_F(OutboxTest, ClaimLeasesDueMessagesOfOneTransportOnce) {
    NewMessage later = sms();
    later.run_at = clock.now_ms() + 60'000;
    NewMessage email;
    email.transport = "email";
    email.to = "a@example.org";
    email.body = "x";
    outbox->enqueue({sms(), sms(), later, email});
    auto claimed = outbox->claim("sms", "host-a", 10);
    EXPECT_EQ(claimed.size(), 2u);
    for (const auto& m : claimed) {
        EXPECT_EQ(m.state, MessageState::sending);
        EXPECT_EQ(m.attempts, 1);
    }
    EXPECT_TRUE(outbox->claim("sms", "host-b", 10).empty()); // leased, and the third is not due
}

TEST_F(OutboxTest, AcceptedBecomesSentWithTheProviderIdAndAnAttempt) {
    outbox->enqueue({sms()});
    auto claimed = outbox->claim("sms", "host-a", 10);
    outbox->settle("host-a", Results{{claimed[0], outcome(Outcome::accepted, "201")}}, RetryPolicy{});
    auto m = outbox->find(claimed[0].id);
    EXPECT_EQ(m->state, MessageState::sent);
    EXPECT_EQ(m->provider_message_id, "provider-1");
    auto attempts = outbox->attempts(m->id);
    ASSERT_EQ(attempts.size(), 1u);
    EXPECT_EQ(attempts[0].outcome, "accepted");
    EXPECT_EQ(attempts[0].provider_code, "201");
    EXPECT_EQ(attempts[0].provider_text, "provider text");
}

TEST_F(OutboxTest, RejectedIsFinal) {
    outbox->enqueue({sms()});
    auto claimed = outbox->claim("sms", "host-a", 10);
    outbox->settle("host-a", Results{{claimed[0], outcome(Outcome::rejected, "105")}}, RetryPolicy{});
    EXPECT_EQ(outbox->find(claimed[0].id)->state, MessageState::rejected);
    clock.advance(3'600'000);
    EXPECT_TRUE(outbox->claim("sms", "host-a", 10).empty());
}

TEST_F(OutboxTest, RetryWaitsAtLeastTheProvidersRetryAfterThenGoesAgain) {
    outbox->enqueue({sms()});
    auto claimed = outbox->claim("sms", "host-a", 10);
    outbox->settle("host-a", Results{{claimed[0], outcome(Outcome::retry, "429", 30'000)}}, RetryPolicy{});
    auto m = outbox->find(claimed[0].id);
    EXPECT_EQ(m->state, MessageState::queued);
    EXPECT_GE(m->run_at, clock.now_ms() + 30'000);
    EXPECT_TRUE(outbox->claim("sms", "host-a", 10).empty());
    clock.set(m->run_at);
    auto again = outbox->claim("sms", "host-a", 10);
    ASSERT_EQ(again.size(), 1u);
    EXPECT_EQ(again[0].attempts, 2);
}

TEST_F(OutboxTest, RetriesStopAtMaxAttempts) {
    outbox->enqueue({sms()});
    RetryPolicy policy;
    policy.max_attempts = 3;
    for (int i = 1; i <= 3; ++i) {
        auto claimed = outbox->claim("sms", "host-a", 10);
        ASSERT_EQ(claimed.size(), 1u) << "attempt " << i;
        outbox->settle("host-a", Results{{claimed[0], outcome(Outcome::retry, "500")}}, policy);
        clock.advance(policy.max_delay_ms + 1);
    }
    auto all = outbox->count_by_state();
    EXPECT_EQ(all[MessageState::failed], 1);
}

TEST_F(OutboxTest, TransportFailureDoesNotUseUpTheMessagesAttempts) {
    outbox->enqueue({sms()});
    auto claimed = outbox->claim("sms", "host-a", 10);
    outbox->settle("host-a", Results{{claimed[0], outcome(Outcome::transport_failure, "401")}}, RetryPolicy{});
    auto m = outbox->find(claimed[0].id);
    EXPECT_EQ(m->state, MessageState::queued);
    EXPECT_EQ(m->attempts, 0);
    EXPECT_EQ(outbox->attempts(m->id).size(), 1u); // still on record
    clock.set(m->run_at);
    auto again = outbox->claim("sms", "host-a", 10);
    outbox->settle("host-a", Results{{again.at(0), outcome(Outcome::accepted)}}, RetryPolicy{});
    auto history = outbox->attempts(m->id);
    ASSERT_EQ(history.size(), 2u) << "the failed attempt is not overwritten by the next one";
    EXPECT_EQ(history[0].outcome, "transport_failure");
    EXPECT_EQ(history[1].outcome, "accepted");
}

TEST_F(OutboxTest, ExpiredMessageIsNeverHandedOut) {
    NewMessage m = sms();
    m.expires_at = clock.now_ms() + 1000;
    auto id = outbox->enqueue({m})[0].id;
    clock.advance(1000);
    EXPECT_TRUE(outbox->claim("sms", "host-a", 10).empty());
    EXPECT_EQ(outbox->find(id)->state, MessageState::expired);
}

TEST_F(OutboxTest, LeaseOfADeadHostIsTakenOverAndItsLateSettlementIgnored) {
    outbox->enqueue({sms()});
    auto by_a = outbox->claim("sms", "host-a", 10);
    ASSERT_EQ(by_a.size(), 1u);
    clock.advance(outbox_options.lease_ms + 1);
    auto by_b = outbox->claim("sms", "host-b", 10);
    ASSERT_EQ(by_b.size(), 1u);
    EXPECT_EQ(by_b[0].attempts, 2);
    outbox->settle("host-a", Results{{by_a[0], outcome(Outcome::rejected)}}, RetryPolicy{}); // zombie
    EXPECT_EQ(outbox->find(by_a[0].id)->state, MessageState::sending);
    outbox->settle("host-b", Results{{by_b[0], outcome(Outcome::accepted)}}, RetryPolicy{});
    EXPECT_EQ(outbox->find(by_a[0].id)->state, MessageState::sent);
}

TEST_F(OutboxTest, ReleaseHandsBackUnsentClaimsWithoutCountingAnAttempt) {
    outbox->enqueue({sms(), sms()});
    outbox->claim("sms", "host-a/sms", 10);
    outbox->release("host-a/sms");
    auto again = outbox->claim("sms", "host-a/sms", 10);
    ASSERT_EQ(again.size(), 2u);
    EXPECT_EQ(again[0].attempts, 1);
}

TEST_F(OutboxTest, ReleaseAllRecoversClaimsOfACrashedProcess) {
    outbox->enqueue({sms()});
    outbox->claim("sms", "crashed", 10);
    open();
    outbox->release_all();
    EXPECT_EQ(outbox->claim("sms", "restarted", 10).size(), 1u);
}

TEST_F(OutboxTest, BatchIsAllOrNothingInOneTransaction) {
    std::vector<NewMessage> batch(500, sms());
    auto stored = outbox->enqueue(batch);
    EXPECT_EQ(stored.size(), 500u);
    EXPECT_EQ(outbox->count_by_state()[MessageState::queued], 500);
}

TEST_F(OutboxTest, EachKindHasItsOwnAttemptBudget) {
    NewMessage code = sms(), notice = sms();
    code.kind = "verification_code";
    notice.kind = "booking_notice";
    outbox->enqueue({code, notice});
    RetryPolicy policy;
    policy.max_attempts = 5;
    policy.max_attempts_by_kind["verification_code"] = 1;
    auto claimed = outbox->claim("sms", "host-a", 10);
    ASSERT_EQ(claimed.size(), 2u);
    Results results;
    for (const auto& m : claimed) results.push_back({m, outcome(Outcome::retry, "503")});
    auto ended = outbox->settle("host-a", results, policy);
    for (std::size_t i = 0; i < claimed.size(); ++i) {
        EXPECT_EQ(outbox->find(claimed[i].id)->kind, claimed[i].kind);
        EXPECT_EQ(*ended[i], claimed[i].kind == "verification_code" ? MessageState::failed : MessageState::queued);
    }
}

TEST_F(OutboxTest, SettleSaysNothingForAMessageWhoseLeaseWasLost) {
    outbox->enqueue({sms()});
    auto by_a = outbox->claim("sms", "host-a", 10);
    clock.advance(outbox_options.lease_ms + 1);
    outbox->claim("sms", "host-b", 10);
    auto ended = outbox->settle("host-a", Results{{by_a[0], outcome(Outcome::accepted)}}, RetryPolicy{});
    EXPECT_FALSE(ended.at(0).has_value());
}

TEST(RetryPolicyTest, BackoffIsCappedJitteredAndHonoursRetryAfter) {
    RetryPolicy policy;
    std::mt19937_64 rng(7);
    for (int attempt = 1; attempt < 30; ++attempt) {
        TimeMs d = policy.delay_after(attempt, 0, rng);
        EXPECT_GE(d, 0);
        EXPECT_LE(d, policy.max_delay_ms);
    }
    EXPECT_GE(policy.delay_after(1, 45'000, rng), 45'000);
}

} // namespace
} // namespace extcomm::testing
