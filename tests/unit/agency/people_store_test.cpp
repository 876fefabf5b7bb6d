// People in the store, and the messages people send going through the store: decisions and outbox rows
// commit together, categories expand to their members, a retried request sends nothing twice.
// Runs on SQLite, and on PostgreSQL in the `.postgresql` variant.
#include "store_fixture.hpp"

#include <agency/people_store.hpp>
#include <agency/staff_messages.hpp>
#include <sending/pipeline.hpp>
#include <delivery/error_notices.hpp>

#include <map>
#include <set>

namespace extcomm::agency {
namespace {

using rendering::CollaborationType;
using sending::SentRequest;
using sending::SkipReason;

class PeopleStoreTest : public testing::StoreTest {
protected:
    void SetUp() override {
        StoreTest::SetUp();
        people = std::make_unique<PeopleStore>(*db, clock);
        pipeline = std::make_unique<sending::Pipeline>(*db, *outbox);
        workers = std::make_unique<StaffMessages>(*pipeline, *people, clock);
        clients = workers.get();
        settings.general.country_calling_code = "61";
        settings.email = {true, "mail", true, ""};
        settings.sms = {true, "sms"};
        settings.worker_delivery.enabled = true;
        settings.client_delivery.enabled = true;
        settings.client_delivery.contexts = {ClientContext::profile};
    }
    void TearDown() override {
        clients = nullptr;
        workers.reset();
        pipeline.reset();
        people.reset();
        StoreTest::TearDown();
    }

    Worker worker(std::string id, ChannelChoice alerts, std::vector<std::string> categories = {}) {
        Worker w;
        w.id = std::move(id);
        w.first_name = "Worker";
        w.last_name = w.id;
        w.email = w.id + "@example.org";
        w.mobile = "0491 570 1" + std::to_string(10 + workers_made++);
        w.categories = std::move(categories);
        w.message_settings.set_channel(CollaborationType::alert, alerts);
        return w;
    }
    void put(Worker w) {
        auto r = people->put_worker(std::move(w), settings.general);
        ASSERT_TRUE(std::holds_alternative<Saved>(r)) << std::get<FieldError>(r).field;
    }
    SentRequest send_alert(WorkerMessageRequest request) {
        auto r = workers->send(snapshot, request);
        if (auto* e = std::get_if<FieldError>(&r)) ADD_FAILURE() << e->field << ": " << e->reason;
        return std::get<SentRequest>(r);
    }
    sending::DecisionLog& log() { return pipeline->log(); }

    SettingsSnapshot snapshot;
    AgencySettings& settings = snapshot.settings;
    std::unique_ptr<PeopleStore> people;
    std::unique_ptr<sending::Pipeline> pipeline;
    std::unique_ptr<StaffMessages> workers;
    StaffMessages* clients = nullptr; // the same sender, named for the messages a test sends
    int workers_made = 0;
};

TEST_F(PeopleStoreTest, WorkerRoundTripsWithMessageSettingsAndNormalisedMobile) {
    ASSERT_EQ(people->put_category({"nurses", "Nurses"}), Saved::created);
    Worker w = worker("ana", ChannelChoice::both, {"nurses"});
    w.message_settings.event_notifications = ChannelChoice::sms;
    w.message_settings.only_when_offline = true;
    w.message_settings.reminder_minutes = 30;
    w.message_settings.first_event_reminder_minutes = 1440;
    w.message_settings.notify_when_client_confirms = true;
    w.message_settings.set_channel(CollaborationType::reminder, ChannelChoice::email);
    auto saved = people->put_worker(w, settings.general);
    ASSERT_EQ(std::get<Saved>(saved), Saved::created);

    auto got = people->worker("ana");
    ASSERT_TRUE(got);
    EXPECT_EQ(got->mobile, "+61491570110");
    EXPECT_EQ(got->categories, std::vector<std::string>{"nurses"});
    EXPECT_EQ(got->message_settings.channel(CollaborationType::alert), ChannelChoice::both);
    EXPECT_EQ(got->message_settings.channel(CollaborationType::reminder), ChannelChoice::email);
    EXPECT_EQ(got->message_settings.channel(CollaborationType::conversation), ChannelChoice::none);
    EXPECT_EQ(got->message_settings.event_notifications, ChannelChoice::sms);
    EXPECT_TRUE(got->message_settings.only_when_offline);
    EXPECT_EQ(got->message_settings.reminder_minutes, 30);
    EXPECT_EQ(got->message_settings.first_event_reminder_minutes, 1440);
    EXPECT_TRUE(got->message_settings.notify_when_client_confirms);
    EXPECT_FALSE(got->presence.online);

    EXPECT_EQ(std::get<Saved>(people->put_worker(w, settings.general)), Saved::updated);
    EXPECT_EQ(people->members("nurses"), std::vector<std::string>{"ana"});
    auto members = people->members_of("nurses");
    ASSERT_EQ(members.size(), 1u);
    EXPECT_EQ(members[0].email, "ana@example.org");
}

TEST_F(PeopleStoreTest, AWorkerNamingAnUnknownCategoryIsRefused) {
    auto r = people->put_worker(worker("ana", ChannelChoice::both, {"ghosts"}), settings.general);
    ASSERT_TRUE(std::holds_alternative<FieldError>(r));
    EXPECT_EQ(std::get<FieldError>(r).field, "categories[0]");
    EXPECT_FALSE(people->worker("ana"));
}

TEST_F(PeopleStoreTest, PresenceIsKeptWithTheTimeItChangedAndSurvivesAnUpdate) {
    put(worker("ana", ChannelChoice::both));
    clock.set(5000);
    auto w = people->set_presence("ana", true);
    ASSERT_TRUE(w);
    EXPECT_TRUE(w->presence.online);
    EXPECT_EQ(w->presence.since, 5000);
    clock.set(6000);
    EXPECT_EQ(people->set_presence("ana", true)->presence.since, 5000); // no change, same since
    put(worker("ana", ChannelChoice::email));
    EXPECT_TRUE(people->worker("ana")->presence.online);
    clock.set(7000);
    EXPECT_EQ(people->set_presence("ana", false)->presence.since, 7000);
    EXPECT_FALSE(people->set_presence("nobody", true));
}

TEST_F(PeopleStoreTest, ClientConsentIsStoredWithItsTime) {
    ClientUpdate u{"jo", "Jo", {{"home", Channel::email, "jo@example.org", true}, {"mob", Channel::sms, "0491570156", true}},
                   std::string("home"), std::string("")};
    clock.set(1000);
    auto r = people->put_client(u, settings.general);
    ASSERT_TRUE((std::holds_alternative<std::pair<Saved, Client>>(r)));
    clock.set(2000);
    u.email_via.reset();
    u.sms_via = "mob";
    people->put_client(u, settings.general);
    auto c = people->client("jo");
    ASSERT_TRUE(c);
    EXPECT_EQ(c->email.entry, "home");
    EXPECT_EQ(c->email.consented_at, 1000);
    EXPECT_EQ(c->sms.address, "+61491570156");
    EXPECT_EQ(c->sms.consented_at, 2000);
    ASSERT_EQ(c->contacts.size(), 2u);
    EXPECT_EQ(c->contacts[1].address, "+61491570156");
    // Marking the mobile not in use withdraws SMS consent.
    u.sms_via.reset();
    u.contacts[1].in_use = false;
    people->put_client(u, settings.general);
    EXPECT_FALSE(people->client("jo")->sms.given());
}

// The Scheduler reads a run's people together: each with its categories or contacts, unknown ids left out.
TEST_F(PeopleStoreTest, ManyWorkersAndClientsAreReadAsOneAtATime) {
    ASSERT_EQ(people->put_category({"nurses", "Nurses"}), Saved::created);
    ASSERT_EQ(people->put_category({"leads", "Leads"}), Saved::created);
    put(worker("ana", ChannelChoice::both, {"nurses", "leads"}));
    put(worker("ben", ChannelChoice::email));
    put(worker("cy", ChannelChoice::sms, {"leads"}));
    for (const char* id : {"jo", "kim"})
        people->put_client({id, id, {{"home", Channel::email, std::string(id) + "@example.org", true},
                                     {"mob", Channel::sms, "0491570156", true}},
                            std::string("home"), std::string("mob")},
                           settings.general);

    auto c = db->connect();
    auto workers = people->workers(c, {"cy", "nobody", "ana", "ben", "ana"});
    ASSERT_EQ(workers.size(), 3u);
    std::map<std::string, std::vector<std::string>> categories;
    for (const Worker& w : workers) categories[w.id] = w.categories;
    EXPECT_EQ(categories, (std::map<std::string, std::vector<std::string>>{
                              {"ana", {"nurses", "leads"}}, {"ben", {}}, {"cy", {"leads"}}}));
    auto clients = people->clients(c, {"kim", "nobody", "jo"});
    ASSERT_EQ(clients.size(), 2u);
    for (const Client& client : clients) {
        ASSERT_EQ(client.contacts.size(), 2u) << client.id;
        EXPECT_EQ(client.contacts[0].address, client.id + "@example.org");
        EXPECT_EQ(client.contacts[1].address, "+61491570156");
        EXPECT_EQ(client.email.address, client.id + "@example.org");
    }
    EXPECT_TRUE(people->workers(c, {}).empty());
}

TEST_F(PeopleStoreTest, SiteRoundTrips) {
    auto r = people->put_site({"central", "Central", "02 9999 0000", "1 Main St", "Australia/Sydney", 0}, settings.general);
    ASSERT_EQ(std::get<Saved>(r), Saved::created);
    auto s = people->site("central");
    ASSERT_TRUE(s);
    EXPECT_EQ(s->phone, "02 9999 0000");
    EXPECT_EQ(s->time_zone, "Australia/Sydney");
}

TEST_F(PeopleStoreTest, WorkerMessageToACategoryReachesEachMemberOnTheirChannelsAndRecordsWhyNot) {
    people->put_category({"team", "Team"});
    put(worker("ana", ChannelChoice::both, {"team"}));
    put(worker("ben", ChannelChoice::none, {"team"}));
    Worker cat = worker("cat", ChannelChoice::email, {"team"});
    cat.message_settings.only_when_offline = true;
    put(cat);
    people->set_presence("cat", true);
    put(worker("dan", ChannelChoice::sms));

    SentRequest result = send_alert({"", CollaborationType::alert, "Fire drill", "At 3pm, meet outside.", {"dan", "ana"}, {"team"}});
    // ana (named, and in the team) counts once.
    std::vector<std::string> lines;
    for (const auto& d : result.decisions)
        lines.push_back(d.recipient_id + " " + (d.channel ? std::string(to_string(*d.channel)) : "-") + " " +
                        (d.sent ? "sent" : std::string(to_string(*d.reason))));
    EXPECT_EQ(lines, (std::vector<std::string>{"dan sms sent", "ana email sent", "ana sms sent", "ben - not-chosen",
                                               "cat - online"}));
    // The outbox holds exactly the sent ones, with their kind and transport; SMS carries the subject only.
    for (const auto& d : result.decisions) {
        if (!d.sent) {
            EXPECT_TRUE(d.message_id.empty());
            continue;
        }
        auto m = outbox->find(d.message_id);
        ASSERT_TRUE(m);
        EXPECT_EQ(m->kind, "collaboration-message");
        EXPECT_EQ(m->to, d.to);
        if (m->channel == Channel::sms) {
            EXPECT_EQ(m->transport, "sms");
            EXPECT_EQ(m->body.find("3pm"), std::string::npos);
            EXPECT_NE(m->body.find("Fire drill"), std::string::npos);
        } else {
            EXPECT_EQ(m->transport, "mail");
            EXPECT_NE(m->body.find("At 3pm"), std::string::npos);
        }
    }
    // The message log says the same, per worker.
    auto logged = log().find({result.request.id, "", "", 100});
    EXPECT_EQ(logged.size(), 5u);
    auto cats = log().find({"", "cat", "", 100});
    ASSERT_EQ(cats.size(), 1u);
    EXPECT_EQ(cats[0].reason, SkipReason::online);
    EXPECT_NE(cats[0].reason_text.find("logged in"), std::string::npos);
}

TEST_F(PeopleStoreTest, SubjectOnlyStripsTheBodyFromTheEmail) {
    settings.worker_delivery.detail_levels[static_cast<std::size_t>(CollaborationType::alert)] =
        rendering::DetailLevel::subject_only;
    put(worker("ana", ChannelChoice::email));
    SentRequest result = send_alert({"", CollaborationType::alert, "Case review", "Private details", {"ana"}, {}});
    ASSERT_EQ(result.decisions.size(), 1u);
    ASSERT_TRUE(result.decisions[0].sent);
    auto m = outbox->find(result.decisions[0].message_id);
    EXPECT_NE(m->subject.find("Case review"), std::string::npos);
    EXPECT_EQ(m->body.find("Private details"), std::string::npos);
}

TEST_F(PeopleStoreTest, ARetriedRequestReturnsTheFirstAnswerAndSendsNothingTwice) {
    put(worker("ana", ChannelChoice::both));
    SentRequest first = send_alert({"key-1", CollaborationType::alert, "Hello", "Body", {"ana"}, {}});
    SentRequest again = send_alert({"key-1", CollaborationType::alert, "Hello", "Body", {"ana"}, {}});
    EXPECT_FALSE(first.replayed);
    EXPECT_TRUE(again.replayed);
    EXPECT_EQ(again.request.id, first.request.id);
    ASSERT_EQ(again.decisions.size(), 2u);
    EXPECT_EQ(again.decisions[0].message_id, first.decisions[0].message_id);
    EXPECT_EQ(outbox->count_by_state()[MessageState::queued], 2);
}

TEST_F(PeopleStoreTest, UnknownRecipientsAreRefusedAndNothingIsStored) {
    put(worker("ana", ChannelChoice::both));
    auto r = workers->send(snapshot, {"", CollaborationType::alert, "Hi", "", {"ana", "zed"}, {}});
    ASSERT_TRUE(std::holds_alternative<FieldError>(r));
    EXPECT_EQ(std::get<FieldError>(r).field, "workers[1]");
    r = workers->send(snapshot, {"", CollaborationType::alert, "Hi", "", {}, {"nobody"}});
    ASSERT_TRUE(std::holds_alternative<FieldError>(r));
    EXPECT_EQ(std::get<FieldError>(r).field, "categories[0]");
    EXPECT_EQ(outbox->count_by_state()[MessageState::queued], 0);
    EXPECT_TRUE(log().find({}).empty());
}

TEST_F(PeopleStoreTest, ClientMessageGoesToTheConsentedAddressAndARefusalIsLogged) {
    ClientUpdate u{"jo", "Jo", {{"home", Channel::email, "jo@example.org", true}, {"mob", Channel::sms, "0491570156", true}},
                   std::string("home"), std::nullopt};
    people->put_client(u, settings.general);
    auto r = clients->send(snapshot, {"", "jo", ClientContext::profile, "Your invoice", "Please call us.", std::nullopt});
    auto& sent = std::get<SentRequest>(r);
    EXPECT_TRUE(sent.request.refusal.empty());
    ASSERT_EQ(sent.decisions.size(), 2u);
    ASSERT_TRUE(sent.decisions[0].sent);
    auto m = outbox->find(sent.decisions[0].message_id);
    EXPECT_EQ(m->to, "jo@example.org");
    EXPECT_EQ(m->kind, "client-message");
    EXPECT_EQ(sent.decisions[1].reason, SkipReason::no_consent);

    clock.advance(1000);
    r = clients->send(snapshot, {"", "jo", ClientContext::profile, "Hi", "Text", Channel::sms});
    auto& refused = std::get<SentRequest>(r);
    EXPECT_EQ(refused.request.refusal_code, "no-consent");
    auto logged = log().find({"", "", "jo", 100});
    ASSERT_EQ(logged.size(), 3u);
    EXPECT_EQ(logged[0].reason, SkipReason::no_consent); // newest first
    EXPECT_EQ(logged[0].request_id, refused.request.id);
    EXPECT_EQ(log().request(refused.request.id)->refusal_code, "no-consent");

    r = clients->send(snapshot, {"", "nobody", ClientContext::profile, "Hi", "Text", std::nullopt});
    ASSERT_TRUE(std::holds_alternative<FieldError>(r));
    EXPECT_EQ(std::get<FieldError>(r).field, "client");
}

// Error-notice digests go to the members of the agency's error-notice worker category who have an email
// address, as the category is when the digest is due, and to the configured addresses as well.
TEST_F(PeopleStoreTest, ErrorNoticesGoToTheMembersOfTheErrorNoticeCategoryAndTheConfiguredAddresses) {
    std::string category; // general.error_notice_category, as the settings say at digest time
    ErrorNoticeOptions options;
    options.recipients = {"ops@agency.example"};
    options.transport = "mail";
    options.interval_ms = 1000;
    options.category_members = [&] { return category.empty() ? std::vector<Worker>{} : people->members_of(category); };
    auto shared = std::make_shared<SettingsSnapshot>(snapshot);
    options.settings = [&] { return shared; };
    ErrorNotices notices(*pipeline, clock, options);
    auto fail_one = [&](const std::string& to) {
        outbox->enqueue({sms(to)});
        auto claimed = outbox->claim("sms", "host", 10);
        ASSERT_EQ(claimed.size(), 1u);
        notices.on_attempt(claimed[0], DeliveryResult{Outcome::rejected, "", "105", "Invalid Destination Address", 0},
                           MessageState::rejected, clock.now_ms());
        outbox->settle("host", {{claimed[0], DeliveryResult{Outcome::rejected, "", "105", "invalid", 0}}}, RetryPolicy{});
    };
    auto digest_recipients = [&] {
        std::set<std::string> to;
        std::vector<std::pair<OutboundMessage, DeliveryResult>> delivered;
        for (const auto& m : outbox->claim("mail", "reader", 100)) {
            to.insert(m.to);
            delivered.emplace_back(m, DeliveryResult{Outcome::accepted, "", "250", "ok", 0});
        }
        outbox->settle("reader", delivered, RetryPolicy{});
        return to;
    };

    people->put_category({"admins", "Administrators"});
    put(worker("ana", ChannelChoice::none, {"admins"}));
    Worker no_email = worker("ben", ChannelChoice::none, {"admins"});
    no_email.email.clear();
    put(no_email);

    // No category chosen: the configured addresses.
    fail_one("+61491570156");
    clock.advance(1000);
    EXPECT_EQ(notices.flush_due(), 1u);
    EXPECT_EQ(digest_recipients(), std::set<std::string>{"ops@agency.example"});

    // The category's members with an email address, resolved when the digest is due, and the addresses.
    category = "admins";
    fail_one("+61491570157");
    put(worker("cat", ChannelChoice::none, {"admins"})); // joins before the digest: gets it
    clock.advance(1000);
    EXPECT_EQ(notices.flush_due(), 3u);
    EXPECT_EQ(digest_recipients(), (std::set<std::string>{"ana@example.org", "cat@example.org", "ops@agency.example"}));
    // Ben has no email address: the message log says so.
    auto ben = log().find({"", "ben", "", 100});
    ASSERT_EQ(ben.size(), 1u);
    EXPECT_EQ(ben[0].reason, SkipReason::no_address);
    EXPECT_EQ(log().request(ben[0].request_id)->kind, "error-notice-digest");

    // A category with nobody to write to: the configured addresses still.
    people->put_category({"empty", "Nobody"});
    category = "empty";
    fail_one("+61491570158");
    clock.advance(1000);
    EXPECT_EQ(notices.flush_due(), 1u);
    EXPECT_EQ(digest_recipients(), std::set<std::string>{"ops@agency.example"});
}

} // namespace
} // namespace extcomm::agency
