"""People, their message settings and consent, and the messages people send, over the HTTP API.

Email and SMS both go to `file` transports (one spool folder each), so the test sees who got what; the
message log (GET /v1/decisions, GET /v1/worker-messages/{id}) says why the others did not.
"""
import os
import unittest

import harness


class PeopleTest(harness.ServiceTest):
    SPOOLS = {"mail": "mail", "text": "sms"}

    @classmethod
    def config(cls):
        return {"agency": {
            "general": {"country_calling_code": "61", "trunk_prefix": "0"},
            "email": {"enabled": True, "transport": "mail"},
            "sms": {"enabled": True, "transport": "text"},
            "worker_delivery": {"enabled": True,
                                "detail_levels": {"alert": "subject-only", "workflow": "disallow"}},
            "client_delivery": {"enabled": True, "contexts": ["profile", "service-file"]},
        }}

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        s = cls.service
        for category, name in [("nurses", "Nurses"), ("admins", "Administrators"), ("empty", "Nobody")]:
            s.ok("PUT", "/v1/worker-categories/" + category, {"name": name})

    def worker(self, wid, channels, categories=(), mobile="0491 570 156", email=None, **settings):
        status, body = self.put("/v1/workers/" + wid, {
            "first_name": wid.capitalize(), "last_name": "Worker", "categories": list(categories),
            "email": email if email is not None else wid + "@agency.example", "mobile": mobile,
            "message_settings": dict({"channels": channels}, **settings)})
        self.assertIn(status, (200, 201), body)
        return body

    def delivered(self, decision):
        """The spooled message a 'sent' decision names, once the transport has written it."""
        message = self.service.wait_for_state(decision["message_id"], {"sent"})
        folder = self.mail if message["channel"] == "email" else self.sms
        return harness.wait_until(
            lambda: next((m for m in harness.spooled(folder) if m["id"] == decision["message_id"]), None),
            what="the spooled message")

    # ---- people ----

    def test_a_body_that_is_not_json_or_not_an_object_is_refused_naming_the_body(self):
        routes = [("PUT", "/v1/workers/w9"), ("PUT", "/v1/clients/c9"), ("PUT", "/v1/sites/s9"),
                  ("PUT", "/v1/worker-categories/k9"), ("POST", "/v1/worker-messages"),
                  ("POST", "/v1/client-messages"), ("POST", "/v1/preview"), ("PUT", "/v1/service-events/e9"),
                  ("PUT", "/v1/settings/general"), ("POST", "/v1/messages")]
        for method, path in routes:
            status, answer = self.service.request(method, path, b"{not json")
            self.assertEqual((status, answer["error"]["code"], answer["error"]["field"]),
                             (400, "invalid_json", "body"), (method, path, answer))
            status, answer = self.service.request(method, path, [1, 2])
            # A settings section names itself: its members are named "general.time_zone" and so on.
            field = "general" if path == "/v1/settings/general" else "body"
            self.assertEqual((status, answer["error"]["field"]), (400, field), (method, path, answer))

    def test_a_message_naming_no_transport_goes_to_the_agencys_transport_for_its_channel(self):
        # Both transports carry both channels (the `file` plugin); the settings say SMS goes by "text".
        for channel, to, transport in (("sms", "+61491570156", "text"), ("email", "jo@example.org", "mail")):
            status, answer = self.service.request("POST", "/v1/messages", {"channel": channel, "to": to, "body": "x"})
            self.assertEqual((status, answer["transport"]), (202, transport), answer)

    def test_worker_is_stored_with_normalised_mobile_and_every_message_setting(self):
        body = self.worker("ada", {"conversation": "email", "alert": "both"}, ["nurses"],
                           event_notifications="sms", only_when_offline=True, reminder_minutes=30,
                           first_event_reminder_minutes=1440, notify_when_client_confirms=True)
        self.assertEqual(body["mobile"], "+61491570156")
        status, got = self.service.request("GET", "/v1/workers/ada")
        self.assertEqual(status, 200)
        ms = got["message_settings"]
        self.assertEqual(ms["channels"]["conversation"], "email")
        self.assertEqual(ms["channels"]["alert"], "both")
        self.assertEqual(ms["channels"]["reminder"], "none")
        self.assertEqual((ms["event_notifications"], ms["only_when_offline"], ms["reminder_minutes"],
                          ms["first_event_reminder_minutes"], ms["notify_when_client_confirms"]),
                         ("sms", True, 30, 1440, True))
        self.assertEqual(got["categories"], ["nurses"])
        _, category = self.service.request("GET", "/v1/worker-categories/nurses")
        self.assertIn("ada", category["members"])

    def test_invalid_numbers_and_addresses_are_refused_at_entry_with_the_reason(self):
        cases = [
            ({"first_name": "X", "mobile": "0491 57O 156"}, "mobile"),
            ({"first_name": "X", "email": "x at agency"}, "email"),
            ({"first_name": "X", "categories": ["ghosts"]}, "categories[0]"),
            ({"first_name": "X", "message_settings": {"channels": {"alert": "pigeon"}}},
             "message_settings.channels.alert"),
            ({"first_name": "X", "message_settings": {"channels": {"memo": "email"}}}, "message_settings.channels.memo"),
            ({"first_name": "X", "message_settings": {"reminder_minutes": -1}}, "message_settings.reminder_minutes"),
            ({"first_name": "X", "shoe_size": 9}, "shoe_size"),
            ({"last_name": "Y"}, "first_name"),
        ]
        for body, field in cases:
            status, answer = self.put("/v1/workers/bad", body)
            self.assertEqual(status, 400, body)
            self.assertEqual(answer["error"]["field"], field, answer)
            self.assertTrue(answer["error"]["message"])
        status, answer = self.put("/v1/clients/bad", {"name": "Bad", "contacts": [
            {"id": "m", "channel": "sms", "address": "12"}]})
        self.assertEqual((status, answer["error"]["field"]), (400, "contacts[0].address"))
        self.assertIn("too short", answer["error"]["message"])
        status, answer = self.put("/v1/sites/bad", {"name": "Bad", "time_zone": "Mars/Base"})
        self.assertEqual((status, answer["error"]["field"]), (400, "time_zone"))
        self.assertEqual(self.service.request("GET", "/v1/workers/bad")[0], 404)

    def test_site_round_trips(self):
        status, body = self.put("/v1/sites/central", {"name": "Central", "phone": "02 9999 0000",
                                                      "address": "1 Main St", "time_zone": "Australia/Sydney"})
        self.assertEqual(status, 201, body)
        self.assertEqual(body["phone"], "02 9999 0000")  # as written: messages show it so
        self.assertEqual(self.service.request("GET", "/v1/sites/central")[1]["time_zone"], "Australia/Sydney")

    def test_client_consent_only_through_in_use_entries_with_its_time(self):
        contacts = [{"id": "home", "channel": "email", "address": "kim@example.org"},
                    {"id": "mobile", "channel": "sms", "address": "0491 570 157"},
                    {"id": "old", "channel": "sms", "address": "0491 570 158", "in_use": False}]
        status, body = self.put("/v1/clients/kim", {"name": "Kim", "contacts": contacts, "email_via": "home"})
        self.assertEqual(status, 201, body)
        self.assertEqual(body["consent"]["email"]["address"], "kim@example.org")
        given_at = body["consent"]["email"]["consented_at_ms"]
        self.assertIsNone(body["consent"]["sms"])  # blank: no consent
        # An entry not in use cannot be chosen.
        status, answer = self.put("/v1/clients/kim", {"name": "Kim", "contacts": contacts, "sms_via": "old"})
        self.assertEqual((status, answer["error"]["field"]), (400, "sms_via"))
        self.assertIn("not in use", answer["error"]["message"])
        # Choosing the mobile dates SMS consent; the email consent keeps its time.
        status, body = self.put("/v1/clients/kim", {"name": "Kim", "contacts": contacts, "sms_via": "mobile"})
        self.assertEqual(status, 200, body)
        self.assertEqual(body["consent"]["sms"]["address"], "+61491570157")
        self.assertEqual(body["consent"]["email"]["consented_at_ms"], given_at)
        # Marking the mobile not in use withdraws the SMS consent.
        contacts[1]["in_use"] = False
        status, body = self.put("/v1/clients/kim", {"name": "Kim", "contacts": contacts})
        self.assertIsNone(body["consent"]["sms"])
        self.assertEqual(body["email_via"], "home")
        # null withdraws consent explicitly.
        status, body = self.put("/v1/clients/kim", {"name": "Kim", "contacts": contacts, "email_via": None})
        self.assertIsNone(body["consent"]["email"])

    # ---- worker messages ----

    def test_worker_message_reaches_each_worker_per_their_settings_and_records_why_not(self):
        self.worker("bea", {"conversation": "both"}, ["admins"])
        self.worker("cal", {"conversation": "email"}, ["admins"], only_when_offline=True)
        self.worker("dee", {"conversation": "none"}, ["admins"])
        self.worker("eve", {"conversation": "sms"}, ["admins"], mobile="")
        self.assertEqual(self.put("/v1/workers/cal/presence", {"online": True})[0], 200)

        status, answer = self.service.request("POST", "/v1/worker-messages", {
            "type": "conversation", "subject": "Team meeting", "body": "Room 4 at 2pm.",
            "recipients": {"categories": ["admins", "empty"], "workers": ["bea"]}})
        self.assertEqual(status, 202, answer)
        got = {(d["recipient"]["id"], d["channel"]): d for d in answer["decisions"]}
        self.assertEqual(got[("bea", "email")]["outcome"], "sent")
        self.assertEqual(got[("bea", "sms")]["outcome"], "sent")
        self.assertEqual(got[("cal", None)]["reason"], "online")
        self.assertEqual(got[("dee", None)]["reason"], "not-chosen")
        self.assertEqual(got[("eve", "sms")]["reason"], "no-address")
        self.assertEqual(len(answer["decisions"]), 5)  # bea once, though named and in the category
        self.assertEqual((answer["sent"], answer["skipped"]), (2, 3))

        email = self.delivered(got[("bea", "email")])
        self.assertEqual(email["to"], "bea@agency.example")
        self.assertIn("Team meeting", email["subject"])
        self.assertIn("Room 4 at 2pm.", email["body"])
        sms = self.delivered(got[("bea", "sms")])
        self.assertEqual(sms["to"], "+61491570156")
        self.assertIn("Team meeting", sms["body"])
        self.assertNotIn("Room 4", sms["body"])  # SMS: the subject only

        # The message log answers "why did cal not get it?"
        status, log = self.service.request("GET", "/v1/decisions?worker=cal")
        self.assertEqual(status, 200)
        self.assertEqual(log["decisions"][0]["reason"], "online")
        self.assertIn("logged in", log["decisions"][0]["reason_text"])
        status, again = self.service.request("GET", "/v1/worker-messages/" + answer["id"])
        self.assertEqual((status, len(again["decisions"])), (200, 5))

        # Logged out: cal gets the next one.
        self.put("/v1/workers/cal/presence", {"online": False})
        _, answer = self.service.request("POST", "/v1/worker-messages", {
            "type": "conversation", "subject": "Moved to room 5", "recipients": {"workers": ["cal"]}})
        self.assertEqual(answer["decisions"][0]["outcome"], "sent")

    def test_detail_levels(self):
        self.worker("fay", {"alert": "email", "workflow": "email", "discussion": "email"})
        _, answer = self.service.request("POST", "/v1/worker-messages", {
            "type": "alert", "subject": "Safety concern", "body": "Client details here",
            "recipients": {"workers": ["fay"]}})
        email = self.delivered(answer["decisions"][0])
        self.assertIn("Safety concern", email["subject"])
        self.assertNotIn("Client details here", email["body"])  # subject only

        _, answer = self.service.request("POST", "/v1/worker-messages", {
            "type": "workflow", "subject": "Review", "recipients": {"workers": ["fay"]}})
        self.assertEqual(answer["decisions"][0]["reason"], "detail-level-disallow")

        _, answer = self.service.request("POST", "/v1/worker-messages", {
            "type": "discussion", "subject": "Notes", "body": "Full text", "recipients": {"workers": ["fay"]}})
        self.assertIn("Full text", self.delivered(answer["decisions"][0])["body"])

    def test_a_retried_worker_message_is_not_sent_twice(self):
        self.worker("gus", {"reminder": "email"})
        request = {"type": "reminder", "subject": "Timesheets", "recipients": {"workers": ["gus"]}}
        first = self.service.request("POST", "/v1/worker-messages", request, headers={"Idempotency-Key": "ts-42"})
        again = self.service.request("POST", "/v1/worker-messages", request, headers={"Idempotency-Key": "ts-42"})
        self.assertEqual((first[0], again[0]), (202, 200))
        self.assertEqual(again[1]["id"], first[1]["id"])
        self.assertTrue(again[1]["replayed"])
        _, log = self.service.request("GET", "/v1/decisions?worker=gus")
        self.assertEqual(len(log["decisions"]), 1)

    def test_worker_message_input_is_checked_naming_the_field(self):
        cases = [
            ({"subject": "x", "recipients": {"workers": ["ada"]}}, "type"),
            ({"type": "memo", "subject": "x", "recipients": {"workers": ["ada"]}}, "type"),
            ({"type": "alert", "recipients": {"workers": ["ada"]}}, "subject"),
            ({"type": "alert", "subject": "x"}, "recipients"),
            ({"type": "alert", "subject": "x", "recipients": {}}, "recipients"),
            ({"type": "alert", "subject": "x", "recipients": {"workers": ["nobody"]}}, "recipients.workers[0]"),
            ({"type": "alert", "subject": "x", "recipients": {"categories": ["ghosts"]}}, "recipients.categories[0]"),
        ]
        for body, field in cases:
            status, answer = self.service.request("POST", "/v1/worker-messages", body)
            self.assertEqual(status, 400, body)
            self.assertEqual(answer["error"]["field"], field, answer)

    # ---- client messages ----

    def test_client_message_goes_to_the_consented_channel_or_is_refused_with_the_reason(self):
        self.put("/v1/clients/lee", {"name": "Lee", "contacts": [
            {"id": "home", "channel": "email", "address": "lee@example.org"},
            {"id": "mobile", "channel": "sms", "address": "0491 570 159"}], "sms_via": "mobile"})
        status, answer = self.service.request("POST", "/v1/client-messages", {
            "client": "lee", "context": "service-file", "subject": "Your next session", "body": "See you Tuesday."})
        self.assertEqual(status, 202, answer)
        by_channel = {d["channel"]: d for d in answer["decisions"]}
        self.assertEqual(by_channel["email"]["reason"], "no-consent")
        sms = self.delivered(by_channel["sms"])
        self.assertEqual((sms["to"], sms["body"]), ("+61491570159", "See you Tuesday."))

        # The channel asked for without consent: 403 naming the reason, kept in the message log.
        status, answer = self.service.request("POST", "/v1/client-messages", {
            "client": "lee", "context": "profile", "subject": "Hi", "body": "Text", "channel": "email"})
        self.assertEqual(status, 403, answer)
        self.assertEqual((answer["error"]["code"], answer["error"]["field"]), ("no-consent", "channel"))
        # A place the administrator has not allowed.
        status, answer = self.service.request("POST", "/v1/client-messages", {
            "client": "lee", "context": "group-event", "subject": "Hi", "body": "Text"})
        self.assertEqual((status, answer["error"]["code"], answer["error"]["field"]),
                         (403, "context-not-allowed", "context"))
        _, log = self.service.request("GET", "/v1/decisions?client=lee")
        reasons = [d.get("reason") for d in log["decisions"]]
        self.assertIn("context-not-allowed", reasons)
        self.assertIn("no-consent", reasons)
        # Unknown client, bad context.
        self.assertEqual(self.service.request("POST", "/v1/client-messages", {
            "client": "zed", "context": "profile", "subject": "Hi", "body": "x"})[0], 404)
        status, answer = self.service.request("POST", "/v1/client-messages", {
            "client": "lee", "context": "kitchen", "subject": "Hi", "body": "x"})
        self.assertEqual((status, answer["error"]["field"]), (400, "context"))


class DisabledDeliveryTest(unittest.TestCase):
    """The agency's switches win over every personal setting, and say so in the message log."""

    def test_worker_and_client_delivery_off_and_a_disabled_channel(self):
        with harness.scratch() as root:
            spool = os.path.join(root, "spool")
            with harness.Service.configured(
                    root, [{"name": "mail", "plugin": "file", "settings": {"spool": spool}}],
                    agency={"email": {"enabled": True, "transport": "mail"},
                            "client_delivery": {"enabled": False, "contexts": ["profile"]}}) as s:
                s.request("PUT", "/v1/workers/ivy", {"first_name": "Ivy", "email": "ivy@agency.example",
                                                     "mobile": "+61491570156",
                                                     "message_settings": {"channels": {"alert": "both"}}})
                _, answer = s.request("POST", "/v1/worker-messages", {
                    "type": "alert", "subject": "x", "recipients": {"workers": ["ivy"]}})
                self.assertEqual(answer["decisions"][0]["reason"], "worker-delivery-disabled")

                status, _ = s.request("PUT", "/v1/settings/worker_delivery", {"enabled": True})
                self.assertEqual(status, 200)
                _, answer = s.request("POST", "/v1/worker-messages", {
                    "type": "alert", "subject": "x", "recipients": {"workers": ["ivy"]}})
                by_channel = {d["channel"]: d for d in answer["decisions"]}
                self.assertEqual(by_channel["email"]["outcome"], "sent")
                self.assertEqual(by_channel["sms"]["reason"], "channel-disabled")  # SMS not enabled

                s.request("PUT", "/v1/clients/joy", {"name": "Joy", "contacts": [
                    {"id": "home", "channel": "email", "address": "joy@example.org"}], "email_via": "home"})
                status, answer = s.request("POST", "/v1/client-messages", {
                    "client": "joy", "context": "profile", "subject": "Hi", "body": "x"})
                self.assertEqual((status, answer["error"]["code"]), (403, "client-delivery-disabled"))


if __name__ == "__main__":
    unittest.main()
