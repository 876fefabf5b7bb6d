// The error log and loop protection, in the store (both drivers): an action with nobody to go to is
// logged with its rule, record and reason and reaches the error-notice digest (and no client); a change
// caused by a trigger's own output does not fire that rule on that record again, and a chain is cut
// after kMaxChainDepth links.
#include "firing_fixture.hpp"

#include <delivery/error_notices.hpp>

namespace extcomm::triggers {
namespace {

namespace json = boost::json;
using testing::FiringTest;

class ErrorLogTest : public FiringTest {
protected:
    // A workflow to the record's primary worker, who is not stored.
    Rule to_nobody(const std::string& trigger = "case-created") {
        return rule(trigger, {{"action", {{"type", "workflow"}, {"workflow_type", "new-document"}, {"title", "Follow up"},
                                          {"templates", json::array{"intake"}}, {"assign_to_client", true}}},
                              {"recipients", {{"other", "primary-worker"}}}, {"criteria", json::array{}}});
    }
    static Record unstaffed(const std::string& id) {
        Record r = record(RecordKind::case_file, id, "high");
        r.workers = {{"zed", "counsellor"}};
        r.primary_member.clear();
        return r;
    }
};

TEST_F(ErrorLogTest, AnActionWithNobodyToGoToIsLoggedAndReachesTheNextDigest) {
    const Rule r = to_nobody();
    auto applied = records->put(*snapshot, unstaffed("c-9"));
    EXPECT_TRUE(applied.fired.message_ids.empty());
    auto errors = records->errors({});
    ASSERT_EQ(errors.size(), 1u);
    EXPECT_EQ(errors[0].rule, r.id);
    EXPECT_EQ(errors[0].record, "case/c-9");
    EXPECT_EQ(errors[0].reason, "no client to assign the task to, and none of the rule's recipients is a known worker");
    EXPECT_EQ(log_of(r).at(0).at("actions").as_array().at(0).at("outcome"), "unassigned");

    bool told = false;
    firing->set_on_errors([&] { told = true; });
    records->put(*snapshot, unstaffed("c-10"));
    EXPECT_TRUE(told); // after the commit: the host's digest looks then

    ErrorNoticeOptions options;
    options.category_members = [this] { return std::vector<agency::Worker>{*people->worker("ana")}; };
    options.settings = [this] { return snapshot; };
    options.transport = "mail";
    options.interval_ms = 1;
    ErrorNotices notices(*pipeline, clock, options);
    clock.advance(1);
    ASSERT_EQ(notices.flush_due(), 1u);
    auto digest = outbox->claim("mail", "reader", 10);
    ASSERT_EQ(digest.size(), 1u);
    EXPECT_EQ(digest[0].kind, "error-notice-digest");
    EXPECT_NE(digest[0].body.find("had nobody to go to"), std::string::npos) << digest[0].body;
    EXPECT_NE(digest[0].body.find("on case/c-9"), std::string::npos) << digest[0].body;
    EXPECT_EQ(decisions_of("", "jo").size(), 0u); // nothing reached a client
}

TEST_F(ErrorLogTest, TheErrorLogPagesBackNewestFirst) {
    to_nobody();
    for (const char* id : {"c-1", "c-2", "c-3"}) records->put(*snapshot, unstaffed(id));
    ErrorFilter page;
    page.limit = 2;
    auto first = records->errors(page);
    ASSERT_EQ(first.size(), 2u);
    EXPECT_EQ(first[0].record, "case/c-3");
    page.before = first[1].seq;
    auto rest = records->errors(page);
    ASSERT_EQ(rest.size(), 1u);
    EXPECT_EQ(rest[0].record, "case/c-1");
}

// The test-only chain: completing a task a rule made re-opens and completes its document through the
// records path, as a client's answer will from the next release on.
TEST_F(ErrorLogTest, ATasksCompletionDoesNotFireItsOwnRuleOnTheSameRecordAgain) {
    const Rule r = rule("document-completed", {{"action", {{"type", "workflow"}, {"workflow_type", "general"}, {"title", "Check it"}}}});
    Record doc = record(RecordKind::document, "d-1", "high");
    records->put(*snapshot, doc);
    doc.state = DocumentState::completed;
    records->put(*snapshot, doc);
    auto made = tasks->list({});
    ASSERT_EQ(made.size(), 1u); // to the leads: Ana
    tasks->set_on_completed([&](const Task& task) {
        Record again = doc;
        again.state = DocumentState::in_progress;
        records->put(*snapshot, again, task.chain);
        records->put(*snapshot, doc, task.chain);
    });
    tasks->complete(made[0].id);
    auto log = log_of(r);
    ASSERT_EQ(log.size(), 2u);
    EXPECT_FALSE(fired(log[0]));
    EXPECT_EQ(log[0].at("reason"), "this change was caused by this rule's own output on this record: not fired again");
    EXPECT_EQ(tasks->list({}).size(), 1u); // no new task
    // Another record is another matter: its completion may fire the rule.
    Record other = record(RecordKind::document, "d-2", "high");
    other.state = DocumentState::completed;
    records->put(*snapshot, other, made[0].chain);
    EXPECT_TRUE(fired(log_of(r).at(0)));
}

TEST_F(ErrorLogTest, AChainIsCutAfterItsBoundedDepth) {
    const Rule r = rule("case-created");
    Chain chain;
    for (std::size_t i = 0; i < kMaxChainDepth; ++i) chain.push_back(chain_link("at-x" + std::to_string(i), "case/c-" + std::to_string(i)));
    auto applied = records->put(*snapshot, record(RecordKind::case_file, "c-deep", "high"), chain);
    EXPECT_TRUE(applied.fired.message_ids.empty());
    const auto log = log_of(r);
    ASSERT_EQ(log.size(), 1u);
    EXPECT_FALSE(fired(log[0]));
    EXPECT_NE(std::string(log[0].at("reason").as_string()).find("cut"), std::string::npos);
    EXPECT_EQ(log[0].at("chain").as_array().size(), kMaxChainDepth);
}

} // namespace
} // namespace extcomm::triggers
