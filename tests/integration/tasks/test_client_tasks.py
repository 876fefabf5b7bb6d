"""Client tasks over the HTTP API, with emails received by the real SMTP test server: a New Document rule
"assigned to client (if possible)" sends the client an Engage email (subject the title, the message's
allow-listed HTML and its plain text, the task's link) or, with ClientConnect, an email with the portal's
address and no document content; each fallback step (no such client, no consent, Client Delivery off) goes
to the worker recipients with the reason, and with no worker either to the error log; the link opens that
task only and a tampered, expired or completed one shows nothing of it; posted forms are capped; staff
create client tasks only where Client Delivery allows; answers are checked, saved, submitted once and
returned by GET /v1/tasks/{id}; a submitted document fires its template's "completed" rules; overdue
client tasks are told to the rule's workers. SQLite, then PostgreSQL."""
import concurrent.futures
import unittest

import harness
from client_tasks_testing import (FOREVER_MS, LINK, form, received_email, second_host, start, start_postgres, stop,
                                  stop_postgres)

ADMIN = "admin-token-0123456789"
PAGE = {"Content-Type": "application/x-www-form-urlencoded"}
GOOD = [("a.name", "Jo"), ("a.contact", "Phone"), ("a.days", "Monday"), ("a.days", "Friday"),
        ("a.born", "1990-04-01"), ("a.children", "2"), ("a.safe", "yes")]


class ClientTasksTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        start(cls)

    @classmethod
    def tearDownClass(cls):
        stop(cls)

    def rule(self, name, trigger="case-created", template=None, **action):
        body = {"name": name, "trigger": trigger, "recipients": {"other": "all-workers"},
                "action": dict({"type": "workflow", "workflow_type": "new-document", "title": name, "due_days": 7,
                                "templates": ["intake"], "assign_to_client": True}, **action)}
        if template:
            body["template"] = template
        return self.service.ok("POST", "/v1/action-triggers", body)

    def case(self, cid, client, rule, workers=("ana",)):
        """The action `rule` took on a new case (every test's rules fire on every case)."""
        status, answer = self.service.request("PUT", "/v1/records/case/" + cid, {
            "primary_member": client, "workers": [{"id": w, "role": "counsellor"} for w in workers]})
        self.assertEqual(status, 201, answer)
        return [f for f in answer["firings"] if f["rule"] == rule["id"]][0]["actions"][0]

    def client_delivery(self, **changes):
        current = self.service.ok("GET", "/v1/settings/client_delivery")
        self.service.ok("PUT", "/v1/settings/client_delivery", dict(current, **changes))
        return current

    def manual(self, client, **extra):
        return self.service.request("POST", "/v1/tasks", dict({
            "assignee": {"type": "client", "id": client}, "workflow_type": "new-document", "title": "Forms for " + client,
            "message": "<p>Please fill these in.</p>", "templates": ["intake"], "due_at_ms": FOREVER_MS,
            "context": "case"}, **extra))

    def page(self, token, method="GET", fields=None):
        body = None if fields is None else form(fields)
        return self.service.request(method, "/t/" + token, body, token=None, headers=PAGE if body else None)

    def link_of(self, address, subject):
        mail = received_email(self.smtp, address, subject)
        return LINK.search(mail["text/plain"]).group(1), mail

    def test_1_a_rule_sends_the_client_an_engage_email_with_the_message_and_the_link(self):
        rule = self.rule("Intake for new cases", message="<p>Welcome <b>Jo</b><script>alert(1)</script></p>")
        action = self.case("c-engage", "jo", rule)
        self.assertEqual((action["outcome"], action["tasks"][0]["assignee_type"]), ("created", "client"))
        self.assertEqual(action["steps"], ["assigned to client 'jo' by engage"])
        token, mail = self.link_of("jo@example.org", "Intake for new cases")
        self.assertIn("<b>Jo</b>", mail["text/html"])
        self.assertNotIn("script", mail["text/html"] + mail["text/plain"])
        self.assertIn("Welcome Jo", mail["text/plain"])
        self.assertIn("https://agency.example/extcomm/t/" + token, mail["text/plain"])
        task = self.service.ok("GET", "/v1/tasks/" + action["tasks"][0]["id"])
        self.assertEqual((task["assignee"], task["delivery"], task["state"]), ({"type": "client", "id": "jo"}, "engage", "open"))
        status, page = self.page(token)
        self.assertEqual(status, 200)
        self.assertIn("Your preferred name", page)
        self.assertNotIn("Medicare", page)  # a data-field question is never shown

    def test_2_each_fallback_step_goes_to_the_workers_with_the_reason_then_to_the_error_log(self):
        rule = self.rule("Fallback intake")
        for cid, client, reason in (("c-none", "nobody", "no client 'nobody'"),
                                    ("c-sam", "sam", "client 'sam' has no consented email address in use")):
            action = self.case(cid, client, rule)
            self.assertEqual(action["tasks"][0]["assignee"], "ana", action)
            self.assertEqual(action["fallback"], reason + ": assigned to the worker recipients")
            self.assertEqual(action["steps"], ["not assigned to the client: " + reason, "assigned to 1 worker recipient(s)"])
        before = self.client_delivery(enabled=False)
        try:
            action = self.case("c-off", "kim", rule)
            self.assertEqual(action["steps"][0], "not assigned to the client: Client Delivery is disabled for the agency")
        finally:
            self.service.ok("PUT", "/v1/settings/client_delivery", before)
        action = self.case("c-alone", "nobody", rule, workers=("zed",))
        self.assertEqual(action["outcome"], "unassigned")
        self.assertEqual(action["steps"][-1], "no worker recipient: in the error log")
        errors = [e for e in self.service.ok("GET", "/v1/errors")["errors"] if e["record"] == "case/c-alone" and e["rule"] == rule["id"]]
        self.assertEqual([e["reason"] for e in errors],
                         ["no client 'nobody', and none of the rule's recipients is a known worker"])

    def test_3_staff_create_client_tasks_only_where_client_delivery_allows(self):
        status, refused = self.manual("kim", context=None)
        self.assertEqual((status, refused["error"]["field"]), (400, "context"))
        status, refused = self.manual("kim", context="profile")
        self.assertEqual((status, refused["error"]["code"], refused["error"]["field"]), (403, "context-not-allowed", "context"))
        status, refused = self.manual("sam")
        self.assertEqual((status, refused["error"]["code"]), (403, "not-reachable"))
        before = self.client_delivery(enabled=False)
        try:
            status, refused = self.manual("kim")
            self.assertEqual((status, refused["error"]["code"]), (403, "client-delivery-disabled"))
        finally:
            self.service.ok("PUT", "/v1/settings/client_delivery", before)
        status, task = self.manual("kim")
        self.assertEqual((status, len(task["message_ids"])), (201, 1), task)

    def test_4_the_page_checks_saves_and_submits_once_and_the_link_then_shows_nothing(self):
        status, task = self.manual("kim", title="Kim's intake")
        self.assertEqual(status, 201, task)
        token, _ = self.link_of("kim@example.org", "Kim's intake")
        tampered = token[:5] + ("A" if token[5] != "A" else "B") + token[6:]
        status, page = self.page(tampered)
        self.assertEqual(status, 404)
        self.assertNotIn("Kim", page)
        status, page = self.page(token, "POST", [("document", "intake"), ("action", "submit"), ("a.children", "two")])
        self.assertEqual(status, 422)
        self.assertIn('aria-invalid="true"', page)
        self.assertIn("Enter a number", page)
        self.assertIn("Please answer this question.", page)
        status, page = self.page(token, "POST", [("document", "intake"), ("action", "save"), ("a.name", "Kim")])
        self.assertEqual(status, 200)
        self.assertIn('value="Kim"', self.page(token)[1])
        self.assertEqual(self.service.ok("GET", "/v1/tasks/" + task["id"])["documents"][0]["answers"], {"name": "Kim"})
        status, page = self.page(token, "POST", [("document", "intake"), ("action", "submit")] + GOOD)
        self.assertEqual(status, 200, page)
        self.assertIn("everything is submitted", page)
        done = self.service.ok("GET", "/v1/tasks/" + task["id"])
        self.assertEqual(done["state"], "completed")
        self.assertEqual(done["documents"][0]["answers"], {"name": "Jo", "contact": "Phone", "days": ["Monday", "Friday"],
                                                           "born": "1990-04-01", "children": 2, "safe": True})
        for method, fields in (("GET", None), ("POST", [("document", "intake"), ("action", "submit")] + GOOD)):
            status, page = self.page(token, method, fields)
            self.assertEqual(status, 410)
            self.assertIn("This task is complete", page)
            self.assertNotIn("Kim", page)

    def test_5_an_expired_link_shows_nothing_and_a_large_form_is_refused_before_it_is_read(self):
        status, task = self.manual("lee", title="Lee's late forms", due_at_ms=1000)
        self.assertEqual((status, task["state"]), (201, "overdue"))
        self.assertIn(task["id"], [t["id"] for t in self.service.ok("GET", "/v1/tasks?state=overdue&assignee=client/lee")["tasks"]])
        token, _ = self.link_of("lee@example.org", "Lee's late forms")
        status, page = self.page(token)
        self.assertEqual(status, 410)
        self.assertIn("This link has expired", page)
        self.assertNotIn("Lee", page)
        status, _, _ = harness.http("POST", self.service.url + "/t/" + token, "a.story=" + "x" * 70_000, PAGE)
        self.assertEqual(status, 413)

    def test_6_clientconnect_emails_the_portal_without_the_documents_and_completion_is_reported(self):
        before = self.client_delivery(client_tasks={"delivery": "clientconnect", "portal_url": "https://connect.agency.example"})
        try:
            status, task = self.manual("lee", title="Connect forms")
        finally:
            self.service.ok("PUT", "/v1/settings/client_delivery", before)
        self.assertEqual((status, task["delivery"]), (201, "clientconnect"), task)
        mail = received_email(self.smtp, "lee@example.org", "Connect forms")
        self.assertIn("https://connect.agency.example", mail["text/plain"])
        self.assertIn("ClientConnect", mail["text/plain"])
        self.assertNotIn("/t/", mail["text/plain"])
        self.assertNotIn("Please fill these in", mail["text/plain"])
        status, done = self.service.request("POST", "/v1/tasks/%s/completion" % task["id"])
        self.assertEqual((status, done["state"]), (200, "completed"))

    def test_6b_the_client_tasks_setting_is_checked_naming_the_field(self):
        current = self.service.ok("GET", "/v1/settings/client_delivery")
        self.assertEqual(current["client_tasks"], {"delivery": "engage", "portal_url": "", "link_grace_days": 7})
        for tasks, field in (({"delivery": "clientconnect"}, "client_delivery.client_tasks.portal_url"),
                             ({"portal_url": "ftp://connect.example"}, "client_delivery.client_tasks.portal_url"),
                             ({"link_grace_days": 400}, "client_delivery.client_tasks.link_grace_days"),
                             ({"delivery": "fax"}, "client_delivery.client_tasks.delivery")):
            status, refused = self.service.request("PUT", "/v1/settings/client_delivery", dict(current, client_tasks=tasks))
            self.assertEqual((status, refused["error"]["field"]), (400, field), tasks)

    def test_6c_both_kinds_have_a_preview_and_documented_variables(self):
        facts = {"title": "Intake forms", "message": "<p>Hi <i>there</i></p>", "due": "2026-03-05T09:00:00+00:00",
                 "link": "https://agency.example/extcomm/t/abc", "portal_url": "https://connect.agency.example"}
        engage = self.service.ok("POST", "/v1/preview", {"kind": "client-task-engage", "channel": "email", "facts": facts})
        self.assertEqual(engage["subject"], "Intake forms")
        self.assertIn("<i>there</i>", engage["html_body"])
        self.assertIn("https://agency.example/extcomm/t/abc", engage["body"])
        connect = self.service.ok("POST", "/v1/preview", {"kind": "client-task-clientconnect", "channel": "email",
                                                          "facts": facts})
        self.assertIn("https://connect.agency.example", connect["body"])
        self.assertNotIn("there", connect["body"])
        documented = self.service.ok("GET", "/v1/settings/templates/client-task-engage/email")
        self.assertEqual(sorted(v["name"] for v in documented["variables"]), ["due", "link", "message", "title"])

    def test_7_a_submitted_document_fires_its_templates_completed_rules(self):
        rule = self.service.ok("POST", "/v1/action-triggers", {
            "name": "Consent received", "trigger": "document-completed", "template": "consent",
            "action": {"type": "alert", "title": "Consent received"}, "recipients": {"other": "all-workers"}})
        status, task = self.manual("jo", title="Consent", templates=["consent", "intake"], workflow_type="check-list")
        self.assertEqual(status, 201, task)
        token, _ = self.link_of("jo@example.org", "Consent")
        status, page = self.page(token)
        self.assertIn("0 of 2 submitted", page)
        status, page = self.page(token, "POST", [("document", "consent"), ("action", "submit"), ("a.agree", "yes")])
        self.assertEqual(status, 200, page)
        self.assertIn("1 of 2 submitted", page)
        firings = self.service.ok("GET", "/v1/trigger-firings?rule=" + rule["id"])["firings"]
        self.assertEqual([(f["record"], f["fired"]) for f in firings], [("task/%s/consent" % task["id"], True)])
        self.assertEqual(self.service.ok("GET", "/v1/tasks/" + task["id"])["state"], "open")

    def test_7b_a_clients_document_never_fires_the_rule_that_sent_it_again(self):
        rule = self.rule("Consent again", trigger="document-completed", template="consent", templates=["consent"],
                         title="Consent again")
        status, answer = self.service.request("PUT", "/v1/records/document/d-loop", {
            "template": "consent", "completed_for": "kim", "state": "completed",
            "workers": [{"id": "ana", "role": "counsellor"}]})
        self.assertEqual(status, 201, answer)
        [action] = [f for f in answer["firings"] if f["rule"] == rule["id"]][0]["actions"]
        self.assertEqual(action["tasks"][0]["assignee_type"], "client", action)
        token, _ = self.link_of("kim@example.org", "Consent again")
        status, page = self.page(token, "POST", [("document", "consent"), ("action", "submit"), ("a.agree", "yes")])
        self.assertEqual(status, 200, page)
        firings = self.service.ok("GET", "/v1/trigger-firings?rule=" + rule["id"])["firings"]
        looped = [f for f in firings if f["record"].startswith("task/")]
        self.assertEqual([(f["fired"], f["reason"]) for f in looped],
                         [(False, "this change was caused by this rule's own output on this record: not fired again")])

    def test_8_an_overdue_client_task_is_told_to_the_rules_workers_once(self):
        rule = self.rule("Due at once", due_days=0)

        def notices(task_id):
            return [m for m in self.smtp.messages
                    if "ana@agency.example" in m.rcpt_tos and b"Overdue" in m.data and task_id.encode() in m.data]

        first = self.case("c-due", "kim", rule)["tasks"][0]["id"]
        harness.wait_until(lambda: notices(first), what="the first overdue notice to ana")
        second = self.case("c-due-2", "kim", rule)["tasks"][0]["id"]
        harness.wait_until(lambda: notices(second), what="the second overdue notice to ana")
        # A scheduler told the second in a later look than the first's (on PostgreSQL, either of two
        # hosts): the first, claimed then, is still told once.
        self.assertEqual((len(notices(first)), len(notices(second))), (1, 1))
        self.assertIn(b'"Due at once"', notices(first)[0].data, "the notice names the rule as its alerts do")
        overdue = [t["id"] for t in self.service.ok("GET", "/v1/tasks?state=overdue&assignee=client/kim")["tasks"]]
        self.assertIn(first, overdue)


class ClientTasksOnPostgresTest(ClientTasksTest):
    """The same on PostgreSQL, and two hosts on that one database."""
    @classmethod
    def setUpClass(cls):
        start_postgres(cls)
        cls.other_folder = harness.scratch()
        cls.other = harness.Service.configured(cls.other_folder.name, [], **second_host(cls))

    @classmethod
    def tearDownClass(cls):
        cls.other.stop()
        cls.other_folder.cleanup()
        stop_postgres(cls)

    def test_9_two_hosts_store_one_submission_of_a_document(self):
        status, task = self.manual("jo", title="Twice at once", templates=["consent"])
        self.assertEqual(status, 201, task)
        token, _ = self.link_of("jo@example.org", "Twice at once")
        body = form([("document", "consent"), ("action", "submit"), ("a.agree", "yes")])
        with concurrent.futures.ThreadPoolExecutor(2) as pool:
            statuses = sorted(pool.map(lambda host: harness.http("POST", host.url + "/t/" + token, body, PAGE)[0],
                                       (self.service, self.other)))
        self.assertEqual(statuses, [200, 410])  # the second finds the task complete
        done = self.service.ok("GET", "/v1/tasks/" + task["id"])
        self.assertEqual((done["state"], done["documents"][0]["answers"]), ("completed", {"agree": True}))


if __name__ == "__main__":
    unittest.main()
