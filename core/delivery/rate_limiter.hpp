#pragma once
// Messages per second for one transport (a provider account's throughput limit): a token bucket that
// holds at most one second of tokens, so a quiet minute does not turn into a burst.
#include <common/clock.hpp>

#include <algorithm>

namespace extcomm {

class RateLimiter {
public:
    // 0 = unlimited.
    explicit RateLimiter(double per_second = 0) : rate_(per_second), tokens_(per_second) {}

    // Takes up to `wanted` tokens now; returns how many were granted (0 when the bucket is empty).
    unsigned take(unsigned wanted, TimeMs now) {
        if (rate_ <= 0) return wanted;
        refill(now);
        auto granted = static_cast<unsigned>(std::min<double>(wanted, tokens_));
        tokens_ -= granted;
        return granted;
    }

    // Gives back tokens taken but not used (fewer messages were due than granted).
    void refund(unsigned n) {
        if (rate_ > 0) tokens_ = std::min(rate_, tokens_ + n);
    }

    // How long until at least one token is available.
    TimeMs wait_ms(TimeMs now) {
        if (rate_ <= 0) return 0;
        refill(now);
        return tokens_ >= 1 ? 0 : static_cast<TimeMs>((1 - tokens_) * 1000 / rate_) + 1;
    }

    double per_second() const { return rate_; }

private:
    void refill(TimeMs now) {
        if (last_ == 0 || now < last_) last_ = now; // first use, or the clock went back: no windfall
        tokens_ = std::min(rate_, tokens_ + static_cast<double>(now - last_) * rate_ / 1000.0);
        last_ = now;
    }

    double rate_;
    double tokens_;
    TimeMs last_ = 0;
};

} // namespace extcomm
