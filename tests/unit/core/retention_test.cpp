// Retention against the store (SQLite and PostgreSQL): with a tiny retention and a clock the test moves,
// old records of each kind go with what belongs to them, recent ones and unsent messages stay.
#include "store_fixture.hpp"

#include <agency/settings_store.hpp>
#include <events/confirmation_store.hpp>
#include <outbox/receipts.hpp>
#include <sending/message_log.hpp>
#include <store/retention.hpp>
#include <triggers/firing_log.hpp>

#include <map>

namespace extcomm::testing {
namespace {

constexpr TimeMs kDay = 24LL * 3600 * 1000;

class RetentionTest : public StoreTest {
protected:
    // A message the provider accepted under `provider_id`, its receipt (delivered) and a reply to it.
    std::string delivered(const std::string& provider_id) {
        auto id = outbox->enqueue({sms()})[0].id;
        std::vector<std::pair<OutboundMessage, DeliveryResult>> results;
        for (const auto& m : outbox->claim("sms", "host", 10))
            results.emplace_back(m, DeliveryResult{Outcome::accepted, provider_id, "ACCEPTED", "accepted", 0});
        outbox->settle("host", results, RetryPolicy{});
        Receipt r;
        r.transport = "sms";
        r.provider_message_id = provider_id;
        r.status = MessageState::delivered;
        r.provider_code = "DELIVERED";
        EXPECT_EQ(receipts_->apply(r).effect, ReceiptEffect::changed);
        Reply reply;
        reply.transport = "sms";
        reply.from = "+61491570156";
        reply.text = "thanks for " + provider_id;
        reply.provider_message_id = provider_id;
        reply.occurred_at = clock.now_ms();
        EXPECT_TRUE(receipts_->record_reply(reply));
        return id;
    }

    // A message request with one decision, a trigger firing and an audit entry, made now.
    void logged(const std::string& name) {
        auto c = db->connect();
        sending::MessageRequest request;
        request.id = "req-" + name;
        request.kind = "collaboration-message";
        request.created_at = clock.now_ms();
        EXPECT_FALSE(log_->insert_request(c, request, "key-" + name));
        sending::Decision decision;
        decision.request_id = request.id;
        decision.recipient_id = "ana";
        decision.sent = true;
        decision.decided_at = clock.now_ms();
        log_->insert(c, {decision});
        std::vector<boost::json::object> firings{{{"rule", "at-" + name}, {"record", "case/c-1"}, {"fired_at_ms", clock.now_ms()}}};
        triggers::append_firings(c, firings);
        agency::append_audit(c, clock.now_ms(), {"admin", "token-1"}, "general", {{"note", name}});
        links_[name] = events::record_confirm_link(c, {"ev-" + name, "jo", clock.now_ms() + kDay}, clock.now_ms());
    }

    // The confirm link `logged(name)` made (its event starts a day after), if it is still stored.
    bool link_kept(const std::string& name) {
        auto c = db->connect();
        return events::find_confirm_link(c, links_.at(name)).has_value();
    }

    std::vector<std::string> firing_rules() {
        auto c = db->connect();
        std::vector<std::string> rules;
        for (const auto& f : triggers::find_firings(c, {})) rules.emplace_back(f.at("rule").as_string());
        return rules;
    }

    void SetUp() override {
        StoreTest::SetUp();
        receipts_ = std::make_unique<Receipts>(*db, clock);
        log_ = std::make_unique<sending::DecisionLog>(*db);
    }

    std::unique_ptr<Receipts> receipts_;
    std::unique_ptr<sending::DecisionLog> log_;
    std::map<std::string, std::string> links_;
};

TEST_F(RetentionTest, OldRecordsGoWithWhatBelongsToThemAndRecentOnesStay) {
    auto old_message = delivered("p-old");
    auto unsent = outbox->enqueue({sms("+61491570157")})[0].id; // never claimed: waits for its transport
    logged("old");
    clock.advance(10 * kDay);
    auto new_message = delivered("p-new");
    logged("new");

    Retention retention(*db, clock, RetentionDays{5, 5, 5, 5});
    Purged purged = retention.purge_once();
    EXPECT_EQ(purged.total(), 7u); // one of each kind
    EXPECT_FALSE(purged.full);

    EXPECT_FALSE(outbox->find(old_message));
    EXPECT_TRUE(outbox->attempts(old_message).empty());
    EXPECT_TRUE(receipts_->receipts_of(old_message).empty());
    EXPECT_TRUE(receipts_->replies_to(old_message).empty());
    EXPECT_TRUE(outbox->find(unsent)) << "a message still to be sent is never purged";
    ASSERT_TRUE(outbox->find(new_message));
    EXPECT_EQ(outbox->attempts(new_message).size(), 1u);
    EXPECT_EQ(receipts_->receipts_of(new_message).size(), 1u);
    EXPECT_EQ(receipts_->replies_to(new_message).size(), 1u);

    EXPECT_FALSE(log_->request("req-old"));
    EXPECT_TRUE(log_->of_request("req-old").empty());
    EXPECT_TRUE(log_->request("req-new"));
    EXPECT_EQ(log_->of_request("req-new").size(), 1u);
    EXPECT_EQ(firing_rules(), std::vector<std::string>{"at-new"});
    auto audit = agency::SettingsStore(*db, clock).audit(10);
    ASSERT_EQ(audit.size(), 1u);
    EXPECT_EQ(audit[0].changes.at("note"), "new");
    EXPECT_FALSE(link_kept("old")) << "its event started 9 days ago";
    EXPECT_TRUE(link_kept("new"));

    EXPECT_EQ(retention.purge_once().total(), 0u) << "nothing more is due";
}

TEST_F(RetentionTest, ZeroDaysKeepsForEverAndBigBacklogsGoInBatches) {
    for (int i = 0; i < 5; ++i) delivered("p-" + std::to_string(i));
    logged("old");
    clock.advance(1000 * kDay);
    Retention keep_all(*db, clock, RetentionDays{0, 0, 0, 0});
    EXPECT_EQ(keep_all.purge_once().total(), 0u);

    Retention small_batches(*db, clock, RetentionDays{1, 0, 0, 0}, 2);
    Purged first = small_batches.purge_once();
    EXPECT_EQ(first.rows[0], 2u); // two messages of five
    EXPECT_TRUE(first.full);
    EXPECT_EQ(small_batches.purge_once().rows[0], 2u);
    Purged last = small_batches.purge_once();
    EXPECT_EQ(last.rows[0], 1u);
    EXPECT_FALSE(last.full);
    EXPECT_EQ(firing_rules(), std::vector<std::string>{"at-old"}) << "firings kept: 0 days";
}

} // namespace
} // namespace extcomm::testing
