#pragma once
// A transport as the delivery engine sees it: something that takes a batch of messages and says, for
// each, what happened. The host implements it over a loaded plugin; tests implement it directly.
#include <outbox/message.hpp>

#include <string>
#include <vector>

namespace extcomm {

class Transport {
public:
    virtual ~Transport() = default;
    virtual const std::string& name() const = 0;
    virtual unsigned max_batch() const = 0;
    // One result per message, in order. Must not throw for provider trouble; that is a result.
    virtual std::vector<DeliveryResult> deliver(const std::vector<OutboundMessage>& messages) = 0;
};

// Told about what the delivery engine does (metrics, logs, error notices). Called from worker threads.
class DeliveryObserver {
public:
    virtual ~DeliveryObserver() = default;
    // One settled attempt, after it was recorded; `ended_in` is the message's state now (queued again
    // on a retry, failed when its attempts are spent).
    virtual void on_attempt(const OutboundMessage& message, const DeliveryResult& result, MessageState ended_in,
                            TimeMs now_ms) = 0;
    // A transport-level failure (credentials, credit, configuration) stopped a transport until an
    // operator resumes it or its configuration changes.
    virtual void on_transport_paused(const std::string& transport, const std::string& reason, TimeMs now_ms) {
        (void)transport, (void)reason, (void)now_ms;
    }
};

} // namespace extcomm
