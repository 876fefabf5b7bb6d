// The sending pipeline on the store (both drivers): a Batch enqueues the messages its rules let go and
// logs one decision per recipient and channel, with the outbox message of each that went; a repeated
// idempotency key sends nothing and answers as the first time; a message that cannot be rendered is
// logged render-failed; a dry run plans what a send enqueues; a withheld intent is logged with its reason.
#include "store_fixture.hpp"

#include <sending/pipeline.hpp>

#include <Poco/Data/Transaction.h>
#include <boost/json.hpp>

#include <gtest/gtest.h>

namespace extcomm::sending {
namespace {

using agency::ChannelChoice;
using rendering::CollaborationType;
using rendering::MessageKind;

class PipelineTest : public extcomm::testing::StoreTest {
protected:
    void SetUp() override {
        StoreTest::SetUp();
        pipeline = std::make_unique<Pipeline>(*db, *outbox);
        auto& s = snapshot.settings;
        s.email = {true, "mail", true, ""};
        s.sms = {true, "sms"};
        s.worker_delivery.enabled = true;
        s.client_delivery.enabled = true;
        s.client_delivery.contexts = {agency::ClientContext::profile};
    }
    void TearDown() override {
        pipeline.reset();
        StoreTest::TearDown();
    }

    static agency::Worker worker(const std::string& id, ChannelChoice alerts) {
        agency::Worker w;
        w.id = id;
        w.first_name = id;
        w.email = id + "@example.org";
        w.mobile = "+6149157015" + std::to_string(id.size());
        w.message_settings.set_channel(CollaborationType::alert, alerts);
        return w;
    }
    static Intent alert(std::string key, std::vector<Addressee> to, std::string body = "Meet outside at 3pm.") {
        Intent i;
        i.kind = MessageKind::collaboration_message;
        i.idempotency_key = std::move(key);
        i.about = "alert";
        i.subject = "Fire drill";
        i.recipients = std::move(to);
        i.facts = rendering::CollaborationFacts{CollaborationType::alert, "Fire drill", std::move(body)};
        i.metadata = {{"type", "alert"}};
        return i;
    }
    // One intent through a Batch, committed.
    SentRequest send(const Intent& intent) {
        auto c = db->connect();
        Poco::Data::Transaction tx(c.session());
        SentRequest sent = sending::send(*pipeline, c, snapshot, intent, clock.now_ms());
        tx.commit();
        return sent;
    }
    std::vector<Decision> logged(const std::string& request) { return pipeline->log().of_request(request); }
    long queued() { return outbox->count_by_state()[MessageState::queued]; }
    static std::string line(const Decision& d) {
        return d.recipient_id + " " + (d.channel ? std::string(to_string(*d.channel)) : "-") + " " +
               (d.sent ? "sent" : std::string(to_string(*d.reason)));
    }

    agency::SettingsSnapshot snapshot;
    std::unique_ptr<Pipeline> pipeline;
};

TEST_F(PipelineTest, ABatchEnqueuesAndLogsOneDecisionPerRecipientAndChannel) {
    std::vector<SentRequest> requests;
    {
        auto c = db->connect(); // SQLite: the one connection, until it goes out of scope
        Poco::Data::Transaction tx(c.session());
        Batch batch(*pipeline, c, snapshot, clock.now_ms());
        batch.add(alert("", {worker("ana", ChannelChoice::both), worker("ben", ChannelChoice::none)}));
        batch.add(alert("", {worker("cy", ChannelChoice::sms)}));
        EXPECT_EQ(batch.messages(), 3u); // waiting for enqueue()
        EXPECT_EQ(batch.enqueue().size(), 3u);
        tx.commit();
        requests = batch.requests();
    }
    ASSERT_EQ(requests.size(), 2u);
    EXPECT_EQ(queued(), 3);

    const SentRequest& sent = requests[0];
    EXPECT_FALSE(sent.replayed);
    EXPECT_TRUE(sent.any_sent());
    EXPECT_EQ(sent.request.kind, "collaboration-message");
    std::vector<std::string> lines;
    for (const Decision& d : sent.decisions) lines.push_back(line(d));
    EXPECT_EQ(lines, (std::vector<std::string>{"ana email sent", "ana sms sent", "ben - not-chosen"}));
    for (const Decision& d : sent.decisions) {
        EXPECT_EQ(d.request_id, sent.request.id);
        EXPECT_EQ(d.decided_at, clock.now_ms());
        if (!d.sent) {
            EXPECT_TRUE(d.message_id.empty());
            continue;
        }
        auto m = outbox->find(d.message_id);
        ASSERT_TRUE(m) << line(d);
        EXPECT_EQ(m->kind, "collaboration-message");
        EXPECT_EQ(m->to, d.to);
        EXPECT_EQ(m->channel, *d.channel);
        EXPECT_EQ(m->transport, m->channel == Channel::email ? "mail" : "sms");
    }
    // The log says the same, with the same message ids; the second request has its own.
    auto in_log = logged(sent.request.id);
    ASSERT_EQ(in_log.size(), 3u);
    for (std::size_t i = 0; i < in_log.size(); ++i) {
        EXPECT_EQ(line(in_log[i]), lines[i]);
        EXPECT_EQ(in_log[i].message_id, sent.decisions[i].message_id);
    }
    ASSERT_EQ(logged(requests[1].request.id).size(), 1u);
    EXPECT_NE(requests[1].request.id, sent.request.id);
    EXPECT_EQ(pipeline->log().request(sent.request.id)->subject, "Fire drill");
}

TEST_F(PipelineTest, ARepeatedIdempotencyKeyReplaysTheFirstAnswerAndSendsNothing) {
    const Intent intent = alert("drill-1", {worker("ana", ChannelChoice::both)});
    SentRequest first = send(intent);
    clock.advance(1000);
    SentRequest again = send(intent);
    EXPECT_FALSE(first.replayed);
    EXPECT_TRUE(again.replayed);
    EXPECT_EQ(again.request.id, first.request.id);
    ASSERT_EQ(again.decisions.size(), 2u);
    for (std::size_t i = 0; i < 2; ++i) EXPECT_EQ(again.decisions[i].message_id, first.decisions[i].message_id);
    EXPECT_EQ(queued(), 2);
    EXPECT_EQ(logged(first.request.id).size(), 2u); // not logged twice

    // Without a key, a retried call sends again.
    send(alert("", {worker("ana", ChannelChoice::both)}));
    send(alert("", {worker("ana", ChannelChoice::both)}));
    EXPECT_EQ(queued(), 6);
}

TEST_F(PipelineTest, AMessageThatCannotBeRenderedIsLoggedRenderFailed) {
    // An administrator's email template that is only the body, and a message without one.
    ASSERT_FALSE(snapshot.templates.set(MessageKind::collaboration_message, Channel::email, {"{{subject}}", "{{body}}", ""}));
    SentRequest sent = send(alert("", {worker("ana", ChannelChoice::both)}, ""));
    ASSERT_EQ(sent.decisions.size(), 2u);
    EXPECT_EQ(line(sent.decisions[0]), "ana email render-failed");
    EXPECT_NE(sent.decisions[0].reason_text.find("body"), std::string::npos) << sent.decisions[0].reason_text;
    EXPECT_TRUE(sent.decisions[0].message_id.empty());
    EXPECT_EQ(line(sent.decisions[1]), "ana sms sent"); // the SMS is the subject alone
    EXPECT_EQ(queued(), 1);
    auto in_log = logged(sent.request.id);
    ASSERT_EQ(in_log.size(), 2u);
    EXPECT_EQ(in_log[0].reason, SkipReason::render_failed);
}

TEST_F(PipelineTest, ADryRunPlansWhatASendEnqueues) {
    agency::Worker ana = worker("ana", ChannelChoice::both), ben = worker("ben", ChannelChoice::email);
    ben.email.clear();
    const Intent intent = alert("", {ana, ben});
    std::vector<Planned> planned;
    for (const Addressee& to : intent.recipients)
        for (Planned& p : plan(snapshot, intent, to)) planned.push_back(std::move(p));
    EXPECT_EQ(queued(), 0); // nothing stored by a dry run
    EXPECT_TRUE(pipeline->log().find({}).empty());

    SentRequest sent = send(intent);
    ASSERT_EQ(planned.size(), sent.decisions.size());
    for (std::size_t i = 0; i < planned.size(); ++i) {
        const Decision& d = sent.decisions[i];
        EXPECT_EQ(line(planned[i].decision), line(d));
        EXPECT_EQ(planned[i].decision.to, d.to);
        ASSERT_EQ(planned[i].message.has_value(), d.sent) << line(d);
        if (!d.sent) continue;
        auto m = outbox->find(d.message_id);
        ASSERT_TRUE(m);
        EXPECT_EQ(planned[i].message->subject, m->subject);
        EXPECT_EQ(planned[i].message->body, m->body);
    }
    EXPECT_EQ(line(sent.decisions.back()), "ben email no-address");
}

TEST_F(PipelineTest, AWithheldIntentLogsItsReasonForEveryRecipientAndSendsNothing) {
    Intent intent = alert("", {worker("ana", ChannelChoice::both), worker("ben", ChannelChoice::email)});
    intent.withheld = Intent::Withheld{SkipReason::event_not_booked, "the event is no longer booked (cancelled)"};
    SentRequest sent = send(intent);
    EXPECT_FALSE(sent.any_sent());
    EXPECT_EQ(queued(), 0);
    auto in_log = logged(sent.request.id);
    ASSERT_EQ(in_log.size(), 2u);
    for (const Decision& d : in_log) {
        EXPECT_EQ(d.reason, SkipReason::event_not_booked);
        EXPECT_EQ(d.reason_text, "the event is no longer booked (cancelled)");
        EXPECT_FALSE(d.channel);
    }
}

TEST_F(PipelineTest, EveryMessageCarriesTheIntentsMetadataWithItsRequestAndRecipient) {
    agency::Client jo;
    jo.id = "jo";
    jo.email = {"home", "jo@example.org", 1};
    Intent to_client;
    to_client.kind = MessageKind::client_message;
    to_client.client = "jo";
    to_client.recipients = {jo};
    to_client.facts = rendering::ClientMessageFacts{"Your invoice", "Please call us."};
    to_client.context = agency::ClientContext::profile;
    to_client.metadata = {{"context", "profile"}};
    to_client.expires_at = clock.now_ms() + 5000;

    for (const Intent& intent : {alert("", {worker("ana", ChannelChoice::email)}), to_client}) {
        SentRequest sent = send(intent);
        ASSERT_TRUE(sent.decisions[0].sent);
        auto m = outbox->find(sent.decisions[0].message_id);
        ASSERT_TRUE(m);
        auto metadata = boost::json::parse(m->metadata_json).as_object();
        EXPECT_EQ(metadata.at("request").as_string(), sent.request.id);
        const bool worker = intent.kind == MessageKind::collaboration_message;
        EXPECT_EQ(metadata.at(worker ? "worker" : "client").as_string(), worker ? "ana" : "jo");
        EXPECT_EQ(metadata.at(worker ? "type" : "context").as_string(), worker ? "alert" : "profile");
        // The intent's expiry, else the outbox's default.
        EXPECT_EQ(m->expires_at, worker ? clock.now_ms() + outbox_options.default_max_age_ms : intent.expires_at);
    }
}

TEST_F(PipelineTest, AKindsMaximumAgeOnItsTransportSetsTheExpiryUnlessTheIntentDoes) {
    pipeline = std::make_unique<Pipeline>(*db, *outbox, [](const std::string& transport, const std::string& kind) {
        return transport == "sms" && kind == "collaboration-message" ? TimeMs{60'000} : TimeMs{0};
    });
    SentRequest sent = send(alert("", {worker("ana", ChannelChoice::both)}));
    EXPECT_EQ(outbox->find(sent.decisions[0].message_id)->expires_at, clock.now_ms() + outbox_options.default_max_age_ms);
    EXPECT_EQ(outbox->find(sent.decisions[1].message_id)->expires_at, clock.now_ms() + 60'000);
}

} // namespace
} // namespace extcomm::sending
