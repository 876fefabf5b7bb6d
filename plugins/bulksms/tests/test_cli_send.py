"""`extcomm send` through the bulksms transport against the BulkSMS simulator: the host loads the plugin,
performs its requests, and prints the outcome."""
import os
import shutil
import unittest

import pytest_support
import harness
from bulksms import BulkSmsSimulator

HAVE_HOST = os.path.isfile(harness.BIN) or shutil.which(harness.BIN) is not None


@unittest.skipUnless(HAVE_HOST, "the extcomm host binary (EXTCOMM_BIN) is not built")
class ExtcommSendThroughBulkSms(unittest.TestCase):
    def setUp(self):
        self.sim = BulkSmsSimulator().start()
        self.addCleanup(self.sim.stop)
        self.folder = harness.scratch()
        self.addCleanup(self.folder.cleanup)

    def send(self, to="+27001234567", body="Your appointment is tomorrow at 10:00", http=None, **settings):
        transport = {"name": "sms", "plugin": "bulksms",
                     "settings": dict({"base_url": self.sim.base_url + "/v1", "username": "agency",
                                       "password": "secret", "from": "Agency"}, **settings)}
        if http:
            transport["http"] = http
        # api_tokens: the host's schema wants >= 16 characters; harness.py's default is shorter.
        config = harness.write_config(self.folder.name, [transport], api_tokens=["bulksms-test-token-0001"])
        return harness.send(config, "sms", to, body)

    def test_accepted(self):
        r = self.send()
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
        self.assertEqual(r.stdout.strip(), "accepted " + self.sim.messages[0]["id"])
        self.assertEqual(len(self.sim.requests), 1)
        req = self.sim.requests[0]
        self.assertEqual(req.path, "/v1/messages")
        self.assertEqual(req.json(), [{"to": [{"type": "INTERNATIONAL", "address": "+27001234567"}],
                                       "body": "Your appointment is tomorrow at 10:00", "encoding": "TEXT",
                                       "deliveryReports": "ALL", "longMessageMaxParts": 10,
                                       "from": {"type": "ALPHANUMERIC", "address": "Agency"}}])
        self.assertNotIn("secret", r.stdout + r.stderr)

    def test_unicode(self):
        r = self.send(body="Привет! Встреча завтра")
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
        self.assertEqual(self.sim.requests[0].json()[0]["encoding"], "UNICODE")
        self.assertEqual(self.sim.messages[0]["body"], "Привет! Встреча завтра")

    def test_bad_credentials(self):
        r = self.send(password="wrong")
        self.assertEqual(r.returncode, 1)
        self.assertTrue(r.stdout.startswith("transport_failure authentication-failed: "), r.stdout)
        self.assertNotIn("wrong", r.stdout + r.stderr)

    def test_no_credit(self):
        self.sim.inject("no_credit")
        r = self.send()
        self.assertEqual(r.returncode, 1)
        self.assertTrue(r.stdout.startswith("transport_failure insufficient-credits: "), r.stdout)

    def test_refused_number(self):
        self.sim.inject("reject_number", number="+27001234567")
        r = self.send()
        self.assertEqual(r.returncode, 1)
        self.assertTrue(r.stdout.startswith("rejected bad-request: "), r.stdout)

    def test_invalid_number_is_rejected_without_a_request(self):
        r = self.send(to="0821234567")
        self.assertEqual(r.returncode, 1)
        self.assertTrue(r.stdout.startswith("rejected invalid-number: "), r.stdout)
        self.assertEqual(self.sim.requests, [])

    def test_server_errors_are_retries(self):
        for status in (429, 500, 503):
            self.sim.inject("status", status=status, body="")
            r = self.send()
            self.assertEqual(r.returncode, 1)
            self.assertTrue(r.stdout.startswith("retry %d: " % status), r.stdout)

    def test_slow_answer_and_reset_are_retries(self):
        self.sim.inject("slow", seconds=3)
        r = self.send(http={"timeout_ms": 300})
        self.assertEqual(r.returncode, 1)
        self.assertTrue(r.stdout.startswith("retry "), r.stdout)
        self.sim.inject("reset")
        r = self.send()
        self.assertEqual(r.returncode, 1)
        self.assertTrue(r.stdout.startswith("retry "), r.stdout)

    def test_bad_settings_are_a_configuration_error(self):
        r = self.send(colour="blue")
        self.assertEqual(r.returncode, 2, r.stdout + r.stderr)
        self.assertIn("colour", r.stderr)
        r = self.send(**{"from": "ThisSenderIsTooLong"})
        self.assertEqual(r.returncode, 2, r.stdout + r.stderr)


if __name__ == "__main__":
    unittest.main()
