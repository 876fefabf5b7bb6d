"""`extcomm send` through the clickatell-platform plugin against the Clickatell Platform simulator."""
import unittest

import harness
from clickatell_platform import ClickatellPlatformSimulator

KEY = "platform-api-key-0001"


class ExtcommSendClickatellPlatform(unittest.TestCase):
    def setUp(self):
        self.sim = ClickatellPlatformSimulator(api_key=KEY).start()
        self.addCleanup(self.sim.stop)
        self.dir = harness.scratch()
        self.addCleanup(self.dir.cleanup)

    def config(self, timeout_ms=None, **settings):
        t = {"name": "sms", "plugin": "clickatell-platform",
             "settings": dict({"base_url": self.sim.base_url, "api_key": KEY}, **settings)}
        if timeout_ms:
            t["http"] = {"timeout_ms": timeout_ms, "connect_timeout_ms": timeout_ms}
        return harness.write_config(self.dir.name, [t])

    def send(self, to="+27999000001", body="Your appointment is tomorrow at 10:00", **settings):
        return harness.send(self.config(**settings), "sms", to, body)

    def test_successful_send(self):
        r = self.send(**{"from": "+27830000000"})
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
        self.assertEqual(r.stdout.strip(), "accepted " + self.sim.messages[0]["apiMessageId"])
        self.assertEqual(len(self.sim.requests), 1)
        req = self.sim.requests[0]
        self.assertEqual((req.method, req.path, req.headers["authorization"], req.headers["content-type"]),
                         ("POST", "/messages", KEY, "application/json"))
        body = req.json()
        self.assertRegex(body.pop("clientMessageId"), r"^[0-9A-Za-z]{1,32}$")
        self.assertEqual(body, {"content": "Your appointment is tomorrow at 10:00", "to": ["27999000001"], "from": "27830000000"})
        self.assertNotIn(KEY, r.stdout + r.stderr)

    def test_unicode(self):
        r = self.send(body="Привет, до завтра 👋")
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
        self.assertEqual(self.sim.messages[0]["content"], "Привет, до завтра 👋")

    def test_invalid_number(self):
        r = self.send(to="082 123 4567")
        self.assertEqual(r.returncode, 1)
        self.assertRegex(r.stdout, r"^rejected invalid-number: ")
        self.assertEqual(self.sim.requests, [])

    def test_number_refused_by_the_provider(self):
        self.sim.inject("reject_number", number="27999000001")
        r = self.send()
        self.assertEqual(r.returncode, 1)
        self.assertTrue(r.stdout.startswith("rejected 25: Invalid destination address."), r.stdout)

    def test_bad_credentials(self):
        self.sim.inject("bad_credentials")
        r = self.send()
        self.assertEqual(r.returncode, 1)
        self.assertTrue(r.stdout.startswith("transport_failure 1: Invalid or missing Integration API Key"), r.stdout)
        self.assertNotIn(KEY, r.stdout + r.stderr)

    def test_out_of_credit(self):
        self.sim.inject("no_credit")
        r = self.send()
        self.assertEqual(r.returncode, 1)
        self.assertTrue(r.stdout.startswith("transport_failure 20: Insufficient balance"), r.stdout)

    def test_http_429_500_503_are_retried(self):
        for status in (429, 500, 503):
            with self.subTest(status=status):
                self.sim.inject("status", status=status, body="busy", content_type="text/plain")
                r = self.send()
                self.assertEqual(r.returncode, 1)
                self.assertTrue(r.stdout.startswith("retry HTTP %d: " % status), r.stdout)

    def test_slow_answer_past_the_timeout_is_retried(self):
        self.sim.inject("slow", seconds=3)
        r = harness.send(self.config(timeout_ms=300), "sms", "+27999000001", "x")
        self.assertEqual(r.returncode, 1, r.stdout + r.stderr)
        self.assertTrue(r.stdout.startswith("retry "), r.stdout)

    def test_connection_reset_is_retried(self):
        self.sim.inject("reset")
        r = self.send()
        self.assertEqual(r.returncode, 1, r.stdout + r.stderr)
        self.assertTrue(r.stdout.startswith("retry "), r.stdout)

    def test_settings_rejected_by_the_schema(self):
        cfg = harness.write_config(self.dir.name, [{"name": "sms", "plugin": "clickatell-platform",
                                                    "settings": {"apiKey": "x"}}])
        r = harness.send(cfg, "sms", "+27999000001", "x")
        self.assertEqual(r.returncode, 2, r.stdout + r.stderr)
        self.assertIn("api_key", r.stderr)


if __name__ == "__main__":
    unittest.main()
