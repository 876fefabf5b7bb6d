"""The one sending pipeline seen through the HTTP API (`extcomm serve`, `file` transports): rules that the
automated senders used to get wrong, now that every sender states an intent and the pipeline decides,
renders, enqueues and logs.

- Detail levels govern automated worker notices (Event Notification) and reminders (Reminder).
- Scheduled confirmations and reminders are in the message log when they fire, or why not.
- Every reschedule is notified, each with its own original and new times.
- "Notify me when my client confirms" is for the event's primary worker (and the confirmation's sender).

Times are relative to now so that a schedule falls due a few seconds after booking; tests wait for what a
person would see (the spool, the message log) and never assert how long anything took.
"""
import datetime
import os
import re
import time
import unittest

import harness

SYDNEY = datetime.timezone(datetime.timedelta(hours=10))
BASE_URL = "https://agency.example.org/extcomm"
LINK = re.compile(re.escape(BASE_URL) + r"(/c/[A-Za-z0-9_.-]+)")
AGENCY = {
    "general": {"country_calling_code": "61", "trunk_prefix": "0", "time_zone": "Australia/Sydney"},
    "email": {"enabled": True, "transport": "mail"},
    "sms": {"enabled": True, "transport": "text"},
    "worker_delivery": {"enabled": True, "last_minute_booking_hours": 4, "notify_no_show": True},
    "client_delivery": {"enabled": True, "send_booking_notification": True, "send_reschedule_notification": True},
}


def iso(moment):
    return moment.astimezone(SYDNEY).isoformat(timespec="seconds")


def now():
    return datetime.datetime.now(datetime.timezone.utc)


class PipelineTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.folder = harness.scratch()
        root = cls.folder.name
        cls.mail, cls.sms = os.path.join(root, "mail"), os.path.join(root, "sms")
        cls.service = harness.Service.configured(
            root, [{"name": "mail", "plugin": "file", "settings": {"spool": cls.mail}},
                   {"name": "text", "plugin": "file", "settings": {"spool": cls.sms}}],
            agency=AGENCY, events={"tick_ms": 100, "batch": 50},
            confirm_links={"base_url": BASE_URL, "secret": "pipeline-test-link-secret-0123456789abcdef"})
        ok = cls.service.ok
        # Ana: event notifications by email and SMS, told when her client confirms, a reminder 60 minutes
        # before. Ben: the same, but never the primary worker here. Sam sends the confirmations.
        for wid in ("ana", "ben", "sam"):
            ok("PUT", "/v1/workers/" + wid, {
                "first_name": wid.capitalize(), "last_name": "Lee", "email": wid + "@agency.example",
                "mobile": "0491 570 157", "message_settings": {
                    "event_notifications": "both", "notify_when_client_confirms": True, "reminder_minutes": 60}})
        ok("PUT", "/v1/sites/north", {"name": "Northside", "phone": "02 9999 0000", "time_zone": "Australia/Sydney"})
        for cid in ("jo", "kim"):
            ok("PUT", "/v1/clients/" + cid, {
                "name": cid.capitalize(), "contacts": [{"id": "home", "channel": "email", "address": cid + "@example.org"},
                                                       {"id": "mob", "channel": "sms", "address": "0491 570 156"}],
                "email_via": "home", "sms_via": "mob"})
        ok("PUT", "/v1/settings/client_delivery", dict(AGENCY["client_delivery"], confirmation={
            "enabled": True, "hours_before": 1, "sender_worker": "sam", "include_return_message": True}))
        time.sleep(0.01)  # consent strictly before the bookings that follow

    @classmethod
    def tearDownClass(cls):
        cls.service.stop()
        cls.folder.cleanup()

    def setUp(self):
        self.set_levels({})

    def set_levels(self, levels):
        self.service.ok("PUT", "/v1/settings/worker_delivery", dict(AGENCY["worker_delivery"], detail_levels=levels))

    def event(self, start, workers=("ana",), client="jo", status="booked"):
        return {"start": iso(start), "end": iso(start + datetime.timedelta(hours=1)), "status": status,
                "workers": [{"id": w, "primary": i == 0} for i, w in enumerate(workers)],
                "clients": [{"id": client, "primary": True}], "site": "north", "service_file": "sf-1",
                "first_event": False, "group": False}

    def put(self, event_id, body):
        return self.service.ok("PUT", "/v1/service-events/" + event_id, body)

    def spooled(self, folder, **metadata):
        return [m for m in harness.spooled(folder) if all(m["metadata"].get(k) == v for k, v in metadata.items())]

    def decisions(self, **query):
        status, log = self.service.request("GET", "/v1/decisions?" + "&".join(f"{k}={v}" for k, v in query.items()))
        self.assertEqual(status, 200, log)
        return log["decisions"]

    def request_of(self, request_id):
        return [d for d in self.decisions(request=request_id)]

    # ---- 1. detail levels govern automated worker notices ----

    def test_event_notification_disallow_sends_no_last_minute_notice(self):
        self.set_levels({"event-notification": "disallow"})
        booked = self.put("ev-disallow", self.event(now() + datetime.timedelta(hours=2)))
        notice = booked["worker_notice"]
        self.assertEqual(notice["kind"], "last-minute-booking")
        self.assertEqual({d["reason"] for d in notice["decisions"]}, {"detail-level-disallow"}, notice)
        self.assertEqual(self.spooled(self.mail, event="ev-disallow", worker="ana"), [])
        logged = self.request_of(notice["request"])
        self.assertEqual([d["reason"] for d in logged], ["detail-level-disallow"])

    def test_event_notification_subject_only_strips_the_body(self):
        self.set_levels({"event-notification": "subject-only"})
        booked = self.put("ev-subject", self.event(now() + datetime.timedelta(hours=2)))
        self.assertEqual({d["outcome"] for d in booked["worker_notice"]["decisions"]}, {"sent"})
        mail = harness.wait_until(lambda: self.spooled(self.mail, event="ev-subject", worker="ana"), what="the email")
        self.assertTrue(mail[0]["subject"].startswith("Last-minute booking: "), mail[0])
        self.assertIn("Only the subject of this Event Notification leaves Penelope", mail[0]["body"])
        self.assertNotIn("Northside", mail[0]["body"])
        sms = harness.wait_until(lambda: self.spooled(self.sms, event="ev-subject", worker="ana"), what="the SMS")
        self.assertEqual(sms[0]["body"], mail[0]["subject"])

    def test_reminder_level_governs_worker_reminders_which_are_logged(self):
        self.set_levels({"reminder": "disallow"})
        # Ana's reminder (60 minutes before) falls due a few seconds after booking.
        self.put("ev-remind", self.event(now() + datetime.timedelta(minutes=60, seconds=3), client="kim"))
        logged = harness.wait_until(
            lambda: [d for d in self.decisions(worker="ana") if d.get("reason") == "detail-level-disallow"
                     and d["request"] and self.reminder_request(d["request"], "ev-remind")], what="the reminder's decision")
        self.assertTrue(logged)
        self.assertEqual(self.spooled(self.mail, event="ev-remind", schedule="worker-reminder"), [])

    def reminder_request(self, request_id, event_id):
        status, _ = self.service.request("GET", "/v1/worker-messages/" + request_id)
        # Not a worker message: a reminder request, found in the log by its decisions.
        return status == 404 and any(d["request"] == request_id for d in self.decisions(request=request_id))

    # ---- 2. scheduled confirmations are in the message log ----

    def test_a_fired_confirmation_is_logged_and_a_withdrawn_consent_says_so(self):
        start = now() + datetime.timedelta(minutes=60, seconds=3)
        self.put("ev-logged", self.event(start, workers=("ben",), client="kim"))
        sent = harness.wait_until(
            lambda: [d for d in self.decisions(client="kim") if d["outcome"] == "sent" and d.get("message_id")
                     and self.spooled(self.mail, event="ev-logged", schedule="confirmation")], what="the confirmation")
        self.assertIn(sent[0]["channel"], ("email", "sms"))
        # Jo withdraws SMS consent after booking: her confirmation says so.
        self.put("ev-withdrawn", self.event(now() + datetime.timedelta(minutes=60, seconds=4), workers=("ben",), client="jo"))
        self.service.ok("PUT", "/v1/clients/jo", {
            "name": "Jo", "contacts": [{"id": "home", "channel": "email", "address": "jo@example.org"},
                                       {"id": "mob", "channel": "sms", "address": "0491 570 156"}],
            "email_via": "home", "sms_via": ""})
        skipped = harness.wait_until(
            lambda: [d for d in self.decisions(client="jo") if d.get("reason") == "no-consent" and d["channel"] == "sms"],
            what="the confirmation's SMS decision")
        self.assertIn("not consented", skipped[0]["reason_text"])

    def test_a_cancelled_event_logs_its_withdrawn_schedules(self):
        start = now() + datetime.timedelta(days=2)
        self.put("ev-cancel", self.event(start, workers=("ben",), client="kim"))
        self.put("ev-cancel", self.event(start, workers=("ben",), client="kim", status="cancelled"))
        reasons = {(d["recipient"]["id"], d.get("reason")) for d in self.decisions(client="kim")}
        self.assertIn(("kim", "event-not-booked"), reasons)

    # ---- 3. every reschedule is notified ----

    def test_moving_there_back_and_there_again_sends_three_notices(self):
        a = (now() + datetime.timedelta(days=5)).replace(hour=3, minute=0, second=0, microsecond=0)
        b = a + datetime.timedelta(days=1)
        self.put("ev-moves", self.event(a, workers=("ben",), client="kim"))
        for where in (b, a, b):
            moved = self.put("ev-moves", self.event(where, workers=("ben",), client="kim"))
            self.assertEqual(moved["client_notices"]["update"], "reschedule-notice")
            self.assertFalse(moved["client_notices"]["replayed"])
            self.assertEqual({d["outcome"] for d in moved["client_notices"]["decisions"]}, {"sent"}, moved)
        notices = harness.wait_until(
            lambda: (lambda found: found if len(found) == 3 else None)(
                [m for m in self.spooled(self.sms, event="ev-moves") if m["body"].startswith("Appointment rescheduled")]),
            what="three reschedule notices")
        day = lambda moment: moment.astimezone(SYDNEY).strftime("%a %-d %b")
        pairs = sorted((m["body"].split("Your ")[1].split(" appt.")[0], m["body"].split("rescheduled to ")[1].split(" at ")[0])
                       for m in notices)
        self.assertEqual(pairs, sorted([(day(a), day(b)), (day(b), day(a)), (day(a), day(b))]))

    # ---- 4. "notify me when my client confirms" is for the primary worker ----

    def test_only_the_primary_worker_and_the_sender_hear_of_a_confirmation(self):
        start = now() + datetime.timedelta(minutes=60, seconds=3)
        self.put("ev-confirm", self.event(start, workers=("ana", "ben"), client="kim"))
        mail = harness.wait_until(
            lambda: [m for m in self.spooled(self.mail, event="ev-confirm", schedule="confirmation") if LINK.search(m["body"])],
            what="the confirmation with its link")
        path = LINK.search(mail[0]["body"]).group(1)
        status, _, _ = harness.http("POST", self.service.url + path)
        self.assertEqual(status, 200)
        told = lambda: {m["metadata"].get("worker") for m in self.spooled(self.mail, event="ev-confirm")
                        if m["subject"].startswith("Confirmed:")}
        harness.wait_until(lambda: {"ana", "sam"} <= told(), what="the client-confirmed notices")
        self.assertEqual(told(), {"ana", "sam"})
        # The notice's request in the message log (committed whole): Ana and Sam, and nobody else.
        notice = [m for m in self.spooled(self.mail, event="ev-confirm", worker="ana") if m["subject"].startswith("Confirmed:")]
        request = notice[0]["metadata"]["request"]
        self.assertEqual({d["recipient"]["id"] for d in self.decisions(request=request)}, {"ana", "sam"})


class KindSpellingTest(unittest.TestCase):
    """One spelling of every message kind (hyphens); the spelling with underscores is still read, for one
    release, and answered in the new one."""

    def test_the_old_spelling_is_read_and_answered_in_the_new_one(self):
        with harness.scratch() as root:
            spool = os.path.join(root, "mail")
            transports = [{"name": "mail", "plugin": "file", "settings": {"spool": spool},
                           "delivery": {"kinds": {"booking_notice": {"max_attempts": 2}}}}]
            config = harness.write_config(root, transports)
            checked = harness.run("check-config", "--config", config)
            self.assertEqual(checked.returncode, 0, checked.stdout + checked.stderr)
            with harness.Service(config) as service:
                status, sent = service.request("POST", "/v1/messages", {
                    "channel": "email", "to": "jo@example.org", "subject": "Hi", "body": "Hello",
                    "kind": "booking_notice"})
                self.assertEqual(status, 202, sent)
                status, message = service.request("GET", "/v1/messages/" + sent["id"])
                self.assertEqual(message["kind"], "booking-notice")
                status, refused = service.request("POST", "/v1/messages", {
                    "channel": "email", "to": "jo@example.org", "subject": "Hi", "body": "Hello", "kind": "Booking!"})
                self.assertEqual((status, refused["error"]["field"]), (400, "kind"))


if __name__ == "__main__":
    unittest.main()
