"""The confirm link's page as a client sees it on a phone, in a real browser: the appointment as the
privacy switches allow, readable without sideways scrolling, no accessibility violations (axe-core, WCAG
2.1 A/AA), the Confirm button confirming it; a tampered link gets a clear page and no data.

`extcomm serve` with the `file` transport; the confirmation falls due a few seconds after its event is
booked (1 hour before a start 1 hour and a few seconds away) and its link is taken from the spooled email.
"""
import datetime
import re
import unittest

import browser
import harness

SYDNEY = datetime.timezone(datetime.timedelta(hours=10))
LINK = re.compile(r"/c/([A-Za-z0-9_.-]+)")


def iso(moment):
    return moment.astimezone(SYDNEY).isoformat(timespec="seconds")


class ConfirmPageInABrowserTest(harness.ServiceTest):
    @classmethod
    def config(cls):
        return {"agency": {"general": {"time_zone": "Australia/Sydney"}, "email": {"enabled": True, "transport": "mail"},
                           "worker_delivery": {"enabled": True}, "client_delivery": {"enabled": True},
                           "privacy": {"hide_event_location": True, "hide_worker_last_name": True}},
                "confirm_links": {"base_url": "https://agency.example/extcomm",
                                  "secret": "confirm-link-secret-0123456789-abcdefghij"}}

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.service.ok("PUT", "/v1/workers/ana", {"first_name": "Ana", "last_name": "Lee", "email": "ana@agency.example",
                                                  "message_settings": {"event_notifications": "email"}})
        cls.service.ok("PUT", "/v1/sites/north", {"name": "North & South <Clinic>", "time_zone": "Australia/Sydney"})
        cls.service.ok("PUT", "/v1/clients/jo", {"name": "Jo", "contacts": [
            {"id": "home", "channel": "email", "address": "jo@example.org"}], "email_via": "home"})
        cls.service.ok("PUT", "/v1/settings/client_delivery", {"enabled": True, "confirmation": {
            "enabled": True, "hours_before": 1, "sender_worker": "ana", "include_return_message": True}})
        start = (datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(hours=1, seconds=3)).replace(microsecond=0)
        cls.service.ok("PUT", "/v1/service-events/ev-phone", {
            "start": iso(start), "end": iso(start + datetime.timedelta(hours=1)), "status": "booked",
            "workers": [{"id": "ana", "primary": True}], "clients": [{"id": "jo", "primary": True}],
            "site": "north", "location": "Room 4 upstairs"})
        email = harness.wait_until(lambda: [m for m in harness.spooled(cls.mail) if m["metadata"].get("schedule") == "confirmation"],
                                   what="the confirmation email")[0]
        cls.when = email["subject"][len("Confirm Appt: "):]
        link = LINK.search(email["body"])
        assert link, email
        cls.token = link.group(1)

    def assertReadableOnAPhone(self, page):
        self.assertFalse(page["overflow_x"], "the page is wider than a phone's screen")
        self.assertEqual(page["violations"], [], "accessibility violations (axe-core)")

    def test_a_client_reads_the_appointment_and_confirms_it_on_a_phone(self):
        page = browser.check(self.service.url + "/c/" + self.token, click="Confirm my appointment")
        self.assertEqual(page["status"], 200, page["text"])
        self.assertIn(self.when, page["text"])
        self.assertIn("North & South <Clinic>", page["text"])  # shown as text, never as markup
        self.assertIn("Ana", page["text"])
        self.assertNotIn("Lee", page["text"])     # hide worker last name
        self.assertNotIn("Room 4", page["text"])  # hide event location
        self.assertReadableOnAPhone(page)
        after = page["after"]
        self.assertEqual(after["status"], 200, after["text"])
        self.assertIn("your appointment is confirmed", after["text"])
        self.assertReadableOnAPhone(after)
        confirmed = self.service.ok("GET", "/v1/service-events/ev-phone")["confirmations"]
        self.assertEqual([(c["client"], c["via"]) for c in confirmed], [("jo", "link")])

    def test_a_tampered_link_gets_a_clear_page_and_no_data(self):
        tampered = self.token[:5] + ("A" if self.token[5] != "A" else "B") + self.token[6:]
        page = browser.check(self.service.url + "/c/" + tampered)
        self.assertIn("This link is not valid", page["text"])
        for private in ("Ana", "Clinic", self.when):
            self.assertNotIn(private, page["text"])
        self.assertReadableOnAPhone(page)


if __name__ == "__main__":
    unittest.main()
