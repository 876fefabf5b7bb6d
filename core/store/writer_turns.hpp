#pragma once
// Turns at SQLite's one connection. Units of work someone is waiting on (Durability::durable: an
// accepted message, a settings change, a read for the API) go before waiting bookkeeping (deferred:
// claims, settlements), but never twice in a row while bookkeeping waits: an acceptance waits for at
// most one settlement, and a stream of acceptances never starves delivery.
#include <store/durability.hpp>

#include <condition_variable>
#include <mutex>

namespace extcomm {

class WriterTurns {
public:
    void acquire(Durability kind) {
        std::unique_lock lock(mutex_);
        int& waiting = kind == Durability::durable ? durable_waiting_ : deferred_waiting_;
        ++waiting;
        turn_.wait(lock, [&] {
            if (busy_) return false;
            if (kind == Durability::durable) return !(last_ == Durability::durable && deferred_waiting_ > 0);
            return durable_waiting_ == 0 || last_ == Durability::durable;
        });
        --waiting;
        busy_ = true;
        last_ = kind;
    }

    void release() {
        {
            std::lock_guard lock(mutex_);
            busy_ = false;
        }
        turn_.notify_all();
    }

    // Tests: callers waiting for a turn.
    int waiting() const {
        std::lock_guard lock(mutex_);
        return durable_waiting_ + deferred_waiting_;
    }

private:
    mutable std::mutex mutex_;
    std::condition_variable turn_;
    bool busy_ = false;
    Durability last_ = Durability::deferred;
    int durable_waiting_ = 0;
    int deferred_waiting_ = 0;
};

} // namespace extcomm
