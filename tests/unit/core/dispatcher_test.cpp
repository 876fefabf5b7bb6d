#include "store_fixture.hpp"

#include <delivery/dispatcher.hpp>

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
            out.push_back(DeliveryResult{Outcome::accepted, "p-" + m.id, "ok", "", 0});
        }
        return out;
    }
    std::vector<std::size_t> batches;
    std::vector<std::string> delivered;
    bool throw_next = false;

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
    Dispatcher dispatcher(*outbox, clock, {transport}, DispatcherOptions{"host", 50, 4, {}});
    EXPECT_EQ(dispatcher.run_once(*transport), 7u);
    EXPECT_EQ((std::vector<std::size_t>{3, 3, 1}), transport->batches);
    EXPECT_EQ(outbox->count_by_state()[MessageState::sent], 7);
}

TEST_F(DispatcherTest, ATransportThatThrowsLosesNothing) {
    auto transport = std::make_shared<ScriptedTransport>(10);
    auto id = outbox->enqueue({sms()})[0].id;
    Dispatcher dispatcher(*outbox, clock, {transport}, DispatcherOptions{"host", 50, 1, {}});
    transport->throw_next = true;
    dispatcher.run_once(*transport);
    auto m = outbox->find(id);
    EXPECT_EQ(m->state, MessageState::queued);
    EXPECT_EQ(outbox->attempts(id).at(0).outcome, "internal");
    clock.set(m->run_at);
    dispatcher.run_once(*transport);
    EXPECT_EQ(outbox->find(id)->state, MessageState::sent);
}

TEST_F(DispatcherTest, WorkersDeliverWhatIsEnqueuedWhileRunning) {
    auto transport = std::make_shared<ScriptedTransport>(10);
    SystemClock real;
    Outbox live(*db, real);
    Dispatcher dispatcher(live, real, {transport}, DispatcherOptions{"host", 20, 1, {}});
    dispatcher.start();
    auto id = live.enqueue({sms()})[0].id;
    dispatcher.wake();
    // Bounded wait on the store, not on time: the worker settles the message.
    for (int i = 0; i < 500 && live.find(id)->state != MessageState::sent; ++i)
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    dispatcher.stop();
    EXPECT_EQ(live.find(id)->state, MessageState::sent);
}

} // namespace
} // namespace extcomm::testing
