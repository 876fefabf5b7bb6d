"""GET /v1/openapi.json: valid JSON served without a token, describing every route the router serves (the
list below; a route added to the router without the document fails here), with request schemas that accept
the bodies the integration tests send."""
import unittest

import jsonschema

import harness
import settings_testing
from settings_testing import ADMIN_TOKEN, EVENT

# Every route the router serves: (method, path as the document writes it).
ROUTES = [
    ("GET", "/healthz"),
    ("GET", "/metrics"),
    ("GET", "/v1/openapi.json"),
    ("POST", "/v1/messages"),
    ("GET", "/v1/messages/{id}"),
    ("GET", "/v1/transports"),
    ("POST", "/v1/transports/{name}/resume"),
    ("POST", "/v1/webhooks/{transport}"),
    ("GET", "/v1/webhooks/{transport}"),
    ("GET", "/v1/settings"),
    ("GET", "/v1/settings/{section}"),
    ("PUT", "/v1/settings/{section}"),
    ("GET", "/v1/settings/templates"),
    ("GET", "/v1/settings/templates/{kind}/{channel}"),
    ("PUT", "/v1/settings/templates/{kind}/{channel}"),
    ("DELETE", "/v1/settings/templates/{kind}/{channel}"),
    ("GET", "/v1/audit"),
    ("POST", "/v1/preview"),
    ("GET", "/v1/workers/{id}"),
    ("PUT", "/v1/workers/{id}"),
    ("PUT", "/v1/workers/{id}/presence"),
    ("GET", "/v1/worker-categories/{id}"),
    ("PUT", "/v1/worker-categories/{id}"),
    ("GET", "/v1/clients/{id}"),
    ("PUT", "/v1/clients/{id}"),
    ("GET", "/v1/sites/{id}"),
    ("PUT", "/v1/sites/{id}"),
    ("POST", "/v1/worker-messages"),
    ("GET", "/v1/worker-messages/{id}"),
    ("POST", "/v1/client-messages"),
    ("GET", "/v1/client-messages/{id}"),
    ("GET", "/v1/decisions"),
    ("GET", "/c/{token}"),
    ("POST", "/c/{token}"),
    ("GET", "/t/{token}"),
    ("POST", "/t/{token}"),
    ("GET", "/v1/service-events/{id}"),
    ("PUT", "/v1/service-events/{id}"),
    ("GET", "/v1/records/{kind}/{id}"),
    ("PUT", "/v1/records/{kind}/{id}"),
    ("DELETE", "/v1/records/{kind}/{id}"),
    ("GET", "/v1/document-templates/{id}"),
    ("PUT", "/v1/document-templates/{id}"),
    ("GET", "/v1/action-triggers/catalogue"),
    ("GET", "/v1/action-triggers"),
    ("POST", "/v1/action-triggers"),
    ("GET", "/v1/action-triggers/{id}"),
    ("PUT", "/v1/action-triggers/{id}"),
    ("DELETE", "/v1/action-triggers/{id}"),
    ("POST", "/v1/action-triggers/{id}/enable"),
    ("POST", "/v1/action-triggers/{id}/disable"),
    ("POST", "/v1/action-triggers/{id}/copy"),
    ("GET", "/v1/trigger-firings"),
    ("GET", "/v1/tasks"),
    ("POST", "/v1/tasks"),
    ("GET", "/v1/tasks/{id}"),
    ("POST", "/v1/tasks/{id}/completion"),
    ("GET", "/v1/errors"),
    ("POST", "/v1/verification-codes"),
    ("POST", "/v1/verification-codes/{id}/verify"),
    ("POST", "/v1/discussions"),
    ("GET", "/v1/discussions/{id}"),
    ("POST", "/v1/discussions/{id}/messages"),
    ("GET", "/d/{token}"),
    ("POST", "/d/{token}"),
]
# Values for the path parameters when the route is called.
PARAMETERS = {"id": "x", "name": "mail", "transport": "mail", "section": "general", "kind": "booking-notice",
              "channel": "sms", "token": "x"}

# Bodies the integration tests send, by route.
EXAMPLES = [
    ("POST", "/v1/messages", {"channel": "email", "to": "jo@example.org", "subject": "Appointment reminder",
                              "body": "See you at 10:00."}),
    ("POST", "/v1/messages", {"messages": [{"channel": "sms", "to": "+61491570156", "body": "one"}]}),
    ("POST", "/v1/messages", {"channel": "sms", "to": "+61491570156", "body": "x", "kind": "booking_notice",
                              "idempotency_key": "k-1", "metadata": {"case": 7}, "expires_in_seconds": 60,
                              "transport": "mail"}),
    ("PUT", "/v1/settings/{section}", {"sms_prefix": "Northside:", "time_zone": "Australia/Sydney"}),
    ("PUT", "/v1/settings/{section}", {"enabled": True, "transport": "mail", "authentication_uses_standard": False,
                                       "authentication_transport": "mail"}),
    ("PUT", "/v1/settings/{section}", {"enabled": True, "last_minute_booking_hours": 4, "notify_no_show": True,
                                       "detail_levels": {"alert": "subject-only", "event-notification": "disallow"}}),
    ("PUT", "/v1/settings/{section}", {"enabled": True, "email_footer": "x",
                                       "confirmation": {"enabled": True, "hours_before": 48, "sender_worker": "w-17",
                                                        "include_return_message": True},
                                       "send_booking_notification": True, "contexts": ["profile", "service-file"]}),
    ("PUT", "/v1/settings/{section}", {"hide_event_location": True, "hide_worker_last_name": True}),
    ("PUT", "/v1/settings/templates/{kind}/{channel}", {"body": "Booked: {{date}} at {{time}}."}),
    ("PUT", "/v1/settings/templates/{kind}/{channel}", {"subject": "Hi", "body": "Hello", "html_body": "<p>Hello</p>"}),
    ("POST", "/v1/preview", {"kind": "booking-notice", "channel": "sms", "facts": EVENT}),
    ("POST", "/v1/preview", {"kind": "reschedule-notice", "channel": "email",
                             "facts": dict(EVENT, original_start="2026-03-02T09:00:00Z")}),
    ("POST", "/v1/preview", {"kind": "collaboration-message", "channel": "sms",
                             "facts": {"type": "alert", "subject": "s", "body": "b"}}),
    ("POST", "/v1/preview", {"kind": "client-message", "channel": "sms", "facts": {"body": "€" + "a" * 158}}),
    ("POST", "/v1/preview", {"kind": "verification-code", "channel": "sms", "facts": {"code": "123456", "minutes_valid": 5}}),
    ("POST", "/v1/preview", {"kind": "error-notice-digest", "channel": "email",
                             "facts": {"notices": [{"what": "refused for good", "recipient": "+61…156", "transport": "sms",
                                                    "reason": "invalid number", "when": "2026-03-03T14:30:00+11:00"}],
                                       "not_listed": 2}}),
    ("PUT", "/v1/service-events/{id}", {"start": "2026-03-03T14:30:00+11:00", "end": "2026-03-03T15:30:00+11:00",
                                        "status": "booked", "workers": [{"id": "w-17", "primary": True}],
                                        "clients": [{"id": "jo"}], "site": "north", "location": "Room 4",
                                        "service_file": "sf-1", "first_event": True, "group": False,
                                        "booked_at": "2026-03-01T09:00:00Z"}),
    ("PUT", "/v1/records/{kind}/{id}", {"fields": {"status": "open"}, "agency_fields": {"risk": "high"},
                                        "primary_member": "jo", "members": ["sam"],
                                        "workers": [{"id": "ana", "role": "case manager"}]}),
    ("PUT", "/v1/records/{kind}/{id}", {"template": "intake", "completed_for": "jo", "state": "completed",
                                        "answers": {"q1": "yes"}}),
    ("PUT", "/v1/document-templates/{id}", {"title": "Intake", "client_facing": True,
                                            "questions": [{"id": "q1", "label": "Unsafe?", "type": "yes-no"}]}),
    ("POST", "/v1/action-triggers", {"name": "Intake done", "trigger": "answer-meets-condition", "template": "intake",
                                     "parameters": {"question": "q1", "comparison": "equals", "value": "yes"},
                                     "action": {"type": "workflow", "workflow_type": "check-list", "title": "Next",
                                                "due_days": 7, "checklist": [{"template": "intake", "due_days": 7}],
                                                "assign_to_client": True},
                                     "recipients": {"other": "role", "role": "counsellor"},
                                     "criteria": [{"field": "agency_fields.risk", "comparison": "empty"}]}),
    ("POST", "/v1/tasks", {"assignee": {"type": "worker", "id": "w-17"}, "workflow_type": "general",
                           "title": "Call back", "message": "About the intake.", "due_at_ms": 1789862400000}),
    ("POST", "/v1/preview", {"kind": "task-workflow", "channel": "email",
                             "facts": {"task": "t-7", "title": "Call back", "due": "2026-03-03T14:30:00+11:00",
                                       "rule": "New case", "record": "case c-1"}}),
    ("POST", "/v1/verification-codes", {"worker": "ana", "purpose": "login", "channel": "either"}),
    ("POST", "/v1/verification-codes/{id}/verify", {"code": "493021"}),
    ("PUT", "/v1/settings/{section}", {"two_step_login": True, "channels": "email", "code_length": 6,
                                       "max_codes_per_day": 500, "limit_alert_category": "security"}),
]


class OpenApiTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.folder = harness.scratch()
        cls.service = settings_testing.service(cls.folder.name)
        status, cls.document = cls.service.request("GET", "/v1/openapi.json", token=None)
        assert status == 200, cls.document
        # The examples name w-17 as the confirmation's sender: the service checks the worker exists.
        status, worker = cls.service.request("PUT", "/v1/workers/w-17", {"first_name": "Ava"}, token=ADMIN_TOKEN)
        assert status in (200, 201), worker

    @classmethod
    def tearDownClass(cls):
        cls.service.stop()
        cls.folder.cleanup()

    def test_is_an_openapi_3_document(self):
        self.assertIsInstance(self.document, dict)
        self.assertTrue(self.document["openapi"].startswith("3.0"))
        self.assertIn("bearer", self.document["components"]["securitySchemes"])

    def test_describes_every_route_the_router_serves_and_no_other(self):
        documented = {(method.upper(), path) for path, item in self.document["paths"].items()
                      for method in item if method in ("get", "put", "post", "delete", "patch")}
        self.assertEqual(documented, set(ROUTES))
        for method, path in ROUTES:
            url = path.format(**PARAMETERS)
            body = {} if method in ("POST", "PUT") else None
            status, answer = self.service.request(method, url, body, token=ADMIN_TOKEN)
            routed = not (status == 404 and isinstance(answer, dict) and
                          answer.get("error", {}).get("message", "").startswith("no route"))
            self.assertTrue(routed and status != 405, (method, url, status, answer))

    def test_every_operation_has_responses_and_the_refs_resolve(self):
        for path, item in self.document["paths"].items():
            for method, operation in item.items():
                self.assertIn("responses", operation, (method, path))
        # Any dangling $ref fails here.
        validator = jsonschema.Draft7Validator({"$ref": "#/components/schemas/AgencySettings",
                                                "components": self.document["components"]})
        for name in self.document["components"]["schemas"]:
            jsonschema.Draft7Validator({"$ref": "#/components/schemas/" + name,
                                        "components": self.document["components"]}).is_valid({})
        self.assertTrue(validator.is_valid({}))

    def request_schema(self, method, path):
        operation = self.document["paths"][path][method.lower()]
        schema = operation["requestBody"]["content"]["application/json"]["schema"]
        return dict(schema, components=self.document["components"])

    def test_request_schemas_accept_the_bodies_the_tests_send(self):
        for method, path, body in EXAMPLES:
            errors = list(jsonschema.Draft7Validator(self.request_schema(method, path)).iter_errors(body))
            self.assertEqual(errors, [], (method, path, body))

    def test_request_schemas_refuse_what_the_service_refuses(self):
        refused = [
            ("PUT", "/v1/settings/{section}", {"sms_prefix": "123456789012345678901"}),
            ("PUT", "/v1/settings/{section}", {"detail_levels": {"alert": "everything"}}),
            ("POST", "/v1/preview", {"kind": "memo", "channel": "sms", "facts": {}}),
            ("POST", "/v1/messages", {"channel": "fax", "to": "x", "body": "x"}),
            ("PUT", "/v1/service-events/{id}", {"start": "2026-03-03T14:30:00+11:00", "end": "2026-03-03T15:30:00+11:00",
                                                "status": "postponed", "workers": [{"id": "w-17"}], "clients": [{"id": "jo"}]}),
        ]
        for method, path, body in refused:
            self.assertFalse(jsonschema.Draft7Validator(self.request_schema(method, path)).is_valid(body), body)

    def test_preview_for_a_recipient_is_described(self):
        schema = jsonschema.Draft7Validator(self.request_schema("POST", "/v1/preview"))
        for body in [
            {"kind": "collaboration-message", "channel": "sms", "facts": {"type": "alert", "subject": "x"},
             "recipient": {"worker": "ada"}},
            {"kind": "client-message", "channel": "email", "facts": {"body": "x", "context": "profile"},
             "recipient": {"client": "kim"}},
        ]:
            self.assertEqual(list(schema.iter_errors(body)), [], body)
        for recipient in ({"worker": "ada", "client": "kim"}, {"person": "ada"}, {}, "ada"):
            body = {"kind": "booking-notice", "channel": "sms", "facts": EVENT, "recipient": recipient}
            self.assertFalse(schema.is_valid(body), recipient)
        operation = self.document["paths"]["/v1/preview"]["post"]
        self.assertIn("404", operation["responses"])
        result = self.document["components"]["schemas"]["PreviewResult"]["properties"]
        self.assertIn("setting-off", result["decision"]["properties"]["reason"]["enum"])
        self.assertIn("to", result["recipient"]["properties"])

    def test_the_served_examples_are_what_the_service_accepts(self):
        for method, path, body in EXAMPLES:
            if path.startswith("/v1/messages"):
                continue  # would queue messages; test_api covers them
            if path.startswith("/v1/service-events"):
                continue  # creates an event (201, then 200); tests/integration/events covers them
            if path.startswith(("/v1/records", "/v1/document-templates", "/v1/action-triggers", "/v1/tasks")):
                continue  # create (201); tests/integration/triggers covers them
            if path.startswith("/v1/verification-codes"):
                continue  # sends a code (202); tests/integration/authentication covers them
            url = path.format(**PARAMETERS)
            if path == "/v1/settings/{section}":
                section = next(s for s, schema in self.sections().items()
                               if jsonschema.Draft7Validator(schema).is_valid(body))
                url = "/v1/settings/" + section
            if path == "/v1/settings/templates/{kind}/{channel}":
                url = "/v1/settings/templates/booking-notice/" + ("email" if "subject" in body else "sms")
            status, answer = self.service.request(method, url, body, token=ADMIN_TOKEN)
            self.assertEqual(status, 200, (url, body, answer))

    def sections(self):
        names = {"general": "GeneralSettings", "email": "EmailSettings", "sms": "SmsSettings",
                 "worker_delivery": "WorkerDeliverySettings", "client_delivery": "ClientDeliverySettings",
                 "privacy": "PrivacySettings", "authentication": "AuthenticationSettings"}
        return {s: {"$ref": "#/components/schemas/" + n, "components": self.document["components"]}
                for s, n in names.items()}


if __name__ == "__main__":
    unittest.main()
