#pragma once
// Group commit (Postfix's and every database's trick): callers that write at the same moment share one
// transaction and one fsync. Each caller still returns only after the commit that holds its work, so
// "acknowledge only after commit" is kept; a failed commit fails every caller in it. Accepted messages
// (the outbox) and records from the case-management system (triggers/records.hpp) are committed so.
//
// GroupCommit<Item, Stored>: each caller submits items and gets back, in order, what the commit function
// made of them; the commit function gets every waiting caller's items at once, in arrival order, and
// returns one Stored per item.
#include <condition_variable>
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

    // Blocks until the items are committed; rethrows the commit's exception.
    std::vector<Stored> submit(std::vector<Item> items) {
        auto request = std::make_shared<Request>();
        request->items = std::move(items);
        auto stored = request->stored.get_future();
        {
            std::lock_guard lock(mutex_);
            waiting_.push_back(request);
        }
        wakeup_.notify_one();
        return stored.get();
    }

private:
    struct Request {
        std::vector<Item> items;
        std::promise<std::vector<Stored>> stored;
    };

    void run() {
        std::unique_lock lock(mutex_);
        for (;;) {
            wakeup_.wait(lock, [&] { return stopping_ || !waiting_.empty(); });
            if (waiting_.empty()) return; // stopping, and nobody is left waiting
            std::vector<std::shared_ptr<Request>> group;
            group.swap(waiting_);
            lock.unlock();
            // Whatever arrives while this commits waits for the next one: the group grows with the load.
            commit(group);
            lock.lock();
        }
    }

    void commit(std::vector<std::shared_ptr<Request>>& group) {
        std::vector<Item> all;
        std::vector<std::size_t> counts;
        for (auto& r : group) {
            counts.push_back(r->items.size());
            for (auto& item : r->items) all.push_back(std::move(item));
        }
        std::vector<Stored> stored;
        try {
            stored = commit_(std::move(all));
        } catch (...) {
            for (auto& r : group) r->stored.set_exception(std::current_exception());
            return;
        }
        auto next = stored.begin();
        for (std::size_t i = 0; i < group.size(); ++i) {
            auto end = next + static_cast<std::ptrdiff_t>(counts[i]);
            group[i]->stored.set_value(std::vector<Stored>(std::make_move_iterator(next), std::make_move_iterator(end)));
            next = end;
        }
    }

    CommitFn commit_;
    std::mutex mutex_;
    std::condition_variable wakeup_;
    std::vector<std::shared_ptr<Request>> waiting_;
    bool stopping_ = false;
    std::thread committer_;
};

} // namespace extcomm
