"""`extcomm send` through the messagemedia transport against the MessageMedia simulator: the host loads the
plugin, performs its requests, and prints the outcome."""
import os
import shutil
import unittest

import pytest_support
import harness
from messagemedia import MessageMediaSimulator

HAVE_HOST = os.path.isfile(harness.BIN) or shutil.which(harness.BIN) is not None


@unittest.skipUnless(HAVE_HOST, "the extcomm host binary (EXTCOMM_BIN) is not built")
class ExtcommSendThroughMessageMedia(unittest.TestCase):
    def setUp(self):
        self.sim = MessageMediaSimulator().start()
        self.addCleanup(self.sim.stop)
        self.folder = harness.scratch()
        self.addCleanup(self.folder.cleanup)

    def send(self, to="+61491570156", body="Your appointment is tomorrow at 10:00", http=None, **settings):
        transport = {"name": "sms", "plugin": "messagemedia",
                     "settings": dict({"base_url": self.sim.base_url, "api_key": "mm-key", "api_secret": "mm-secret",
                                       "callback_url": "https://extcomm.example.org/v1/webhooks/sms"}, **settings)}
        if http:
            transport["http"] = http
        # api_tokens: the host's schema wants >= 16 characters; harness.py's default is shorter.
        config = harness.write_config(self.folder.name, [transport], api_tokens=["messagemedia-test-token-01"])
        return harness.send(config, "sms", to, body)

    def test_accepted(self):
        r = self.send()
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
        self.assertEqual(r.stdout.strip(), "accepted " + self.sim.messages[0]["message_id"])
        self.assertEqual(len(self.sim.requests), 1)
        sent = self.sim.requests[0].json()["messages"]
        self.assertEqual(len(sent), 1)
        m = sent[0]
        self.assertEqual({k: v for k, v in m.items() if k != "metadata"},
                         {"content": "Your appointment is tomorrow at 10:00", "destination_number": "+61491570156",
                          "format": "SMS", "delivery_report": True,
                          "callback_url": "https://extcomm.example.org/v1/webhooks/sms"})
        self.assertEqual(list(m["metadata"]), ["extcomm_message_id"])  # extcomm's id, nothing else
        self.assertNotIn("mm-secret", r.stdout + r.stderr)

    def test_unicode(self):
        r = self.send(body="Привет 😀")
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
        self.assertEqual(self.sim.messages[0]["content"], "Привет 😀")

    def test_bad_credentials(self):
        r = self.send(api_secret="wrong")
        self.assertEqual(r.returncode, 1)
        self.assertTrue(r.stdout.startswith("transport_failure 403: HTTP 403 Invalid authentication credentials"), r.stdout)
        self.assertNotIn("wrong", r.stdout + r.stderr)

    def test_refused_number(self):
        self.sim.inject("reject_number", number="+61491570156")
        r = self.send()
        self.assertEqual(r.returncode, 1)
        self.assertTrue(r.stdout.startswith("rejected 400: "), r.stdout)

    def test_invalid_number_is_rejected_without_a_request(self):
        r = self.send(to="0491570156")
        self.assertEqual(r.returncode, 1)
        self.assertTrue(r.stdout.startswith("rejected invalid-number: "), r.stdout)
        self.assertEqual(self.sim.requests, [])

    def test_server_errors_are_retries(self):
        for status in (429, 500, 503):
            self.sim.inject("status", status=status, body={"message": "busy"})
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
        r = self.send(api_key="")
        self.assertEqual(r.returncode, 2, r.stdout + r.stderr)
        self.assertIn("api_key", r.stderr)
        r = self.send(source_number="61491570159", source_number_type="INTERNATIONAL")
        self.assertEqual(r.returncode, 2, r.stdout + r.stderr)
        self.assertIn("source_number", r.stderr)


if __name__ == "__main__":
    unittest.main()
