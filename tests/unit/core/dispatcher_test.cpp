#include "store_fixture.hpp"

#include <delivery/dispatcher.hpp>
#include <delivery/stored_pauses.hpp>

#include <functional>
#include <stdexcept>

namespace extcomm::testing {
namespace {

// A transport that answers from a script and remembers what it was given.
class ScriptedTransport final : public Transport {
public:
    explicit ScriptedTransport(unsigned batch) : batch_(batch) {}
    const std::string& name() const override { return name_; }
    unsigned max_batch() const override { return batch_; }
    std::vector<DeliveryResult> deliver(const std::vector<OutboundMessage>& messages) override {
        batches.push_back(messages.size());
        if (throw_next) {
            throw_next = false;
            throw std::runtime_error("plugin exploded");
        }
        std::vector<DeliveryResult> out;
        for (const auto& m : messages) {
            delivered.push_back(m.to);
            out.push_back(answer ? answer(m) : DeliveryResult{Outcome::accepted, "p-" + m.id, "ok", "", 0});
        }
        return out;
    }
    std::vector<std::size_t> batches;
    std::vector<std::string> delivered;
    bool throw_next = false;
    std::function<DeliveryResult(const OutboundMessage&)> answer; // default: accepted

private:
    std::string name_ = "sms";
    unsigned batch_;
};

class DispatcherTest : public StoreTest {};

TEST_F(DispatcherTest, DeliversDueMessagesInBatchesOfTheTransportsSize) {
    auto transport = std::make_shared<ScriptedTransport>(3);
    std::vector<NewMessage> batch;
    for (int i = 0; i < 7; ++i) batch.push_back(sms("+6149157015" + std::to_string(i)));
    outbox->enqueue(batch);
    Dispatcher dispatcher(*outbox, clock, DispatcherOptions{"host", 50, 4, 0});
    dispatcher.add(transport, TransportPolicy{});
    EXPECT_EQ(dispatcher.run_once("sms"), 7u);
    EXPECT_EQ((std::vector<std::size_t>{3, 3, 1}), transport->batches);
    EXPECT_EQ(outbox->count_by_state()[MessageState::sent], 7);
}

TEST_F(DispatcherTest, ATransportThatThrowsLosesNothing) {
    auto transport = std::make_shared<ScriptedTransport>(10);
    auto id = outbox->enqueue({sms()})[0].id;
    Dispatcher dispatcher(*outbox, clock, DispatcherOptions{"host", 50, 1, 0});
    dispatcher.add(transport, TransportPolicy{});
    transport->throw_next = true;
    dispatcher.run_once("sms");
    auto m = outbox->find(id);
    EXPECT_EQ(m->state, MessageState::queued);
    EXPECT_EQ(outbox->attempts(id).at(0).outcome, "internal");
    clock.set(m->run_at);
    dispatcher.run_once("sms");
    EXPECT_EQ(outbox->find(id)->state, MessageState::sent);
}

TEST_F(DispatcherTest, WorkersDeliverWhatIsEnqueuedWhileRunning) {
    auto transport = std::make_shared<ScriptedTransport>(10);
    SystemClock real;
    Outbox live(*db, real);
    Dispatcher dispatcher(live, real, DispatcherOptions{"host", 20, 1, 0});
    dispatcher.add(transport, TransportPolicy{});
    dispatcher.start();
    auto id = live.enqueue({sms()})[0].id;
    dispatcher.wake();
    // Bounded wait on the store, not on time: the worker settles the message.
    for (int i = 0; i < 500 && live.find(id)->state != MessageState::sent; ++i)
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    dispatcher.stop();
    EXPECT_EQ(live.find(id)->state, MessageState::sent);
}

class PauseRecorder final : public DeliveryObserver, public PauseBook {
public:
    void on_attempt(const OutboundMessage&, const DeliveryResult&, MessageState, TimeMs) override { ++attempts; }
    void on_transport_paused(const std::string& t, const std::string& reason, TimeMs) override { notices.push_back(t + " " + reason); }
    void paused(const std::string& t, const std::string&) override { remembered.push_back(t); }
    void resumed(const std::string& t) override { remembered.erase(std::remove(remembered.begin(), remembered.end(), t), remembered.end()); }
    int attempts = 0;
    std::vector<std::string> notices, remembered;
};

DeliveryResult provider_down(const OutboundMessage&) { return {Outcome::retry, "", "http-connect", "connection refused", 0}; }

TransportStatus status_of(const Dispatcher& d) { return d.status().at(0); }

TEST_F(DispatcherTest, BreakerOpensAfterConsecutiveFailedBatchesThenOneProbeClosesIt) {
    auto transport = std::make_shared<ScriptedTransport>(1);
    transport->answer = provider_down;
    for (int i = 0; i < 10; ++i) outbox->enqueue({sms()});
    Dispatcher dispatcher(*outbox, clock, DispatcherOptions{"host", 50, 1, 0});
    TransportPolicy policy;
    policy.breaker = BreakerSettings{3, 30'000, 300'000};
    dispatcher.add(transport, policy);
    for (int i = 0; i < 3; ++i) dispatcher.run_once("sms");
    EXPECT_EQ(status_of(dispatcher).breaker, "open");
    EXPECT_EQ(dispatcher.run_once("sms"), 0u) << "an open breaker sends nothing";
    EXPECT_EQ(transport->batches.size(), 3u);

    clock.advance(30'000);
    transport->answer = nullptr; // the provider is back
    EXPECT_EQ(dispatcher.run_once("sms"), 1u) << "half-open: exactly one probe message";
    EXPECT_EQ(status_of(dispatcher).breaker, "closed");
    clock.advance(policy.retry.max_delay_ms); // let the three retried messages fall due again
    while (dispatcher.run_once("sms") > 0) {
    }
    EXPECT_EQ(outbox->count_by_state()[MessageState::sent], 10);
}

TEST_F(DispatcherTest, AFailedProbeOpensTheBreakerForLonger) {
    auto transport = std::make_shared<ScriptedTransport>(1);
    transport->answer = provider_down;
    for (int i = 0; i < 5; ++i) outbox->enqueue({sms()});
    Dispatcher dispatcher(*outbox, clock, DispatcherOptions{"host", 50, 1, 0});
    TransportPolicy policy;
    policy.breaker = BreakerSettings{2, 10'000, 300'000};
    dispatcher.add(transport, policy);
    dispatcher.run_once("sms");
    dispatcher.run_once("sms");
    TimeMs first_reopen = status_of(dispatcher).breaker_reopens_at - clock.now_ms();
    clock.advance(first_reopen);
    dispatcher.run_once("sms"); // the probe fails
    EXPECT_EQ(status_of(dispatcher).breaker, "open");
    EXPECT_EQ(status_of(dispatcher).breaker_reopens_at - clock.now_ms(), 2 * first_reopen);
}

TEST_F(DispatcherTest, BadCredentialsPauseTheTransportWithoutDroppingItsQueue) {
    auto transport = std::make_shared<ScriptedTransport>(2);
    transport->answer = [](const OutboundMessage&) {
        return DeliveryResult{Outcome::transport_failure, "", "401", "Authentication Failed", 0};
    };
    for (int i = 0; i < 6; ++i) outbox->enqueue({sms()});
    PauseRecorder recorder;
    Dispatcher dispatcher(*outbox, clock, DispatcherOptions{"host", 50, 4, 0}, {&recorder}, &recorder);
    dispatcher.add(transport, TransportPolicy{});
    dispatcher.run_once("sms");
    EXPECT_EQ(transport->batches.size(), 1u) << "no second batch once paused";
    auto status = status_of(dispatcher);
    EXPECT_TRUE(status.paused);
    EXPECT_EQ(status.paused_reason, "401: Authentication Failed");
    EXPECT_EQ(recorder.notices, std::vector<std::string>{"sms 401: Authentication Failed"});
    EXPECT_EQ(recorder.remembered, std::vector<std::string>{"sms"});
    EXPECT_EQ(outbox->count_by_state()[MessageState::queued], 6) << "nothing dropped, nothing left claimed";

    clock.advance(3'600'000);
    EXPECT_EQ(dispatcher.run_once("sms"), 0u) << "paused stays paused, however long";
    transport->answer = nullptr; // the operator fixed the account
    EXPECT_TRUE(dispatcher.resume("sms"));
    EXPECT_TRUE(recorder.remembered.empty());
    while (dispatcher.run_once("sms") > 0) {
    }
    EXPECT_EQ(outbox->count_by_state()[MessageState::sent], 6);
    EXPECT_FALSE(dispatcher.resume("nope"));
}

TEST_F(DispatcherTest, ARememberedPauseHoldsAfterARestart) {
    auto transport = std::make_shared<ScriptedTransport>(10);
    outbox->enqueue({sms()});
    Dispatcher dispatcher(*outbox, clock, DispatcherOptions{"host", 50, 1, 0});
    dispatcher.add(transport, TransportPolicy{}, "301: No credit left");
    EXPECT_EQ(dispatcher.run_once("sms"), 0u);
    EXPECT_EQ(status_of(dispatcher).paused_reason, "301: No credit left");
}

TEST_F(DispatcherTest, APauseIsRememberedAcrossRestartsUntilResumedOrTheSettingsChange) {
    {
        StoredPauses pauses(*db, clock, {{"sms", "settings-v1"}});
        pauses.paused("sms", "401: Authentication Failed");
    }
    open(); // a restart
    EXPECT_EQ(StoredPauses(*db, clock, {{"sms", "settings-v1"}}).reason_for("sms"), "401: Authentication Failed");
    StoredPauses changed(*db, clock, {{"sms", "settings-v2"}}); // the operator fixed the password
    EXPECT_EQ(changed.reason_for("sms"), "");
    EXPECT_EQ(StoredPauses(*db, clock, {{"sms", "settings-v1"}}).reason_for("sms"), "") << "forgotten, not hidden";

    StoredPauses again(*db, clock, {{"sms", "settings-v2"}});
    again.paused("sms", "301: No credit left");
    again.resumed("sms");
    EXPECT_EQ(again.reason_for("sms"), "");
}

TEST_F(DispatcherTest, RateLimitLetsOutNoMoreThanItsMessagesPerSecond) {
    auto transport = std::make_shared<ScriptedTransport>(100);
    std::vector<NewMessage> batch(20, sms());
    outbox->enqueue(batch);
    Dispatcher dispatcher(*outbox, clock, DispatcherOptions{"host", 50, 4, 0});
    TransportPolicy policy;
    policy.rate_per_second = 5;
    dispatcher.add(transport, policy);
    EXPECT_EQ(dispatcher.run_once("sms"), 5u);
    EXPECT_EQ(dispatcher.run_once("sms"), 0u);
    clock.advance(1000);
    EXPECT_EQ(dispatcher.run_once("sms"), 5u);
    clock.advance(400);
    EXPECT_EQ(dispatcher.run_once("sms"), 2u);
    EXPECT_EQ(outbox->count_by_state()[MessageState::queued], 8);
}

TEST_F(DispatcherTest, AClockJumpForwardExpiresStaleMessagesAndBackwardLosesNothing) {
    auto transport = std::make_shared<ScriptedTransport>(10);
    NewMessage reminder = sms();
    reminder.expires_at = clock.now_ms() + 600'000;
    auto stale = outbox->enqueue({reminder})[0].id;
    auto fresh = outbox->enqueue({sms()})[0].id;
    Dispatcher dispatcher(*outbox, clock, DispatcherOptions{"host", 50, 1, 0});
    dispatcher.add(transport, TransportPolicy{});

    clock.advance(3'600'000); // an hour forward: the reminder's moment has passed
    dispatcher.run_once("sms");
    EXPECT_EQ(outbox->find(stale)->state, MessageState::expired);
    EXPECT_EQ(outbox->find(fresh)->state, MessageState::sent);
    EXPECT_EQ(transport->delivered.size(), 1u) << "the stale reminder never reached the provider";

    auto later = outbox->enqueue({sms()})[0].id;
    auto claimed = outbox->claim("sms", "host-a", 10); // host A holds it...
    clock.advance(-7'200'000);                          // ...and the clock goes two hours back
    EXPECT_TRUE(outbox->claim("sms", "host-b", 10).empty()) << "a lease is not taken over early";
    outbox->settle("host-a", {{claimed.at(0), DeliveryResult{Outcome::accepted, "p", "", "", 0}}}, RetryPolicy{});
    EXPECT_EQ(outbox->find(later)->state, MessageState::sent);
}

} // namespace
} // namespace extcomm::testing
