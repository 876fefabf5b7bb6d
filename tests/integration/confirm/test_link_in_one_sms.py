"""The confirm link in a realistic deployment (`extcomm serve`, both channels on the `file` transport): a
public base URL with a path, the long numeric ids a case-management system has, a 20-character SMS prefix.
The confirmation SMS fits one SMS with its date and time whole, its link works and shows no id; the site's
phone shows as the agency wrote it, in the messages and on the confirm page; a configuration whose link
could not fit is refused, naming the field, by the settings API and by `extcomm check-config`.
"""
import datetime
import os
import re
import unittest
import zoneinfo

import confirm_testing
import harness

SYDNEY = datetime.timezone(datetime.timedelta(hours=10))
BASE_URL = "https://agency.example.org/extcomm"
LINK = re.compile(re.escape(BASE_URL) + r"/c/([A-Za-z0-9_.-]+)")
PREFIX = "Northside Counsel 01"  # 20 characters, GSM-7
EVENT, CLIENT, WORKER, SITE = "100000012345678", "200000098765432", "300000011112222", "400000033334444"
IDS = (EVENT, CLIENT, WORKER, SITE)

AGENCY = {
    "general": {"country_calling_code": "61", "trunk_prefix": "0", "time_zone": "Australia/Sydney",
                "sms_prefix": PREFIX},
    "email": {"enabled": True, "transport": "spool"},
    "sms": {"enabled": True, "transport": "spool"},
    "worker_delivery": {"enabled": True},
    "client_delivery": {"enabled": True, "send_booking_notification": True,
                        "confirmation": {"enabled": True, "hours_before": 1, "sender_worker": WORKER,
                                         "include_return_message": True}},
}


def now():
    return datetime.datetime.now(datetime.timezone.utc)


def local_when(start):
    """"Tue 3 Mar at 2:30pm", where the site is."""
    local = start.astimezone(zoneinfo.ZoneInfo("Australia/Sydney"))
    hour = local.hour % 12 or 12
    return f"{local:%a} {local.day} {local:%b} at {hour}:{local.minute:02d}{'am' if local.hour < 12 else 'pm'}"


class LinkInOneSmsTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.folder = harness.scratch()
        cls.spool = os.path.join(cls.folder.name, "spool")
        cls.config = harness.write_config(
            cls.folder.name, [{"name": "spool", "plugin": "file", "settings": {"spool": cls.spool}}],
            agency=AGENCY, confirm_links={"base_url": BASE_URL})
        cls.service = harness.Service(cls.config)
        cls.ok("PUT", "/v1/workers/" + WORKER, {"first_name": "Ana", "last_name": "Lee", "email": "ana@agency.example"})
        cls.ok("PUT", "/v1/sites/" + SITE, {"name": "Northside", "phone": "03 9000 0000",
                                            "time_zone": "Australia/Sydney"})
        cls.ok("PUT", "/v1/clients/" + CLIENT, {
            "name": "Jo", "contacts": [{"id": "home", "channel": "email", "address": "jo@example.org"},
                                       {"id": "mob", "channel": "sms", "address": "0491 570 156"}],
            "email_via": "home", "sms_via": "mob"})

    @classmethod
    def tearDownClass(cls):
        code, log = cls.service.stop()
        cls.folder.cleanup()
        assert code == 0, log

    @classmethod
    def ok(cls, method, path, body=None):
        return confirm_testing.ok(cls.service, method, path, body)

    def page(self, method, path):
        """A client's browser: no token. Returns (status, html)."""
        status, _, html = confirm_testing.open_page(self.service, method, path)
        return status, html

    def spooled(self, channel, schedule=None):
        return [m for m in harness.spooled(self.spool) if m["channel"] == channel and m["to"] != "ana@agency.example"
                and (schedule is None or m["metadata"].get("schedule") == schedule)]

    def test_the_confirmation_sms_fits_with_its_date_and_time_and_a_working_link(self):
        # Booked now, starting in an hour and a few seconds: the confirmation (an hour before) falls due at once.
        start = (now() + datetime.timedelta(hours=1, seconds=3)).replace(microsecond=0)
        self.ok("PUT", "/v1/service-events/" + EVENT, {
            "start": start.astimezone(SYDNEY).isoformat(), "status": "booked",
            "end": (start + datetime.timedelta(hours=1)).astimezone(SYDNEY).isoformat(),
            "workers": [{"id": WORKER, "primary": True}], "clients": [{"id": CLIENT, "primary": True}], "site": SITE})
        when = local_when(start)

        # The booking notice shows the site's phone as the agency wrote it.
        notice = harness.wait_until(lambda: [m for m in self.spooled("sms") if "Appointment reminder" in m["body"]],
                                    what="the booking notice")[0]
        self.assertIn("Call 03 9000 0000 to reschedule.", notice["body"])

        sms = harness.wait_until(lambda: self.spooled("sms", "confirmation"), what="the confirmation SMS")[0]
        body = sms["body"]
        self.assertLessEqual(len(body), 160, body)
        self.assertTrue(body.startswith(PREFIX + " Confirm Appt: Click " + BASE_URL + "/c/"), body)
        self.assertTrue(body.endswith(" to confirm your appt. on " + when + "."), body)  # date and time whole
        token = LINK.search(body).group(1)
        self.assertLessEqual(len(token), 24, token)
        for revealing in IDS:
            self.assertNotIn(revealing, body)
        email = harness.wait_until(lambda: self.spooled("email", "confirmation"), what="the confirmation email")[0]
        self.assertIn("Call 03 9000 0000 to reschedule.", email["body"])

        status, html = self.page("GET", "/c/" + token)
        self.assertEqual(status, 200, html)
        self.assertIn(when, html)
        self.assertIn(">03 9000 0000<", html)
        self.assertIn("Confirm my appointment", html)
        i = 7
        tampered = token[:i] + ("A" if token[i] != "A" else "B") + token[i + 1:]
        for method in ("GET", "POST"):
            status, html = self.page(method, "/c/" + tampered)
            self.assertEqual(status, 404, html)
            self.assertNotIn(when, html)
        status, html = self.page("POST", "/c/" + token)
        self.assertEqual(status, 200, html)
        self.assertIn("your appointment is confirmed", html)
        confirmed = self.ok("GET", "/v1/service-events/" + EVENT)["confirmations"]
        self.assertEqual([(c["client"], c["via"]) for c in confirmed], [(CLIENT, "link")])

    def test_a_template_that_would_cut_the_link_is_refused_naming_it(self):
        long_text = ("Please confirm your appointment on {{date}} at {{time}} by opening this link: {{confirm_link}} "
                     "(or reply YES to this message).")
        status, answer = self.service.request("PUT", "/v1/settings/templates/confirmation-with-link/sms",
                                              {"body": long_text})
        self.assertEqual(status, 400, answer)
        self.assertEqual(answer["error"]["field"], "templates.confirmation-with-link.sms.body")
        self.assertIn("would not fit one SMS", answer["error"]["message"])
        # A shorter one is taken.
        status, answer = self.service.request("PUT", "/v1/settings/templates/confirmation-with-link/sms",
                                              {"body": "Confirm {{date}} {{time}}: {{confirm_link}}"})
        self.assertEqual(status, 200, answer)
        self.ok("DELETE", "/v1/settings/templates/confirmation-with-link/sms")

    def test_check_config_names_a_base_url_too_long_for_the_link(self):
        spool = [{"name": "spool", "plugin": "file", "settings": {"spool": self.spool}}]
        with harness.scratch() as root:
            config = harness.write_config(root, spool, agency=AGENCY,
                                          confirm_links={"base_url": BASE_URL + "/client-appointment-confirmations"})
            result = harness.run("check-config", "--config", config)
            self.assertEqual(result.returncode, 1, result)
            self.assertIn("confirm_links.base_url: the confirmation SMS with its confirm link would not fit one SMS",
                          result.stdout)
            config = harness.write_config(root, spool, agency=AGENCY, confirm_links={"base_url": BASE_URL})
            result = harness.run("check-config", "--config", config)
            self.assertEqual((result.returncode, result.stdout.strip()), (0, "ok"), result)


if __name__ == "__main__":
    unittest.main()
