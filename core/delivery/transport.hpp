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

// Told about each settled attempt (metrics, logs).
class DeliveryObserver {
public:
    virtual ~DeliveryObserver() = default;
    virtual void on_attempt(const OutboundMessage& message, const DeliveryResult& result, TimeMs now_ms) = 0;
};

} // namespace extcomm
