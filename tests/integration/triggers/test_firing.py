"""Action triggers firing over the HTTP API: a record PUT fires the rules of what happened, the Alert
reaches the worker by email (the `file` transport), the firing log (GET /v1/trigger-firings) says why a
rule fired or did not, with each recipient's decision; a repeated PUT fires nothing; the new message kinds
have templates, documented variables and a preview."""
import unittest

import harness

ADMIN = "admin-token-0123456789"


class FiringTest(harness.ServiceTest):
    @classmethod
    def config(cls):
        return {"api_tokens": [{"name": "penelope", "token": harness.API_TOKEN, "role": "integration"},
                               {"name": "ops", "token": ADMIN, "role": "admin"}],
                "agency": {"email": {"enabled": True, "transport": "mail"}, "worker_delivery": {"enabled": True}}}

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        s = cls.service
        s.ok("PUT", "/v1/worker-categories/leads", {"name": "Team leads"})
        s.ok("PUT", "/v1/workers/ana", {"first_name": "Ana", "categories": ["leads"], "email": "ana@agency.example",
                                        "message_settings": {"channels": {"alert": "email"}}})
        s.ok("PUT", "/v1/workers/ben", {"first_name": "Ben", "email": "ben@agency.example",
                                        "message_settings": {"channels": {"alert": "none"}}})
        status, cls.rule = s.request("POST", "/v1/action-triggers", {
            "name": "High-risk case", "trigger": "case-created",
            "action": {"type": "alert", "title": "High-risk case opened", "message": "Call the client today."},
            "recipients": {"other": "all-workers"},
            "criteria": [{"field": "agency_fields.risk", "comparison": "one-of", "value": ["high", "extreme"]}]},
            token=ADMIN)
        assert status == 201, cls.rule

    def case(self, cid, risk):
        return self.service.request("PUT", "/v1/records/case/" + cid, {
            "agency_fields": {"risk": risk}, "primary_member": "jo",
            "workers": [{"id": "ana", "role": "case manager"}, {"id": "ben", "role": "intern"}]})

    def test_a_matching_case_alerts_its_workers_and_the_log_says_who_got_it_and_why_not(self):
        status, answer = self.case("c-high", "high")
        self.assertEqual(status, 201, answer)
        [entry] = answer["firings"]
        self.assertTrue(entry["fired"])
        decisions = {d["recipient"]["id"]: d for d in entry["actions"][0]["decisions"]}
        self.assertEqual(decisions["ana"]["outcome"], "sent")
        self.assertEqual((decisions["ben"]["outcome"], decisions["ben"]["reason"]), ("skipped", "not-chosen"))
        message = self.service.wait_for_state(decisions["ana"]["message_id"], {"sent"})
        self.assertEqual(message["kind"], "trigger-alert")
        spooled = harness.wait_until(lambda: [m for m in harness.spooled(self.mail) if m["id"] == message["id"]],
                                     what="the alert in the spool")
        self.assertIn("High-risk case opened", spooled[0]["subject"])

        log = self.service.ok("GET", "/v1/trigger-firings?record=case/c-high")["firings"]
        self.assertEqual([e["rule"] for e in log], [self.rule["id"]])
        self.assertEqual(log[0]["criteria"][0]["actual"], "high")
        self.assertTrue(log[0]["criteria"][0]["holds"])

    def test_a_case_that_does_not_match_is_in_the_log_with_the_criterion_that_failed(self):
        status, answer = self.case("c-low", "low")
        self.assertEqual(status, 201, answer)
        log = self.service.ok("GET", "/v1/trigger-firings?rule=" + self.rule["id"] + "&record=case/c-low")["firings"]
        self.assertEqual(len(log), 1)
        self.assertFalse(log[0]["fired"])
        self.assertEqual(log[0]["reason"], "a criterion does not hold")
        self.assertEqual((log[0]["criteria"][0]["actual"], log[0]["criteria"][0]["holds"]), ("low", False))
        self.assertEqual(log[0]["actions"], [])

    def test_a_repeated_put_fires_nothing(self):
        self.case("c-again", "extreme")
        status, again = self.case("c-again", "extreme")
        self.assertEqual((status, again["firings"], again["happened"]["nothing"]), (200, [], True))
        log = self.service.ok("GET", "/v1/trigger-firings?record=case/c-again")["firings"]
        self.assertEqual(len(log), 1)

    def test_the_log_is_paged_newest_first(self):
        for i in range(3):
            self.case("c-page-%d" % i, "low")
        first = self.service.ok("GET", "/v1/trigger-firings?limit=2")
        self.assertEqual(len(first["firings"]), 2)
        older = self.service.ok("GET", "/v1/trigger-firings?limit=2&before=%d" % first["next_before"])["firings"]
        self.assertTrue(all(e["seq"] < first["firings"][-1]["seq"] for e in older))
        self.assertEqual(self.service.request("GET", "/v1/trigger-firings?limit=0")[1]["error"]["field"], "limit")

    def test_the_trigger_message_kinds_have_templates_variables_and_a_preview(self):
        templates = self.service.ok("GET", "/v1/settings/templates")["templates"]
        alert = next(t for t in templates if (t["kind"], t["channel"]) == ("trigger-alert", "email"))
        self.assertEqual({v["name"] for v in alert["variables"]}, {"type", "title", "rule", "record", "message"})
        status, preview = self.service.request("POST", "/v1/preview", {
            "kind": "trigger-notification", "channel": "email",
            "facts": {"title": "Form completed", "message": "See the answers.", "rule": "Intake done",
                      "record": "document d-1"}})
        self.assertEqual(status, 200, preview)
        self.assertEqual(preview["subject"], "Notification: Form completed")
        self.assertIn("See the answers.", preview["body"])


if __name__ == "__main__":
    unittest.main()
