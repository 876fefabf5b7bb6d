#include <outbox/group_commit.hpp>

namespace extcomm {

GroupCommit::GroupCommit(CommitFn commit) : commit_(std::move(commit)), committer_([this] { run(); }) {}

GroupCommit::~GroupCommit() {
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    wakeup_.notify_one();
    committer_.join();
}

std::vector<OutboundMessage> GroupCommit::submit(std::vector<NewMessage> messages) {
    auto request = std::make_shared<Request>();
    request->messages = std::move(messages);
    auto stored = request->stored.get_future();
    {
        std::lock_guard lock(mutex_);
        waiting_.push_back(request);
    }
    wakeup_.notify_one();
    return stored.get();
}

void GroupCommit::run() {
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

void GroupCommit::commit(std::vector<std::shared_ptr<Request>>& group) {
    std::vector<NewMessage> all;
    for (auto& r : group)
        for (auto& m : r->messages) all.push_back(std::move(m));
    std::vector<OutboundMessage> stored;
    try {
        stored = commit_(std::move(all));
    } catch (...) {
        for (auto& r : group) r->stored.set_exception(std::current_exception());
        return;
    }
    auto next = stored.begin();
    for (auto& r : group) {
        auto end = next + static_cast<std::ptrdiff_t>(r->messages.size());
        r->stored.set_value(std::vector<OutboundMessage>(std::make_move_iterator(next), std::make_move_iterator(end)));
        next = end;
    }
}

} // namespace extcomm
