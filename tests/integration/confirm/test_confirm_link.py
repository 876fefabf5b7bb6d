"""The confirm link and the SMS reply (issue 6), with `extcomm serve`: email on the `file` transport, SMS on
the BulkSMS simulator (which posts replies back through the webhook).

A confirmation falls due a few seconds after its event is booked (1 hour before a start 1 hour and a few
seconds away); the client's link is taken from the delivered message and opened without any API token:
the page shows the appointment as the privacy switches allow, the Confirm button confirms it once and
notifies the sender worker and the workers who asked; a repeat is harmless; a tampered link and an expired
one (the event moved) get a clear page without any data; a link of the earlier form (which carried the
ids) still works until its event starts; "YES" by SMS confirms too.
"""
import base64
import datetime
import hashlib
import hmac
import os
import re
import unittest

import confirm_testing
import harness
from bulksms import BulkSmsSimulator

SYDNEY = datetime.timezone(datetime.timedelta(hours=10))
WEBHOOK_SECRET = "webhook-secret-0123456789"
LINK_SECRET = "confirm-link-secret-0123456789-abcdefghij"
BASE_URL = "https://agency.example/extcomm"  # as the agency's reverse proxy publishes the service
LINK = re.compile(re.escape(BASE_URL) + r"/c/([A-Za-z0-9_.-]+)")

AGENCY = {
    "general": {"country_calling_code": "61", "trunk_prefix": "0", "time_zone": "Australia/Sydney"},
    "email": {"enabled": True, "transport": "mail"},
    "sms": {"enabled": True, "transport": "text"},
    "worker_delivery": {"enabled": True},
    "client_delivery": {"enabled": True},
    "privacy": {"hide_event_location": True, "hide_worker_last_name": True},
}
CONFIRMATION = {"enabled": True, "hours_before": 1, "sender_worker": "sam", "include_return_message": True}


def iso(moment):
    return moment.astimezone(SYDNEY).isoformat(timespec="seconds")


def now():
    return datetime.datetime.now(datetime.timezone.utc)


def earlier_link_token(event, client, start_ms):
    """A confirm link's token of the earlier form, as links already sent carry it (core/events/confirm_token.hpp):
    the payload and the first 16 bytes of HMAC-SHA256 over a purpose line and the payload, both base64url
    without padding."""
    payload = f"{event}\n{client}\n{start_ms}".encode()
    mac = hmac.new(LINK_SECRET.encode(), b"extcomm confirm link v1\n" + payload, hashlib.sha256).digest()[:16]
    return ".".join(base64.urlsafe_b64encode(part).decode().rstrip("=") for part in (payload, mac))


class ConfirmLinkTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.sim = BulkSmsSimulator().start()
        cls.folder = harness.scratch()
        cls.mail = os.path.join(cls.folder.name, "mail")
        cls.service = harness.Service.configured(
            cls.folder.name,
            [{"name": "mail", "plugin": "file", "settings": {"spool": cls.mail}},
             {"name": "text", "plugin": "bulksms", "webhook_secret": WEBHOOK_SECRET,
              "settings": {"base_url": cls.sim.base_url + "/v1", "username": "agency", "password": "secret"}}],
            env={"TEST_CONFIRM_SECRET": LINK_SECRET},
            agency=AGENCY, confirm_links={"base_url": BASE_URL, "secret": "${TEST_CONFIRM_SECRET}"})
        # Sam sends the confirmations (told by email); Ana asked to be told when her client confirms (email);
        # Ben did not ask. Jo and Kim consent before any booking.
        for wid, notify in (("sam", False), ("ana", True), ("ben", False)):
            cls.service.ok("PUT", "/v1/workers/" + wid, {
                "first_name": wid.capitalize(), "last_name": "Lee", "email": wid + "@agency.example",
                "mobile": "0491 570 157",
                "message_settings": {"event_notifications": "email", "notify_when_client_confirms": notify}})
        cls.service.ok("PUT", "/v1/sites/north", {"name": "North & South <Clinic>", "phone": "02 9999 0000",
                                          "time_zone": "Australia/Sydney"})
        for cid, mobile in (("jo", "0491 570 156"), ("kim", "0491 570 199")):
            cls.service.ok("PUT", "/v1/clients/" + cid, {
                "name": cid.capitalize(), "contacts": [{"id": "home", "channel": "email", "address": cid + "@example.org"},
                                                       {"id": "mob", "channel": "sms", "address": mobile}],
                "email_via": "home", "sms_via": "mob"})
        cls.service.ok("PUT", "/v1/settings/client_delivery", {"enabled": True, "confirmation": CONFIRMATION})

    @classmethod
    def tearDownClass(cls):
        code, log = cls.service.stop()
        cls.folder.cleanup()
        cls.sim.stop()
        assert code == 0, log
        assert LINK_SECRET not in log, "the link secret appeared in the log"
        assert "zebra" not in log, "a client's reply text appeared in the log"

    @classmethod
    def ok(cls, method, path, body=None):
        return confirm_testing.ok(cls.service, method, path, body)

    def page(self, method, path):
        """A client's browser: no token. Returns (status, headers, html)."""
        return confirm_testing.open_page(self.service, method, path)

    def book(self, event_id, client="jo", seconds=3, location="Room 4 upstairs"):
        """Books an event whose confirmation falls due in a few seconds; returns its start."""
        start = (now() + datetime.timedelta(hours=1, seconds=seconds)).replace(microsecond=0)
        self.service.ok("PUT", "/v1/service-events/" + event_id, self.event_body(start, client, location))
        return start

    @staticmethod
    def event_body(start, client="jo", location="Room 4 upstairs"):
        return {"start": iso(start), "end": iso(start + datetime.timedelta(hours=1)), "status": "booked",
                "workers": [{"id": "ana", "primary": True}, {"id": "ben"}], "clients": [{"id": client, "primary": True}],
                "site": "north", "location": location}

    def confirmation_email(self, event_id):
        found = harness.wait_until(lambda: [m for m in harness.spooled(self.mail) if m["metadata"].get("event") == event_id
                                            and m["metadata"].get("schedule") == "confirmation"],
                                   what="the confirmation email of " + event_id)
        return found[0]

    def confirmation_sms(self, event_id):
        """The SMS carrying the same link as the event's confirmation email (the token names no event)."""
        token = LINK.search(self.confirmation_email(event_id)["body"]).group(1)

        def sent():
            for m in list(self.sim.messages):
                link = LINK.search(m["body"])
                if link and link.group(1) == token:
                    return m
            return None
        return harness.wait_until(sent, what="the confirmation SMS of " + event_id)

    def notices(self, event_id):
        return [m for m in harness.spooled(self.mail) if m["metadata"].get("event") == event_id and
                m["subject"].startswith("Confirmed:")]

    def confirmations(self, event_id):
        return self.service.ok("GET", "/v1/service-events/" + event_id)["confirmations"]

    def reply(self, sender, text, related=None):
        reply = {"from": sender, "body": text}
        if related:
            reply["related"] = related
        answer = self.sim.post_receipts({"url": f"{self.service.url}/v1/webhooks/text?secret={WEBHOOK_SECRET}",
                                         "reply": reply})
        self.assertEqual(answer["status"], 200, answer)

    # ---- the link ----

    def test_the_link_shows_the_appointment_and_confirms_it_once(self):
        self.book("ev-link")
        email = self.confirmation_email("ev-link")
        self.assertTrue(email["subject"].startswith("Confirm Appt: "), email["subject"])
        when = email["subject"][len("Confirm Appt: "):]  # "Tue 3 Mar at 2:30pm", in the site's zone
        token = LINK.search(email["body"]).group(1)
        self.assertIn(f'href="{BASE_URL}/c/{token}"', email["html_body"])
        # The SMS carries the same kind of link, whole, within one message.
        sms = self.confirmation_sms("ev-link")
        self.assertTrue(sms["body"].startswith("Confirm Appt: Click " + BASE_URL + "/c/"), sms["body"])
        self.assertLessEqual(len(sms["body"]), 160, sms["body"])
        self.assertIn(" to confirm your appt. on " + when + ".", sms["body"])  # whole, not cut to fit
        self.assertEqual(len(token), 24)
        self.assertNotIn("ev-link", token)  # the link shows no ids

        status, headers, html = self.page("GET", "/c/" + token)
        self.assertEqual(status, 200, html)
        self.assertTrue(headers["Content-Type"].startswith("text/html"), headers)
        self.assertEqual(headers["Cache-Control"], "no-store")
        self.assertEqual(headers["Referrer-Policy"], "no-referrer")
        self.assertIn('<meta name="viewport"', html)
        self.assertIn(when, html)
        self.assertIn("North &amp; South &lt;Clinic&gt;", html)  # escaped, never raw
        self.assertNotIn("<Clinic>", html)
        self.assertIn("Ana", html)
        self.assertNotIn("Lee", html)         # hide worker last name
        self.assertNotIn("Room 4", html)      # hide event location
        self.assertIn('<form method="post">', html)
        self.assertIn("Confirm my appointment", html)
        self.assertEqual(self.confirmations("ev-link")[0]["confirmed_at"], None)

        status, headers, html = self.page("POST", "/c/" + token)
        self.assertEqual(status, 200, html)
        self.assertIn("your appointment is confirmed", html)
        self.assertIn(when, html)
        self.assertNotIn("<form", html)
        self.assertEqual(headers["Cache-Control"], "no-store")
        confirmed = self.confirmations("ev-link")
        self.assertEqual(len(confirmed), 1, confirmed)
        self.assertEqual((confirmed[0]["client"], confirmed[0]["via"]), ("jo", "link"))
        self.assertIsNotNone(confirmed[0]["confirmed_at"])
        self.assertIsNotNone(confirmed[0]["sent_at"])

        # Sam (the sender) and Ana (asked) are told, by email; Ben (did not ask) is not.
        told = harness.wait_until(lambda: len(self.notices("ev-link")) >= 2 and self.notices("ev-link"),
                                  what="the workers' notices")
        self.assertEqual(sorted(m["to"] for m in told), ["ana@agency.example", "sam@agency.example"])
        self.assertIn("your client confirmed the event on " + when, told[0]["body"])
        sam_before = self.service.ok("GET", "/v1/decisions?worker=sam")["decisions"]

        # Again: harmless. Nothing changes, nobody is told twice (decisions are written with the confirmation).
        status, _, html = self.page("POST", "/c/" + token)
        self.assertEqual(status, 200, html)
        self.assertIn("already confirmed", html)
        self.assertEqual(self.confirmations("ev-link"), confirmed)
        self.assertEqual(self.service.ok("GET", "/v1/decisions?worker=sam")["decisions"], sam_before)
        status, _, html = self.page("GET", "/c/" + token)
        self.assertEqual(status, 200, html)
        self.assertIn("Your appointment is confirmed", html)
        self.assertNotIn("<form", html)
        self.assertEqual(len(self.notices("ev-link")), 2)

        # Tampered (another character anywhere in it) or garbled: a clear page, no data.
        i = len(token) // 3
        tampered = token[:i] + ("A" if token[i] != "A" else "B") + token[i + 1:]
        for path in ("/c/" + tampered, "/c/abc", "/c/", "/c/" + token + "x", "/c/" + token[:16], "/c/" + token[:-1]):
            for method in ("GET", "POST"):
                status, headers, html = self.page(method, path)
                self.assertEqual(status, 404, (method, path, html))
                self.assertIn("This link is not valid", html)
                self.assertEqual(headers["Cache-Control"], "no-store")
                for data in (when, "North", "Ana", "Confirm my appointment"):
                    self.assertNotIn(data, html, (method, path))
        status, _, _ = self.page("PUT", "/c/" + token)
        self.assertEqual(status, 405)

    def test_a_moved_events_link_has_expired(self):
        start = self.book("ev-moved")
        token = LINK.search(self.confirmation_email("ev-moved")["body"]).group(1)
        self.assertEqual(self.page("GET", "/c/" + token)[0], 200)
        # Moved into the past (a reschedule the same day): the link's start no longer matches.
        self.service.ok("PUT", "/v1/service-events/ev-moved", self.event_body(start - datetime.timedelta(hours=3)))
        for method in ("GET", "POST"):
            status, headers, html = self.page(method, "/c/" + token)
            self.assertEqual(status, 410, html)
            self.assertIn("This link has expired", html)
            self.assertEqual(headers["Cache-Control"], "no-store")
            self.assertNotIn("North", html)
            self.assertNotIn("Confirm my appointment", html)
        self.assertEqual(self.confirmations("ev-moved"), [])
        self.assertEqual(self.notices("ev-moved"), [])

    def test_a_link_expires_when_its_event_starts(self):
        # An event three seconds away: its confirmation (an hour before) was due before it was booked and is
        # never sent, so the link is made here as the host makes it, signed with the agency's secret.
        start = (now() + datetime.timedelta(seconds=3)).replace(microsecond=0)
        self.ok("PUT", "/v1/service-events/ev-starts", self.event_body(start))
        token = earlier_link_token("ev-starts", "jo", int(start.timestamp() * 1000))
        self.assertEqual(self.page("GET", "/c/" + token)[0], 200)  # a good link until then
        harness.wait_until(lambda: now() > start + datetime.timedelta(milliseconds=200), timeout=10,
                           what="the event's start")
        for method in ("GET", "POST"):
            status, _, html = self.page(method, "/c/" + token)
            self.assertEqual(status, 410, html)
            self.assertIn("This link has expired", html)
            self.assertNotIn("Confirm my appointment", html)
        self.assertEqual(self.confirmations("ev-starts"), [])

    def test_a_link_of_the_earlier_form_still_confirms(self):
        # Sent before this release (it carries the event, client and start): good until the event starts.
        start = (now() + datetime.timedelta(hours=3)).replace(microsecond=0)
        self.ok("PUT", "/v1/service-events/ev-earlier", self.event_body(start))
        token = earlier_link_token("ev-earlier", "jo", int(start.timestamp() * 1000))
        status, _, html = self.page("GET", "/c/" + token)
        self.assertEqual(status, 200, html)
        self.assertIn("Confirm my appointment", html)
        status, _, html = self.page("POST", "/c/" + token)
        self.assertEqual(status, 200, html)
        self.assertIn("your appointment is confirmed", html)
        self.assertEqual([(c["client"], c["via"]) for c in self.confirmations("ev-earlier")], [("jo", "link")])
        # Tampered: not valid.
        tampered = token[:5] + ("A" if token[5] != "A" else "B") + token[6:]
        self.assertEqual(self.page("GET", "/c/" + tampered)[0], 404)

    # ---- YES by SMS ----

    def test_yes_answering_the_confirmation_sms_confirms_it(self):
        self.book("ev-sms")
        sms = self.confirmation_sms("ev-sms")
        self.reply("+61491570156", " yes.", related=sms["id"])
        confirmed = self.confirmations("ev-sms")
        self.assertEqual([(c["client"], c["via"]) for c in confirmed], [("jo", "sms")], confirmed)
        self.assertIsNotNone(confirmed[0]["confirmed_at"])
        harness.wait_until(lambda: len(self.notices("ev-sms")) == 2, what="the workers' notices")
        # The link now says so too.
        token = LINK.search(sms["body"]).group(1)
        status, _, html = self.page("GET", "/c/" + token)
        self.assertEqual(status, 200, html)
        self.assertIn("Your appointment is confirmed", html)

    def test_yes_from_the_clients_number_confirms_the_soonest_pending_confirmation(self):
        self.book("ev-kim-1", client="kim", seconds=3)
        self.book("ev-kim-2", client="kim", seconds=4)
        self.confirmation_sms("ev-kim-1")
        self.confirmation_sms("ev-kim-2")
        # Not a confirmation: left alone (and the text stays out of the service log).
        self.reply("+61491570199", "no thanks zebra")
        self.assertIsNone(self.confirmations("ev-kim-1")[0]["confirmed_at"])
        # "Y" naming no message: the sender's number, soonest first.
        self.reply("+61491570199", "Y")
        self.assertEqual(self.confirmations("ev-kim-1")[0]["via"], "sms")
        self.assertIsNone(self.confirmations("ev-kim-2")[0]["confirmed_at"])
        self.reply("+61491570199", "YES")
        self.assertEqual(self.confirmations("ev-kim-2")[0]["via"], "sms")


class WithoutBaseUrlTest(unittest.TestCase):
    def test_confirmations_go_without_a_link_and_the_start_says_so(self):
        with harness.scratch() as root:
            mail = os.path.join(root, "mail")
            with harness.Service.configured(root, [{"name": "mail", "plugin": "file", "settings": {"spool": mail}}],
                                            agency=dict(AGENCY, sms={"enabled": False})) as service:
                service.request("PUT", "/v1/workers/sam", {"first_name": "Sam", "last_name": "Lee",
                                                           "email": "sam@agency.example"})
                service.request("PUT", "/v1/clients/jo", {"name": "Jo", "email_via": "home", "contacts": [
                    {"id": "home", "channel": "email", "address": "jo@example.org"}]})
                status, answer = service.request("PUT", "/v1/settings/client_delivery",
                                                 {"enabled": True, "confirmation": CONFIRMATION})
                self.assertEqual(status, 200, answer)
                start = now() + datetime.timedelta(hours=1, seconds=3)
                status, answer = service.request("PUT", "/v1/service-events/ev-1",
                                                 ConfirmLinkTest.event_body(start))
                self.assertEqual(status, 201, answer)
                sent = harness.wait_until(lambda: [m for m in harness.spooled(mail) if m["to"] == "jo@example.org" and
                                                   m["metadata"].get("schedule") == "confirmation"],
                                          what="the confirmation")
                self.assertTrue(sent[0]["subject"].startswith("Appointment confirmation: "), sent[0]["subject"])
                self.assertNotIn("/c/", sent[0]["body"])
                code, log = service.stop()
            self.assertEqual(code, 0, log)
            self.assertEqual(log.count("confirm_links.base_url is not set"), 1, log)

    def test_a_short_secret_is_refused_naming_the_field(self):
        with harness.scratch() as root:
            config = harness.write_config(root, [], confirm_links={"base_url": BASE_URL, "secret": "short-secret-zebra"})
            result = harness.run("check-config", "--config", config)
            self.assertEqual(result.returncode, 1, result)
            self.assertIn("confirm_links.secret", result.stdout + result.stderr)
            self.assertNotIn("short-secret-zebra", result.stdout + result.stderr)
            config = harness.write_config(root, [], confirm_links={"base_url": "agency.example/extcomm"})
            result = harness.run("check-config", "--config", config)
            self.assertIn("confirm_links.base_url", result.stdout + result.stderr)


if __name__ == "__main__":
    unittest.main()
