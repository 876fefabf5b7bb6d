// Discussions in the store (both drivers): a link opens its discussion until 30 days after it was sent, and
// a worker's reply sends a fresh one without closing the older; the client's reply reaches the workers as a
// Discussion collaboration message; the email names the worker as the privacy switches allow; an email that
// cannot go (no consent, a place Client Delivery does not allow) stores nothing.
#include "../events/events_fixture.hpp"

#include <discussions/discussions.hpp>

#include <gtest/gtest.h>

namespace extcomm::discussions {
namespace {

using agency::ChannelChoice;
using events::testing::kNow;
using rendering::CollaborationType;

class DiscussionsTest : public events::testing::EventsTest {
protected:
    void SetUp() override {
        EventsTest::SetUp();
        snapshot->settings.client_delivery.enabled = true;
        snapshot->settings.client_delivery.contexts = {agency::ClientContext::profile};
        for (const char* id : {"ana", "ben"}) {
            agency::Worker w = worker(id, ChannelChoice::none);
            w.message_settings.set_channel(CollaborationType::discussion, ChannelChoice::email);
            put(w);
        }
        put(agency::ClientUpdate{"jo", "Jo", {{"home", Channel::email, "jo@example.org", true}}, std::string("home"), std::nullopt});
        put(agency::ClientUpdate{"sam", "Sam", {{"home", Channel::email, "sam@example.org", true}}, std::nullopt, std::nullopt});
        discussions = std::make_unique<Discussions>(*pipeline, *people, clock, [this](const std::string& id) {
            links.push_back(id);
            return "https://agency.example/d/" + id;
        });
        clock.set(kNow);
    }
    void TearDown() override {
        discussions.reset();
        EventsTest::TearDown();
    }
    Posted start(const std::string& client = "jo", const std::string& key = {}) {
        auto started = discussions->start(*snapshot, {client, agency::ClientContext::profile, {"ana", "ben"}, "Intake", "<p>Hi</p>", key});
        EXPECT_TRUE(std::holds_alternative<Posted>(started)) << std::get<FieldError>(started).reason;
        return std::get<Posted>(started);
    }

    std::unique_ptr<Discussions> discussions;
    std::vector<std::string> links; // every link id sent, oldest first
};

TEST_F(DiscussionsTest, ACallRepeatedWithItsKeyPostsAndSendsNothingAgain) {
    const Posted first = start("jo", "start-1");
    const Posted again = start("jo", "start-1");
    EXPECT_EQ(again.discussion.id, first.discussion.id);
    EXPECT_EQ(again.message_ids, first.message_ids);
    EXPECT_EQ(links.size(), 1u); // one email, one link
    auto other = discussions->start(*snapshot, {"sam", agency::ClientContext::profile, {"ana"}, "Intake", "<p>Hi</p>", "start-1"});
    ASSERT_TRUE(std::holds_alternative<KeyReused>(other));
    EXPECT_EQ(std::get<KeyReused>(other).what, "client");

    const std::string& id = first.discussion.id;
    auto replied = discussions->reply(*snapshot, id, "ben", "More", "reply-1");
    auto replayed = discussions->reply(*snapshot, id, "ben", "More", "reply-1");
    ASSERT_TRUE(std::holds_alternative<Posted>(replied));
    ASSERT_TRUE(std::holds_alternative<Posted>(replayed));
    EXPECT_EQ(std::get<Posted>(replayed).message_ids, std::get<Posted>(replied).message_ids);
    EXPECT_EQ(std::get<Posted>(replayed).discussion.messages.size(), 2u);
    EXPECT_EQ(links.size(), 2u);
    EXPECT_EQ(std::get<KeyReused>(discussions->reply(*snapshot, id, "ben", "Other", "reply-1")).what, "message");
    EXPECT_EQ(std::get<KeyReused>(discussions->reply(*snapshot, id, "ben", "<p>Hi</p>", "start-1")).what, "worker");
}

TEST_F(DiscussionsTest, ALinkOpensForThirtyDaysAndANewerOneLeavesItOpen) {
    const Posted posted = start();
    ASSERT_EQ(links.size(), 1u);
    auto email = outbox->find(posted.message_ids.at(0));
    ASSERT_TRUE(email);
    EXPECT_EQ(email->kind, "client-discussion");
    EXPECT_NE(email->body.find("https://agency.example/d/" + links[0]), std::string::npos) << email->body;

    clock.set(kNow + kLinkLifetimeMs - 1);
    EXPECT_EQ(discussions->open(links[0]).state, LinkState::open);
    ASSERT_TRUE(std::holds_alternative<Posted>(discussions->reply(*snapshot, posted.discussion.id, "ben", "More")));
    ASSERT_EQ(links.size(), 2u);
    clock.set(kNow + kLinkLifetimeMs);
    EXPECT_EQ(discussions->open(links[0]).state, LinkState::expired);
    EXPECT_EQ(std::get<LinkState>(discussions->client_reply(*snapshot, links[0], "Late")), LinkState::expired);
    auto opened = discussions->open(links[1]);
    ASSERT_EQ(opened.state, LinkState::open);
    EXPECT_EQ(opened.discussion->messages.size(), 2u);
    EXPECT_EQ(discussions->open("AAAAAAAAAAAAAAAA").state, LinkState::unknown);
}

TEST_F(DiscussionsTest, TheClientsReplyReachesTheWorkersAsADiscussionMessage) {
    start();
    auto replied = discussions->client_reply(*snapshot, links.at(0), "Thanks, see you then.");
    ASSERT_TRUE(std::holds_alternative<Posted>(replied));
    const Posted& posted = std::get<Posted>(replied);
    ASSERT_EQ(posted.message_ids.size(), 2u); // Ana and Ben, by email
    auto told = outbox->find(posted.message_ids[0]);
    ASSERT_TRUE(told);
    EXPECT_EQ(told->kind, "collaboration-message");
    EXPECT_EQ(told->subject, "Discussion: Intake");
    EXPECT_NE(told->body.find("Thanks, see you then."), std::string::npos) << told->body;
    const auto& thread = posted.discussion.messages;
    ASSERT_EQ(thread.size(), 2u);
    EXPECT_EQ(thread[1].author, Author::client);
    EXPECT_EQ(thread[1].author_id, "jo");
}

TEST_F(DiscussionsTest, TheEmailNamesTheWorkerAsThePrivacySwitchesAllow) {
    auto body = [this] { return outbox->find(start().message_ids.at(0))->body; };
    EXPECT_NE(body().find("ana Lee wrote:"), std::string::npos);
    snapshot->settings.privacy.hide_worker_last_name = true;
    const std::string hidden = body();
    EXPECT_NE(hidden.find("ana wrote:"), std::string::npos) << hidden;
    EXPECT_EQ(hidden.find("Lee"), std::string::npos) << hidden;
}

TEST_F(DiscussionsTest, AnEmailThatCannotGoStoresNothing) {
    auto refused = discussions->start(*snapshot, {"sam", agency::ClientContext::profile, {"ana"}, "Intake", "Hi", {}});
    ASSERT_TRUE(std::holds_alternative<FieldError>(refused));
    EXPECT_EQ(std::get<FieldError>(refused).field, "client");
    refused = discussions->start(*snapshot, {"jo", agency::ClientContext::case_file, {"ana"}, "Intake", "Hi", {}});
    ASSERT_TRUE(std::holds_alternative<FieldError>(refused));
    EXPECT_EQ(std::get<FieldError>(refused).field, "context");
    EXPECT_FALSE(discussions->find("d-1"));
    EXPECT_EQ(queued(), 0);
    EXPECT_EQ(start().discussion.id, "d-1"); // the refused ones took no number
}

} // namespace
} // namespace extcomm::discussions
