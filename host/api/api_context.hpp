#pragma once
// What the API's handlers work with.
#include <config/config.hpp>
#include <delivery/dispatcher.hpp>
#include <metrics/metrics.hpp>
#include <outbox/outbox.hpp>
#include <runtime/transport_set.hpp>

namespace extcomm::host {

struct ApiContext {
    const Config& config;
    Outbox& outbox;
    const TransportSet& transports;
    Dispatcher& dispatcher;
    Metrics& metrics;
};

} // namespace extcomm::host
