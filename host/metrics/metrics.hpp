#pragma once
// Counters the service exposes at GET /metrics, in Prometheus' text format.
#include <delivery/transport.hpp>

#include <array>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <utility>

namespace extcomm::host {

class Metrics final : public DeliveryObserver {
public:
    void on_attempt(const OutboundMessage& message, const DeliveryResult& result, MessageState ended_in,
                    TimeMs now_ms) override;
    void on_api_request(int status);

    // `messages_by_state` comes from the store at scrape time, so it is true across restarts and hosts.
    // Without it (the store cannot be read) the rest is still rendered, with extcomm_store_up 0 and no
    // extcomm_messages samples: an outage is when the counters matter most.
    std::string render(const std::optional<std::map<MessageState, long>>& messages_by_state) const;

private:
    // Seconds from acceptance to the provider's acceptance.
    static constexpr std::array<double, 12> kBuckets{0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 60, 300};
    struct Histogram {
        std::array<std::uint64_t, kBuckets.size()> counts{};
        std::uint64_t total = 0;
        double sum = 0;
    };

    mutable std::mutex mutex_;
    std::map<std::pair<std::string, std::string>, std::uint64_t> deliveries_; // (transport, outcome)
    std::map<std::string, Histogram> latency_;                                // by transport
    std::map<int, std::uint64_t> api_requests_;                               // by status
};

} // namespace extcomm::host
