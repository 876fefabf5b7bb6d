#pragma once
// When to try again: capped exponential backoff with full jitter (AWS "Exponential Backoff and
// Jitter"), never sooner than the provider asked, and never past the message's attempt budget.
#include <common/clock.hpp>

#include <map>
#include <random>
#include <string>

namespace extcomm {

struct RetryPolicy {
    int max_attempts = 8;
    std::map<std::string, int> max_attempts_by_kind; // a verification code is worth fewer tries than a notice
    TimeMs base_delay_ms = 2'000;
    TimeMs max_delay_ms = 600'000;

    int max_attempts_for(const std::string& kind) const {
        auto it = max_attempts_by_kind.find(kind);
        return it == max_attempts_by_kind.end() ? max_attempts : it->second;
    }

    // Delay before attempt `attempts + 1`, given the provider's hint (0 = none).
    TimeMs delay_after(int attempts, TimeMs retry_after_ms, std::mt19937_64& rng) const {
        TimeMs cap = base_delay_ms;
        for (int i = 1; i < attempts && cap < max_delay_ms; ++i) cap *= 2;
        if (cap > max_delay_ms) cap = max_delay_ms;
        TimeMs jittered = std::uniform_int_distribution<TimeMs>(0, cap)(rng);
        return jittered < retry_after_ms ? retry_after_ms : jittered;
    }
};

} // namespace extcomm
