"""Error notices: a number the provider refuses for good produces one digest email, through the
`file` transport's spool, to the configured error-notice recipients after the interval."""
import os
import unittest

import harness
from bulksms import BulkSmsSimulator


class ErrorNoticeTest(unittest.TestCase):
    def setUp(self):
        self.sim = BulkSmsSimulator().start()
        self.folder = harness.scratch()
        self.spool = os.path.join(self.folder.name, "spool")
        self.service = harness.Service.configured(self.folder.name, [
            {"name": "bulk", "plugin": "bulksms",
             "settings": {"base_url": self.sim.base_url + "/v1", "username": "agency", "password": "secret"}},
            {"name": "mail", "plugin": "file", "settings": {"spool": self.spool}},
        ], error_notices={"recipients": ["ops@agency.example", "lead@agency.example"], "transport": "mail",
                          "interval_seconds": 1})

    def tearDown(self):
        self.service.stop()
        self.folder.cleanup()
        self.sim.stop()

    def digests(self):
        return harness.spooled(self.spool)

    def test_an_invalid_number_gives_one_digest_per_recipient(self):
        self.sim.inject("reject_number", number="+27001234599", count=1)
        status, body = self.service.request("POST", "/v1/messages", {
            "channel": "sms", "to": "+27001234599", "body": "Private: your appointment with Dr Who"})
        self.assertEqual(status, 202)
        message = self.service.wait_for_state(body["id"], {"rejected"})
        self.assertEqual(message["last_code"], "bad-request")
        digests = harness.wait_until(lambda: len(self.digests()) >= 2 and self.digests(), timeout=30,
                                     what="two digest emails in the spool")
        self.assertEqual(sorted(d["to"] for d in digests), ["lead@agency.example", "ops@agency.example"])
        digest = digests[0]
        self.assertIn(body["id"], digest["body"])
        self.assertIn("bad-request", digest["body"])
        self.assertNotIn("Dr Who", digest["body"])       # never the message's body
        self.assertNotIn("+27001234599", digest["body"])  # the number is masked
        self.assertIn("1 delivery problem", digest["subject"])

    def test_a_bad_error_notice_transport_stops_the_service(self):
        other = os.path.join(self.folder.name, "other")
        os.makedirs(other)
        config = harness.write_config(other, [
            {"name": "bulk", "plugin": "bulksms",
             "settings": {"base_url": self.sim.base_url + "/v1", "username": "agency", "password": "secret"}},
        ], error_notices={"recipients": ["ops@agency.example"], "transport": "bulk"})
        with self.assertRaises(RuntimeError) as e:
            harness.Service(config)
        self.assertIn("error_notices.transport", str(e.exception))
        config = harness.write_config(other, [
            {"name": "mail", "plugin": "file", "settings": {"spool": self.spool}},
        ], error_notices={"recipients": ["not an address"], "transport": "mail"})
        result = harness.run("check-config", "--config", config)
        self.assertNotEqual(result.returncode, 0)
        self.assertIn("error_notices.recipients[0]", result.stdout + result.stderr)


if __name__ == "__main__":
    unittest.main()
