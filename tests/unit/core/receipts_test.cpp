// Delivery receipts and replies against the store: any order, any number of times, unknown ids.
#include "store_fixture.hpp"

#include <outbox/receipts.hpp>

namespace extcomm::testing {
namespace {

class RecordingListener final : public ReceiptListener, public ReplyListener {
public:
    void on_receipt(const OutboundMessage& message, const Receipt& receipt, TimeMs) override {
        changes.emplace_back(message.id, receipt.status);
    }
    void on_reply(const StoredReply& reply) override { replies.push_back(reply); }
    std::vector<std::pair<std::string, MessageState>> changes;
    std::vector<StoredReply> replies;
};

class ReceiptsTest : public StoreTest {
protected:
    void SetUp() override {
        StoreTest::SetUp();
        receipts = std::make_unique<Receipts>(*db, clock);
        receipts->add_listener(static_cast<ReceiptListener*>(&listener));
        receipts->add_listener(static_cast<ReplyListener*>(&listener));
    }
    void TearDown() override {
        receipts.reset();
        StoreTest::TearDown();
    }

    // A message the provider accepted under `provider_id`: state sent.
    std::string sent(const std::string& provider_id) {
        auto id = outbox->enqueue({sms()})[0].id;
        auto claimed = outbox->claim("sms", "host", 10);
        settle(claimed, provider_id);
        return id;
    }
    void settle(const std::vector<OutboundMessage>& claimed, const std::string& provider_id) {
        std::vector<std::pair<OutboundMessage, DeliveryResult>> results;
        for (const auto& m : claimed)
            results.emplace_back(m, DeliveryResult{Outcome::accepted, provider_id, "ACCEPTED", "accepted", 0});
        outbox->settle("host", results, RetryPolicy{});
    }
    static Receipt receipt(const std::string& provider_id, MessageState status, std::string code = "code",
                           TimeMs occurred = 0) {
        Receipt r;
        r.transport = "sms";
        r.provider_message_id = provider_id;
        r.status = status;
        r.provider_code = std::move(code);
        r.provider_text = "provider text";
        r.occurred_at = occurred;
        return r;
    }
    MessageState state_of(const std::string& id) { return outbox->find(id)->state; }

    RecordingListener listener;
    std::unique_ptr<Receipts> receipts;
};

TEST_F(ReceiptsTest, DeliveredReceiptMovesASentMessageAndIsShownWithIt) {
    auto id = sent("p-1");
    clock.advance(5'000);
    auto outcome = receipts->apply(receipt("p-1", MessageState::delivered, "DELIVERED.null", 1'800'000'004'000));
    EXPECT_EQ(outcome.effect, ReceiptEffect::changed);
    ASSERT_TRUE(outcome.message);
    EXPECT_EQ(outcome.message->id, id);
    EXPECT_EQ(state_of(id), MessageState::delivered);
    EXPECT_EQ(outbox->find(id)->last_code, "DELIVERED.null");
    auto shown = receipts->receipts_of(id);
    ASSERT_EQ(shown.size(), 1u);
    EXPECT_EQ(shown[0].status, MessageState::delivered);
    EXPECT_EQ(shown[0].provider_code, "DELIVERED.null");
    EXPECT_EQ(shown[0].occurred_at, 1'800'000'004'000);
    EXPECT_EQ(shown[0].received_at, clock.now_ms());
    EXPECT_EQ(listener.changes, (std::vector<std::pair<std::string, MessageState>>{{id, MessageState::delivered}}));
}

TEST_F(ReceiptsTest, ALateSentReceiptNeverMovesADeliveredMessageBack) {
    auto id = sent("p-1");
    receipts->apply(receipt("p-1", MessageState::delivered, "DELIVERED"));
    auto late = receipts->apply(receipt("p-1", MessageState::sent, "SENT"));
    EXPECT_EQ(late.effect, ReceiptEffect::unchanged);
    EXPECT_EQ(state_of(id), MessageState::delivered);
    EXPECT_EQ(receipts->receipts_of(id).size(), 2u); // recorded all the same
    EXPECT_EQ(listener.changes.size(), 1u);
}

TEST_F(ReceiptsTest, SentReceiptOnASentMessageChangesNothing) {
    auto id = sent("p-1");
    EXPECT_EQ(receipts->apply(receipt("p-1", MessageState::sent, "SENT")).effect, ReceiptEffect::unchanged);
    EXPECT_EQ(state_of(id), MessageState::sent);
    EXPECT_TRUE(listener.changes.empty());
}

TEST_F(ReceiptsTest, AFinalStateIsNeverOverwritten) {
    auto id = sent("p-1");
    receipts->apply(receipt("p-1", MessageState::failed, "FAILED.HANDSET_ERROR"));
    EXPECT_EQ(receipts->apply(receipt("p-1", MessageState::delivered, "DELIVERED")).effect, ReceiptEffect::unchanged);
    EXPECT_EQ(receipts->apply(receipt("p-1", MessageState::expired, "EXPIRED")).effect, ReceiptEffect::unchanged);
    EXPECT_EQ(state_of(id), MessageState::failed);
    EXPECT_EQ(outbox->find(id)->last_code, "FAILED.HANDSET_ERROR");
}

TEST_F(ReceiptsTest, ARepeatedReceiptIsStoredOnceAndIsHarmless) {
    auto id = sent("p-1");
    EXPECT_EQ(receipts->apply(receipt("p-1", MessageState::delivered, "DELIVERED", 7)).effect, ReceiptEffect::changed);
    clock.advance(90'000); // the provider retries after 90 s
    EXPECT_EQ(receipts->apply(receipt("p-1", MessageState::delivered, "DELIVERED", 7)).effect, ReceiptEffect::duplicate);
    EXPECT_EQ(receipts->receipts_of(id).size(), 1u);
    EXPECT_EQ(listener.changes.size(), 1u);
}

TEST_F(ReceiptsTest, TheExtcommIdIsUsedWhenTheProviderEchoesIt) {
    auto id = sent("p-1");
    Receipt r = receipt("", MessageState::delivered);
    r.message_id = id;
    EXPECT_EQ(receipts->apply(r).effect, ReceiptEffect::changed);
    EXPECT_EQ(state_of(id), MessageState::delivered);
}

TEST_F(ReceiptsTest, AReceiptNamesAMessageOfItsOwnTransportOnly) {
    auto id = sent("p-1");
    Receipt r = receipt("p-1", MessageState::delivered);
    r.transport = "other";
    EXPECT_EQ(receipts->apply(r).effect, ReceiptEffect::pending);
    EXPECT_EQ(state_of(id), MessageState::sent);
}

TEST_F(ReceiptsTest, AReceiptForAnUnknownMessageIsKeptAndChangesNothing) {
    auto outcome = receipts->apply(receipt("never-sent", MessageState::delivered));
    EXPECT_EQ(outcome.effect, ReceiptEffect::pending);
    EXPECT_FALSE(outcome.message);
    EXPECT_EQ(receipts->reconcile(), 0u);
    // Dropped once nobody can claim it any more.
    clock.advance(8LL * 24 * 3600 * 1000);
    EXPECT_EQ(receipts->reconcile(), 0u);
    EXPECT_EQ(receipts->apply(receipt("never-sent", MessageState::delivered)).effect, ReceiptEffect::pending); // not a duplicate
}

// An unknown id is looked at again after 1 s, then 2, 4, 8 s...: not every second for a week.
TEST_F(ReceiptsTest, AnUnknownReceiptIsLookedAtLessAndLessOften) {
    EXPECT_EQ(receipts->apply(receipt("p-late", MessageState::delivered)).effect, ReceiptEffect::pending);
    EXPECT_EQ(receipts->reconcile(), 0u); // first look: unknown, next look in 1 s
    for (TimeMs wait : {1000, 2000, 4000}) {
        clock.advance(wait);
        EXPECT_EQ(receipts->reconcile(), 0u); // still unknown: the wait doubles
    }
    auto id = sent("p-late"); // known now; the next look is 8 s after the last one
    clock.advance(7000);
    EXPECT_EQ(receipts->reconcile(), 0u);
    EXPECT_EQ(state_of(id), MessageState::sent);
    clock.advance(1000);
    EXPECT_EQ(receipts->reconcile(), 1u);
    EXPECT_EQ(state_of(id), MessageState::delivered);
}

// A flood of receipts for ids we never had keeps only the newest `max_unknown` of them.
TEST_F(ReceiptsTest, UnknownReceiptsAreCappedOldestFirst) {
    for (int i = 0; i < 5; ++i) {
        EXPECT_EQ(receipts->apply(receipt("flood-" + std::to_string(i), MessageState::delivered)).effect, ReceiptEffect::pending);
        clock.advance(10);
    }
    EXPECT_EQ(receipts->reconcile(7LL * 24 * 3600 * 1000, 3), 0u);
    // A dropped receipt is new again when it comes back; a kept one is a duplicate.
    EXPECT_EQ(receipts->apply(receipt("flood-0", MessageState::delivered)).effect, ReceiptEffect::pending);
    EXPECT_EQ(receipts->apply(receipt("flood-1", MessageState::delivered)).effect, ReceiptEffect::pending);
    for (const char* kept : {"flood-2", "flood-3", "flood-4"})
        EXPECT_EQ(receipts->apply(receipt(kept, MessageState::delivered)).effect, ReceiptEffect::duplicate) << kept;
}

TEST_F(ReceiptsTest, AReceiptThatOvertakesTheSettlementIsAppliedOnceTheMessageIsKnown) {
    auto id = outbox->enqueue({sms()})[0].id;
    auto claimed = outbox->claim("sms", "host", 10); // being sent: the provider answers the webhook first
    EXPECT_EQ(receipts->apply(receipt("p-fast", MessageState::delivered, "DELIVERED")).effect, ReceiptEffect::pending);
    EXPECT_EQ(receipts->reconcile(), 0u);
    settle(claimed, "p-fast");
    EXPECT_EQ(state_of(id), MessageState::sent);
    clock.advance(1000); // an id not found is looked for again a second later
    EXPECT_EQ(receipts->reconcile(), 1u);
    EXPECT_EQ(state_of(id), MessageState::delivered);
    EXPECT_EQ(receipts->receipts_of(id).size(), 1u);
    EXPECT_EQ(listener.changes.size(), 1u);
    EXPECT_EQ(receipts->reconcile(), 0u); // applied once
}

TEST_F(ReceiptsTest, AnEchoedIdReceiptDuringTheSettlementWaitsForIt) {
    auto id = outbox->enqueue({sms()})[0].id;
    auto claimed = outbox->claim("sms", "host", 10);
    Receipt r = receipt("", MessageState::failed, "FAILED");
    r.message_id = id;
    EXPECT_EQ(receipts->apply(r).effect, ReceiptEffect::pending);
    EXPECT_EQ(state_of(id), MessageState::sending); // the settlement is not disturbed
    settle(claimed, "p-2");
    EXPECT_EQ(outbox->attempts(id).size(), 1u);
    EXPECT_EQ(receipts->reconcile(), 1u);
    EXPECT_EQ(state_of(id), MessageState::failed);
}

TEST_F(ReceiptsTest, RepliesAreStoredLinkedToTheMessageTheyAnswerAndListenersAreTold) {
    auto id = sent("p-1");
    Reply reply;
    reply.transport = "sms";
    reply.from = "+61491570156";
    reply.text = "YES";
    reply.provider_message_id = "p-1";
    reply.provider_text = "reply 77";
    reply.occurred_at = 1'800'000'100'000;
    EXPECT_TRUE(receipts->record_reply(reply));
    EXPECT_FALSE(receipts->record_reply(reply)); // the provider's retry
    auto stored = receipts->replies_to(id);
    ASSERT_EQ(stored.size(), 1u);
    EXPECT_EQ(stored[0].from, "+61491570156");
    EXPECT_EQ(stored[0].text, "YES");
    EXPECT_EQ(stored[0].message_id, id);
    ASSERT_EQ(listener.replies.size(), 1u);
    EXPECT_EQ(listener.replies[0].message_id, id);
    EXPECT_EQ(state_of(id), MessageState::sent); // a reply is not a receipt

    Reply unlinked = reply;
    unlinked.provider_message_id = "mo-123"; // not one of ours
    unlinked.occurred_at = 0;
    EXPECT_TRUE(receipts->record_reply(unlinked));
    ASSERT_EQ(listener.replies.size(), 2u);
    EXPECT_EQ(listener.replies[1].message_id, "");
}

} // namespace
} // namespace extcomm::testing
