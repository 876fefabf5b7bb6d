#pragma once
// Time as the domain sees it: Unix milliseconds, from a clock tests can move.
#include <atomic>
#include <chrono>
#include <cstdint>

namespace extcomm {

using TimeMs = std::int64_t;

class Clock {
public:
    virtual ~Clock() = default;
    virtual TimeMs now_ms() const = 0;
};

class SystemClock final : public Clock {
public:
    TimeMs now_ms() const override {
        return std::chrono::duration_cast<std::chrono::milliseconds>(
                   std::chrono::system_clock::now().time_since_epoch())
            .count();
    }
};

// A clock that only moves when told to (tests, clock-jump scenarios).
class ManualClock final : public Clock {
public:
    explicit ManualClock(TimeMs start) : now_(start) {}
    TimeMs now_ms() const override { return now_.load(); }
    void set(TimeMs t) { now_.store(t); }
    void advance(TimeMs by) { now_.fetch_add(by); }

private:
    std::atomic<TimeMs> now_;
};

} // namespace extcomm
