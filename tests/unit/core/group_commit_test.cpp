#include <outbox/message.hpp>
#include <store/group_commit.hpp>

#include <gtest/gtest.h>

#include <atomic>
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

} // namespace
} // namespace extcomm
