#pragma once
// The fixture of the action trigger tests in the store (both drivers): the events fixture's people and
// pipeline, a rule store, firing, records and tasks; Ana (in the "leads" category) and Ben, who get Alerts,
// Notifications and Workflow messages by email; the "intake" document template; the clock at kNow.
#include "../events/events_fixture.hpp"

#include <triggers/records.hpp>
#include <triggers/rule_store.hpp>
#include <triggers/tasks.hpp>

#include <gtest/gtest.h>

namespace extcomm::triggers::testing {

namespace json = boost::json;
using agency::ChannelChoice;
using rendering::CollaborationType;

class FiringTest : public events::testing::EventsTest {
protected:
    void SetUp() override {
        EventsTest::SetUp();
        rules = std::make_unique<RuleStore>(*db, *people, clock);
        firing = std::make_unique<Firing>(*rules, *people);
        records = std::make_unique<Records>(*pipeline, *people, *firing, clock);
        tasks = std::make_unique<Tasks>(*pipeline, *people, *firing, clock);
        events = std::make_unique<events::ServiceEvents>(*pipeline, *people, clock, firing.get());
        ASSERT_EQ(people->put_category({"leads", "Team leads"}), agency::Saved::created);
        put(alerted("ana", {"leads"}));
        put(alerted("ben", {}));
        records->put_template(form("intake"));
        clock.set(events::testing::kNow);
    }
    void TearDown() override {
        tasks.reset();
        records.reset();
        firing.reset();
        rules.reset();
        EventsTest::TearDown();
    }

    // A worker who gets Alerts, Notifications and Workflow messages by email.
    static agency::Worker alerted(const std::string& id, std::vector<std::string> categories) {
        agency::Worker w = worker(id, ChannelChoice::none);
        w.categories = std::move(categories);
        w.message_settings.set_channel(CollaborationType::alert, ChannelChoice::email);
        w.message_settings.set_channel(CollaborationType::notification, ChannelChoice::email);
        w.message_settings.set_channel(CollaborationType::workflow, ChannelChoice::email);
        return w;
    }
    static DocumentTemplate form(const std::string& id) {
        return std::get<DocumentTemplate>(document_template_from_api(
            id, json::parse(R"({"title": "Intake", "client_facing": true,
                                "questions": [{"id": "q1", "label": "Feeling unsafe?", "type": "yes-no"}]})")));
    }
    // A rule from its API form, created; `extra` members replace the defaults (an Alert to the leads
    // when agency_fields.risk is "high").
    Rule rule(const std::string& trigger, json::object extra = {}) {
        json::object body{{"name", "Rule for " + trigger}, {"trigger", trigger},
                          {"action", {{"type", "alert"}, {"title", "Look at this"}, {"message", "Details inside."}}},
                          {"recipients", {{"category", "leads"}}},
                          {"criteria", json::array{{{"field", "agency_fields.risk"}, {"comparison", "equals"}, {"value", "high"}}}}};
        if (attached_to_template(*trigger_from(trigger))) body["template"] = "intake";
        for (auto& [k, v] : extra) body[k] = v;
        auto read = rule_from_api(body);
        EXPECT_TRUE(std::holds_alternative<Rule>(read)) << std::get<FieldError>(read).field << ": " << std::get<FieldError>(read).reason;
        auto created = rules->create(std::get<Rule>(read), {"tester", "test"});
        EXPECT_TRUE(std::holds_alternative<Rule>(created)) << std::get<FieldError>(created).field << ": " << std::get<FieldError>(created).reason;
        return std::get<Rule>(created);
    }
    static Record record(RecordKind kind, const std::string& id, const std::string& risk) {
        Record r;
        r.kind = kind;
        r.id = id;
        r.agency_fields = {{"risk", risk}};
        r.primary_member = "jo";
        r.workers = {{"ben", "counsellor"}, {"ana", "supervisor"}};
        if (kind == RecordKind::document) {
            r.document_template = "intake";
            r.completed_for = "jo";
        }
        return r;
    }
    // The firing log's entries of a rule, newest first.
    std::vector<json::object> log_of(const Rule& r) {
        FiringFilter filter;
        filter.rule = r.id;
        return records->firings(filter);
    }
    static bool fired(const json::object& entry) { return entry.at("fired").as_bool(); }
    // The decisions of an entry's Alert / Notification, as "worker channel outcome".
    std::vector<std::string> decisions(const json::object& entry) {
        std::vector<std::string> out;
        const auto& action = entry.at("actions").as_array().at(0).as_object();
        for (const auto& d : pipeline->log().of_request(std::string(action.at("request").as_string())))
            out.push_back(d.recipient_id + " " + (d.channel ? std::string(to_string(*d.channel)) : "-") + " " +
                          (d.sent ? "sent" : std::string(sending::to_string(*d.reason))));
        return out;
    }

    std::unique_ptr<RuleStore> rules;
    std::unique_ptr<Firing> firing;
    std::unique_ptr<Records> records;
    std::unique_ptr<Tasks> tasks;
};

} // namespace extcomm::triggers::testing
