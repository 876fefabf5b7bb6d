"""Verification codes (2-step login, trusted devices, password reset) through `extcomm serve`: by email
through the real SMTP test server (tests/simulators/smtp, aiosmtpd) and by SMS through the Clickatell
simulator. What the case-management system and the worker see: the code arrives at the worker's own
address, an attempt answers valid, invalid, expired, used or locked, a newer code supersedes the older one
(withdrawing its message while still queued), the daily limits answer 429 with Retry-After and alert the
chosen category once, and the code is never in an API answer, the service log or the store once delivered.
"""
import datetime
import json
import os
import re
import sqlite3
import unittest
import zoneinfo

import harness
from clickatell import ClickatellSimulator
from smtp.server import SmtpServer

ZONE = "Australia/Sydney"
CODE = re.compile(r"code is (\d{6,10})")
AUTHENTICATION = {"two_step_login": True, "channels": "either", "code_length": 6, "code_minutes": 60,
                  "max_wrong_attempts": 3, "user_managed_reset": True, "limit_alert_category": "security"}


def start(test_class, authentication, delivery=None):
    """The SMTP server, the SMS simulator and a service sending codes through them."""
    cls = test_class
    cls.smtp = SmtpServer("plain").start()
    cls.sim = ClickatellSimulator().start()
    cls.folder = harness.scratch()
    agency = {"general": {"time_zone": ZONE},
              "email": {"enabled": True, "transport": "mail"},
              "sms": {"enabled": True, "transport": "sms"},
              "authentication": dict(AUTHENTICATION, **authentication)}
    cls.service = harness.Service.configured(cls.folder.name, [
        {"name": "mail", "plugin": "smtp", "delivery": {"breaker_failures": 100},
         "settings": {"host": "127.0.0.1", "port": cls.smtp.port, "encryption": "none",
                      "from_address": "office@agency.example"}},
        {"name": "sms", "plugin": "clickatell",
         "settings": {"base_url": f"http://127.0.0.1:{cls.sim.port}", "user": "agency", "password": "secret",
                      "api_id": "3412345"}},
    ], agency=agency, delivery=dict({"poll_interval_ms": 50}, **(delivery or {})))
    ok = cls.service.ok
    ok("PUT", "/v1/worker-categories/security", {"name": "Security"})
    workers = {"ana": "+27831234567", "bob": None, "cat": None, "dan": None, "sec": None}
    for wid, mobile in workers.items():
        ok("PUT", "/v1/workers/" + wid, {"first_name": wid.capitalize(), "last_name": "Lee", "email": wid + "@agency.example",
                                         "mobile": mobile, "categories": ["security"] if wid == "sec" else []})


def stop(cls):
    cls.service.stop()
    cls.sim.stop()
    cls.smtp.stop()
    cls.folder.cleanup()


class CodesTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        start(cls, {}, delivery={"retry_base_ms": 1_800_000, "retry_max_ms": 1_800_000})

    @classmethod
    def tearDownClass(cls):
        stop(cls)

    def ask(self, worker, purpose="login", channel="either", status=202):
        got, answer = self.service.request("POST", "/v1/verification-codes",
                                           {"worker": worker, "purpose": purpose, "channel": channel})
        self.assertEqual(got, status, answer)
        if status == 202:
            self.assertEqual(list(answer), ["id"])  # an id, never the code
            return answer["id"]
        return answer

    def verify(self, code_id, code):
        return self.service.ok("POST", f"/v1/verification-codes/{code_id}/verify", {"code": code})["result"]

    def emailed_code(self, address, nth=1):
        def arrived():
            bodies = [m.data.decode() for m in self.smtp.messages if address in m.rcpt_tos]
            return bodies if len(bodies) >= nth else None
        return CODE.search(harness.wait_until(arrived, what=f"code number {nth} for {address}")[nth - 1]).group(1)

    def texted_code(self, number, nth=1):
        def arrived():
            with self.sim.lock:
                texts = [m["text"] for m in self.sim.messages if m["to"] == number]
            return texts if len(texts) >= nth else None
        return CODE.search(harness.wait_until(arrived, what=f"code number {nth} for {number}")[nth - 1]).group(1)

    def wrong(self, code):
        return "%06d" % ((int(code) + 1) % 1_000_000)

    def message_of_latest_code(self, worker):
        decisions = self.service.ok("GET", f"/v1/decisions?worker={worker}&limit=1")["decisions"]
        return decisions[0]["message_id"]

    def assert_never_shown(self, code):
        """Not in any API answer about the worker's messages, not in metrics, not in the log."""
        for path in ("/v1/decisions?worker=bob", "/v1/decisions?worker=ana", "/metrics", "/v1/transports"):
            _, answer = self.service.request("GET", path)
            self.assertNotIn(code, str(answer), path)
        self.assertNotIn(code, self.service.log())

    def test_email_code_valid_then_used_and_body_erased(self):
        code_id = self.ask("bob")
        code = self.emailed_code("bob@agency.example")
        self.assertEqual(self.verify(code_id, self.wrong(code)), "invalid")
        self.assertEqual(self.verify(code_id, code), "valid")
        self.assertEqual(self.verify(code_id, code), "used")
        message = self.service.wait_for_state(self.message_of_latest_code("bob"), {"sent"})
        self.assertEqual(message["subject"], "")
        self.assertEqual(message["kind"], "verification-code")
        self.assert_never_shown(code)
        self.assert_not_in_store(code)

    def assert_not_in_store(self, code):
        """Once delivered, the code cannot be read back from the store: not its rows, nor the database
        file's free pages (secure_delete), nor the write-ahead log, which the service empties after
        erasing a secret (the test takes no checkpoint of its own)."""
        path = os.path.join(self.folder.name, "extcomm.db")
        db = sqlite3.connect(path, timeout=10)
        try:
            rows = db.execute("SELECT COUNT(*) FROM messages WHERE kind = 'verification-code' AND "
                              "(body LIKE ? OR subject LIKE ?)", ("%" + code + "%", "%" + code + "%")).fetchone()
            self.assertEqual(rows[0], 0)
        finally:
            db.close()

        def files_holding_it():
            holding = []
            for name in (path, path + "-wal"):
                if os.path.exists(name):
                    with open(name, "rb") as f:
                        if b"code is " + code.encode() in f.read():
                            holding.append(name)
            return holding

        harness.wait_until(lambda: not files_holding_it(), what="the code gone from the store's files")
        self.assertEqual(files_holding_it(), [])

    def test_either_goes_by_sms_to_a_worker_with_a_mobile(self):
        code_id = self.ask("ana", purpose="trusted-device")
        code = self.texted_code("27831234567")
        self.assertEqual(self.verify(code_id, code), "valid")
        self.assert_never_shown(code)

    def test_locked_after_the_wrong_attempts_allowed(self):
        code_id = self.ask("cat", channel="email")
        code = self.emailed_code("cat@agency.example")
        self.assertEqual([self.verify(code_id, self.wrong(code)) for _ in range(3)], ["invalid", "invalid", "locked"])
        self.assertEqual(self.verify(code_id, code), "locked")

    def test_newer_code_supersedes_and_withdraws_the_queued_one(self):
        # The server refuses the first code's delivery for now: it waits in the queue for a retry (up to
        # half an hour away, within the code's hour).
        self.smtp.inject("RCPT", "451 4.3.0 Try again later", address="dan@agency.example", times=1)
        first = self.ask("dan", purpose="password-reset")
        first_message = self.message_of_latest_code("dan")
        harness.wait_until(lambda: self.service.ok("GET", "/v1/messages/" + first_message)["attempts"],
                           what="the first attempt")
        second = self.ask("dan", purpose="password-reset")
        withdrawn = self.service.ok("GET", "/v1/messages/" + first_message)
        self.assertEqual((withdrawn["state"], withdrawn["last_code"]), ("expired", "withdrawn"))
        code = self.emailed_code("dan@agency.example")
        self.assertEqual(len([m for m in self.smtp.messages if "dan@agency.example" in m.rcpt_tos]), 1)
        self.assertEqual(self.verify(first, code), "expired")
        self.assertEqual(self.verify(second, code), "valid")

    def test_refusals_name_the_reason(self):
        self.service.ok("PUT", "/v1/settings/authentication", dict(AUTHENTICATION, user_managed_reset=False))
        try:
            answer = self.ask("bob", purpose="password-reset", status=403)
            self.assertEqual(answer["error"]["code"], "disabled")
            self.assertIn("user_managed_reset", answer["error"]["message"])
        finally:
            self.service.ok("PUT", "/v1/settings/authentication", AUTHENTICATION)
        self.assertEqual(self.ask("bob", channel="sms", status=422)["error"]["code"], "no-address")
        self.assertEqual(self.ask("nobody", status=400)["error"]["field"], "worker")
        got, answer = self.service.request("POST", "/v1/verification-codes/nope/verify", {"code": "123456"})
        self.assertEqual(got, 404)

    def sms_state(self):
        return [t for t in self.service.ok("GET", "/v1/transports")["transports"] if t["name"] == "sms"][0]["state"]

    def test_paused_transport_is_refused_so_the_other_channel_can_be_offered(self):
        self.sim.inject("bad_credentials", count=1)
        self.ask("ana", channel="sms")
        harness.wait_until(lambda: self.sms_state() == "paused",
                           what="the SMS transport to pause")
        try:
            answer = self.ask("ana", channel="sms", status=503)
            self.assertEqual(answer["error"]["code"], "channel-unavailable")
            self.assertIn("paused", answer["error"]["message"])
            code_id = self.ask("ana", channel="email")  # the other channel still works
            self.assertEqual(self.verify(code_id, self.emailed_code("ana@agency.example")), "valid")
        finally:
            self.service.ok("POST", "/v1/transports/sms/resume")

    def test_the_limit_alert_has_its_own_template_and_preview(self):
        preview = self.service.ok("POST", "/v1/preview", {
            "kind": "verification-limit-alert", "channel": "email",
            "facts": {"limit": "per worker", "worker_name": "Bob Lee", "day": "2026-12-07", "maximum": 10}})
        self.assertIn("limit", preview["subject"])
        self.assertIn("The daily limit of 10 verification codes per worker was reached on 2026-12-07 by Bob Lee",
                      preview["body"])
        kinds = [t["kind"] for t in self.service.ok("GET", "/v1/settings/templates")["templates"]]
        self.assertIn("verification-limit-alert", kinds)

    def test_settings_are_checked_and_audited(self):
        got, answer = self.service.request("PUT", "/v1/settings/authentication", dict(AUTHENTICATION, code_length=3))
        self.assertEqual((got, answer["error"]["field"]), (400, "authentication.code_length"))
        got, answer = self.service.request("PUT", "/v1/settings/authentication", dict(AUTHENTICATION, channels="fax"))
        self.assertEqual((got, answer["error"]["field"]), (400, "authentication.channels"))
        stored = self.service.ok("PUT", "/v1/settings/authentication", dict(AUTHENTICATION, trusted_device_days=14))
        self.assertEqual(stored["trusted_device_days"], 14)
        audit = self.service.ok("GET", "/v1/audit?limit=1")["entries"][0]
        self.assertEqual(audit["target"], "authentication")
        self.service.ok("PUT", "/v1/settings/authentication", AUTHENTICATION)


class DailyLimitsTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        start(cls, {"max_codes_per_worker_per_day": 2, "max_codes_per_day": 3})

    @classmethod
    def tearDownClass(cls):
        stop(cls)

    def ask(self, worker):
        return self.service.request("POST", "/v1/verification-codes", {"worker": worker, "purpose": "login",
                                                                        "channel": "email"})

    def seconds_to_midnight(self):
        now = datetime.datetime.now(zoneinfo.ZoneInfo(ZONE))
        midnight = datetime.datetime.combine(now.date() + datetime.timedelta(days=1), datetime.time(),
                                             tzinfo=zoneinfo.ZoneInfo(ZONE))
        return (midnight - now).total_seconds()

    def refused(self, worker, reason):
        status, headers, text = harness.http("POST", self.service.url + "/v1/verification-codes",
                                             {"worker": worker, "purpose": "login", "channel": "email"},
                                             {"Authorization": "Bearer " + harness.API_TOKEN})
        answer = json.loads(text)
        self.assertEqual((status, answer["error"]["code"]), (429, reason), answer)
        # Until the agency's next midnight (computed here a moment later: a few seconds apart at most).
        self.assertAlmostEqual(int(headers["Retry-After"]), self.seconds_to_midnight(), delta=5)
        return answer

    def alerts(self):
        return self.service.ok("GET", "/v1/decisions?worker=sec")["decisions"]

    def test_both_limits_and_one_alert_each(self):
        for _ in range(2):
            self.assertEqual(self.ask("bob")[0], 202)
        answer = self.refused("bob", "worker-daily-limit")
        self.assertIn("max_codes_per_worker_per_day", answer["error"]["message"])
        self.assertEqual(self.ask("cat")[0], 202)  # the third code today: the total's last
        self.refused("cat", "total-daily-limit")
        self.refused("dan", "total-daily-limit")
        alerts = self.alerts()
        self.assertEqual(len(alerts), 2, alerts)  # one per limit, however often it was hit
        def emailed():
            mails = [m.data.decode() for m in self.smtp.messages if "sec@agency.example" in m.rcpt_tos]
            return mails if len(mails) == 2 else None
        mails = harness.wait_until(emailed, what="the two alerts")
        self.assertTrue(any("per worker" in m and "Bob Lee" in m for m in mails), mails)
        self.assertTrue(any("in total" in m for m in mails), mails)
        self.assertEqual(len(self.alerts()), 2)


if __name__ == "__main__":
    unittest.main()
