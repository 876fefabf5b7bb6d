"""General > the worker category that receives error notices: a digest goes to the email addresses of that
category's members, as the setting is when the digest is due; with no category set, to the configuration's
error_notices.recipients."""
import os
import unittest

import harness
from bulksms import BulkSmsSimulator


class ErrorNoticeCategoryTest(unittest.TestCase):
    def setUp(self):
        self.sim = BulkSmsSimulator().start()
        self.folder = harness.scratch()
        self.spool = os.path.join(self.folder.name, "spool")
        self.service = harness.Service.configured(self.folder.name, [
            {"name": "bulk", "plugin": "bulksms",
             "settings": {"base_url": self.sim.base_url + "/v1", "username": "agency", "password": "secret"}},
            {"name": "mail", "plugin": "file", "settings": {"spool": self.spool}},
        ], error_notices={"recipients": ["ops@agency.example"], "transport": "mail", "interval_seconds": 1})

    def tearDown(self):
        self.service.stop()
        self.folder.cleanup()
        self.sim.stop()

    def digests(self):
        return harness.spooled(self.spool)

    def refused_message(self, number):
        self.sim.inject("reject_number", number=number, count=1)
        status, body = self.service.request("POST", "/v1/messages", {"channel": "sms", "to": number, "body": "x"})
        self.assertEqual(status, 202, body)
        self.service.wait_for_state(body["id"], {"rejected"})
        return body["id"]

    def test_digests_go_to_the_members_of_the_category_the_setting_names(self):
        self.service.ok("PUT", "/v1/worker-categories/admins", {"name": "Administrators"})
        self.service.ok("PUT", "/v1/worker-categories/nurses", {"name": "Nurses"})
        self.service.ok("PUT", "/v1/workers/ada", {"first_name": "Ada", "email": "ada@agency.example", "categories": ["admins"]})
        self.service.ok("PUT", "/v1/workers/max", {"first_name": "Max", "email": "max@agency.example", "categories": ["admins"]})
        self.service.ok("PUT", "/v1/workers/nel", {"first_name": "Nel", "email": "nel@agency.example", "categories": ["nurses"]})
        self.service.ok("PUT", "/v1/workers/ned", {"first_name": "Ned", "categories": ["admins"]})  # no email: nothing to send to
        self.service.ok("PUT", "/v1/settings/general", {"error_notice_category": "admins"})

        first = self.refused_message("+27001234599")
        digests = harness.wait_until(lambda: len(self.digests()) >= 3 and self.digests(), timeout=30,
                                     what="a digest to each admin and to the configured address")
        # The category's members with an email address and the configuration's recipients, each once.
        self.assertEqual(sorted(d["to"] for d in digests), ["ada@agency.example", "max@agency.example", "ops@agency.example"])
        self.assertIn(first, digests[0]["body"])
        # Ned has no email address: the message log says so.
        status, log = self.service.request("GET", "/v1/decisions?worker=ned")
        self.assertEqual([d["reason"] for d in log["decisions"]], ["no-address"], log)

        # The setting as it is when the next digest is due: no category, the configuration's recipients.
        self.service.ok("PUT", "/v1/settings/general", {"error_notice_category": ""})
        second = self.refused_message("+27001234598")
        later = harness.wait_until(lambda: [d for d in self.digests() if second in d["body"]] or None, timeout=30,
                                   what="the second digest")
        self.assertEqual([d["to"] for d in later], ["ops@agency.example"])


if __name__ == "__main__":
    unittest.main()
