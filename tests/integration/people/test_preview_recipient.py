"""POST /v1/preview for a given recipient: the person's address for the channel, the decision the senders
would make (sent, or skipped with the message log's reason), and the text rendered with the person's facts;
unknown people and recipients of the wrong kind are refused naming recipient.worker / recipient.client.

Email and SMS both go to `file` transports, so the test can also send for real and check that the preview
decided as the sender does.
"""
import os
import unittest

import harness

EVENT = {
    "start": "2026-03-03T14:30:00+11:00",
    "site": {"name": "Northside", "phone": "02 9999 0000", "time_zone": "Australia/Sydney"},
    "location": "Room 4",
}
WORKER_DELIVERY = {"enabled": True, "detail_levels": {"alert": "subject-only", "workflow": "disallow"}}
CLIENT_DELIVERY = {"enabled": True, "contexts": ["profile"], "send_booking_notification": True,
                   "confirmation": {"enabled": False}}


class PreviewForARecipientTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.folder = harness.scratch()
        root = cls.folder.name
        cls.mail = os.path.join(root, "mail")
        cls.service = harness.Service.configured(
            root,
            [{"name": "mail", "plugin": "file", "settings": {"spool": cls.mail}},
             {"name": "text", "plugin": "file", "settings": {"spool": os.path.join(root, "sms")}}],
            agency={
                "general": {"country_calling_code": "61", "trunk_prefix": "0"},
                "email": {"enabled": True, "transport": "mail"},
                "sms": {"enabled": True, "transport": "text"},
                "worker_delivery": WORKER_DELIVERY,
                "client_delivery": CLIENT_DELIVERY,
            })
        cls.service.ok("PUT", "/v1/workers/ada", {
            "first_name": "Ada", "last_name": "Lovelace", "email": "ada@agency.example", "mobile": "0491 570 156",
            "message_settings": {"channels": {"conversation": "both", "alert": "email", "workflow": "email",
                                              "notification": "sms", "discussion": "email"},
                                 "event_notifications": "sms", "reminder_minutes": 30}})
        cls.service.ok("PUT", "/v1/workers/cal", {"first_name": "Cal", "email": "cal@agency.example", "message_settings": {
            "channels": {"conversation": "both"}, "only_when_offline": True}})
        status, _ = cls.service.request("PUT", "/v1/workers/cal/presence", {"online": True})
        assert status == 200
        # Kim: two email entries, the old one not in use; consent by email through the in-use one, none by SMS.
        cls.service.ok("PUT", "/v1/clients/kim", {"name": "Kim Nguyen", "contacts": [
            {"id": "old", "channel": "email", "address": "kim.old@example.org", "in_use": False},
            {"id": "home", "channel": "email", "address": "kim@example.org"},
            {"id": "mobile", "channel": "sms", "address": "0491 570 157"}], "email_via": "home"})

    @classmethod
    def tearDownClass(cls):
        cls.service.stop()
        cls.folder.cleanup()

    def preview(self, kind, channel, facts, recipient, status=200):
        got, answer = self.service.request("POST", "/v1/preview", {"kind": kind, "channel": channel, "facts": facts,
                                                                   "recipient": recipient})
        self.assertEqual(got, status, answer)
        return answer

    def alert(self, channel, worker, type="conversation"):
        return self.preview("collaboration-message", channel,
                            {"type": type, "subject": "Safety concern", "body": "Details of the concern."},
                            {"worker": worker})

    # ---- workers ----

    def test_a_worker_who_gets_it_sees_their_address_and_the_text(self):
        out = self.alert("email", "ada")
        self.assertEqual(out["decision"], {"send": True})
        self.assertEqual(out["recipient"], {"worker": "ada", "name": "Ada Lovelace", "channel": "email",
                                            "to": "ada@agency.example"})
        self.assertEqual(out["subject"], "Conversation: Safety concern")
        self.assertIn("Details of the concern.", out["body"])
        out = self.alert("sms", "ada")
        self.assertEqual((out["decision"], out["recipient"]["to"]), ({"send": True}, "+61491570156"))
        self.assertEqual(out["body"], "Conversation: Safety concern")  # SMS: the subject only
        self.assertEqual(out["sms"]["segments"], 1)

    def test_a_worker_who_would_not_get_it_is_told_why(self):
        # The worker's channel for the type does not include this one.
        out = self.alert("sms", "ada", type="alert")
        self.assertEqual(out["decision"]["reason"], "not-chosen")
        self.assertIn("Alert messages by email only", out["decision"]["reason_text"])
        self.assertEqual(out["recipient"]["to"], "+61491570156")
        # Only when not logged in, and logged in.
        out = self.alert("email", "cal")
        self.assertFalse(out["decision"]["send"])
        self.assertEqual(out["decision"]["reason"], "online")
        self.assertIn("logged in", out["decision"]["reason_text"])
        self.assertIn("Details of the concern.", out["body"])  # still rendered: what they would have got
        # No mobile number.
        out = self.alert("sms", "cal")
        self.assertEqual(out["decision"]["reason"], "online")  # person-wide reasons come first, as in the sender
        self.assertIsNone(out["recipient"]["to"])

    def test_detail_levels_subject_only_strips_the_body_and_disallow_skips(self):
        out = self.alert("email", "ada", type="alert")  # subject only for alerts
        self.assertEqual(out["decision"], {"send": True})
        self.assertIn("Safety concern", out["subject"])
        self.assertNotIn("Details of the concern.", out["body"])
        out = self.alert("email", "ada", type="workflow")  # disallow
        self.assertEqual(out["decision"]["reason"], "detail-level-disallow")
        self.assertIn("Workflow", out["decision"]["reason_text"])
        self.assertEqual((out["subject"], out["body"], out["sms"]), (None, None, None))

    def test_agency_switches_win_over_the_worker(self):
        try:
            self.service.ok("PUT", "/v1/settings/worker_delivery", dict(WORKER_DELIVERY, enabled=False))
            out = self.alert("email", "ada")
            self.assertEqual(out["decision"]["reason"], "worker-delivery-disabled")
            self.service.ok("PUT", "/v1/settings/worker_delivery", WORKER_DELIVERY)
            self.service.ok("PUT", "/v1/settings/sms", {"enabled": False, "transport": "text"})
            out = self.alert("sms", "ada")
            self.assertEqual(out["decision"]["reason"], "channel-disabled")
            self.assertEqual(self.alert("email", "ada")["decision"], {"send": True})
        finally:
            self.service.ok("PUT", "/v1/settings/worker_delivery", WORKER_DELIVERY)
            self.service.ok("PUT", "/v1/settings/sms", {"enabled": True, "transport": "text"})

    def test_an_event_message_to_a_worker_names_them_and_follows_their_event_settings(self):
        template = "/v1/settings/templates/worker-reminder/sms"
        status, answer = self.service.request("PUT", template, {"body": "{{worker}}: event on {{date}} at {{time}}."})
        self.assertEqual(status, 200, answer)
        try:
            out = self.preview("worker-reminder", "sms", EVENT, {"worker": "ada"})
            self.assertEqual(out["decision"], {"send": True})
            self.assertEqual(out["recipient"]["to"], "+61491570156")
            self.assertEqual(out["body"], "Ada Lovelace: event on Tue 3 Mar at 2:30pm.")
            # Facts that name the worker win.
            out = self.preview("worker-reminder", "sms", dict(EVENT, worker={"first_name": "Jo"}), {"worker": "ada"})
            self.assertEqual(out["body"], "Jo: event on Tue 3 Mar at 2:30pm.")
        finally:
            self.assertEqual(self.service.request("DELETE", template)[0], 200)
        # Ada receives event notifications by SMS only; no-show notices are off for the agency.
        self.assertEqual(self.preview("worker-reminder", "email", EVENT, {"worker": "ada"})["decision"]["reason"],
                         "not-chosen")
        out = self.preview("no-show", "sms", EVENT, {"worker": "ada"})
        self.assertEqual(out["decision"]["reason"], "setting-off")
        self.assertIn("notify_no_show", out["decision"]["reason_text"])
        # A verification code goes whatever the worker's message settings say: they asked for it.
        out = self.preview("verification-code", "sms", {"code": "123456"}, {"worker": "ada"})
        self.assertEqual((out["decision"], out["recipient"]["to"]), ({"send": True}, "+61491570156"))
        self.assertIn("123456", out["body"])

    def test_the_preview_decides_as_the_sender_does(self):
        cases = [("ada", "conversation"), ("ada", "alert"), ("ada", "notification"), ("ada", "workflow"),
                 ("cal", "conversation")]
        for worker, type in cases:
            status, sent = self.service.request("POST", "/v1/worker-messages", {
                "type": type, "subject": "Check", "body": "Body", "recipients": {"workers": [worker]}})
            self.assertEqual(status, 202, sent)
            for channel in ("email", "sms"):
                real = next((d for d in sent["decisions"] if d["channel"] in (channel, None)), None)
                preview = self.alert(channel, worker, type=type)["decision"]
                if real is None:  # the sender decided nothing for a channel the worker does not use
                    self.assertEqual(preview["reason"], "not-chosen", (worker, type, channel))
                elif real["outcome"] == "sent":
                    self.assertEqual(preview, {"send": True}, (worker, type, channel))
                else:
                    self.assertEqual(preview["reason"], real["reason"], (worker, type, channel))

    def sent_email(self, answer):
        """The email a worker message sent, as the file transport wrote it."""
        decision = answer["decisions"][0]
        self.assertEqual((decision["outcome"], decision["channel"]), ("sent", "email"), decision)
        self.service.wait_for_state(decision["message_id"], {"sent"})

        return harness.wait_until(
            lambda: next((m for m in harness.spooled(self.mail) if m["id"] == decision["message_id"]), None),
            what="the spooled email")

    def test_a_settings_change_applies_to_the_next_message_previewed_and_sent(self):
        def both():
            preview = self.alert("email", "ada", type="discussion")
            status, answer = self.service.request("POST", "/v1/worker-messages", {
                "type": "discussion", "subject": "Safety concern", "body": "Details of the concern.",
                "recipients": {"workers": ["ada"]}})
            self.assertEqual(status, 202, answer)
            return preview, self.sent_email(answer)

        preview, sent = both()
        self.assertIn("Details of the concern.", preview["body"])
        self.assertEqual(preview["body"], sent["body"])  # the preview is what goes out
        try:
            levels = dict(WORKER_DELIVERY["detail_levels"], discussion="subject-only")
            self.service.ok("PUT", "/v1/settings/worker_delivery", dict(WORKER_DELIVERY, detail_levels=levels))
            preview, sent = both()
            self.assertNotIn("Details of the concern.", preview["body"])
            self.assertEqual(preview["body"], sent["body"])
            self.assertEqual(preview["subject"], sent["subject"])
        finally:
            self.service.ok("PUT", "/v1/settings/worker_delivery", WORKER_DELIVERY)

    # ---- clients ----

    def test_a_client_with_consent_gets_it_at_the_in_use_entry(self):
        out = self.preview("client-message", "email", {"subject": "Your next session", "body": "See you Tuesday.",
                                                       "context": "profile"}, {"client": "kim"})
        self.assertEqual(out["decision"], {"send": True})
        self.assertEqual(out["recipient"], {"client": "kim", "name": "Kim Nguyen", "channel": "email",
                                            "to": "kim@example.org"})
        self.assertEqual(out["body"].strip(), "See you Tuesday.")
        out = self.preview("booking-notice", "email", EVENT, {"client": "kim"})
        self.assertEqual((out["decision"], out["recipient"]["to"]), ({"send": True}, "kim@example.org"))
        self.assertTrue(out["subject"].startswith("Appointment reminder: Tue 3 Mar at 2:30pm"))

    def test_a_client_without_consent_or_outside_the_settings_is_told_why(self):
        out = self.preview("booking-notice", "sms", EVENT, {"client": "kim"})
        self.assertEqual(out["decision"]["reason"], "no-consent")
        self.assertIn("SMS communication via is blank", out["decision"]["reason_text"])
        self.assertIsNone(out["recipient"]["to"])
        self.assertTrue(out["body"].startswith("Appointment reminder:"))
        # Event Confirmation is off; staff may not write from a group event.
        self.assertEqual(self.preview("confirmation", "email", EVENT, {"client": "kim"})["decision"]["reason"],
                         "setting-off")
        out = self.preview("client-message", "email", {"body": "x", "context": "group-event"}, {"client": "kim"})
        self.assertEqual(out["decision"]["reason"], "context-not-allowed")
        try:
            self.service.ok("PUT", "/v1/settings/client_delivery", dict(CLIENT_DELIVERY, enabled=False))
            out = self.preview("booking-notice", "email", EVENT, {"client": "kim"})
            self.assertEqual(out["decision"]["reason"], "client-delivery-disabled")
        finally:
            self.service.ok("PUT", "/v1/settings/client_delivery", CLIENT_DELIVERY)
        # Consent given: SMS goes to the mobile.
        self.service.ok("PUT", "/v1/clients/lou", {"name": "Lou", "contacts": [
            {"id": "mobile", "channel": "sms", "address": "0491 570 158"}], "sms_via": "mobile"})
        out = self.preview("booking-notice", "sms", EVENT, {"client": "lou"})
        self.assertEqual((out["decision"], out["recipient"]["to"]), ({"send": True}, "+61491570158"))

    # ---- refused ----

    def test_unknown_people_and_the_wrong_recipient_name_the_field(self):
        facts = {"type": "alert", "subject": "x"}
        out = self.preview("collaboration-message", "email", facts, {"worker": "nobody"}, status=404)
        self.assertEqual(out["error"]["field"], "recipient.worker")
        self.assertIn("nobody", out["error"]["message"])
        out = self.preview("client-message", "email", {"body": "x", "context": "profile"}, {"client": "nobody"},
                           status=404)
        self.assertEqual(out["error"]["field"], "recipient.client")
        cases = [
            ("collaboration-message", facts, {"client": "kim"}, "recipient.client"),
            ("booking-notice", EVENT, {"worker": "ada"}, "recipient.worker"),
            ("collaboration-message", facts, {"worker": "ada", "client": "kim"}, "recipient"),
            ("collaboration-message", facts, "ada", "recipient"),
            ("collaboration-message", facts, {"person": "ada"}, "recipient.person"),
            ("collaboration-message", facts, {"worker": 7}, "recipient.worker"),
            ("client-message", {"body": "x"}, {"client": "kim"}, "facts.context"),
            ("client-message", {"body": "x", "context": "kitchen"}, {"client": "kim"}, "facts.context"),
            ("error-notice-digest", {}, {"client": "kim"}, "recipient.client"),
        ]
        for kind, f, recipient, field in cases:
            out = self.preview(kind, "email", f, recipient, status=400)
            self.assertEqual(out["error"]["field"], field, (kind, recipient, out))
            self.assertTrue(out["error"]["message"])
        # The error-notice digest goes to the error-notice category's workers: previewed for one of them.
        digest = self.preview("error-notice-digest", "email", {}, {"worker": "ada"})
        self.assertEqual(digest["recipient"]["to"], "ada@agency.example")
        self.assertTrue(digest["decision"]["send"], digest)


if __name__ == "__main__":
    unittest.main()
