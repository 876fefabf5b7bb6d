#pragma once
// A background thread that runs a task every so often until stopped (digests, late receipts). The task
// must not throw; stop() interrupts the wait at once and joins.
#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <thread>

namespace extcomm {

class Periodic {
public:
    Periodic(std::chrono::milliseconds every, std::function<void()> task) : every_(every), task_(std::move(task)) {}
    ~Periodic() { stop(); }
    Periodic(const Periodic&) = delete;
    Periodic& operator=(const Periodic&) = delete;

    void start() {
        thread_ = std::thread([this] {
            std::unique_lock lock(mutex_);
            while (!stopping_) {
                if (wakeup_.wait_for(lock, every_, [this] { return stopping_; })) break;
                lock.unlock();
                task_();
                lock.lock();
            }
        });
    }

    void stop() {
        {
            std::lock_guard lock(mutex_);
            stopping_ = true;
        }
        wakeup_.notify_all();
        if (thread_.joinable()) thread_.join();
    }

private:
    std::chrono::milliseconds every_;
    std::function<void()> task_;
    std::mutex mutex_;
    std::condition_variable wakeup_;
    bool stopping_ = false;
    std::thread thread_;
};

} // namespace extcomm
