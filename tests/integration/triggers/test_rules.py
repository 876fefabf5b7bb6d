"""Action trigger rules over the HTTP API: the catalogue, create / read / list / replace / enable / disable /
copy / delete, each change in the audit, and every refusal the administrator can meet (a 400 naming the
field, with the reason)."""
import copy
import unittest

import harness

ADMIN = "admin-token-0123456789"
VIEWER = "viewer-token-0123456789"

ALERT = {"name": "New case", "trigger": "case-created",
         "action": {"type": "alert", "title": "A case was opened", "message": "Please review it."},
         "recipients": {"category": "intake"},
         "criteria": [{"field": "agency_fields.risk", "comparison": "equals", "value": "high"}]}
DOC_RULE = {"name": "Intake done", "trigger": "document-completed", "template": "intake",
            "action": {"type": "workflow", "workflow_type": "new-document", "title": "Your next form", "due_days": 7,
                       "templates": ["feedback"], "assign_to_client": True},
            "recipients": {"other": "primary-worker"}}


def with_action(rule, **action):
    out = copy.deepcopy(rule)
    out["action"].update(action)
    return out


class RulesTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.folder = harness.scratch()
        cls.service = harness.Service.configured(
            cls.folder.name, [],
            api_tokens=[{"name": "penelope", "token": harness.API_TOKEN, "role": "integration"},
                        {"name": "ops", "token": ADMIN, "role": "admin"},
                        {"name": "reader", "token": VIEWER, "role": "viewer"}])
        s = cls.service
        s.ok("PUT", "/v1/worker-categories/intake", {"name": "Intake"})
        s.ok("PUT", "/v1/worker-categories/empty", {"name": "Nobody"})
        s.ok("PUT", "/v1/workers/ana", {"first_name": "Ana", "categories": ["intake"], "email": "ana@agency.example"})
        s.ok("PUT", "/v1/document-templates/intake", {"title": "Intake", "client_facing": True,
                                                      "questions": [{"id": "q1", "label": "Mood", "type": "number"}]})
        s.ok("PUT", "/v1/document-templates/feedback", {"title": "Feedback", "client_facing": True})
        s.ok("PUT", "/v1/document-templates/notes", {"title": "Staff notes", "client_facing": False})

    @classmethod
    def tearDownClass(cls):
        cls.service.stop()
        cls.folder.cleanup()

    def admin(self, method, path, body=None, **kw):
        return self.service.request(method, path, body, token=ADMIN, **kw)

    def create(self, rule):
        status, answer = self.admin("POST", "/v1/action-triggers", rule)
        self.assertEqual(status, 201, answer)
        return answer

    def test_the_catalogue_lists_each_trigger_with_what_it_offers(self):
        status, answer = self.service.request("GET", "/v1/action-triggers/catalogue", token=VIEWER)
        self.assertEqual(status, 200, answer)
        by = {t["trigger"]: t for t in answer["triggers"]}
        self.assertEqual((by["case-created"]["category"], by["case-created"]["client"]), ("case", "primary-member"))
        self.assertEqual(by["participant-turns-age"]["parameters"], ["age"])
        self.assertTrue(by["participant-turns-age"]["time_based"])
        self.assertEqual(by["answer-meets-condition"]["parameters"], ["question", "comparison", "value"])
        self.assertEqual(by["answer-meets-condition"]["family"], "document-template")
        self.assertEqual(by["profile-created"]["other_recipients"], [])
        self.assertEqual(by["service-event-no-show"]["client"], "primary-client")
        self.assertEqual(by["document-not-completed"]["parameters"], ["days"])

    def test_a_rule_is_created_read_listed_replaced_disabled_copied_and_deleted_and_each_change_audited(self):
        rule = self.create(ALERT)
        rid = rule["id"]
        self.assertTrue(rid.startswith("at-"))
        self.assertEqual((rule["category"], rule["enabled"]), ("case", True))
        self.assertEqual(self.service.request("GET", "/v1/action-triggers/" + rid, token=VIEWER)[1], rule)
        listed = self.service.request("GET", "/v1/action-triggers", token=VIEWER)[1]["action_triggers"]
        self.assertIn(rid, [r["id"] for r in listed])
        status, replaced = self.admin("PUT", "/v1/action-triggers/" + rid, dict(ALERT, name="Newly opened case"),
                                      headers={"X-Extcomm-Actor": "Dana (sysadmin)"})
        self.assertEqual((status, replaced["name"]), (200, "Newly opened case"), replaced)
        status, off = self.admin("POST", "/v1/action-triggers/" + rid + "/disable")
        self.assertEqual((status, off["enabled"]), (200, False))
        status, copied = self.admin("POST", "/v1/action-triggers/" + rid + "/copy")
        self.assertEqual(status, 201, copied)
        self.assertNotEqual(copied["id"], rid)
        self.assertEqual((copied["name"], copied["enabled"]), ("Copy of Newly opened case", False))
        self.assertEqual(self.admin("DELETE", "/v1/action-triggers/" + rid)[0], 204)
        self.assertEqual(self.service.request("GET", "/v1/action-triggers/" + rid)[0], 404)
        audit = self.service.request("GET", "/v1/audit?limit=100", token=VIEWER)[1]
        mine = [e for e in audit["entries"] if e["target"] == "action-triggers." + rid]
        self.assertEqual(len(mine), 4, mine)  # created, renamed, disabled, deleted
        renamed = next(e for e in mine if e["changes"].get("name", {}).get("to") == "Newly opened case")
        self.assertEqual((renamed["actor"], renamed["token"]), ("Dana (sysadmin)", "ops"))
        self.assertEqual(renamed["changes"]["name"], {"from": "New case", "to": "Newly opened case"})

    def test_the_trigger_and_template_are_fixed_once_created(self):
        rid = self.create(ALERT)["id"]
        status, answer = self.admin("PUT", "/v1/action-triggers/" + rid, dict(ALERT, trigger="service-file-created"))
        self.assertEqual((status, answer["error"]["field"]), (400, "trigger"), answer)

    def test_changing_rules_is_for_administrators_and_reading_for_everyone(self):
        self.assertEqual(self.service.request("POST", "/v1/action-triggers", ALERT)[0], 403)
        self.assertEqual(self.service.request("GET", "/v1/action-triggers", token=VIEWER)[0], 200)

    def test_a_method_a_route_does_not_take_is_refused_with_what_it_takes(self):
        for method, path, allow in (("PUT", "/v1/action-triggers", "GET, POST"),
                                    ("GET", "/v1/action-triggers/at-1/copy", "POST"),
                                    ("POST", "/v1/action-triggers/at-1", "GET, PUT, DELETE"),
                                    ("POST", "/v1/action-triggers/catalogue", "GET")):
            status, answer = self.admin(method, path, {})
            self.assertEqual((status, answer["error"]["code"]), (405, "method_not_allowed"), (method, path, answer))

    def test_every_refusal_names_the_field_and_says_why(self):
        cases = [
            (dict(ALERT, recipients={"category": "empty"}), "recipients.category", "no members"),
            (dict(ALERT, recipients={"category": "nobody-here"}), "recipients.category", "no worker category"),
            (with_action(DOC_RULE, workflow_type="check-list", templates=[],
                         checklist=[{"template": "feedback", "due_days": 7}, {"template": "intake", "due_days": 3}]),
             "action.checklist[1].due_days", "due days"),
            (with_action(DOC_RULE, workflow_type="approval"), "action.workflow_type", "not supported"),
            (with_action(DOC_RULE, workflow_type="review"), "action.workflow_type", "not supported"),
            (with_action(DOC_RULE, templates=["notes"]), "action.templates[0]", "not client-facing"),
            (dict(ALERT, trigger="participant-turns-age"), "parameters", "required"),
            (dict(ALERT, trigger="participant-turns-age", parameters={"age": -1}), "parameters.age", "between"),
            (dict(ALERT, trigger="participant-turns-age", parameters={"age": 18, "days": 3}), "parameters.days",
             "not a parameter"),
            (dict(DOC_RULE, trigger="answer-meets-condition",
                  parameters={"question": "q1", "comparison": "greater-than", "value": "lots"}),
             "parameters.value", "number"),
            (dict(DOC_RULE, trigger="answer-meets-condition",
                  parameters={"question": "q9", "comparison": "empty"}), "parameters.question", "not a question"),
            (dict(DOC_RULE, template="missing"), "template", "no document template"),
            (dict(ALERT, trigger="profile-created", recipients={"other": "primary-worker"}), "recipients.other",
             "not offered"),
            (with_action(ALERT, type="workflow", workflow_type="general", assign_to_client=True),
             "action.assign_to_client", "sends no document"),
            (dict(ALERT, trigger="not-a-trigger"), "trigger", "must be one of"),
            (dict(ALERT, criteria=[{"field": "colour", "comparison": "equals", "value": 1}]), "criteria[0].field", None),
            (dict(ALERT, criteria=[{"field": "fields.opened", "comparison": "less-than", "value": "soon"}]),
             "criteria[0].value", "ISO date"),
            (dict(ALERT, criteria=[{"field": "fields.x", "comparison": "one-of", "value": 3}]), "criteria[0].value", None),
            (dict(ALERT, name=""), "name", "required"),
            (dict(ALERT, category="service-file"), "category", "case"),
        ]
        for rule, field, words in cases:
            status, answer = self.admin("POST", "/v1/action-triggers", rule)
            self.assertEqual((status, answer.get("error", {}).get("field")), (400, field), (rule, answer))
            if words:
                self.assertIn(words, answer["error"]["message"], answer)

    def test_a_document_template_trigger_can_assign_a_client_facing_document_to_the_client(self):
        rule = self.create(DOC_RULE)
        self.assertEqual((rule["category"], rule["template"], rule["action"]["assign_to_client"]),
                         ("document-template", "intake", True))


if __name__ == "__main__":
    unittest.main()
