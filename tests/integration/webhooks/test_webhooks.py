"""Delivery receipts and replies through POST/GET /v1/webhooks/{transport}: `extcomm serve` with SMS
transports on the BulkSMS and Clickatell simulators, which post their real callback payloads back."""
import os
import unittest

import harness
from bulksms import BulkSmsSimulator
from clickatell import ClickatellSimulator
from simbase import post

SECRET = "webhook-secret-0123456789"
MAX_RECEIPTS = 20


class WebhookTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.bulksms = BulkSmsSimulator().start()
        cls.clickatell = ClickatellSimulator().start()
        cls.folder = harness.scratch()
        cls.service = harness.Service.configured(cls.folder.name, [
            {"name": "bulk", "plugin": "bulksms", "webhook_secret": "${TEST_WEBHOOK_SECRET}",
             "settings": {"base_url": cls.bulksms.base_url + "/v1", "username": "agency", "password": "secret"}},
            {"name": "click", "plugin": "clickatell", "webhook_secret": SECRET,
             "settings": {"base_url": cls.clickatell.base_url, "user": "agency", "password": "secret",
                          "api_id": "3412345"}},
            {"name": "nohook", "plugin": "bulksms",
             "settings": {"base_url": cls.bulksms.base_url + "/v1", "username": "agency", "password": "secret"}},
            {"name": "mail", "plugin": "file", "settings": {"spool": os.path.join(cls.folder.name, "spool")}},
        ], env={"TEST_WEBHOOK_SECRET": SECRET},
           http={"listen": "127.0.0.1", "port": 0, "max_webhook_receipts": MAX_RECEIPTS})

    @classmethod
    def tearDownClass(cls):
        code, stderr = cls.service.stop()
        cls.folder.cleanup()
        cls.bulksms.stop()
        cls.clickatell.stop()
        assert SECRET not in stderr, "the webhook secret appeared in the log"

    def hook(self, transport, secret=SECRET):
        url = f"{self.service.url}/v1/webhooks/{transport}"
        return url if secret is None else url + "?secret=" + secret

    def send(self, transport, to="+27001234567"):
        status, body = self.service.request("POST", "/v1/messages", {"channel": "sms", "to": to, "body": "See you at 10",
                                                                     "transport": transport})
        self.assertEqual(status, 202, body)
        return self.service.wait_for_state(body["id"], {"sent"})

    def message(self, id):
        status, body = self.service.request("GET", "/v1/messages/" + id)
        self.assertEqual(status, 200)
        return body

    def bulksms_receipt(self, message, status, subtype=None):
        answer = self.bulksms.post_receipts({"url": self.hook("bulk"), "status": status, "subtype": subtype,
                                             "ids": [message["provider_message_id"]]})
        self.assertEqual(answer["status"], 200, answer)
        return answer

    def test_delivered_receipt_is_applied_and_shown(self):
        m = self.send("bulk")
        self.bulksms_receipt(m, "DELIVERED")
        got = self.message(m["id"])
        self.assertEqual(got["state"], "delivered")
        self.assertEqual([(r["status"], r["provider_code"]) for r in got["receipts"]], [("delivered", "DELIVERED.null")])

    def test_a_late_sent_never_overwrites_delivered(self):
        m = self.send("bulk")
        self.bulksms_receipt(m, "DELIVERED")
        self.bulksms_receipt(m, "SENT")
        got = self.message(m["id"])
        self.assertEqual(got["state"], "delivered")
        self.assertEqual(sorted(r["status"] for r in got["receipts"]), ["delivered", "sent"])

    def test_duplicates_are_harmless(self):
        m = self.send("bulk")
        self.bulksms_receipt(m, "SENT")
        self.bulksms_receipt(m, "DELIVERED")
        self.bulksms_receipt(m, "DELIVERED")  # BulkSMS retries and repeats
        got = self.message(m["id"])
        self.assertEqual(got["state"], "delivered")
        self.assertEqual(len(got["receipts"]), 2)

    def test_failed_is_final(self):
        m = self.send("bulk")
        self.bulksms_receipt(m, "FAILED", "HANDSET_ERROR")
        self.bulksms_receipt(m, "DELIVERED")
        got = self.message(m["id"])
        self.assertEqual(got["state"], "failed")
        self.assertEqual(got["last_code"], "FAILED.HANDSET_ERROR")

    def test_a_reply_is_stored_with_the_message_it_answers(self):
        m = self.send("bulk")
        answer = self.bulksms.post_receipts({"url": self.hook("bulk"), "reply": {
            "from": "+27001234567", "body": "YES", "related": m["provider_message_id"]}})
        self.assertEqual(answer["status"], 200, answer)
        got = self.message(m["id"])
        self.assertEqual([(r["from"], r["text"]) for r in got["replies"]], [("+27001234567", "YES")])
        self.assertEqual(got["state"], "sent")

    def test_an_unknown_message_is_acknowledged(self):
        payload = [{"id": "999999", "type": "SENT", "to": "+27001234567", "body": "x",
                    "status": {"id": "DELIVERED.null", "type": "DELIVERED", "subtype": None}}]
        status, _ = post(self.hook("bulk"), payload)
        self.assertEqual(status, 200)
        status, _ = post(self.hook("bulk"), [])  # BulkSMS's registration probe
        self.assertEqual(status, 200)

    def test_a_nul_in_a_receipt_is_refused_and_a_line_break_cannot_forge_a_log_line(self):
        def receipt(provider_id):
            return {"id": provider_id, "type": "SENT", "to": "+27001234567", "body": "x",
                    "status": {"id": "DELIVERED.null", "type": "DELIVERED", "subtype": None}}
        # The store would keep the id up to the NUL: refused whole, the provider keeps it.
        status, answer = post(self.hook("bulk"), [receipt("999\u0000998")])
        self.assertEqual(status, 400, answer)
        self.assertIn('"updates[0].provider_message_id"', answer)
        forged = "FORGED [info] message 5f0c is delivered"
        status, answer = post(self.hook("bulk"), [receipt("999997\n" + forged)])
        self.assertEqual(status, 200, answer)
        harness.wait_until(lambda: forged in self.service.log(), what="the unknown receipt in the log")
        self.assertEqual([line for line in self.service.log().splitlines() if line.startswith("FORGED")], [])
        self.assertIn("999997\\n" + forged, self.service.log())

    def test_a_call_with_more_receipts_than_the_cap_is_refused_whole(self):
        m = self.send("bulk")
        receipt = {"id": m["provider_message_id"], "type": "SENT", "to": "+27001234567", "body": "x",
                   "status": {"id": "DELIVERED.null", "type": "DELIVERED", "subtype": None}}
        status, answer = post(self.hook("bulk"), [receipt] * (MAX_RECEIPTS + 1))
        self.assertEqual(status, 413, answer)
        self.assertIn(f"carries {MAX_RECEIPTS + 1} receipts", answer)
        self.assertIn(f"at most {MAX_RECEIPTS}", answer)
        self.assertEqual(self.message(m["id"])["state"], "sent")  # nothing of the refused call was recorded
        status, answer = post(self.hook("bulk"), [receipt] * MAX_RECEIPTS)
        self.assertEqual(status, 200, answer)
        self.assertEqual(self.message(m["id"])["state"], "delivered")

    def test_a_missing_or_wrong_secret_is_refused(self):
        m = self.send("bulk")
        for url in [self.hook("bulk", None), self.hook("bulk", "wrong-secret-0123456789"), self.hook("bulk", "")]:
            answer = self.bulksms.post_receipts({"url": url, "status": "DELIVERED", "ids": [m["provider_message_id"]]})
            self.assertEqual(answer["status"], 401, url)
        self.assertEqual(self.message(m["id"])["state"], "sent")
        # An API token is no substitute for the secret.
        status, _ = self.service.request("POST", "/v1/webhooks/bulk", [])
        self.assertEqual(status, 401)

    def test_a_transport_without_a_secret_takes_no_webhooks(self):
        status, _ = post(self.hook("nohook"), [])
        self.assertEqual(status, 403)

    def test_unknown_transport_or_no_webhook_support_is_404(self):
        self.assertEqual(post(self.hook("nope"), [])[0], 404)
        self.assertEqual(post(self.hook("mail"), [])[0], 404)  # the file plugin parses no webhooks

    def test_not_the_providers_format_is_400(self):
        self.assertEqual(post(self.hook("bulk"), "not json", "text/plain")[0], 400)

    def test_clickatell_callbacks_by_get_and_post(self):
        first, second = self.send("click", "+27999000001"), self.send("click", "+27999000002")
        answers = self.clickatell.post_receipts({"url": self.hook("click"), "status": "004", "method": "GET",
                                                 "ids": [first["provider_message_id"]]})
        self.assertEqual(answers[0][0], 200)
        answers = self.clickatell.post_receipts({"url": self.hook("click"), "status": "007", "method": "POST",
                                                 "ids": [second["provider_message_id"]]})
        self.assertEqual(answers[0][0], 200)
        self.assertEqual(self.message(first["id"])["state"], "delivered")
        got = self.message(second["id"])
        self.assertEqual(got["state"], "failed")
        self.assertEqual(got["receipts"][0]["provider_code"], "007")
        # A reply (MO callback) and a receipt by GET without the secret.
        self.assertEqual(self.clickatell.post_receipts({"url": self.hook("click"), "reply": {"from": "27999000001",
                                                                                             "text": "YES"}})[0][0], 200)
        answers = self.clickatell.post_receipts({"url": self.hook("click", None), "status": "004", "method": "GET",
                                                 "ids": [second["provider_message_id"]]})
        self.assertEqual(answers[0][0], 401)


if __name__ == "__main__":
    unittest.main()
