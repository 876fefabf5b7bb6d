#pragma once
// Group commit (Postfix's and every database's trick): callers that enqueue at the same moment share
// one transaction and one fsync. Each caller still returns only after the commit that holds its
// messages, so "acknowledge only after commit" is kept; a failed commit fails every caller in it.
#include <outbox/message.hpp>

#include <condition_variable>
#include <functional>
#include <future>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

namespace extcomm {

class GroupCommit {
public:
    // Writes all the messages in one transaction and returns them as stored, in order.
    using CommitFn = std::function<std::vector<OutboundMessage>(std::vector<NewMessage>)>;

    explicit GroupCommit(CommitFn commit);
    ~GroupCommit();
    GroupCommit(const GroupCommit&) = delete;
    GroupCommit& operator=(const GroupCommit&) = delete;

    // Blocks until the messages are committed; rethrows the commit's exception.
    std::vector<OutboundMessage> submit(std::vector<NewMessage> messages);

private:
    struct Request {
        std::vector<NewMessage> messages;
        std::promise<std::vector<OutboundMessage>> stored;
    };
    void run();
    void commit(std::vector<std::shared_ptr<Request>>& group);

    CommitFn commit_;
    std::mutex mutex_;
    std::condition_variable wakeup_;
    std::vector<std::shared_ptr<Request>> waiting_;
    bool stopping_ = false;
    std::thread committer_;
};

} // namespace extcomm
