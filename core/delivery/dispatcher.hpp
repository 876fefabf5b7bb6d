#pragma once
// Moves due messages from the outbox to their transports. Each transport is a lane of its own, with its
// own workers, rate limit, circuit breaker and pause switch, so a slow, failing or misconfigured
// provider only ever holds up its own queue. Each lane also has an urgent worker for authentication
// messages (priority rows), so they never wait behind a bulk batch in flight on the same transport; they
// keep to the lane's rate limit like every other message (one bucket of tokens per transport), and have its
// next tokens when they found none.
#include <delivery/circuit_breaker.hpp>
#include <delivery/rate_limiter.hpp>
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

// How one transport is driven (configurable per transport).
struct TransportPolicy {
    unsigned concurrency = 1;    // batches in flight at once
    double rate_per_second = 0;  // messages per second; 0 = as fast as the provider answers
    RetryPolicy retry;
    BreakerSettings breaker;
};

struct DispatcherOptions {
    std::string owner;              // lease owner prefix: unique per host process
    TimeMs poll_interval_ms = 500;
    unsigned batches_per_claim = 4; // claim this many transport batches at once...
    unsigned min_claim = 256;       // ...and at least this many messages
    // Settling is a commit, so a worker's results wait for one another across rounds: they are settled
    // once min_claim of them have gathered, once the oldest is this old, or when the worker has nothing
    // else to do. One message per request otherwise costs a settlement commit every few messages.
    TimeMs settle_after_ms = 100;
    // Take messages due now straight from the commit that accepts them (FreshIntake) while a lane has
    // room, instead of claiming them from the store afterwards.
    bool take_fresh = true;
};

// What an operator sees of a transport (GET /v1/transports).
struct TransportStatus {
    std::string name;
    bool paused = false;
    std::string paused_reason;
    std::string breaker;            // closed | open | half_open
    int consecutive_failures = 0;
    TimeMs breaker_reopens_at = 0;
    std::string last_error;
    TimeMs last_error_at = 0;
    unsigned concurrency = 1;
    double rate_per_second = 0;
};

// Remembers which transports are paused across restarts (the store implements it).
class PauseBook {
public:
    virtual ~PauseBook() = default;
    virtual void paused(const std::string& transport, const std::string& reason) = 0;
    virtual void resumed(const std::string& transport) = 0;
};

class Dispatcher final : public FreshIntake {
public:
    struct Lane;      // one transport's state
    struct Unsettled; // a worker's delivered, not yet settled results

    Dispatcher(Outbox& outbox, const Clock& clock, DispatcherOptions options,
               std::vector<DeliveryObserver*> observers = {}, PauseBook* pauses = nullptr);
    ~Dispatcher() override;

    // Adds a transport (before start). `paused_reason` non-empty: it starts paused (remembered pause).
    void add(std::shared_ptr<Transport> transport, TransportPolicy policy, const std::string& paused_reason = {});

    void start();
    // Finishes the batches being delivered, hands back the rest of the claims, joins the workers.
    void stop();
    // New messages were enqueued (or became due): the workers claim from the store now instead of at the
    // next poll.
    void wake();
    // Authentication messages were enqueued for `transport`: the lane's urgent worker claims and delivers
    // them at once, beside whatever batch its other workers have in flight (claims take them first too).
    void expedite(const std::string& transport);

    // Operator control. Return false for an unknown transport.
    bool pause(const std::string& transport, const std::string& reason);
    bool resume(const std::string& transport);
    std::vector<TransportStatus> status() const;

    // Claims and delivers what is due for one transport, once, on the calling thread (tests).
    // Returns how many messages were settled.
    std::size_t run_once(const std::string& transport);
    // The urgent worker's round (authentication messages), once, on the calling thread (tests).
    std::size_t run_urgent_once(const std::string& transport);

    // FreshIntake (called by the outbox's commits once started).
    std::string reserve(const std::string& transport) override;
    void handed(std::vector<OutboundMessage> messages) override;
    void dropped(const std::vector<std::string>& transports) override;

private:
    Lane* lane(const std::string& name) const;
    unsigned admit(Lane& lane, unsigned limit);
    std::vector<OutboundMessage> take(Lane& lane, const std::string& owner, unsigned limit, std::string& holder,
                                      Unsettled& unsettled);
    // Up to `limit` of the messages handed over at acceptance (expired ones go back to the store).
    std::vector<OutboundMessage> take_fresh(Lane& lane, unsigned limit);
    // Whether to claim from the store now (the lane's store_due, or a poll interval since the last claim).
    bool claim_due(Lane& lane);
    // Takes and delivers one round; returns how many messages were taken (their results join `unsettled`).
    std::size_t run_lane(Lane& lane, const std::string& owner, Unsettled& unsettled);
    // Settles what `unsettled` holds (one transaction per holder).
    void settle(Lane& lane, Unsettled& unsettled);
    // Delivers one transport batch and adds its results to `done` (settling when due); returns why to
    // pause the lane, if so.
    std::string deliver(Lane& lane, std::vector<OutboundMessage> chunk,
                        std::vector<std::pair<OutboundMessage, DeliveryResult>>& done, Unsettled& unsettled);
    // The authentication messages expedite() announced, claimed and delivered now; returns why to pause.
    std::string deliver_urgent(Lane& lane, const std::string& owner, Unsettled& unsettled);
    // A lane's worker for authentication messages only, idle until expedite() (or a poll interval).
    void work_urgent(Lane& lane);
    // Updates the lane's breaker and last error from a batch's results; returns why to pause, if so.
    std::string judge(Lane& lane, const std::vector<DeliveryResult>& results);
    void work(Lane& lane, unsigned worker);
    // Gives the lane's fresh messages back to the store's queue (paused, stopping).
    void hand_back_fresh(Lane& lane);
    // Wakes the workers without a claim (fresh messages arrived).
    void notify();

    Outbox& outbox_;
    const Clock& clock_;
    DispatcherOptions options_;
    std::vector<DeliveryObserver*> observers_;
    PauseBook* pauses_;
    std::vector<std::unique_ptr<Lane>> lanes_;
    std::vector<std::thread> workers_;
    std::atomic<bool> started_{false};
    std::atomic<bool> stopping_{false};
    std::mutex wake_mutex_;
    std::condition_variable wakeup_;
    std::uint64_t generation_ = 0;
};

} // namespace extcomm
