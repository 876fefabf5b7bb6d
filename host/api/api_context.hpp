#pragma once
// What the API's handlers work with.
#include <config/config.hpp>
#include <delivery/dispatcher.hpp>
#include <metrics/metrics.hpp>
#include <outbox/outbox.hpp>
#include <outbox/receipts.hpp>
#include <runtime/transport_set.hpp>

namespace extcomm::host {

struct ApiContext {
    const Config& config;
    Outbox& outbox;
    const TransportSet& transports;
    Dispatcher& dispatcher;
    Metrics& metrics;
    Receipts* receipts = nullptr; // webhooks: where receipts and replies go
};

} // namespace extcomm::host
