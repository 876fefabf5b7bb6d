// Time-based action triggers in the store (both drivers), with the clock moved by hand: a birthday fires
// once at the start of that day in the agency's zone (29 February on the 28th in other years); a document
// not completed N days after its creation fires, one completed before does not; a Workflow makes its
// tasks as for a change; a rule enabled after the crossing stays silent; after downtime a crossing fires
// late within the catch-up window and is logged missed beyond it; a changed birth date or creation date
// re-keys the row; a rule's rows are planned after its transaction, a page at a time, going on after a
// restart and stopping when it is disabled; a new agency time zone moves every planned crossing to that
// zone's midnights, and one whose new midnight has passed fires at once; a rule
// disabled or deleted or a record closed removes its rows; a crash before the commit or a restart fires
// nothing twice, nor do two hosts on one store.
#include "firing_fixture.hpp"

#include <triggers/crossings.hpp>
#include <triggers/due_store.hpp>
#include <triggers/time_rules.hpp>

namespace extcomm::triggers {
namespace {

namespace json = boost::json;
using events::testing::kHour;
using events::testing::kNow; // 2026-09-20 10:00 in Sydney

constexpr const char* kZone = "Australia/Sydney";
constexpr TimeMs kDay = 24 * kHour;

class TimeRulesTest : public testing::FiringTest {
protected:
    void SetUp() override {
        FiringTest::SetUp();
        snapshot->settings.general.time_zone = kZone;
        make_time_rules();
    }
    void TearDown() override {
        time_rules.reset();
        FiringTest::TearDown();
    }
    // The time rules as a (restarted) host builds them, kept up to date by rule and record changes.
    void make_time_rules() {
        time_rules = std::make_unique<TimeRules>(*pipeline, *people, *rules, *firing, clock, [this] { return snapshot; },
                                                 24 * kHour);
        rules->set_on_change([this](Database::Connection& c, const std::optional<Rule>& before,
                                    const std::optional<Rule>& after, TimeMs now) { time_rules->rule_changed(c, before, after, now); });
        records->set_time_rules(time_rules.get());
    }
    void client(const std::string& id, const std::string& birth_date) {
        agency::ClientUpdate u{id, "Client " + id, {}, std::nullopt, std::nullopt, birth_date};
        ASSERT_TRUE(std::holds_alternative<ClientApplied>(records->put_client(*snapshot, u)));
    }
    void file(const std::string& id, const std::vector<std::string>& members) {
        Record r = record(RecordKind::service_file, id, "high");
        r.primary_member = members.front();
        r.members.assign(members.begin() + 1, members.end());
        records->put(*snapshot, r);
    }
    void document(const std::string& id, DocumentState state, json::object fields = {}) {
        Record r = record(RecordKind::document, id, "high");
        r.state = state;
        r.fields = std::move(fields);
        records->put(*snapshot, r);
    }
    Rule turns(int age) { return rule("participant-turns-age", {{"parameters", {{"age", age}}}}); }
    Rule not_completed(int days) { return rule("document-not-completed", {{"parameters", {{"days", days}}}}); }
    static TimeMs midnight(const char* date) { return *birthday_at(date, 0, kZone); }
    TimeRun run_at(TimeMs t) {
        clock.set(t);
        return time_rules->run_once();
    }
    // The firing log of a rule, oldest first, as "record individual fired|reason".
    std::vector<std::string> log(const Rule& r) {
        std::vector<std::string> out;
        for (const json::object& e : log_of(r))
            out.insert(out.begin(), std::string(e.at("record").as_string()) + " " + std::string(e.at("individual").as_string()) +
                                        " " + (fired(e) ? "fired" : std::string(e.at("reason").as_string()).substr(0, 7)));
        return out;
    }

    std::unique_ptr<TimeRules> time_rules;
};

TEST_F(TimeRulesTest, ABirthdayFiresOnceAtTheStartOfThatDayInTheAgencysZone) {
    const Rule r = turns(18);
    client("jo", "2008-09-25");
    client("kim", "2010-01-01");
    file("sf-1", {"jo", "kim"});
    EXPECT_EQ(run_at(midnight("2026-09-25") - 1).claimed, 0);
    EXPECT_TRUE(log(r).empty());
    const TimeRun run = run_at(midnight("2026-09-25"));
    EXPECT_EQ(run.fired, 1);
    EXPECT_EQ(run.enqueued, 1); // the Alert to the leads (Ana)
    EXPECT_EQ(log(r), std::vector<std::string>{"service-file/sf-1 jo fired"});
    const json::object entry = log_of(r).front();
    EXPECT_EQ(entry.at("due_at_ms"), midnight("2026-09-25"));
    EXPECT_EQ(entry.at("actions").as_array().at(0).at("outcome"), "requested");
    EXPECT_EQ(run_at(midnight("2026-09-26")).claimed, 0); // once
    EXPECT_EQ(log(r).size(), 1u);
}

TEST_F(TimeRulesTest, ATwentyNinthOfFebruaryBirthdayFiresOnTheTwentyEighthInOtherYears) {
    const Rule r = turns(19);
    client("jo", "2008-02-29");
    file("sf-1", {"jo"});
    EXPECT_EQ(run_at(midnight("2027-02-28") - 1).claimed, 0);
    EXPECT_EQ(run_at(midnight("2027-02-28")).fired, 1);
    EXPECT_EQ(log(r), std::vector<std::string>{"service-file/sf-1 jo fired"});
}

TEST_F(TimeRulesTest, ADocumentNotCompletedNDaysAfterCreationFiresAndOneCompletedBeforeDoesNot) {
    const Rule r = not_completed(7);
    document("d-1", DocumentState::in_progress);
    document("d-2", DocumentState::in_progress);
    clock.set(kNow + 3 * kDay);
    document("d-2", DocumentState::completed);
    EXPECT_EQ(run_at(kNow + 7 * kDay - 1).claimed, 0);
    EXPECT_EQ(run_at(kNow + 7 * kDay).fired, 1);
    EXPECT_EQ(log(r), std::vector<std::string>{"document/d-1 jo fired"});
    EXPECT_EQ(run_at(kNow + 30 * kDay).claimed, 0);
}

TEST_F(TimeRulesTest, AWorkflowActionMakesItsTasksAsForAChange) {
    const Rule r = rule("document-not-completed",
                        {{"parameters", {{"days", 3}}}, {"recipients", {{"other", "all-workers"}}},
                         {"action", {{"type", "workflow"}, {"workflow_type", "general"}, {"title", "Chase the form"}, {"due_days", 2}}}});
    document("d-1", DocumentState::in_progress);
    EXPECT_EQ(run_at(kNow + 3 * kDay).enqueued, 2); // each task announced to its worker
    for (const char* worker : {"ben", "ana"}) {
        TaskFilter filter;
        filter.assignee = Assignee{AssigneeType::worker, worker};
        const auto mine = tasks->list(filter);
        ASSERT_EQ(mine.size(), 1u) << worker;
        EXPECT_EQ(mine[0].title, "Chase the form");
        EXPECT_EQ(mine[0].record, "document/d-1");
        EXPECT_EQ(mine[0].rule, r.id);
        EXPECT_EQ(mine[0].due_at, kNow + 5 * kDay);
    }
}

TEST_F(TimeRulesTest, EnablingARuleAfterTheCrossingFiresNothingForIt) {
    client("adult", "2000-01-01");
    client("today", "2008-09-20"); // turned 18 at midnight, ten hours before the rule
    client("soon", "2008-10-01");
    file("sf-1", {"adult", "today", "soon"});
    const Rule r = turns(18);
    run_at(midnight("2026-09-21"));
    EXPECT_TRUE(log(r).empty());
    run_at(midnight("2026-10-01"));
    EXPECT_EQ(log(r), std::vector<std::string>{"service-file/sf-1 soon fired"});
}

TEST_F(TimeRulesTest, AfterDowntimeACrossingWithinTheCatchUpWindowFiresLateAndAnOlderOneIsLoggedMissed) {
    const Rule r = turns(18);
    client("jo", "2008-09-25");
    client("kim", "2008-09-26");
    file("sf-1", {"jo", "kim"});
    const TimeRun run = run_at(midnight("2026-09-26") + 23 * kHour); // down since before jo's birthday
    EXPECT_EQ(run.fired, 1);
    EXPECT_EQ(run.missed, 1);
    EXPECT_EQ(run.enqueued, 1);
    const auto entries = log_of(r);
    ASSERT_EQ(entries.size(), 2u);
    for (const json::object& e : entries) {
        if (e.at("individual") == "kim") EXPECT_TRUE(fired(e)); // 23 h late
        else EXPECT_EQ(std::string(e.at("reason").as_string()).rfind("missed: due 47 h 0 min before", 0), 0u) << e;
    }
}

TEST_F(TimeRulesTest, AChangedBirthDateOrCreationDateReKeysTheRow) {
    const Rule age = turns(18), days = not_completed(7);
    client("jo", "2008-10-01");
    client("kim", ""); // no birth date yet
    file("sf-1", {"jo", "kim"});
    document("d-1", DocumentState::in_progress, {{"created_at", "2026-09-20"}});
    client("jo", "2008-11-01");
    client("kim", "2008-10-15");
    document("d-1", DocumentState::in_progress, {{"created_at", "2026-09-22"}});
    run_at(midnight("2026-09-27"));
    EXPECT_TRUE(log(days).empty()); // no longer due on the 27th
    run_at(midnight("2026-09-29"));
    EXPECT_EQ(log(days), std::vector<std::string>{"document/d-1 jo fired"});
    run_at(midnight("2026-10-01"));
    EXPECT_TRUE(log(age).empty()); // no longer jo's birthday
    run_at(midnight("2026-10-15"));
    run_at(midnight("2026-11-01"));
    EXPECT_EQ(log(age), (std::vector<std::string>{"service-file/sf-1 kim fired", "service-file/sf-1 jo fired"}));
}

TEST_F(TimeRulesTest, ARulesRowsArePlannedAfterItsTransactionAPageAtATimeAndARestartGoesOn) {
    for (const std::string id : {"a", "b", "c", "d", "e"}) {
        client(id, "2008-10-01");
        file("sf-" + id, {id});
    }
    time_rules->set_planning_page(2);
    const Rule r = turns(18);
    const auto rows = [&] {
        auto c = db->connect();
        return due_rows(c, DueScope::rule, r.id).size();
    };
    EXPECT_EQ(rows(), 0u); // nothing in the rule's own transaction
    EXPECT_TRUE(time_rules->plan_once());
    EXPECT_EQ(rows(), 2u);
    make_time_rules(); // a restart: the planning row kept the place
    time_rules->set_planning_page(2);
    EXPECT_TRUE(time_rules->plan_once());
    EXPECT_EQ(rows(), 4u);
    EXPECT_TRUE(time_rules->plan_once()); // one record: the last page
    EXPECT_EQ(rows(), 5u);
    EXPECT_FALSE(time_rules->plan_once());
    EXPECT_EQ(run_at(midnight("2026-10-01")).fired, 5);
}

TEST_F(TimeRulesTest, ARuleDisabledBeforeItsPlanningEndsPlansNothingMore) {
    client("jo", "2008-10-01");
    client("kim", "2008-10-01");
    file("sf-1", {"jo"});
    file("sf-2", {"kim"});
    time_rules->set_planning_page(1);
    const Rule r = turns(18);
    EXPECT_TRUE(time_rules->plan_once()); // sf-1
    ASSERT_TRUE(std::holds_alternative<Rule>(rules->set_enabled(r.id, false, {"tester", "test"})));
    EXPECT_FALSE(time_rules->plan_once());
    EXPECT_EQ(run_at(midnight("2026-10-01")).claimed, 0);
    EXPECT_TRUE(log(r).empty());
}

TEST_F(TimeRulesTest, ANewAgencyTimeZoneMovesEveryPlannedCrossingToThatZonesMidnight) {
    const Rule age = turns(18), days = not_completed(7);
    client("jo", "2008-10-01");
    file("sf-1", {"jo"});
    document("d-1", DocumentState::in_progress, {{"created_at", "2026-09-22"}});
    // What SettingsStore::put_section does in its transaction (service.cpp wires it), then publishes.
    constexpr const char* kToronto = "America/Toronto"; // 14 hours behind Sydney in October
    {
        auto c = db->connect();
        Poco::Data::Transaction tx(c.session());
        time_rules->zone_changed(c, kToronto, clock.now_ms());
        tx.commit();
    }
    snapshot->settings.general.time_zone = kToronto;
    const TimeMs birthday = *birthday_at("2008-10-01", 18, kToronto), overdue = *birthday_at("2026-09-29", 0, kToronto);
    EXPECT_EQ(birthday - midnight("2026-10-01"), 14 * kHour);
    EXPECT_EQ(run_at(midnight("2026-09-29")).claimed, 0); // Sydney's midnights pass silently
    EXPECT_EQ(run_at(overdue - 1).claimed, 0);
    EXPECT_EQ(run_at(overdue).fired, 1);
    EXPECT_EQ(run_at(birthday - 1).claimed, 0);
    EXPECT_EQ(run_at(birthday).fired, 1);
    EXPECT_EQ(log(days), std::vector<std::string>{"document/d-1 jo fired"});
    EXPECT_EQ(log(age), std::vector<std::string>{"service-file/sf-1 jo fired"});
    EXPECT_EQ(log_of(age).front().at("due_at_ms"), birthday);
}

TEST_F(TimeRulesTest, ACrossingStillToComeWhoseNewMidnightHasPassedFiresAtOnce) {
    const Rule age = turns(18);
    client("jo", "2008-10-01");
    client("kim", "2008-09-30");
    file("sf-1", {"jo", "kim"});
    // Two hours before jo's birthday in Sydney; Kiritimati (UTC+14) is four hours ahead: there it began.
    constexpr const char* kKiritimati = "Pacific/Kiritimati";
    clock.set(midnight("2026-10-01") - 2 * kHour);
    run_at(clock.now_ms()); // kim's birthday fired yesterday
    {
        auto c = db->connect();
        Poco::Data::Transaction tx(c.session());
        time_rules->zone_changed(c, kKiritimati, clock.now_ms());
        tx.commit();
    }
    snapshot->settings.general.time_zone = kKiritimati;
    const TimeRun run = run_at(clock.now_ms());
    EXPECT_EQ(run.fired, 1);
    EXPECT_EQ(log(age), (std::vector<std::string>{"service-file/sf-1 kim fired", "service-file/sf-1 jo fired"}));
    EXPECT_EQ(log_of(age).front().at("due_at_ms"), *birthday_at("2008-10-01", 18, kKiritimati));
    EXPECT_EQ(run_at(midnight("2027-10-01")).claimed, 0); // once each
}

TEST_F(TimeRulesTest, ARuleDisabledOrDeletedOrARecordClosedRemovesItsRows) {
    const Rule disabled = turns(18), deleted = turns(19), kept = turns(20);
    client("jo", "2008-10-01");
    client("kim", "2008-10-01");
    file("sf-1", {"jo"});
    file("sf-2", {"kim"});
    ASSERT_TRUE(std::holds_alternative<Rule>(rules->set_enabled(disabled.id, false, {"tester", "test"})));
    ASSERT_TRUE(rules->remove(deleted.id, {"tester", "test"}));
    ASSERT_TRUE(records->close(RecordKind::service_file, "sf-2"));
    EXPECT_EQ(run_at(midnight("2026-10-01")).claimed, 0);
    // Enabled again after jo's 18th birthday: that crossing is before the enabling.
    clock.set(midnight("2026-10-02"));
    ASSERT_TRUE(std::holds_alternative<Rule>(rules->set_enabled(disabled.id, true, {"tester", "test"})));
    EXPECT_EQ(run_at(midnight("2027-10-01")).claimed, 0);
    EXPECT_EQ(run_at(midnight("2028-10-01")).claimed, 1);
    EXPECT_TRUE(log(disabled).empty());
    EXPECT_EQ(log(kept), std::vector<std::string>{"service-file/sf-1 jo fired"});
}

TEST_F(TimeRulesTest, ACrashBeforeTheCommitOrARestartFiresNothingTwice) {
    const Rule r = turns(18);
    client("jo", "2008-09-25");
    file("sf-1", {"jo"});
    time_rules->set_before_commit([] { throw std::runtime_error("crash"); });
    clock.set(midnight("2026-09-25"));
    EXPECT_THROW(time_rules->run_once(), std::runtime_error);
    EXPECT_TRUE(log(r).empty());
    EXPECT_EQ(queued(), 0);
    make_time_rules(); // restarted
    EXPECT_EQ(time_rules->run_once().fired, 1);
    make_time_rules();
    EXPECT_EQ(run_at(midnight("2026-09-26")).claimed, 0);
    EXPECT_EQ(log(r).size(), 1u);
    EXPECT_EQ(queued(), 1);
}

TEST_F(TimeRulesTest, TwoHostsOnOneStoreFireEachCrossingOnce) {
    const Rule r = turns(18);
    for (int i = 0; i < 30; ++i) client("c" + std::to_string(i), "2008-09-25");
    for (int i = 0; i < 30; ++i) file("sf-" + std::to_string(i), {"c" + std::to_string(i)});
    Database other_db(store_options()); // the other host
    sending::Pipeline other_pipeline(other_db, *outbox);
    agency::PeopleStore other_people(other_db, clock);
    RuleStore other_rules(other_db, other_people, clock);
    Firing other_firing(other_rules, other_people);
    TimeRules other(other_pipeline, other_people, other_rules, other_firing, clock, [this] { return snapshot; }, 24 * kHour);
    clock.set(midnight("2026-09-25"));
    int fired = 0;
    for (int turn = 0; turn < 10; ++turn) fired += (turn % 2 ? other.run_once(7) : time_rules->run_once(7)).fired;
    EXPECT_EQ(fired, 30);
    EXPECT_EQ(log(r).size(), 30u);
    EXPECT_EQ(queued(), 30);
}

} // namespace
} // namespace extcomm::triggers
