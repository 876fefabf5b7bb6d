#include <metrics/metrics.hpp>

#include <sstream>

namespace extcomm::host {

void Metrics::on_attempt(const OutboundMessage& message, const DeliveryResult& result, MessageState, TimeMs now_ms) {
    std::lock_guard lock(mutex_);
    ++deliveries_[{message.transport, std::string(to_string(result.outcome))}];
    if (result.outcome != Outcome::accepted) return;
    double seconds = static_cast<double>(now_ms - message.created_at) / 1000.0;
    Histogram& h = latency_[message.transport];
    for (std::size_t i = 0; i < kBuckets.size(); ++i)
        if (seconds <= kBuckets[i]) ++h.counts[i];
    ++h.total;
    h.sum += seconds;
}

void Metrics::on_api_request(int status) {
    std::lock_guard lock(mutex_);
    ++api_requests_[status];
}

std::string Metrics::render(const std::optional<std::map<MessageState, long>>& messages_by_state) const {
    std::ostringstream out;
    out << "# HELP extcomm_store_up Whether the store answered this scrape.\n# TYPE extcomm_store_up gauge\n"
        << "extcomm_store_up " << (messages_by_state ? 1 : 0) << "\n";
    out << "# HELP extcomm_messages Messages in the outbox by state.\n# TYPE extcomm_messages gauge\n";
    if (messages_by_state)
        for (MessageState state : kAllMessageStates) {
            auto it = messages_by_state->find(state);
            out << "extcomm_messages{state=\"" << to_string(state) << "\"} "
                << (it == messages_by_state->end() ? 0 : it->second) << "\n";
        }
    std::lock_guard lock(mutex_);
    out << "# HELP extcomm_deliveries_total Delivery attempts by transport and outcome.\n"
           "# TYPE extcomm_deliveries_total counter\n";
    for (const auto& [key, count] : deliveries_)
        out << "extcomm_deliveries_total{transport=\"" << key.first << "\",outcome=\"" << key.second << "\"} " << count
            << "\n";
    out << "# HELP extcomm_delivery_latency_seconds From acceptance by the API to acceptance by the provider.\n"
           "# TYPE extcomm_delivery_latency_seconds histogram\n";
    for (const auto& [transport, h] : latency_) {
        for (std::size_t i = 0; i < kBuckets.size(); ++i)
            out << "extcomm_delivery_latency_seconds_bucket{transport=\"" << transport << "\",le=\"" << kBuckets[i]
                << "\"} " << h.counts[i] << "\n";
        out << "extcomm_delivery_latency_seconds_bucket{transport=\"" << transport << "\",le=\"+Inf\"} " << h.total << "\n"
            << "extcomm_delivery_latency_seconds_sum{transport=\"" << transport << "\"} " << h.sum << "\n"
            << "extcomm_delivery_latency_seconds_count{transport=\"" << transport << "\"} " << h.total << "\n";
    }
    out << "# HELP extcomm_api_requests_total API requests by response status.\n"
           "# TYPE extcomm_api_requests_total counter\n";
    for (const auto& [status, count] : api_requests_)
        out << "extcomm_api_requests_total{status=\"" << status << "\"} " << count << "\n";
    return out.str();
}

} // namespace extcomm::host
