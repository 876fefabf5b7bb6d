#include "store_fixture.hpp"

#include <delivery/dispatcher.hpp>
#include <delivery/stored_pauses.hpp>

#include <atomic>
#include <functional>
#include <future>
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
            ++delivered_count;
            out.push_back(answer ? answer(m) : DeliveryResult{Outcome::accepted, "p-" + m.id, "ok", "", 0});
        }
        return out;
    }
    std::vector<std::size_t> batches;
    std::vector<std::string> delivered;
    std::atomic<std::size_t> delivered_count{0}; // what another thread may read while the workers run
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

// Results wait for one another across rounds (settle_after_ms) while the worker claims again: a claim
// must never hand out what the worker delivered and has not yet settled, or it would be sent twice.
TEST_F(DispatcherTest, ResultsHeldAcrossRoundsAreSettledOnceAndNeverSentTwice) {
    auto transport = std::make_shared<ScriptedTransport>(1);
    SystemClock real;
    Outbox live(*db, real);
    DispatcherOptions options{"host", 20, 1, 0};
    options.settle_after_ms = 60'000; // nothing is settled by age in this test: only before a claim, or at stop
    options.take_fresh = false;       // every message is claimed from the store
    Dispatcher dispatcher(live, real, options);
    dispatcher.add(transport, TransportPolicy{});
    dispatcher.start();
    std::vector<std::string> ids;
    for (int i = 0; i < 5; ++i) {
        ids.push_back(live.enqueue({sms("+614915701" + std::to_string(i))})[0].id);
        dispatcher.wake();
        // Bounded wait on what the transport saw, not on time.
        for (int n = 0; n < 500 && transport->delivered_count.load() < ids.size(); ++n)
            std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    dispatcher.stop(); // settles what the worker still holds
    EXPECT_EQ(transport->delivered.size(), 5u) << "each message delivered exactly once";
    for (const auto& id : ids) EXPECT_EQ(live.find(id)->state, MessageState::sent);
}

// A backlog larger than one claim is drained claim after claim, not one claim per poll interval.
TEST_F(DispatcherTest, ABacklogOfSeveralClaimsIsDrainedWithoutWaitingForPolls) {
    auto transport = std::make_shared<ScriptedTransport>(10);
    SystemClock real;
    Outbox live(*db, real);
    DispatcherOptions options{"host", 600'000, 1, 20}; // a claim takes 20; the next poll is 10 minutes away
    options.take_fresh = false;
    Dispatcher dispatcher(live, real, options);
    dispatcher.add(transport, TransportPolicy{});
    std::vector<NewMessage> backlog;
    for (int i = 0; i < 70; ++i) backlog.push_back(sms("+61491570" + std::to_string(1000 + i)));
    live.enqueue(std::move(backlog));
    dispatcher.start(); // its first round claims; every full claim means another
    for (int n = 0; n < 1000 && live.count_by_state()[MessageState::sent] < 70; ++n)
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    EXPECT_EQ(live.count_by_state()[MessageState::sent], 70);
    dispatcher.stop();
}

// Fresh messages: a running dispatcher takes what the API accepts straight from the accepting commit.
class FreshIntakeTest : public StoreTest {
protected:
    // The transport holds its first batch until open() is called, so the test sees the lane busy.
    void SetUp() override {
        StoreTest::SetUp();
        live = std::make_unique<Outbox>(*db, real);
        transport = std::make_shared<ScriptedTransport>(10);
        transport->answer = [this](const OutboundMessage& m) {
            ++entered;
            gate.wait();
            return DeliveryResult{Outcome::accepted, "p-" + m.id, "ok", "", 0};
        };
        dispatcher = std::make_unique<Dispatcher>(*live, real, DispatcherOptions{"host", 20, 1, 0});
    }
    void TearDown() override {
        open();
        dispatcher.reset();
        live.reset();
        StoreTest::TearDown();
    }
    void open() {
        if (!opened.exchange(true)) opener.set_value();
    }
    // Bounded waits on state, not on time.
    void wait_for(const std::function<bool()>& done) {
        for (int i = 0; i < 1000 && !done(); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(10));
        ASSERT_TRUE(done());
    }
    MessageState state_of(const std::string& id) { return live->find(id)->state; }
    long leased_to(const std::string& owner) {
        auto c = db->connect();
        std::string o = owner;
        long n = 0;
        c.session() << c.sql("SELECT COUNT(*) FROM messages WHERE lease_owner = ? AND state = 'sending'"),
            Poco::Data::Keywords::into(n), Poco::Data::Keywords::use(o), Poco::Data::Keywords::now;
        return n;
    }
    // The first message occupies the lane's one worker; three more wait in the lane's memory.
    std::vector<OutboundMessage> busy_lane_with_three_waiting() {
        dispatcher->add(transport, TransportPolicy{});
        dispatcher->start();
        std::vector<OutboundMessage> all = live->enqueue({sms()});
        wait_for([&] { return entered.load() >= 1; });
        for (auto& m : live->enqueue({sms(), sms(), sms()})) all.push_back(m);
        return all;
    }

    SystemClock real;
    std::unique_ptr<Outbox> live;
    std::shared_ptr<ScriptedTransport> transport;
    std::unique_ptr<Dispatcher> dispatcher;
    std::promise<void> opener;
    std::shared_future<void> gate = opener.get_future().share();
    std::atomic<bool> opened{false};
    std::atomic<int> entered{0};
};

TEST_F(FreshIntakeTest, AcceptedMessagesAreWrittenLeasedToTheLaneAndDeliveredWithoutAClaim) {
    auto all = busy_lane_with_three_waiting();
    for (const auto& m : all) {
        EXPECT_EQ(m.state, MessageState::sending) << "handed over in the commit that accepted it";
        EXPECT_EQ(m.attempts, 1);
    }
    EXPECT_EQ(leased_to("host/sms/fresh"), 4);
    open();
    wait_for([&] { return std::all_of(all.begin(), all.end(), [&](auto& m) { return state_of(m.id) == MessageState::sent; }); });
    dispatcher->stop();
    for (const auto& m : all) {
        auto attempts = live->attempts(m.id);
        ASSERT_EQ(attempts.size(), 1u);
        EXPECT_EQ(attempts[0].outcome, "accepted");
    }
    EXPECT_EQ(transport->delivered.size(), 4u) << "each once";
}

TEST_F(FreshIntakeTest, APauseHandsTheWaitingOnesBackToTheQueueUntilResumed) {
    auto all = busy_lane_with_three_waiting();
    dispatcher->pause("sms", "operator");
    for (std::size_t i = 1; i < all.size(); ++i) {
        auto m = live->find(all[i].id);
        EXPECT_EQ(m->state, MessageState::queued);
        EXPECT_EQ(m->attempts, 0) << "the attempt that never happened is given back";
    }
    open();
    wait_for([&] { return state_of(all[0].id) == MessageState::sent; }); // the one in flight finishes
    EXPECT_EQ(state_of(all[1].id), MessageState::queued);
    dispatcher->resume("sms");
    wait_for([&] { return std::all_of(all.begin(), all.end(), [&](auto& m) { return state_of(m.id) == MessageState::sent; }); });
    EXPECT_EQ(transport->delivered.size(), 4u);
}

TEST_F(FreshIntakeTest, StoppingHandsTheWaitingOnesBackToTheQueue) {
    auto all = busy_lane_with_three_waiting();
    std::thread stopper([&] { dispatcher->stop(); });
    // Until stop() has begun, the lane still takes fresh messages (each offer given back at once).
    while (!dispatcher->reserve("sms").empty()) dispatcher->dropped({"sms"});
    open();
    stopper.join();
    EXPECT_EQ(state_of(all[0].id), MessageState::sent);
    for (std::size_t i = 1; i < all.size(); ++i) EXPECT_EQ(state_of(all[i].id), MessageState::queued);
    EXPECT_EQ(leased_to("host/sms/fresh"), 0);
}

TEST_F(FreshIntakeTest, ARateLimitedLaneTakesItsMessagesFromTheQueue) {
    TransportPolicy paced;
    paced.rate_per_second = 100;
    dispatcher->add(transport, paced);
    dispatcher->start();
    open();
    auto m = live->enqueue({sms()})[0];
    EXPECT_EQ(m.state, MessageState::queued);
    EXPECT_EQ(m.attempts, 0);
    dispatcher->wake();
    wait_for([&] { return state_of(m.id) == MessageState::sent; });
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

TEST_F(DispatcherTest, AuthenticationMessagesKeepToTheRateLimitAndHaveItsNextTokens) {
    auto transport = std::make_shared<ScriptedTransport>(100);
    std::vector<NewMessage> codes(3, sms());
    for (auto& m : codes) m.priority = true;
    outbox->enqueue(codes);
    outbox->enqueue(std::vector<NewMessage>(2, sms()));
    Dispatcher dispatcher(*outbox, clock, DispatcherOptions{"host", 50, 4, 10}); // claims of up to 10
    TransportPolicy policy;
    policy.rate_per_second = 2;
    dispatcher.add(transport, policy);
    EXPECT_EQ(dispatcher.run_urgent_once("sms"), 2u);
    EXPECT_EQ(dispatcher.run_urgent_once("sms"), 0u); // no token left this second
    EXPECT_EQ(dispatcher.run_once("sms"), 0u);        // nor for the other workers: one bucket
    clock.advance(1000);
    EXPECT_EQ(dispatcher.run_once("sms"), 0u);        // a code is waiting: the next tokens are its
    EXPECT_EQ(dispatcher.run_urgent_once("sms"), 1u); // the third code; the bulk ones are not its to take
    EXPECT_EQ(dispatcher.run_once("sms"), 1u);
    EXPECT_EQ(transport->delivered.size(), 4u);
    EXPECT_EQ(outbox->count_by_state()[MessageState::queued], 1);
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
