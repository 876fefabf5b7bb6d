#pragma once
// The durable outbox: messages are rows, written before they are acknowledged, claimed under a lease,
// and settled with every attempt recorded.
#include <delivery/retry_policy.hpp>
#include <store/group_commit.hpp>
#include <outbox/message.hpp>
#include <store/database.hpp>

#include <atomic>
#include <map>
#include <mutex>
#include <optional>
#include <random>
#include <string>
#include <utility>
#include <vector>

namespace extcomm {

struct OutboxOptions {
    TimeMs default_max_age_ms = 24 * 3600 * 1000; // a message nobody could deliver in a day is stale
    TimeMs lease_ms = 120'000;                    // a claim not settled by then is taken over
};

// A local dispatcher that takes fresh messages straight from the commit that accepted them. They are
// written already leased to it, so no claim (a write and a commit) stands between acceptance and
// delivery, and handed over in memory once committed. Whatever it cannot deliver it hands back
// (Outbox::release), and after a crash the lease runs out or the embedded store releases it, as for
// any claim.
class FreshIntake {
public:
    virtual ~FreshIntake() = default;
    // Inside the commit, per message due now: the lease owner to write it under, or "" to leave it
    // queued (lane busy, paused, rate-limited, ...). A non-empty answer holds room until handed() or
    // dropped() says what became of it.
    virtual std::string reserve(const std::string& transport) = 0;
    // After the commit: the messages written under a reservation, as stored (state sending, 1 attempt).
    virtual void handed(std::vector<OutboundMessage> messages) = 0;
    // Reservations that were not used (the commit failed, or the key was already stored).
    virtual void dropped(const std::vector<std::string>& transports) = 0;
};

class Outbox {
public:
    Outbox(Database& db, const Clock& clock, OutboxOptions options = {});
    ~Outbox();

    // Writes the messages in one transaction and returns them as stored, after the commit. A message
    // whose idempotency key is already stored is not written again: the stored one is returned.
    std::vector<OutboundMessage> enqueue(std::vector<NewMessage> messages);
    // The same without waiting: `done` gets them as stored (or the commit's failure) on the committer's
    // thread once they are committed. It must be quick and never wait (store/group_commit.hpp).
    using Enqueued = GroupCommit<NewMessage, OutboundMessage>::Done;
    void enqueue(std::vector<NewMessage> messages, Enqueued done);
    // The same within the caller's transaction on `c` (the caller commits), so that messages commit
    // together with what caused them (e.g. the message log's decisions).
    std::vector<OutboundMessage> enqueue(Database::Connection& c, std::vector<NewMessage> messages);

    std::optional<OutboundMessage> find(const std::string& id);
    // The stored messages with these idempotency keys (those there are), in no particular order.
    std::vector<OutboundMessage> find_by_keys(const std::vector<std::string>& keys);
    std::vector<Attempt> attempts(const std::string& id);

    // Leases up to `limit` due messages of `transport` to `owner` and returns them. Messages past their
    // expiry are settled as expired on the way, never handed out.
    // `urgent_only`: only priority messages (authentication messages that arrived during a round).
    std::vector<OutboundMessage> claim(const std::string& transport, const std::string& owner, int limit,
                                       bool urgent_only = false);

    // Withdraws a message still queued (not handed to a dispatcher): it ends expired with `why`, its secret
    // text erased. In the caller's transaction; false when it was no longer queued.
    bool withdraw(Database::Connection& c, const std::string& id, const std::string& why);

    // Settles claimed messages with their results (one transaction). A settlement whose lease was lost
    // (taken over after expiry) is ignored: the new holder decides.
    // Returns the state each message ended in (queued again on a retry), or nothing where the lease was lost.
    std::vector<std::optional<MessageState>> settle(const std::string& owner,
                                                    const std::vector<std::pair<OutboundMessage, DeliveryResult>>& results,
                                                    const RetryPolicy& policy);

    // Hands back every unsettled claim of `owner` (clean shutdown).
    void release(const std::string& owner);
    // Hands back these messages of `owner`'s, not attempted after all (paused, stopping, expired).
    void release(const std::string& owner, const std::vector<std::string>& ids);

    // Fresh messages enqueued through enqueue(messages) go to `intake` when it takes them (nullptr: none).
    // Set before messages flow, cleared before the intake goes away.
    void set_intake(FreshIntake* intake) { intake_ = intake; }
    // Hands back every claim whatever its owner: for an embedded store that only this process opens.
    void release_all();

    // Both read the whole table or queue: on a reading session, so the writers go on meanwhile.
    std::map<MessageState, long> count_by_state();
    // Messages waiting (queued or being sent) per transport.
    std::map<std::string, long> queue_depths();

private:
    // Marks the transport's messages past their expiry as expired; at most once a second per transport.
    void expire_due(Database::Connection& c, const std::string& transport, TimeMs now);
    std::vector<OutboundMessage> commit_new(std::vector<NewMessage> messages);
    // Lease owner per message ("" = queued); `fresh[i]` says whether row i was written now (false: its
    // idempotency key was stored before, and the earlier message is returned).
    std::vector<OutboundMessage> insert(Database::Connection& c, std::vector<NewMessage> messages,
                                        const std::vector<std::string>& leased_to, std::vector<bool>& fresh);

    Database& db_;
    const Clock& clock_;
    OutboxOptions options_;
    std::mutex rng_mutex_;
    std::mt19937_64 rng_{std::random_device{}()};
    std::mutex expiry_mutex_;
    std::map<std::string, TimeMs> expired_up_to_; // per transport: when expire_due last ran
    std::atomic<FreshIntake*> intake_{nullptr};
    std::unique_ptr<GroupCommit<NewMessage, OutboundMessage>> group_commit_;   // last: stops before the rest goes
};

} // namespace extcomm
