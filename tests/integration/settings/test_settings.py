"""The agency's settings through the API: each section PUT and GET, refused values name the field and change
nothing, every change is audited (who, when, what), templates are edited and reset, and the configuration
seeds the store on first start only."""
import os
import time
import unittest

import harness
import settings_testing
from settings_testing import ADMIN_TOKEN

SECTIONS = {
    "general": {"error_notice_category": "admins", "sms_prefix": "Northside:", "time_zone": "Australia/Sydney",
                "country_calling_code": "61", "trunk_prefix": "0"},
    "email": {"enabled": True, "transport": "mail", "authentication_uses_standard": False,
              "authentication_transport": "mail"},
    "sms": {"enabled": True, "transport": "mail"},
    "worker_delivery": {"enabled": True, "last_minute_booking_hours": 4, "notify_no_show": True,
                        "detail_levels": {"conversation": "subject-and-body", "alert": "subject-only",
                                          "notification": "subject-and-body", "discussion": "disallow",
                                          "event-notification": "subject-only", "workflow": "subject-and-body",
                                          "reminder": "subject-and-body"}},
    "client_delivery": {"enabled": True, "email_footer": "Northside Counselling, 1 Main St.",
                        "confirmation": {"enabled": True, "hours_before": 48, "sender_worker": "w-17",
                                         "include_return_message": True},
                        "send_booking_notification": True, "send_reschedule_notification": False,
                        "contexts": ["billing-account-summary", "profile", "service-file", "group-event"],
                        "client_tasks": {"delivery": "clientconnect", "portal_url": "https://connect.northside.example",
                                         "link_grace_days": 3}},
    "privacy": {"hide_event_location": True, "hide_worker_last_name": False, "hide_site_name": True},
}


class SettingsApiTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.folder = harness.scratch()
        cls.service = settings_testing.service(cls.folder.name)
        # The confirmation's sender must be a worker the service knows.
        status, worker = cls.service.request("PUT", "/v1/workers/w-17", {"first_name": "Ava", "last_name": "Stone"},
                                             token=ADMIN_TOKEN)
        assert status in (200, 201), worker

    @classmethod
    def tearDownClass(cls):
        cls.service.stop()
        cls.folder.cleanup()

    def request(self, method, path, body=None, actor=None, token=ADMIN_TOKEN):
        return self.service.request(method, path, body, token=token, headers={"X-Extcomm-Actor": actor} if actor else None)

    def audit(self, query=""):
        status, page = self.request("GET", "/v1/audit" + query)
        self.assertEqual(status, 200, page)
        return page["entries"]

    def test_each_section_is_stored_and_read_back_on_its_own(self):
        for name, section in SECTIONS.items():
            status, stored = self.request("PUT", "/v1/settings/" + name, section)
            self.assertEqual(status, 200, stored)
            self.assertEqual(stored, section, name)
            self.assertEqual(self.request("GET", "/v1/settings/" + name), (200, section))
        status, everything = self.request("GET", "/v1/settings")
        self.assertEqual(status, 200)
        for name, section in SECTIONS.items():
            self.assertEqual(everything[name], section)
        # Put back: other tests start from the defaults.
        for name in SECTIONS:
            self.assertEqual(self.request("PUT", "/v1/settings/" + name, {})[0], 200)

    def test_a_left_out_member_takes_its_default(self):
        self.request("PUT", "/v1/settings/general", {"sms_prefix": "Acme:", "time_zone": "Europe/London"})
        status, general = self.request("PUT", "/v1/settings/general", {"sms_prefix": "Acme:"})
        self.assertEqual(status, 200)
        self.assertEqual(general["time_zone"], "UTC")
        self.request("PUT", "/v1/settings/general", {})

    def test_a_refused_value_names_the_field_and_changes_nothing(self):
        self.assertEqual(self.request("PUT", "/v1/settings/general", {"sms_prefix": "Acme:"})[0], 200)
        _, before = self.request("GET", "/v1/settings")
        entries_before = self.audit()
        cases = [
            ("general", {"sms_prefix": "123456789012345678901"}, "general.sms_prefix", "at most 20 characters"),
            ("general", {"sms_prefix": "Northside 😀"}, "general.sms_prefix",
             "must use only GSM-7 characters (letters, digits and common punctuation; no emoji): one other character "
             "would make every automated SMS UCS-2, at most 70 characters instead of 160"),
            ("general", {"time_zone": "Mars/Base"}, "general.time_zone", "'Mars/Base' is not an IANA time zone"),
            ("general", {"smsprefix": "x"}, "general.smsprefix", "not a setting"),
            ("email", {"enabled": True, "transport": "x"}, "email.transport", "no transport named 'x' carries email"),
            ("sms", {"enabled": True}, "sms.transport", "is required"),
            ("worker_delivery", {"detail_levels": {"alert": "all"}}, "worker_delivery.detail_levels.alert",
             "must be one of subject-and-body, subject-only, disallow"),
            ("worker_delivery", {"last_minute_booking_hours": "4"}, "worker_delivery.last_minute_booking_hours",
             "whole number"),
            ("client_delivery", {"confirmation": {"enabled": True}}, "client_delivery.confirmation.sender_worker",
             "is required"),
            ("client_delivery", {"confirmation": {"enabled": True, "sender_worker": "nobody"}},
             "client_delivery.confirmation.sender_worker", "no worker with id 'nobody'"),
            ("client_delivery", {"contexts": ["profile", "waiting-room"]}, "client_delivery.contexts[1]", "must be one of"),
            ("privacy", {"hide_site_name": "yes"}, "privacy.hide_site_name", "true or false"),
        ]
        for section, body, field, says in cases:
            status, answer = self.request("PUT", "/v1/settings/" + section, body)
            self.assertEqual(status, 400, body)
            self.assertEqual(answer["error"]["field"], field, body)
            self.assertIn(says, answer["error"]["message"], body)
        status, answer = self.request("PUT", "/v1/settings/general", "{not json")
        self.assertEqual((status, answer["error"]["field"]), (400, "body"))
        self.assertEqual(self.request("GET", "/v1/settings"), (200, before))
        self.assertEqual(self.audit(), entries_before)
        self.request("PUT", "/v1/settings/general", {})

    def test_unknown_sections_and_methods(self):
        status, answer = self.request("GET", "/v1/settings/billing")
        self.assertEqual((status, answer["error"]["field"]), (404, "section"))
        self.assertEqual(self.request("POST", "/v1/settings/general", {})[0], 405)
        self.assertEqual(self.request("PUT", "/v1/settings", {})[0], 405)
        self.assertEqual(self.service.request("GET", "/v1/settings", token=None)[0], 401)

    def test_changes_are_audited_with_who_when_and_what(self):
        started = int(time.time() * 1000)
        status, _ = self.request("PUT", "/v1/settings/client_delivery", {"confirmation": {"hours_before": 36}},
                                 actor="jsmith (Penelope)")
        self.assertEqual(status, 200)
        self.request("PUT", "/v1/settings/privacy", {"hide_site_name": True}, token=harness.API_TOKEN)
        finished = int(time.time() * 1000)
        newest, older = self.audit("?limit=2")
        self.assertEqual((newest["target"], newest["token"], newest["actor"]), ("privacy", "token-2", ""))
        self.assertEqual(newest["changes"], {"hide_site_name": {"from": False, "to": True}})
        self.assertEqual((older["target"], older["token"], older["actor"]),
                         ("client_delivery", "admin-console", "jsmith (Penelope)"))
        self.assertEqual(older["changes"], {"confirmation.hours_before": {"from": 24, "to": 36}})
        self.assertGreater(newest["id"], older["id"])
        for entry in (newest, older):
            self.assertTrue(started <= entry["at_ms"] <= finished)
        # Paging: ?before= continues where a page ended.
        status, page = self.request("GET", "/v1/audit?limit=1")
        self.assertEqual(page["entries"][0]["id"], newest["id"])
        self.assertEqual(page["next_before"], newest["id"])
        self.assertEqual(self.audit("?limit=1&before=%d" % page["next_before"])[0]["id"], older["id"])
        # The same values again change nothing and are not audited.
        self.request("PUT", "/v1/settings/privacy", {"hide_site_name": True})
        self.assertEqual(self.audit("?limit=1")[0]["id"], newest["id"])
        for query, field in [("?limit=0", "limit"), ("?limit=x", "limit"), ("?before=-1", "before"), ("?page=2", "page")]:
            status, answer = self.request("GET", "/v1/audit" + query)
            self.assertEqual((status, answer["error"]["field"]), (400, field), query)
        self.request("PUT", "/v1/settings/client_delivery", {})
        self.request("PUT", "/v1/settings/privacy", {})

    def test_templates_are_listed_edited_refused_with_the_reason_and_reset(self):
        status, listing = self.request("GET", "/v1/settings/templates")
        self.assertEqual(status, 200)
        entries = {(t["kind"], t["channel"]): t for t in listing["templates"]}
        # Every message kind on both channels (the kinds are the OpenAPI document's list).
        status, document = self.request("GET", "/v1/openapi.json")
        kinds = document["components"]["schemas"]["TemplateEntry"]["properties"]["kind"]["enum"]
        self.assertEqual(set(entries), {(k, c) for k in kinds for c in ("email", "sms")})
        booking = entries[("booking-notice", "sms")]
        self.assertTrue(booking["default"])
        self.assertTrue(booking["body"].startswith("Appointment reminder: {{date}} at {{time}}"))
        self.assertIn("site_phone", [v["name"] for v in booking["variables"]])
        self.assertTrue(entries[("reschedule-notice", "sms")]["body"].startswith("Appointment rescheduled: "))
        self.assertTrue(entries[("confirmation-with-link", "sms")]["body"].startswith("Confirm Appt: "))
        self.assertIn("confirm_link", [w["name"] for w in entries[("confirmation-with-link", "email")]["variables"]])
        self.assertIn("worker", [w["name"] for w in entries[("confirmation-with-link", "sms")]["withheld"]])

        path = "/v1/settings/templates/booking-notice/sms"
        status, answer = self.request("PUT", path, {"body": "Appointment reminder: {{clinet}}"})
        self.assertEqual(status, 400)
        self.assertEqual(answer["error"]["field"], "templates.booking-notice.sms.body")
        self.assertIn("line 1, column 23", answer["error"]["message"])
        self.assertIn("clinet", answer["error"]["message"])
        self.assertIn("date", answer["error"]["message"])  # what it may use
        status, answer = self.request("PUT", path, {"body": "Booked: {{#date}}{{date}}"})
        self.assertEqual((status, answer["error"]["field"]), (400, "templates.booking-notice.sms.body"))
        self.assertEqual(self.request("GET", path)[1]["default"], True)

        status, stored = self.request("PUT", path, {"body": "Booked: {{date}} at {{time}}."}, actor="mlee")
        self.assertEqual(status, 200, stored)
        self.assertEqual((stored["body"], stored["default"]), ("Booked: {{date}} at {{time}}.", False))
        preview = {"kind": "booking-notice", "channel": "sms", "facts": settings_testing.EVENT}
        self.assertEqual(self.request("POST", "/v1/preview", preview)[1]["body"], "Booked: Tue 3 Mar at 2:30pm.")
        entry = self.audit("?limit=1")[0]
        self.assertEqual((entry["target"], entry["actor"]), ("templates.booking-notice.sms", "mlee"))
        self.assertEqual(entry["changes"]["body"]["to"], "Booked: {{date}} at {{time}}.")

        status, reset = self.request("DELETE", path)
        self.assertEqual(status, 200)
        self.assertTrue(reset["default"])
        self.assertTrue(self.request("POST", "/v1/preview", preview)[1]["body"].startswith("Appointment reminder: "))
        self.assertEqual(self.request("GET", "/v1/settings/templates/memo/sms")[0], 404)
        self.assertEqual(self.request("GET", "/v1/settings/templates/booking-notice/fax")[0], 404)


class SeedTest(unittest.TestCase):
    """The configuration's `agency` object is stored on first start; afterwards the store wins."""

    def test_first_start_stores_the_configuration_then_the_store_wins(self):
        with harness.scratch() as folder:
            agency = {"general": {"sms_prefix": "Acme:", "error_notice_category": "admins"},
                      "templates": {"booking-notice": {"sms": {"body": "Booked {{date}} {{time}}"}}}}
            service = settings_testing.service(folder, agency=agency)
            with service:
                status, general = service.request("GET", "/v1/settings/general", token=ADMIN_TOKEN)
                self.assertEqual((general["sms_prefix"], general["error_notice_category"]), ("Acme:", "admins"))
                _, page = service.request("GET", "/v1/audit", token=ADMIN_TOKEN)
                self.assertEqual({e["actor"] for e in page["entries"]}, {"configuration"})
                self.assertEqual({e["target"] for e in page["entries"]}, {"general", "templates.booking-notice.sms"})
                service.request("PUT", "/v1/settings/general", {"sms_prefix": "Changed:"}, token=ADMIN_TOKEN)
            # Restarted with the same configuration: the change made through the API stays.
            with harness.Service(service.config) as again:
                _, general = again.request("GET", "/v1/settings/general", token=ADMIN_TOKEN)
                self.assertEqual(general["sms_prefix"], "Changed:")

    def test_a_bad_seed_stops_the_start_naming_the_field(self):
        with harness.scratch() as folder:
            with self.assertRaises(RuntimeError) as failed:
                settings_testing.service(folder, agency={"general": {"sms_prefix": "123456789012345678901"}})
            self.assertIn("agency.general.sms_prefix", str(failed.exception))

    def test_check_config_refuses_a_seeded_prefix_outside_gsm7(self):
        with harness.scratch() as folder:
            config = harness.write_config(folder, [], agency={"general": {"sms_prefix": "Northside 😀"}})
            result = harness.run("check-config", "--config", config)
            self.assertEqual(result.returncode, 1, result)
            self.assertIn("agency.general.sms_prefix: must use only GSM-7 characters", result.stdout)


if __name__ == "__main__":
    unittest.main()
