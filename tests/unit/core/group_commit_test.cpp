#include <outbox/message.hpp>
#include <store/group_commit.hpp>

#include <gtest/gtest.h>

#include <atomic>
#include <condition_variable>
#include <mutex>
#include <stdexcept>
#include <thread>

namespace extcomm {
namespace {

NewMessage message(std::string to) {
    NewMessage m;
    m.to = std::move(to);
    return m;
}

TEST(GroupCommitTest, EachCallerGetsItsOwnMessagesBackInOrder) {
    std::atomic<int> commits{0};
    GroupCommit<NewMessage, OutboundMessage> group([&](std::vector<NewMessage> all) {
        ++commits;
        std::vector<OutboundMessage> stored;
        for (auto& m : all) {
            OutboundMessage s;
            s.to = m.to;
            stored.push_back(s);
        }
        return stored;
    });
    std::vector<std::thread> callers;
    std::atomic<int> wrong{0};
    for (int t = 0; t < 8; ++t)
        callers.emplace_back([&, t] {
            for (int i = 0; i < 50; ++i) {
                std::string a = std::to_string(t) + "-" + std::to_string(i);
                auto stored = group.submit({message(a + "x"), message(a + "y")});
                if (stored.size() != 2 || stored[0].to != a + "x" || stored[1].to != a + "y") ++wrong;
            }
        });
    for (auto& c : callers) c.join();
    EXPECT_EQ(wrong, 0);
    EXPECT_LE(commits, 400);
}

TEST(GroupCommitTest, AFailedCommitFailsEveryCallerInIt) {
    GroupCommit<NewMessage, OutboundMessage> group([](std::vector<NewMessage>) -> std::vector<OutboundMessage> {
        throw std::runtime_error("store: disk full");
    });
    EXPECT_THROW(group.submit({message("a")}), std::runtime_error);
}

// What the commit made of the items, as the receivers of submit_async saw it.
struct Received {
    std::mutex mutex;
    std::condition_variable arrived;
    std::vector<std::string> to;   // in the order the callbacks ran
    std::vector<std::string> errors;
    std::thread::id on;

    GroupCommit<NewMessage, OutboundMessage>::Done receiver() {
        return [this](std::vector<OutboundMessage> stored, std::exception_ptr failed) {
            std::lock_guard lock(mutex);
            on = std::this_thread::get_id();
            if (failed) {
                try {
                    std::rethrow_exception(failed);
                } catch (const std::exception& e) {
                    errors.push_back(e.what());
                }
            }
            for (auto& s : stored) to.push_back(s.to);
            arrived.notify_all();
        };
    }
    void wait_for(std::size_t n) {
        std::unique_lock lock(mutex);
        arrived.wait(lock, [&] { return to.size() + errors.size() >= n; });
    }
};

std::vector<OutboundMessage> as_stored(std::vector<NewMessage> all) {
    std::vector<OutboundMessage> stored;
    for (auto& m : all) {
        if (m.to == "fail") throw std::runtime_error("store: disk full");
        OutboundMessage s;
        s.to = m.to;
        stored.push_back(s);
    }
    return stored;
}

TEST(GroupCommitTest, AnAsyncCallerIsCalledBackOnTheCommittersThreadAfterTheCommit) {
    Received received;
    GroupCommit<NewMessage, OutboundMessage> group(as_stored);
    group.submit_async({message("a"), message("b")}, received.receiver());
    group.submit_async({message("c")}, received.receiver());
    received.wait_for(3);
    std::lock_guard lock(received.mutex);
    EXPECT_EQ(received.to, (std::vector<std::string>{"a", "b", "c"}));
    EXPECT_NE(received.on, std::this_thread::get_id());
}

TEST(GroupCommitTest, AnAsyncCallerOfAFailedCommitGetsTheFailureAndACallbackThatThrowsStopsNothing) {
    Received received;
    GroupCommit<NewMessage, OutboundMessage> group(as_stored);
    group.submit_async({message("x")}, [](std::vector<OutboundMessage>, std::exception_ptr) { throw std::runtime_error("caller gone"); });
    group.submit_async({message("fail")}, received.receiver());
    received.wait_for(1);
    auto stored = group.submit({message("after")}); // the committer still commits
    ASSERT_EQ(stored.size(), 1u);
    EXPECT_EQ(stored[0].to, "after");
    std::lock_guard lock(received.mutex);
    EXPECT_EQ(received.errors, (std::vector<std::string>{"store: disk full"}));
}

} // namespace
} // namespace extcomm
