// Action triggers firing on changes, in the store (both drivers): each trigger fires with its criteria true
// and stays silent with them false; criteria on agency-defined fields and dates; recipients by worker
// category and by the record's roles; the pipeline's rules (Worker Delivery, detail levels, the worker's
// channels, "only when not logged in") apply to what fires; a repeated PUT fires nothing; workflows create
// tasks (tasks_test.cpp); the firing log explains both outcomes.
#include "firing_fixture.hpp"

#include <map>
#include <thread>

namespace extcomm::triggers {
namespace {

namespace json = boost::json;
using agency::ChannelChoice;
using rendering::CollaborationType;
using testing::FiringTest;

TEST_F(FiringTest, EachRecordTriggerFiresWithItsCriteriaTrueAndStaysSilentWithThemFalse) {
    struct Case {
        const char* trigger;
        RecordKind kind;
        DocumentState state;
    };
    for (const Case& c : {Case{"case-created", RecordKind::case_file, DocumentState::in_progress},
                          Case{"service-file-created", RecordKind::service_file, DocumentState::in_progress},
                          Case{"document-created", RecordKind::document, DocumentState::in_progress},
                          Case{"document-completed", RecordKind::document, DocumentState::completed},
                          Case{"document-locked", RecordKind::document, DocumentState::locked}}) {
        const Rule r = rule(c.trigger);
        for (const char* risk : {"high", "low"}) {
            Record rec = record(c.kind, std::string(c.trigger) + "-" + risk, risk);
            rec.state = c.state;
            records->put(*snapshot, rec);
        }
        auto log = log_of(r);
        ASSERT_EQ(log.size(), 2u) << c.trigger;
        EXPECT_FALSE(fired(log[0])) << c.trigger; // low: newest
        EXPECT_TRUE(fired(log[1])) << c.trigger;
        EXPECT_EQ(decisions(log[1]), std::vector<std::string>{"ana email sent"}) << c.trigger;
        EXPECT_TRUE(log[0].at("actions").as_array().empty());
    }
}

TEST_F(FiringTest, ADocumentCompletedLaterFiresWhenItsStateChanges) {
    const Rule r = rule("document-completed");
    Record doc = record(RecordKind::document, "d-1", "high");
    records->put(*snapshot, doc);
    EXPECT_TRUE(log_of(r).empty()); // created in progress: not completed
    doc.state = DocumentState::completed;
    auto applied = records->put(*snapshot, doc);
    ASSERT_EQ(applied.fired.firings.size(), 1u);
    EXPECT_TRUE(fired(applied.fired.firings[0]));
    EXPECT_EQ(applied.fired.message_ids.size(), 1u);
}

TEST_F(FiringTest, AnAnswerConditionFiresOnceWhenTheAnswerMeetsIt) {
    const Rule r = rule("answer-meets-condition",
                        {{"parameters", {{"question", "q1"}, {"comparison", "equals"}, {"value", "yes"}}}, {"criteria", json::array{}}});
    Record doc = record(RecordKind::document, "d-2", "low");
    doc.answers = {{"q1", "no"}};
    records->put(*snapshot, doc);
    doc.answers = {{"q1", "yes"}};
    records->put(*snapshot, doc);
    doc.fields = {{"note", "saved again"}};
    records->put(*snapshot, doc);
    auto log = log_of(r);
    ASSERT_EQ(log.size(), 3u);
    EXPECT_FALSE(fired(log[2]));
    EXPECT_TRUE(fired(log[1]));
    EXPECT_FALSE(fired(log[0]));
    EXPECT_EQ(log[0].at("reason"), "the answer met the condition before this change already");
}

TEST_F(FiringTest, ANewProfileFiresAndAnUpdatedOneDoesNot) {
    const Rule r = rule("profile-created");
    auto update = [](const std::string& id, const std::string& risk) {
        agency::ClientUpdate u{id, "Kim", {}, std::nullopt, std::nullopt};
        u.agency_fields = {{"risk", risk}};
        return u;
    };
    ASSERT_TRUE(std::holds_alternative<ClientApplied>(records->put_client(*snapshot, update("kim", "high"))));
    records->put_client(*snapshot, update("kim", "high"));
    records->put_client(*snapshot, update("lou", "low"));
    auto log = log_of(r);
    ASSERT_EQ(log.size(), 2u);
    EXPECT_EQ(log[1].at("record"), "client/kim");
    EXPECT_TRUE(fired(log[1]));
    EXPECT_FALSE(fired(log[0]));
}

TEST_F(FiringTest, ServiceEventTriggersFireOnBookingCancellationAndNoShow) {
    json::object located{{"criteria", json::array{{{"field", "fields.location"}, {"comparison", "equals"}, {"value", "Room 1"}}}}};
    const Rule booked = rule("service-event-booked", located);
    const Rule cancelled = rule("service-event-cancelled", located);
    const Rule no_show = rule("service-event-no-show", located);
    for (const char* where : {"Room 1", "Room 2"}) {
        events::ServiceEvent e = event(std::string("ev-") + where[5], events::testing::kNow + 48 * events::testing::kHour);
        e.location = where;
        events->put(*snapshot, e);
        e.status = events::EventStatus::cancelled;
        events->put(*snapshot, e);
        e.status = events::EventStatus::no_show;
        events->put(*snapshot, e);
    }
    for (const Rule* r : {&booked, &cancelled, &no_show}) {
        auto log = log_of(*r);
        ASSERT_EQ(log.size(), 2u) << r->name;
        EXPECT_TRUE(fired(log[1])) << r->name;
        EXPECT_FALSE(fired(log[0])) << r->name;
    }
}

TEST_F(FiringTest, ADateComparisonDecides) {
    const Rule r = rule("case-created", {{"criteria", json::array{{{"field", "fields.opened"}, {"comparison", "less-than"},
                                                                   {"value", "2026-10-01"}}}}});
    Record early = record(RecordKind::case_file, "c-early", "low"), late = record(RecordKind::case_file, "c-late", "low");
    early.fields = {{"opened", "2026-09-20"}};
    late.fields = {{"opened", "2026-10-02"}};
    records->put(*snapshot, early);
    records->put(*snapshot, late);
    auto log = log_of(r);
    ASSERT_EQ(log.size(), 2u);
    EXPECT_TRUE(fired(log[1]));
    EXPECT_FALSE(fired(log[0]));
    const auto& outcome = log[0].at("criteria").as_array().at(0).as_object();
    EXPECT_EQ(outcome.at("actual"), "2026-10-02");
    EXPECT_FALSE(outcome.at("holds").as_bool());
}

TEST_F(FiringTest, RecipientsAreACategoryTheRecordsPrimaryWorkerAllItsWorkersOrThoseWithARole) {
    const Rule category = rule("case-created");
    const Rule primary = rule("case-created", {{"recipients", {{"other", "primary-worker"}}}});
    const Rule all = rule("case-created", {{"recipients", {{"other", "all-workers"}}}});
    const Rule role = rule("case-created", {{"recipients", {{"other", "role"}, {"role", "supervisor"}}}});
    records->put(*snapshot, record(RecordKind::case_file, "c-1", "high"));
    EXPECT_EQ(decisions(log_of(category)[0]), std::vector<std::string>{"ana email sent"});
    EXPECT_EQ(decisions(log_of(primary)[0]), std::vector<std::string>{"ben email sent"});
    EXPECT_EQ(decisions(log_of(all)[0]), (std::vector<std::string>{"ben email sent", "ana email sent"}));
    EXPECT_EQ(decisions(log_of(role)[0]), std::vector<std::string>{"ana email sent"});
}

TEST_F(FiringTest, DetailLevelsAndTheWorkersMessageSettingsApply) {
    const Rule alert = rule("case-created", {{"recipients", {{"other", "all-workers"}}}});
    const Rule note = rule("case-created", {{"action", {{"type", "notification"}, {"title", "FYI"}}}, {"recipients", {{"other", "all-workers"}}}});
    snapshot->settings.worker_delivery.detail_levels[static_cast<std::size_t>(CollaborationType::notification)] =
        rendering::DetailLevel::disallow;
    agency::Worker ben = alerted("ben", {});
    ben.message_settings.set_channel(CollaborationType::alert, ChannelChoice::none);
    put(ben);
    agency::Worker ana = alerted("ana", {"leads"});
    ana.message_settings.only_when_offline = true;
    put(ana);
    people->set_presence("ana", true);
    records->put(*snapshot, record(RecordKind::case_file, "c-2", "high"));
    EXPECT_EQ(decisions(log_of(alert)[0]), (std::vector<std::string>{"ben - not-chosen", "ana - online"}));
    EXPECT_EQ(decisions(log_of(note)[0]), (std::vector<std::string>{"ben - detail-level-disallow", "ana - detail-level-disallow"}));
}

TEST_F(FiringTest, ASubjectOnlyDetailLevelSendsTheTitleAlone) {
    rule("case-created");
    snapshot->settings.worker_delivery.detail_levels[static_cast<std::size_t>(CollaborationType::alert)] =
        rendering::DetailLevel::subject_only;
    auto applied = records->put(*snapshot, record(RecordKind::case_file, "c-3", "high"));
    ASSERT_EQ(applied.fired.message_ids.size(), 1u);
    auto message = outbox->find(applied.fired.message_ids[0]);
    ASSERT_TRUE(message);
    EXPECT_EQ(message->kind, "trigger-alert");
    EXPECT_EQ(message->subject, "Alert: Look at this");
    EXPECT_EQ(message->body.find("Details inside."), std::string::npos) << message->body;
}

TEST_F(FiringTest, ARepeatedPutFiresNothing) {
    const Rule r = rule("document-completed");
    Record doc = record(RecordKind::document, "d-3", "high");
    doc.state = DocumentState::completed;
    records->put(*snapshot, doc);
    const long after_first = queued();
    auto again = records->put(*snapshot, doc);
    EXPECT_TRUE(again.change.nothing());
    EXPECT_TRUE(again.fired.firings.empty());
    EXPECT_EQ(queued(), after_first);
    EXPECT_EQ(log_of(r).size(), 1u);
}

// PUTs arriving together share commits (store/group_commit.hpp): each still gets its own answer, and each
// record fires once.
TEST_F(FiringTest, RecordsPutTogetherAreEachStoredAndFiredOnce) {
    const Rule r = rule("case-created");
    std::vector<std::thread> callers;
    std::vector<RecordApplied> answers(8);
    for (std::size_t i = 0; i < answers.size(); ++i)
        callers.emplace_back([&, i] { answers[i] = records->put(*snapshot, record(RecordKind::case_file, "c-t" + std::to_string(i), "high")); });
    for (auto& t : callers) t.join();
    for (std::size_t i = 0; i < answers.size(); ++i) {
        EXPECT_EQ(answers[i].stored.current.id, "c-t" + std::to_string(i));
        EXPECT_TRUE(answers[i].change.created);
        EXPECT_EQ(answers[i].fired.message_ids.size(), 1u);
    }
    EXPECT_EQ(log_of(r).size(), answers.size());
}

TEST_F(FiringTest, ARuleChangedAfterItFiredIsEvaluatedAsChanged) {
    const Rule r = rule("case-created");
    records->put(*snapshot, record(RecordKind::case_file, "c-6", "high"));
    ASSERT_TRUE(std::holds_alternative<Rule>(rules->set_enabled(r.id, false, {"tester", "test"})));
    records->put(*snapshot, record(RecordKind::case_file, "c-7", "high"));
    ASSERT_TRUE(std::holds_alternative<Rule>(rules->set_enabled(r.id, true, {"tester", "test"})));
    records->put(*snapshot, record(RecordKind::case_file, "c-8", "high"));
    auto log = log_of(r);
    ASSERT_EQ(log.size(), 2u);
    EXPECT_EQ(log[0].at("record"), "case/c-8");
    EXPECT_EQ(log[1].at("record"), "case/c-6");
}

TEST_F(FiringTest, ADisabledRuleDoesNotFire) {
    const Rule r = rule("case-created", {{"enabled", false}});
    records->put(*snapshot, record(RecordKind::case_file, "c-5", "high"));
    EXPECT_TRUE(log_of(r).empty());
}

// Rules whose `equals` text is not the record's are not evaluated one by one (rule_index.hpp) and are
// logged compactly (firing_log.hpp); the log still reads as one entry per rule, paged like any other.
TEST_F(FiringTest, RulesTheIndexSkipsHaveOneEntryEachWithTheCriterionThatFailed) {
    auto risk = [](const char* value) {
        return json::array{{{"field", "agency_fields.risk"}, {"comparison", "equals"}, {"value", value}}};
    };
    const Rule high = rule("case-created", {{"name", "High"}});
    const Rule low = rule("case-created", {{"name", "Low"}, {"criteria", risk("low")}});
    const Rule low2 = rule("case-created", {{"name", "Low too"}, {"criteria", risk("low")}});
    const Rule medium = rule("case-created", {{"name", "Medium"}, {"criteria", risk("medium")}});
    const Rule any = rule("case-created", {{"name", "Any"}, {"criteria", json::array()}});
    auto applied = records->put(*snapshot, record(RecordKind::case_file, "c-9", "high"));
    std::int64_t evaluated = 0;
    for (const json::object& e : applied.fired.firings) evaluated += rules_in(e);
    EXPECT_EQ(evaluated, 5);

    FiringFilter filter;
    filter.record = "case/c-9";
    const auto log = records->firings(filter);
    std::map<std::string, const json::object*> by_rule;
    for (const json::object& e : log) by_rule[std::string(e.at("rule").as_string())] = &e;
    ASSERT_EQ(by_rule.size(), 5u);
    EXPECT_TRUE(fired(*by_rule[high.id]) && fired(*by_rule[any.id]));
    const json::object& skipped = *by_rule[medium.id];
    EXPECT_FALSE(fired(skipped));
    EXPECT_EQ(skipped.at("rule_name"), "Medium");
    EXPECT_EQ(skipped.at("reason"), "a criterion does not hold");
    const json::object& criterion = skipped.at("criteria").as_array().at(0).as_object();
    EXPECT_EQ(criterion.at("value"), "medium");
    EXPECT_EQ(criterion.at("actual"), "high");
    EXPECT_EQ(criterion.at("holds"), false);
    for (std::size_t i = 1; i < log.size(); ++i) EXPECT_LT(log[i].at("seq").as_int64(), log[i - 1].at("seq").as_int64());

    // Pages of 2 cut through the compact entry and still give every entry once, newest first.
    std::vector<json::object> paged;
    filter.limit = 2;
    for (auto page = records->firings(filter); !page.empty(); page = records->firings(filter)) {
        filter.before = page.back().at("seq").as_int64();
        paged.insert(paged.end(), page.begin(), page.end());
    }
    EXPECT_EQ(paged, log);

    const auto of_low2 = log_of(low2);
    ASSERT_EQ(of_low2.size(), 1u);
    EXPECT_EQ(of_low2[0].at("rule").as_string(), low2.id);
    EXPECT_EQ(of_low2[0].at("criteria").as_array().at(0).at("value"), "low");
    EXPECT_EQ(log_of(low).size(), 1u);
}

} // namespace
} // namespace extcomm::triggers
