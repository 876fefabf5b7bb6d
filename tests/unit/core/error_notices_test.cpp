// Error notices: permanent failures and paused transports are reported in one digest per recipient per
// interval, through the sending pipeline (the error-notice-digest template, the message log), to the
// error-notice category's members and the configured addresses; a digest's own troubles are never reported.
#include "store_fixture.hpp"

#include <set>

#include <delivery/error_notices.hpp>
#include <outbox/receipts.hpp>
#include <sending/pipeline.hpp>

namespace extcomm::testing {
namespace {

constexpr TimeMs kInterval = 300'000;

class ErrorNoticesTest : public StoreTest {
protected:
    void SetUp() override {
        StoreTest::SetUp();
        outbox_options.lease_ms = 24 * 3600 * 1000; // claims made by the tests stay theirs
        snapshot = std::make_shared<agency::SettingsSnapshot>();
        start({"ops@agency.example", "lead@agency.example"});
    }
    void TearDown() override {
        notices.reset();
        pipeline.reset();
        StoreTest::TearDown();
    }
    // (Re)opens the store and starts the error notices with these configured addresses.
    void start(std::vector<std::string> recipients) {
        notices.reset();
        pipeline.reset();
        open();
        pipeline = std::make_unique<sending::Pipeline>(*db, *outbox);
        ErrorNoticeOptions options;
        options.recipients = std::move(recipients);
        options.category_members = [this] { return members; };
        options.settings = [this] { return snapshot; };
        options.transport = "mail";
        options.interval_ms = kInterval;
        notices = std::make_unique<ErrorNotices>(*pipeline, clock, options);
    }

    // Messages claimed for sending, as the dispatcher hands them to observers.
    std::vector<OutboundMessage> claimed(std::vector<NewMessage> messages, const std::string& transport = "sms") {
        outbox->enqueue(std::move(messages));
        return outbox->claim(transport, "host-" + std::to_string(++claims_), 100);
    }
    static DeliveryResult result(Outcome outcome, std::string code, std::string text) {
        return DeliveryResult{outcome, "", std::move(code), std::move(text), 0};
    }
    // The digest emails waiting in the outbox for the notice transport.
    std::vector<OutboundMessage> claim_digests() { return outbox->claim("mail", "reader", 100); }
    // ... taken and delivered, as the mail transport would.
    std::vector<OutboundMessage> digests() {
        auto taken = claim_digests();
        std::vector<std::pair<OutboundMessage, DeliveryResult>> results;
        for (const auto& m : taken) results.emplace_back(m, DeliveryResult{Outcome::accepted, "", "250", "ok", 0});
        outbox->settle("reader", results, RetryPolicy{});
        return taken;
    }

    std::shared_ptr<agency::SettingsSnapshot> snapshot;
    std::vector<agency::Worker> members; // the error-notice worker category's, when a digest is due
    std::unique_ptr<sending::Pipeline> pipeline;
    std::unique_ptr<ErrorNotices> notices;
    int claims_ = 0;
};

TEST_F(ErrorNoticesTest, RejectionsDuringAnIntervalGiveOneDigestPerRecipient) {
    auto messages = claimed({sms("+61491570156", "Your appointment at 10:00 with Dr Who"), sms("+61491570157"), sms("+61491570158")});
    for (const auto& m : messages)
        notices->on_attempt(m, result(Outcome::rejected, "105", "Invalid Destination Address"), MessageState::rejected, clock.now_ms());
    EXPECT_EQ(notices->pending().size(), 3u);

    EXPECT_EQ(notices->flush_due(), 0u); // the interval has not passed
    EXPECT_TRUE(digests().empty());
    clock.advance(kInterval);
    EXPECT_EQ(notices->flush_due(), 2u);
    auto sent = digests();
    ASSERT_EQ(sent.size(), 2u);
    std::set<std::string> to{sent[0].to, sent[1].to};
    EXPECT_EQ(to, (std::set<std::string>{"ops@agency.example", "lead@agency.example"}));
    const auto& digest = sent[0];
    EXPECT_EQ(digest.channel, Channel::email);
    EXPECT_EQ(digest.subject, "extcomm: 3 delivery problem(s) need attention");
    for (const auto& m : messages) EXPECT_NE(digest.body.find(m.id), std::string::npos) << digest.body;
    EXPECT_NE(digest.body.find("105 Invalid Destination Address"), std::string::npos);
    EXPECT_NE(digest.body.find("+61******156"), std::string::npos); // masked
    EXPECT_EQ(digest.body.find("+61491570156"), std::string::npos);
    EXPECT_EQ(digest.body.find("Dr Who"), std::string::npos); // never the message body
    EXPECT_TRUE(notices->pending().empty());

    clock.advance(kInterval);
    EXPECT_EQ(notices->flush_due(), 0u); // nothing new, nothing sent
}

TEST_F(ErrorNoticesTest, AtMostOneDigestPerInterval) {
    auto first = claimed({sms("+61491570156")});
    clock.advance(kInterval);
    notices->on_attempt(first[0], result(Outcome::rejected, "105", "invalid"), MessageState::rejected, clock.now_ms());
    EXPECT_EQ(notices->flush_due(), 2u); // quiet before: reported on the next flush
    digests();

    auto outage = claimed({sms("+61491570157"), sms("+61491570158")});
    for (const auto& m : outage) {
        clock.advance(10'000);
        notices->on_attempt(m, result(Outcome::rejected, "105", "invalid"), MessageState::rejected, clock.now_ms());
        EXPECT_EQ(notices->flush_due(), 0u);
    }
    clock.advance(kInterval);
    EXPECT_EQ(notices->flush_due(), 2u);
    auto sent = digests();
    ASSERT_EQ(sent.size(), 2u);
    EXPECT_NE(sent[0].body.find(outage[0].id), std::string::npos);
    EXPECT_NE(sent[0].body.find(outage[1].id), std::string::npos);
    EXPECT_EQ(sent[0].body.find(first[0].id), std::string::npos); // reported already
}

TEST_F(ErrorNoticesTest, ARetryIsNoNoticeButTheLastAllowedAttemptIs) {
    outbox->enqueue({sms()});
    RetryPolicy policy;
    policy.max_attempts = 3;
    for (int attempt = 1; attempt <= 3; ++attempt) {
        auto m = outbox->claim("sms", "host", 1);
        ASSERT_EQ(m.size(), 1u) << attempt;
        auto r = result(Outcome::retry, "503", "unavailable");
        auto ended = outbox->settle("host", {{m[0], r}}, policy);
        notices->on_attempt(m[0], r, ended.at(0).value(), clock.now_ms());
        EXPECT_EQ(notices->pending().size(), attempt < 3 ? 0u : 1u) << attempt;
        clock.advance(3'600'000);
    }
    auto pending = notices->pending();
    ASSERT_EQ(pending.size(), 1u);
    EXPECT_EQ(pending[0].kind, NoticeKind::message_failed);
    EXPECT_NE(pending[0].text.find("3 attempts"), std::string::npos);
    EXPECT_EQ(outbox->count_by_state()[MessageState::failed], 1);
}

TEST_F(ErrorNoticesTest, OtherOutcomesAreNoNotice) {
    auto m = claimed({sms()})[0];
    notices->on_attempt(m, result(Outcome::accepted, "", ""), MessageState::sent, clock.now_ms());
    notices->on_attempt(m, result(Outcome::transport_failure, "401", "bad credentials"), MessageState::queued, clock.now_ms());
    EXPECT_TRUE(notices->pending().empty());
}

TEST_F(ErrorNoticesTest, TheSameMessageIsReportedOnce) {
    auto m = claimed({sms()})[0];
    notices->on_attempt(m, result(Outcome::rejected, "105", "invalid"), MessageState::rejected, clock.now_ms());
    notices->on_attempt(m, result(Outcome::rejected, "105", "invalid"), MessageState::rejected, clock.now_ms());
    EXPECT_EQ(notices->pending().size(), 1u);
}

TEST_F(ErrorNoticesTest, AFailedOrRejectedReceiptIsANotice) {
    Receipts receipts(*db, clock);
    receipts.add_listener(static_cast<ReceiptListener*>(notices.get()));
    auto m = claimed({sms(), sms("+61491570157")});
    outbox->settle("host-1",
                   {{m[0], DeliveryResult{Outcome::accepted, "p-1", "", "", 0}},
                    {m[1], DeliveryResult{Outcome::accepted, "p-2", "", "", 0}}},
                   RetryPolicy{});
    Receipt failed{"sms", "", "p-1", MessageState::failed, "FAILED.HANDSET_ERROR", "failed because of the phone", 0};
    Receipt delivered{"sms", "", "p-2", MessageState::delivered, "DELIVERED", "delivered", 0};
    receipts.apply(failed);
    receipts.apply(delivered);
    auto pending = notices->pending();
    ASSERT_EQ(pending.size(), 1u);
    EXPECT_EQ(pending[0].message_id, m[0].id);
    EXPECT_EQ(pending[0].kind, NoticeKind::message_rejected);
    EXPECT_EQ(pending[0].code, "FAILED.HANDSET_ERROR");
}

TEST_F(ErrorNoticesTest, PausedTransportsAreListedOncePerDigest) {
    notices->transport_paused("bulksms", "authentication failed (401): check token_id and token_secret");
    notices->transport_paused("bulksms", "authentication failed (401): check token_id and token_secret");
    EXPECT_EQ(notices->pending().size(), 1u);
    clock.advance(kInterval);
    EXPECT_EQ(notices->flush_due(), 2u);
    auto sent = digests();
    ASSERT_EQ(sent.size(), 2u);
    EXPECT_NE(sent[0].body.find("transport paused"), std::string::npos) << sent[0].body;
    EXPECT_NE(sent[0].body.find("via bulksms: authentication failed (401)"), std::string::npos) << sent[0].body;
    EXPECT_EQ(sent[0].subject, "extcomm: 1 delivery problem(s) need attention");
    notices->transport_paused("bulksms", "paused again");
    EXPECT_EQ(notices->pending().size(), 1u); // a new pause after the digest is news
}

TEST_F(ErrorNoticesTest, ADigestThatFailsIsNeverReported) {
    auto m = claimed({sms()})[0];
    notices->on_attempt(m, result(Outcome::rejected, "105", "invalid"), MessageState::rejected, clock.now_ms());
    clock.advance(kInterval);
    ASSERT_EQ(notices->flush_due(), 2u);
    auto sent = claim_digests(); // as the dispatcher claims them for the mail transport
    ASSERT_EQ(sent.size(), 2u);
    notices->on_attempt(sent[0], result(Outcome::rejected, "550", "mailbox unavailable"), MessageState::rejected, clock.now_ms());
    RetryPolicy policy;
    policy.max_attempts = 1;
    notices->on_attempt(sent[1], result(Outcome::retry, "421", "try later"), MessageState::failed, clock.now_ms());
    EXPECT_TRUE(notices->pending().empty());

    Receipts receipts(*db, clock);
    receipts.add_listener(static_cast<ReceiptListener*>(notices.get()));
    outbox->settle("reader", {{sent[0], DeliveryResult{Outcome::accepted, "smtp-1", "250", "ok", 0}}}, policy);
    receipts.apply(Receipt{"mail", "", "smtp-1", MessageState::failed, "bounce", "mailbox full", 0});
    EXPECT_TRUE(notices->pending().empty());
    clock.advance(kInterval);
    EXPECT_EQ(notices->flush_due(), 0u);
}

TEST_F(ErrorNoticesTest, NoticesSurviveARestart) {
    auto m = claimed({sms()})[0];
    notices->on_attempt(m, result(Outcome::rejected, "105", "invalid"), MessageState::rejected, clock.now_ms());
    start({"ops@agency.example"});
    clock.advance(kInterval);
    EXPECT_EQ(notices->flush_due(), 1u);
    auto sent = digests();
    ASSERT_EQ(sent.size(), 1u);
    EXPECT_NE(sent[0].body.find(m.id), std::string::npos);
}

TEST_F(ErrorNoticesTest, TheDigestIsRenderedFromTheAdministratorsTemplateAndLogged) {
    ASSERT_FALSE(snapshot->templates.set(rendering::MessageKind::error_notice_digest, Channel::email,
                                         {"Acme: {{count}} to look at",
                                          "{{#notices}}* {{what}} / {{transport}} / {{reason}}\n{{/notices}}", ""}));
    auto m = claimed({sms()})[0];
    notices->on_attempt(m, result(Outcome::rejected, "105", "invalid"), MessageState::rejected, clock.now_ms());
    clock.advance(kInterval);
    EXPECT_EQ(notices->flush_due(), 2u);
    auto sent = digests();
    ASSERT_EQ(sent.size(), 2u);
    EXPECT_EQ(sent[0].subject, "Acme: 1 to look at");
    EXPECT_NE(sent[0].body.find("* refused for good"), std::string::npos) << sent[0].body;
    EXPECT_NE(sent[0].body.find(" / sms / 105 invalid"), std::string::npos) << sent[0].body;
    EXPECT_EQ(sent[0].kind, "error-notice-digest");
    EXPECT_TRUE(ErrorNotices::is_notice(sent[0]));
    sending::DecisionFilter filter;
    auto logged = pipeline->log().find(filter);
    ASSERT_EQ(logged.size(), 2u);
    for (const auto& d : logged) {
        EXPECT_TRUE(d.sent);
        EXPECT_EQ(d.recipient, sending::Recipient::address);
    }
    EXPECT_EQ(pipeline->log().request(logged[0].request_id)->kind, "error-notice-digest");
}

TEST_F(ErrorNoticesTest, TheDigestGoesToTheCategoryMembersAndTheConfiguredAddresses) {
    agency::Worker ana;
    ana.id = "ana";
    ana.email = "ana@agency.example";
    agency::Worker ben = ana;
    ben.id = "ben";
    ben.email.clear(); // no email address: logged, not sent
    members = {ana, ben};
    notices->transport_paused("bulksms", "authentication failed (401)");
    clock.advance(kInterval);
    EXPECT_EQ(notices->flush_due(), 3u);
    std::set<std::string> to;
    for (const auto& m : digests()) to.insert(m.to);
    EXPECT_EQ(to, (std::set<std::string>{"ana@agency.example", "ops@agency.example", "lead@agency.example"}));
    sending::DecisionFilter filter;
    filter.worker = "ben";
    auto logged = pipeline->log().find(filter);
    ASSERT_EQ(logged.size(), 1u);
    EXPECT_EQ(logged[0].reason, sending::SkipReason::no_address);
}

TEST_F(ErrorNoticesTest, NobodyToWriteToKeepsTheNoticesForLater) {
    start({});
    notices->transport_paused("bulksms", "authentication failed (401)");
    clock.advance(kInterval);
    EXPECT_EQ(notices->flush_due(), 0u);
    EXPECT_EQ(notices->pending().size(), 1u);
    agency::Worker ana;
    ana.id = "ana";
    ana.email = "ana@agency.example";
    members = {ana}; // the category gets a member
    clock.advance(kInterval);
    EXPECT_EQ(notices->flush_due(), 1u);
    EXPECT_TRUE(notices->pending().empty());
}

} // namespace
} // namespace extcomm::testing
