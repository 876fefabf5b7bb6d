#pragma once
// Group commit (Postfix's and every database's trick): callers that write at the same moment share one
// transaction and one fsync. Each caller still returns only after the commit that holds its work, so
// "acknowledge only after commit" is kept; a failed commit fails every caller in it. Accepted messages
// (the outbox) and records from the case-management system (triggers/records.hpp) are committed so.
//
// GroupCommit<Item, Stored>: each caller submits items and gets back, in order, what the commit function
// made of them; the commit function gets every waiting caller's items at once, in arrival order, and
// returns one Stored per item. A caller either waits (submit) or is called back once its commit is done
// (submit_async), on the committer's thread: a callback never waits for anything, so the next group is not
// held up, and never submits (its commit would wait for the callback).
#include <condition_variable>
#include <exception>
#include <functional>
#include <future>
#include <iterator>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

namespace extcomm {

template <typename Item, typename Stored>
class GroupCommit {
public:
    // Writes all the items in one transaction and returns them as stored, in order.
    using CommitFn = std::function<std::vector<Stored>(std::vector<Item>)>;

    explicit GroupCommit(CommitFn commit) : commit_(std::move(commit)), committer_([this] { run(); }) {}
    ~GroupCommit() {
        {
            std::lock_guard lock(mutex_);
            stopping_ = true;
        }
        wakeup_.notify_one();
        committer_.join();
    }
    GroupCommit(const GroupCommit&) = delete;
    GroupCommit& operator=(const GroupCommit&) = delete;

    // What the commit made of a caller's items, or the exception it failed with (then `stored` is empty).
    using Done = std::function<void(std::vector<Stored> stored, std::exception_ptr failed)>;

    // Blocks until the items are committed; rethrows the commit's exception.
    std::vector<Stored> submit(std::vector<Item> items) {
        auto result = std::make_shared<std::promise<std::vector<Stored>>>();
        auto stored = result->get_future();
        submit_async(std::move(items), [result](std::vector<Stored> s, std::exception_ptr failed) {
            if (failed) result->set_exception(failed);
            else result->set_value(std::move(s));
        });
        return stored.get();
    }

    // Returns at once; `done` is called on the committer's thread after the commit that holds the items.
    // What `done` throws is dropped: the items are committed whatever becomes of their caller.
    void submit_async(std::vector<Item> items, Done done) {
        bool idle = false;
        {
            std::lock_guard lock(mutex_);
            waiting_.push_back(Request{std::move(items), std::move(done)});
            idle = idle_;
        }
        // The committer only sleeps on an empty queue: while it commits, a caller need not wake it (a
        // futex call less per request under load).
        if (idle) wakeup_.notify_one();
    }

private:
    struct Request {
        std::vector<Item> items;
        Done done;
    };

    void run() {
        std::unique_lock lock(mutex_);
        for (;;) {
            idle_ = true;
            wakeup_.wait(lock, [&] { return stopping_ || !waiting_.empty(); });
            idle_ = false;
            if (waiting_.empty()) return; // stopping, and nobody is left waiting
            std::vector<Request> group;
            group.swap(waiting_);
            lock.unlock();
            // Whatever arrives while this commits waits for the next one: the group grows with the load.
            commit(group);
            lock.lock();
        }
    }

    void commit(std::vector<Request>& group) {
        std::vector<Item> all;
        std::vector<std::size_t> counts;
        for (auto& r : group) {
            counts.push_back(r.items.size());
            for (auto& item : r.items) all.push_back(std::move(item));
        }
        std::vector<Stored> stored;
        try {
            stored = commit_(std::move(all));
        } catch (...) {
            for (auto& r : group) call(r.done, {}, std::current_exception());
            return;
        }
        auto next = stored.begin();
        for (std::size_t i = 0; i < group.size(); ++i) {
            auto end = next + static_cast<std::ptrdiff_t>(counts[i]);
            call(group[i].done, std::vector<Stored>(std::make_move_iterator(next), std::make_move_iterator(end)), nullptr);
            next = end;
        }
    }

    static void call(const Done& done, std::vector<Stored> stored, std::exception_ptr failed) noexcept {
        try {
            done(std::move(stored), failed);
        } catch (...) {
        }
    }

    CommitFn commit_;
    std::mutex mutex_;
    std::condition_variable wakeup_;
    std::vector<Request> waiting_;
    bool stopping_ = false;
    bool idle_ = false; // the committer waits for work (guarded by mutex_)
    std::thread committer_;
};

} // namespace extcomm
