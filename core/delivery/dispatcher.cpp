#include <delivery/dispatcher.hpp>

#include <spdlog/spdlog.h>

#include <algorithm>
#include <chrono>
#include <exception>

namespace extcomm {

Dispatcher::Dispatcher(Outbox& outbox, const Clock& clock, std::vector<std::shared_ptr<Transport>> transports,
                       DispatcherOptions options, DeliveryObserver* observer)
    : outbox_(outbox), clock_(clock), transports_(std::move(transports)), options_(std::move(options)),
      observer_(observer) {}

Dispatcher::~Dispatcher() { stop(); }

void Dispatcher::start() {
    for (auto& t : transports_) workers_.emplace_back([this, t] { work(*t); });
}

void Dispatcher::stop() {
    if (stopping_.exchange(true)) return;
    wake();
    for (auto& w : workers_) w.join();
    workers_.clear();
}

void Dispatcher::wake() {
    {
        std::lock_guard lock(mutex_);
        ++generation_;
    }
    wakeup_.notify_all();
}

std::size_t Dispatcher::run_once(Transport& transport) {
    const std::string owner = owner_of(transport);
    const unsigned batch = std::max(1u, transport.max_batch());
    auto claimed = outbox_.claim(transport.name(), owner, static_cast<int>(batch * options_.batches_per_claim));
    std::size_t settled = 0;
    for (std::size_t start = 0; start < claimed.size(); start += batch) {
        if (stopping_) break; // the rest is handed back below
        std::vector<OutboundMessage> chunk(claimed.begin() + static_cast<std::ptrdiff_t>(start),
                                           claimed.begin() + static_cast<std::ptrdiff_t>(std::min(claimed.size(), start + batch)));
        std::vector<DeliveryResult> results;
        try {
            results = transport.deliver(chunk);
        } catch (const std::exception& e) {
            spdlog::error("transport {}: delivery threw: {}", transport.name(), e.what());
        }
        results.resize(chunk.size(), DeliveryResult{Outcome::internal, "", "internal", "no result from transport", 0});
        std::vector<std::pair<OutboundMessage, DeliveryResult>> pairs;
        pairs.reserve(chunk.size());
        TimeMs now = clock_.now_ms();
        for (std::size_t i = 0; i < chunk.size(); ++i) {
            if (observer_) observer_->on_attempt(chunk[i], results[i], now);
            pairs.emplace_back(std::move(chunk[i]), std::move(results[i]));
        }
        outbox_.settle(owner, pairs, options_.retry);
        settled += pairs.size();
    }
    if (stopping_) outbox_.release(owner);
    return settled;
}

void Dispatcher::work(Transport& transport) {
    while (!stopping_) {
        std::uint64_t seen;
        {
            std::lock_guard lock(mutex_);
            seen = generation_;
        }
        std::size_t settled = 0;
        try {
            settled = run_once(transport);
        } catch (const std::exception& e) {
            // The store failed (disk full, database gone): keep the worker alive and try again later.
            spdlog::error("transport {}: outbox error: {}", transport.name(), e.what());
        }
        if (settled > 0) continue; // more may be due right away
        std::unique_lock lock(mutex_);
        wakeup_.wait_for(lock, std::chrono::milliseconds(options_.poll_interval_ms),
                         [&] { return stopping_ || generation_ != seen; });
    }
}

} // namespace extcomm
