#pragma once
// A provider that keeps failing is left alone for a while instead of being hammered (Envoy's outlier
// ejection, Postfix's destination throttle): after `failure_threshold` consecutive failed batches the
// breaker opens for `open_ms × times opened` (capped), then lets one probe batch through; a good probe
// closes it, a bad one opens it again for longer.
#include <common/clock.hpp>

#include <algorithm>
#include <string_view>

namespace extcomm {

struct BreakerSettings {
    int failure_threshold = 5;
    TimeMs open_ms = 30'000;
    TimeMs max_open_ms = 300'000;
};

class CircuitBreaker {
public:
    enum class State { closed, open, half_open };

    explicit CircuitBreaker(BreakerSettings settings = {}) : settings_(settings) {}

    // May a batch go now? In half-open state only one probe at a time.
    bool allow(TimeMs now) {
        if (state_ == State::open && now >= reopen_at_) state_ = State::half_open, probing_ = false;
        if (state_ == State::closed) return true;
        if (state_ == State::half_open && !probing_) return probing_ = true;
        return false;
    }

    // The allowed probe found nothing to send: let the next batch be the probe.
    void release_probe() { probing_ = false; }

    void on_success() {
        state_ = State::closed;
        consecutive_failures_ = 0;
        times_opened_ = 0;
        probing_ = false;
    }

    void on_failure(TimeMs now) {
        ++consecutive_failures_;
        probing_ = false;
        if (state_ == State::half_open || consecutive_failures_ >= settings_.failure_threshold) {
            ++times_opened_;
            state_ = State::open;
            reopen_at_ = now + std::min(settings_.max_open_ms, settings_.open_ms * times_opened_);
        }
    }

    State state() const { return state_; }
    TimeMs reopen_at() const { return reopen_at_; }
    int consecutive_failures() const { return consecutive_failures_; }
    int times_opened() const { return times_opened_; }

private:
    BreakerSettings settings_;
    State state_ = State::closed;
    int consecutive_failures_ = 0;
    int times_opened_ = 0;
    TimeMs reopen_at_ = 0;
    bool probing_ = false;
};

inline std::string_view to_string(CircuitBreaker::State s) {
    switch (s) {
    case CircuitBreaker::State::closed: return "closed";
    case CircuitBreaker::State::open: return "open";
    case CircuitBreaker::State::half_open: return "half_open";
    }
    return "closed";
}

} // namespace extcomm
