"""Service events over the HTTP API with `extcomm serve` and `file` transports (one spool folder per channel):
booking, reschedule, cancel and revert notices; refusals naming the field; a confirmation the background
scheduler sends (with the sender worker's copy); the last-minute booking and no-show notices to workers;
and a restart with pending schedules (nothing lost, nothing doubled).

Times are chosen relative to now so that a confirmation falls due a few seconds after booking; the test
waits for the spool to show it and never asserts how long anything took.
"""
import datetime
import os
import time
import unittest

import harness

SYDNEY = datetime.timezone(datetime.timedelta(hours=10))  # an offset as Penelope sends it


def iso(moment):
    return moment.astimezone(SYDNEY).isoformat(timespec="seconds")


def now():
    return datetime.datetime.now(datetime.timezone.utc)


AGENCY = {
    "general": {"country_calling_code": "61", "trunk_prefix": "0", "time_zone": "Australia/Sydney"},
    "email": {"enabled": True, "transport": "mail"},
    "sms": {"enabled": True, "transport": "text"},
    "worker_delivery": {"enabled": True, "last_minute_booking_hours": 4, "notify_no_show": True},
    "client_delivery": {"enabled": True, "send_booking_notification": True, "send_reschedule_notification": True},
}
# Confirmations 1 hour before, Sam shown as their sender (set once Sam exists: the settings check).
CONFIRMATION = {"enabled": True, "hours_before": 1, "sender_worker": "sam"}


class EventsService:
    """A service with its spools, people and the helpers the tests share."""

    def __init__(self, root):
        self.mail = os.path.join(root, "mail")
        self.sms = os.path.join(root, "sms")
        self.config = harness.write_config(
            root,
            [{"name": "mail", "plugin": "file", "settings": {"spool": self.mail}},
             {"name": "text", "plugin": "file", "settings": {"spool": self.sms}}],
            agency=AGENCY, events={"tick_ms": 100, "batch": 50})
        self.service = None  # started by the tests (harness.Service on `config`), restarted by some

    def people(self):
        """Ana (event notifications by email and SMS), Sam (the confirmation's sender, by email), a site,
        and Jo, who consents to email and SMS before any event is booked."""
        for wid, choice in (("ana", "both"), ("sam", "email")):
            self.service.ok("PUT", "/v1/workers/" + wid, {
                "first_name": wid.capitalize(), "last_name": "Lee", "email": wid + "@agency.example",
                "mobile": "0491 570 157", "message_settings": {"event_notifications": choice}})
        self.service.ok("PUT", "/v1/sites/north", {"name": "Northside", "phone": "02 9999 0000",
                                                   "time_zone": "Australia/Sydney"})
        self.service.ok("PUT", "/v1/clients/jo", {
            "name": "Jo", "contacts": [{"id": "home", "channel": "email", "address": "jo@example.org"},
                                       {"id": "mob", "channel": "sms", "address": "0491 570 156"}],
            "email_via": "home", "sms_via": "mob"})
        section = dict(AGENCY["client_delivery"], confirmation=CONFIRMATION)
        status, body = self.service.request("PUT", "/v1/settings/client_delivery", section)
        assert status == 200, body
        time.sleep(0.01)  # consent strictly before the bookings that follow

    def event(self, start, status="booked", **extra):
        body = {"start": iso(start), "end": iso(start + datetime.timedelta(hours=1)), "status": status,
                "workers": [{"id": "ana", "primary": True}], "clients": [{"id": "jo", "primary": True}],
                "site": "north", "service_file": "sf-1", "first_event": False, "group": False}
        body.update(extra)
        return body

    def put(self, event_id, body):
        return self.service.request("PUT", "/v1/service-events/" + event_id, body)

    def wait_for(self, folder, predicate, what):
        return harness.wait_until(lambda: [m for m in harness.spooled(folder) if predicate(m)], what=what)

    def of_event(self, folder, event_id, text):
        return [m for m in harness.spooled(folder) if m["metadata"].get("event") == event_id and text in m["body"]]


class ServiceEventsTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.folder = harness.scratch()
        cls.events = EventsService(cls.folder.name)
        cls.events.service = harness.Service(cls.events.config)
        cls.events.people()

    @classmethod
    def tearDownClass(cls):
        cls.events.service.stop()
        cls.folder.cleanup()

    def put(self, event_id, body, expect=(200, 201)):
        status, answer = self.events.put(event_id, body)
        self.assertIn(status, expect if isinstance(expect, tuple) else (expect,), answer)
        return answer

    # ---- booking, reschedule, cancel, revert ----

    def test_booking_reschedule_cancel_and_revert(self):
        e = self.events
        start = (now() + datetime.timedelta(days=3)).replace(microsecond=0)
        status, booked = e.put("ev-book", e.event(start))
        self.assertEqual(status, 201, booked)
        self.assertEqual(booked["happened"], "booked")
        self.assertIsNone(booked["previous"])
        self.assertEqual(booked["event"]["start"], iso(start))
        notices = booked["client_notices"]
        self.assertEqual(notices["update"], "booking-notice")
        sent = {d["channel"]: d for d in notices["decisions"] if d["outcome"] == "sent"}
        self.assertEqual(set(sent), {"email", "sms"}, notices)
        self.assertEqual(set(booked["message_ids"]), {d["message_id"] for d in sent.values()})
        self.assertEqual(booked["worker_notice"]["skipped"], "not-within")  # booked 3 days ahead
        self.assertEqual([(s["kind"], s["recipient"]) for s in booked["schedules"]], [("confirmation", "jo")])

        # The booking notice reaches Jo on both channels, in the seed's words.
        sms = e.wait_for(e.sms, lambda m: m["metadata"].get("event") == "ev-book", "the booking notice by SMS")
        self.assertTrue(sms[0]["body"].startswith("Appointment reminder: "), sms[0]["body"])
        self.assertIn("with Ana Lee at Northside", sms[0]["body"])
        self.assertEqual(sms[0]["to"], "+61491570156")
        e.wait_for(e.mail, lambda m: m["metadata"].get("event") == "ev-book", "the booking notice by email")

        # The same PUT again: nothing happened, nothing sent.
        status, again = e.put("ev-book", e.event(start))
        self.assertEqual(status, 200, again)
        self.assertEqual(again["happened"], "nothing")
        self.assertEqual(again["message_ids"], [])

        # Rescheduled a day later: the notice names the original date; the confirmation moves with it.
        moved_to = start + datetime.timedelta(days=1)
        moved = self.put("ev-book", e.event(moved_to))
        self.assertEqual(moved["happened"], "rescheduled")
        self.assertEqual(moved["original_start"], iso(start))
        self.assertEqual(moved["client_notices"]["update"], "reschedule-notice")
        self.assertEqual(len(moved["message_ids"]), 2)
        self.assertEqual(moved["schedules"][0]["run_at"], iso(moved_to - datetime.timedelta(hours=1)))
        notice = e.wait_for(e.sms, lambda m: m["metadata"].get("event") == "ev-book" and
                            m["body"].startswith("Appointment rescheduled:"), "the reschedule notice")
        self.assertIn("has been rescheduled to", notice[0]["body"])

        # Cancelled: the schedules go. Reverted to booked: no notice (the seed's table), schedules back.
        cancelled = self.put("ev-book", e.event(moved_to, status="cancelled"))
        self.assertEqual(cancelled["happened"], "cancelled")
        self.assertEqual(cancelled["schedules"], [])
        self.assertEqual(cancelled["message_ids"], [])
        reverted = self.put("ev-book", e.event(moved_to))
        self.assertEqual(reverted["happened"], "reverted-to-booked")
        self.assertEqual(reverted["message_ids"], [])
        self.assertEqual(reverted["client_notices"]["skipped"], "no-event-update")
        self.assertEqual(len(reverted["schedules"]), 1)

        status, shown = e.service.request("GET", "/v1/service-events/ev-book")
        self.assertEqual(status, 200, shown)
        self.assertEqual(shown["event"]["status"], "booked")
        self.assertEqual(shown["previous"]["status"], "cancelled")
        self.assertEqual(shown["schedules"], reverted["schedules"])

    # ---- refusals ----

    def test_refusals_name_the_field(self):
        e = self.events
        start = now() + datetime.timedelta(days=2)
        good = e.event(start)
        cases = [
            ({k: v for k, v in good.items() if k != "start"}, "start"),
            (dict(good, start="next Tuesday"), "start"),
            (dict(good, end=iso(start - datetime.timedelta(hours=1))), "end"),
            (dict(good, status="postponed"), "status"),
            (dict(good, workers=[]), "workers"),
            (dict(good, workers=[{"id": "ana"}, {"id": "sam"}]), "workers"),
            (dict(good, clients=[{"id": "jo", "primary": "yes"}]), "clients[0].primary"),
            (dict(good, clients=[{"id": "jo", "primary": True}, {"id": "jo"}]), "clients[1].id"),
            (dict(good, site="no/such"), "site"),
            (dict(good, booked_at="yesterday"), "booked_at"),
            (dict(good, colour="red"), "colour"),
        ]
        for body, field in cases:
            status, answer = e.put("ev-bad", body)
            self.assertEqual(status, 400, (body, answer))
            self.assertEqual(answer["error"]["field"], field, answer)
            self.assertTrue(answer["error"]["message"], answer)
        status, answer = e.service.request("PUT", "/v1/service-events/ev-bad", "{not json")
        self.assertEqual((status, answer["error"]["field"]), (400, "body"))
        status, answer = e.put("bad!id", good)
        self.assertEqual((status, answer["error"]["field"]), (400, "id"))
        status, answer = e.service.request("GET", "/v1/service-events/ev-bad")
        self.assertEqual(status, 404, answer)  # nothing was stored by the refusals
        status, answer = e.service.request("DELETE", "/v1/service-events/ev-bad")
        self.assertEqual(status, 405, answer)

    # ---- the background scheduler ----

    def test_confirmation_goes_out_when_due_with_a_copy_to_the_sender(self):
        e = self.events
        # Confirmations go 1 hour before: this one falls due a few seconds from now (not so soon that a slow
        # PUT would find its time passed: the misfire rule would then rightly plan none).
        start = now() + datetime.timedelta(hours=1, seconds=3)
        booked = self.put("ev-confirm", e.event(start))
        self.assertEqual([s["kind"] for s in booked["schedules"]], ["confirmation"], booked)

        confirmations = e.wait_for(e.sms, lambda m: m["metadata"].get("event") == "ev-confirm" and
                                   m["metadata"].get("schedule") == "confirmation", "the confirmation by SMS")
        self.assertTrue(confirmations[0]["body"].startswith("Appointment confirmation: "), confirmations[0]["body"])
        self.assertEqual(confirmations[0]["to"], "+61491570156")
        e.wait_for(e.mail, lambda m: m["metadata"].get("event") == "ev-confirm" and
                   m["metadata"].get("schedule") == "confirmation", "the confirmation by email")
        # Sam, the confirmation's sender, gets a copy on his event notification channel (email).
        copy = e.wait_for(e.mail, lambda m: m["metadata"].get("event") == "ev-confirm" and
                          m["metadata"].get("worker") == "sam", "the sender's copy")
        self.assertEqual(copy[0]["to"], "sam@agency.example")
        self.assertIn("Copy of appointment confirmation", copy[0]["subject"])
        self.assertEqual(copy[0]["metadata"]["client"], "jo")
        status, shown = e.service.request("GET", "/v1/service-events/ev-confirm")
        self.assertEqual(shown["schedules"], [])
        status, log = e.service.request("GET", "/v1/decisions?worker=sam")
        self.assertTrue(any(d["outcome"] == "sent" and d["channel"] == "email" for d in log["decisions"]), log)

    # ---- notices to workers ----

    def test_last_minute_booking_notifies_the_workers(self):
        e = self.events
        start = now() + datetime.timedelta(hours=2)
        booked = self.put("ev-late", e.event(start, workers=[{"id": "ana", "primary": True}, {"id": "sam"}]))
        notice = booked["worker_notice"]
        self.assertEqual(notice["kind"], "last-minute-booking")
        self.assertFalse(notice["replayed"])
        outcomes = {(d["recipient"]["id"], d["channel"]): d["outcome"] for d in notice["decisions"]}
        self.assertEqual(outcomes, {("ana", "email"): "sent", ("ana", "sms"): "sent", ("sam", "email"): "sent"})
        for d in notice["decisions"]:
            self.assertIn(d["message_id"], booked["message_ids"])
        late = e.wait_for(e.sms, lambda m: m["metadata"].get("event") == "ev-late" and
                          m["metadata"].get("worker") == "ana", "the last-minute notice by SMS")
        self.assertTrue(late[0]["body"].startswith("Last-minute booking: "), late[0]["body"])
        self.assertEqual(late[0]["to"], "+61491570157")
        status, log = e.service.request("GET", "/v1/decisions?worker=ana&request=" + notice["request"])
        self.assertEqual(status, 200, log)
        self.assertEqual(len(log["decisions"]), 2)

    def test_no_show_notifies_the_workers_but_not_for_group_events(self):
        e = self.events
        start = now() + datetime.timedelta(days=1)
        self.put("ev-absent", e.event(start))
        marked = self.put("ev-absent", e.event(start, status="no-show"))
        self.assertEqual(marked["happened"], "marked-no-show")
        self.assertEqual(marked["worker_notice"]["kind"], "no-show")
        self.assertEqual(marked["schedules"], [])
        absent = e.wait_for(e.mail, lambda m: m["metadata"].get("event") == "ev-absent" and
                            m["metadata"].get("worker") == "ana", "the no-show notice")
        self.assertIn("did not arrive", absent[0]["body"])

        # Marked again after a revert: told once only.
        self.put("ev-absent", e.event(start))
        again = self.put("ev-absent", e.event(start, status="no-show"))
        self.assertTrue(again["worker_notice"]["replayed"])
        self.assertEqual(again["message_ids"], [])

        self.put("ev-group", e.event(start, group=True))
        group = self.put("ev-group", e.event(start, status="no-show", group=True))
        self.assertEqual(group["happened"], "marked-no-show")
        self.assertIsNone(group["worker_notice"]["kind"])
        self.assertEqual(group["worker_notice"]["skipped"], "group-event")
        self.assertEqual(group["message_ids"], [])


class RestartTest(unittest.TestCase):
    """Pending schedules live in the store: a restart loses none and sends none twice."""

    def test_restart_with_pending_schedules(self):
        with harness.scratch() as root:
            e = EventsService(root)
            e.service = harness.Service(e.config)
            e.people()
            # Three events whose confirmations fall due a few seconds from now, after the service has stopped
            # (on a slow machine some may fire before the stop: then they must not fire again after it).
            base = now() + datetime.timedelta(hours=1, seconds=6)
            for i in range(3):
                answer = e.put("ev-r%d" % i, e.event(base + datetime.timedelta(seconds=i)))
                self.assertEqual(answer[0], 201, answer)
            # And one far ahead that must still be pending afterwards.
            self.assertEqual(e.put("ev-later", e.event(now() + datetime.timedelta(days=2)))[0], 201)
            code, log = e.service.stop()
            self.assertEqual(code, 0, log)

            def confirmations():
                return [m for m in harness.spooled(e.sms) + harness.spooled(e.mail)
                        if m["metadata"].get("schedule") == "confirmation"]

            e.service = harness.Service(e.config)
            try:
                harness.wait_until(lambda: len(confirmations()) == 6, what="3 confirmations by email and SMS")
                # Every row is gone, none fired twice: each message is its own file, sent once.
                for i in range(3):
                    status, shown = e.service.request("GET", "/v1/service-events/ev-r%d" % i)
                    self.assertEqual(shown["schedules"], [], shown)
                status, later = e.service.request("GET", "/v1/service-events/ev-later")
                self.assertEqual([s["kind"] for s in later["schedules"]], ["confirmation"])
                keys = [m["idempotency_key"] for m in confirmations()]
                self.assertEqual(len(keys), len(set(keys)))
                self.assertTrue(all(m["attempt"] == 1 for m in confirmations()))

                # Restarted again: the booking notices are not repeated by a repeated PUT either.
                e.service.stop()
                e.service = harness.Service(e.config)
                sent_before = harness.wait_until(
                    lambda: harness.metric(e.service, "extcomm_messages", state="queued") == 0 and
                    harness.metric(e.service, "extcomm_messages", state="sent"), what="the outbox settled")
                status, again = e.put("ev-r0", e.event(base))
                self.assertEqual((status, again["happened"], again["message_ids"]), (200, "nothing", []))
                time.sleep(0.5)  # a few scheduler ticks: nothing new may come of them
                self.assertEqual(harness.metric(e.service, "extcomm_messages", state="sent"), sent_before)
                self.assertEqual(len(confirmations()), 6)
            finally:
                e.service.stop()


if __name__ == "__main__":
    unittest.main()
