// Workflow tasks in the store (both drivers): a rule's Workflow makes one task per worker recipient, each
// announced as a task-workflow message; "assigned to client (if possible)" with no such client falls back to
// the workers with the reason logged; staff tasks need a stored assignee (and a client's, Client Delivery); a task turns overdue on its own, is listed by
// assignee, state and due time (paged), and is completed once.
#include "firing_fixture.hpp"

namespace extcomm::triggers {
namespace {

namespace json = boost::json;
using testing::FiringTest;

constexpr TimeMs kDay = 86'400'000;

class TasksTest : public FiringTest {
protected:
    Rule workflow(json::object action, json::object recipients = {{"other", "all-workers"}}) {
        action["type"] = "workflow";
        return rule("case-created", {{"action", std::move(action)}, {"recipients", std::move(recipients)}});
    }
    std::vector<Task> of(const std::string& worker) {
        TaskFilter filter;
        filter.assignee = Assignee{AssigneeType::worker, worker};
        return tasks->list(filter);
    }
    Task staff_task(const std::string& worker, TimeMs due) {
        Task t;
        t.assignee = {AssigneeType::worker, worker};
        t.title = "Call back";
        t.due_at = due;
        auto created = tasks->create(*snapshot, t);
        EXPECT_TRUE(std::holds_alternative<TaskCreated>(created));
        return std::get<TaskCreated>(created).task;
    }
};

TEST_F(TasksTest, AWorkflowMakesOneTaskPerWorkerRecipientEachAnnouncedToItsWorker) {
    const Rule r = workflow({{"workflow_type", "general"}, {"title", "Review the case"}, {"message", "Look at the plan."}, {"due_days", 3}});
    auto applied = records->put(*snapshot, record(RecordKind::case_file, "c-1", "high"));
    ASSERT_EQ(applied.fired.message_ids.size(), 2u);
    for (const char* worker : {"ben", "ana"}) {
        auto mine = of(worker);
        ASSERT_EQ(mine.size(), 1u) << worker;
        EXPECT_EQ(mine[0].title, "Review the case");
        EXPECT_EQ(mine[0].state_at(clock.now_ms()), TaskState::open);
        EXPECT_EQ(mine[0].due_at, clock.now_ms() + 3 * kDay);
        EXPECT_EQ(mine[0].rule, r.id);
        EXPECT_EQ(mine[0].record, "case/c-1");
    }
    auto message = outbox->find(applied.fired.message_ids[0]);
    ASSERT_TRUE(message);
    EXPECT_EQ(message->kind, "task-workflow");
    EXPECT_EQ(message->subject, "Workflow: Review the case");
    EXPECT_NE(message->body.find("Look at the plan."), std::string::npos) << message->body;
    EXPECT_NE(message->body.find("Task " + of("ben")[0].id), std::string::npos) << message->body;
    const auto log = log_of(r);
    const auto& action = log.at(0).at("actions").as_array().at(0).as_object();
    EXPECT_EQ(action.at("outcome"), "created");
    ASSERT_EQ(action.at("tasks").as_array().size(), 2u);
    EXPECT_EQ(action.at("tasks").as_array()[0].at("assignee"), "ben"); // the record's order: primary first
    EXPECT_EQ(action.at("tasks").as_array()[0].at("sent"), 1);
}

TEST_F(TasksTest, AssignedToNoSuchClientFallsBackToTheWorkerRecipientsWithTheReason) {
    const Rule r = workflow({{"workflow_type", "new-document"}, {"title", "Intake"}, {"due_days", 7},
                             {"templates", json::array{"intake"}}, {"assign_to_client", true}},
                            {{"category", "leads"}});
    records->put(*snapshot, record(RecordKind::case_file, "c-2", "high"));
    auto mine = of("ana");
    ASSERT_EQ(mine.size(), 1u);
    EXPECT_EQ(mine[0].templates, std::vector<std::string>{"intake"});
    EXPECT_TRUE(of("ben").empty());
    TaskFilter to_client;
    to_client.assignee = Assignee{AssigneeType::client, "jo"};
    EXPECT_TRUE(tasks->list(to_client).empty());
    const auto log = log_of(r);
    const auto& action = log.at(0).at("actions").as_array().at(0).as_object();
    EXPECT_EQ(action.at("fallback"), "no client 'jo': assigned to the worker recipients");
    EXPECT_EQ(action.at("steps"), (json::array{"not assigned to the client: no client 'jo'", "assigned to 1 worker recipient(s)"}));
}

TEST_F(TasksTest, AssignedToAReachableClientIsOneTaskSentByEngageWithALinkThatExpiresAfterTheGraceDays) {
    snapshot->settings.client_delivery.enabled = true;
    firing->set_task_links([](const std::string& link_id) { return "https://pen.example/t/" + link_id; });
    put(agency::ClientUpdate{"jo", "Jo", {{"home", Channel::email, "jo@example.org", true}}, std::string("home"), std::nullopt});
    const Rule r = workflow({{"workflow_type", "new-document"}, {"title", "Intake"}, {"due_days", 7},
                             {"templates", json::array{"intake"}}, {"assign_to_client", true}},
                            {{"category", "leads"}});
    auto applied = records->put(*snapshot, record(RecordKind::case_file, "c-3", "high"));
    ASSERT_EQ(applied.fired.message_ids.size(), 1u);
    EXPECT_TRUE(of("ana").empty());
    TaskFilter to_client;
    to_client.assignee = Assignee{AssigneeType::client, "jo"};
    auto mine = tasks->list(to_client);
    ASSERT_EQ(mine.size(), 1u);
    EXPECT_EQ(mine[0].delivery, agency::TaskDelivery::engage);
    EXPECT_EQ(mine[0].notify, std::vector<std::string>{"ana"}); // told if it turns overdue
    auto message = outbox->find(applied.fired.message_ids[0]);
    ASSERT_TRUE(message);
    EXPECT_EQ((message->kind + " " + message->subject), "client-task-engage Intake");
    const auto at = message->body.find("https://pen.example/t/");
    ASSERT_NE(at, std::string::npos) << message->body;
    const std::string link_id = message->body.substr(at + 22, 16); // new_confirm_link_id: 16 characters
    auto page = tasks->open_link(*snapshot, link_id);
    ASSERT_TRUE(std::holds_alternative<TaskPage>(page));
    EXPECT_EQ(std::get<TaskPage>(page).documents.at(0).id, "intake");
    clock.advance(14 * kDay); // due in 7 days, and 7 days' grace
    EXPECT_EQ(std::get<LinkProblem>(tasks->open_link(*snapshot, link_id)), LinkProblem::expired);
    EXPECT_EQ(std::get<LinkProblem>(tasks->open_link(*snapshot, "not-a-link-id-00")), LinkProblem::unknown);
    EXPECT_EQ(log_of(r).at(0).at("actions").as_array().at(0).at("steps"), (json::array{"assigned to client 'jo' by engage"}));
}

TEST_F(TasksTest, AStaffTaskNeedsAStoredAssigneeAndOnlyAWorkersIsAnnounced) {
    Task t;
    t.assignee = {AssigneeType::worker, "zed"};
    t.title = "Call back";
    t.due_at = clock.now_ms() + kDay;
    auto refused = tasks->create(*snapshot, t);
    ASSERT_TRUE(std::holds_alternative<FieldError>(refused));
    EXPECT_EQ(std::get<FieldError>(refused).field, "assignee.id");
    t.assignee = {AssigneeType::worker, "ana"};
    EXPECT_EQ(std::get<TaskCreated>(tasks->create(*snapshot, t)).message_ids.size(), 1u);
    put(agency::ClientUpdate{"jo", "Jo", {}, std::nullopt, std::nullopt});
    t.assignee = {AssigneeType::client, "jo"};
    auto for_client = tasks->create(*snapshot, t);
    ASSERT_TRUE(std::holds_alternative<FieldError>(for_client));
    EXPECT_EQ(std::get<FieldError>(for_client).field, "context"); // where staff started it
    t.context = agency::ClientContext::case_file;
    auto not_allowed = tasks->create(*snapshot, t);
    ASSERT_TRUE(std::holds_alternative<TaskRefused>(not_allowed));
    EXPECT_EQ(std::get<TaskRefused>(not_allowed).code, "client-delivery-disabled");
}

TEST_F(TasksTest, ATaskTurnsOverdueIsListedByStateAndIsCompletedOnce) {
    const Task soon = staff_task("ana", clock.now_ms() + kDay);
    const Task later = staff_task("ana", clock.now_ms() + 5 * kDay);
    clock.advance(2 * kDay);
    TaskFilter overdue;
    overdue.state = TaskState::overdue;
    ASSERT_EQ(tasks->list(overdue).size(), 1u);
    EXPECT_EQ(tasks->list(overdue)[0].id, soon.id);
    TaskFilter open;
    open.state = TaskState::open;
    ASSERT_EQ(tasks->list(open).size(), 1u);
    EXPECT_EQ(tasks->list(open)[0].id, later.id);

    auto done = tasks->complete(soon.id);
    ASSERT_TRUE(std::holds_alternative<Task>(done));
    EXPECT_EQ(std::get<Task>(done).state_at(clock.now_ms()), TaskState::completed);
    EXPECT_TRUE(std::holds_alternative<AlreadyCompleted>(tasks->complete(soon.id)));
    EXPECT_TRUE(std::holds_alternative<NoSuchTask>(tasks->complete("t-999")));
    EXPECT_TRUE(tasks->list(overdue).empty());
}

TEST_F(TasksTest, ListsAreNewestFirstAndPageBackByTaskNumberAndDueTime) {
    for (int i = 1; i <= 3; ++i) staff_task("ben", clock.now_ms() + i * kDay);
    TaskFilter page;
    page.limit = 2;
    auto first = tasks->list(page);
    ASSERT_EQ(first.size(), 2u);
    EXPECT_EQ(first[0].id, "t-3");
    page.before = task_number(first[1].id);
    auto rest = tasks->list(page);
    ASSERT_EQ(rest.size(), 1u);
    EXPECT_EQ(rest[0].id, "t-1");
    TaskFilter due;
    due.due_before = clock.now_ms() + 2 * kDay;
    ASSERT_EQ(tasks->list(due).size(), 1u);
    EXPECT_EQ(tasks->list(due)[0].id, "t-1");
}

TEST(TaskApi, TheBodyIsReadWithEveryRefusalNamingItsField) {
    auto ok = task_from_api(json::parse(
        R"({"assignee": {"type": "worker", "id": "ana"}, "workflow_type": "check-list", "title": "T", "due_at_ms": 5})"));
    ASSERT_TRUE(std::holds_alternative<Task>(ok));
    EXPECT_EQ(std::get<Task>(ok).workflow, WorkflowType::check_list);
    for (auto [body, field] : std::vector<std::pair<const char*, const char*>>{
             {R"({"title": "T", "due_at_ms": 5})", "assignee"},
             {R"({"assignee": {"type": "team", "id": "a"}, "title": "T", "due_at_ms": 5})", "assignee.type"},
             {R"({"assignee": {"type": "worker", "id": "ana"}, "title": "T"})", "due_at_ms"},
             {R"({"assignee": {"type": "worker", "id": "ana"}, "due_at_ms": 5})", "title"},
             {R"({"assignee": {"type": "worker", "id": "ana"}, "title": "T", "due_at_ms": 5, "state": "open"})", "state"}}) {
        auto read = task_from_api(json::parse(body));
        ASSERT_TRUE(std::holds_alternative<FieldError>(read)) << body;
        EXPECT_EQ(std::get<FieldError>(read).field, field) << body;
    }
}

} // namespace
} // namespace extcomm::triggers
