"""Workflow tasks and the error log over the HTTP API: a Workflow rule makes one task per worker recipient,
announced by email as a task-workflow message; staff create tasks (due date required) and complete them;
tasks are listed by assignee and state, paged; roles: integration creates and completes, viewer reads;
an action with nobody to go to is in GET /v1/errors."""
import unittest

import harness

ADMIN = "admin-token-0123456789"
VIEWER = "viewer-token-0123456789"
DAY_MS = 86_400_000


class TasksTest(harness.ServiceTest):
    @classmethod
    def config(cls):
        return {"api_tokens": [{"name": "penelope", "token": harness.API_TOKEN, "role": "integration"},
                               {"name": "ops", "token": ADMIN, "role": "admin"},
                               {"name": "board", "token": VIEWER, "role": "viewer"}],
                "agency": {"email": {"enabled": True, "transport": "mail"}, "worker_delivery": {"enabled": True}}}

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        s = cls.service
        for wid in ("ana", "ben"):
            s.ok("PUT", "/v1/workers/" + wid, {"first_name": wid.title(), "email": wid + "@agency.example",
                                               "message_settings": {"channels": {"workflow": "email"}}})
        status, cls.rule = s.request("POST", "/v1/action-triggers", {
            "name": "Plan review", "trigger": "case-created",
            "action": {"type": "workflow", "workflow_type": "general", "title": "Review the plan", "due_days": 3},
            "recipients": {"other": "all-workers"}}, token=ADMIN)
        assert status == 201, cls.rule

    def case(self, cid, workers):
        return self.service.request("PUT", "/v1/records/case/" + cid, {
            "primary_member": "jo", "workers": [{"id": w, "role": "counsellor"} for w in workers]})

    def tasks(self, query, token=harness.API_TOKEN):
        return self.service.ok("GET", "/v1/tasks?" + query, token=token)["tasks"]

    def test_a_workflow_gives_each_worker_a_task_and_tells_them_by_email(self):
        status, answer = self.case("c-plan", ["ana", "ben"])
        self.assertEqual(status, 201, answer)
        action = answer["firings"][0]["actions"][0]
        self.assertEqual((action["type"], action["outcome"]), ("workflow", "created"))
        self.assertEqual([t["assignee"] for t in action["tasks"]], ["ana", "ben"])
        [task] = [t for t in self.tasks("assignee=worker/ana") if t["record"] == "case/c-plan"]
        self.assertEqual((task["title"], task["state"], task["rule"]), ("Review the plan", "open", self.rule["id"]))
        self.assertEqual(self.service.ok("GET", "/v1/tasks/" + task["id"])["id"], task["id"])
        spooled = harness.wait_until(
            lambda: [m for m in harness.spooled(self.mail) if task["id"] in m.get("body", "")],
            what="the task's announcement in the spool")
        self.assertEqual(spooled[0]["subject"], "Workflow: Review the plan")

    def test_staff_create_list_and_complete_tasks_with_the_integration_role(self):
        body = {"assignee": {"type": "worker", "id": "ben"}, "title": "Call the client back"}
        status, refused = self.service.request("POST", "/v1/tasks", body)
        self.assertEqual((status, refused["error"]["field"]), (400, "due_at_ms"))
        body["due_at_ms"] = 4_102_444_800_000  # 2100: open for the life of this test
        self.assertEqual(self.service.request("POST", "/v1/tasks", body, token=VIEWER)[0], 403)
        status, task = self.service.request("POST", "/v1/tasks", body)
        self.assertEqual((status, task["state"], len(task["message_ids"])), (201, "open", 1))
        self.assertIn(task["id"], [t["id"] for t in self.tasks("assignee=worker/ben&state=open", token=VIEWER)])

        self.assertEqual(self.service.request("POST", "/v1/tasks/%s/completion" % task["id"], token=VIEWER)[0], 403)
        status, done = self.service.request("POST", "/v1/tasks/%s/completion" % task["id"])
        self.assertEqual((status, done["state"]), (200, "completed"))
        self.assertEqual(self.service.request("POST", "/v1/tasks/%s/completion" % task["id"])[0], 409)
        self.assertIn(task["id"], [t["id"] for t in self.tasks("state=completed")])
        self.assertEqual(self.service.request("GET", "/v1/tasks/t-99999")[0], 404)

    def test_an_overdue_task_is_listed_as_overdue_and_lists_are_paged(self):
        status, late = self.service.request("POST", "/v1/tasks", {
            "assignee": {"type": "worker", "id": "ana"}, "title": "Overdue already", "due_at_ms": 1000})
        self.assertEqual((status, late["state"]), (201, "overdue"))
        self.assertIn(late["id"], [t["id"] for t in self.tasks("state=overdue")])
        first = self.service.ok("GET", "/v1/tasks?limit=1")
        self.assertEqual(len(first["tasks"]), 1)
        older = self.tasks("limit=1&before=%d" % first["next_before"])
        self.assertNotEqual(older[0]["id"], first["tasks"][0]["id"])
        for query, field in (("state=late", "state"), ("assignee=ana", "assignee"), ("limit=0", "limit")):
            status, answer = self.service.request("GET", "/v1/tasks?" + query)
            self.assertEqual((status, answer["error"]["field"]), (400, field))

    def test_an_action_with_nobody_to_go_to_is_in_the_error_log(self):
        status, answer = self.case("c-nobody", ["zed"])
        self.assertEqual(status, 201, answer)
        self.assertEqual(answer["firings"][0]["actions"][0]["outcome"], "unassigned")
        errors = self.service.ok("GET", "/v1/errors", token=VIEWER)["errors"]
        mine = [e for e in errors if e["record"] == "case/c-nobody"]
        self.assertEqual(len(mine), 1)
        self.assertEqual((mine[0]["rule"], mine[0]["reason"]),
                         (self.rule["id"], "none of the rule's recipients is a known worker"))

    def test_the_workflow_message_kind_has_a_template_and_a_preview(self):
        status, preview = self.service.request("POST", "/v1/preview", {
            "kind": "task-workflow", "channel": "email",
            "facts": {"task": "t-7", "title": "Send the intake form", "due": "2026-03-05T09:00:00+11:00",
                      "rule": "New case", "record": "case c-1"}})
        self.assertEqual(status, 200, preview)
        self.assertEqual(preview["subject"], "Workflow: Send the intake form")
        self.assertIn("Task t-7", preview["body"])


if __name__ == "__main__":
    unittest.main()
