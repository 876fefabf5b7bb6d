#pragma once
// Moves due messages from the outbox to their transports: one worker per transport, so a slow or
// failing provider only ever holds up its own queue.
#include <delivery/retry_policy.hpp>
#include <delivery/transport.hpp>
#include <outbox/outbox.hpp>

#include <atomic>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace extcomm {

struct DispatcherOptions {
    std::string owner;          // lease owner prefix: unique per host process
    TimeMs poll_interval_ms = 500;
    unsigned batches_per_claim = 4; // claim this many transport batches at once
    RetryPolicy retry;
};

class Dispatcher {
public:
    Dispatcher(Outbox& outbox, const Clock& clock, std::vector<std::shared_ptr<Transport>> transports,
               DispatcherOptions options, DeliveryObserver* observer = nullptr);
    ~Dispatcher();

    void start();
    // Finishes the batches being delivered, hands back the rest of the claims, joins the workers.
    void stop();
    // New messages were enqueued: wake the workers instead of waiting for the next poll.
    void wake();

    // Claims and delivers what is due for one transport, once. Returns how many were settled. (Tests.)
    std::size_t run_once(Transport& transport);

private:
    void work(Transport& transport);
    std::string owner_of(const Transport& transport) const { return options_.owner + "/" + transport.name(); }

    Outbox& outbox_;
    const Clock& clock_;
    std::vector<std::shared_ptr<Transport>> transports_;
    DispatcherOptions options_;
    DeliveryObserver* observer_;
    std::vector<std::thread> workers_;
    std::atomic<bool> stopping_{false};
    std::mutex mutex_;
    std::condition_variable wakeup_;
    std::uint64_t generation_ = 0;
};

} // namespace extcomm
