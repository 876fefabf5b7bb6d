"""The bulksms plugin (.so, through the C ABI) against the BulkSMS simulator: what goes on the wire, and
how each provider answer ends up. Also checks the simulator answers as BulkSMS does."""
import base64
import json
import unittest
import urllib.parse

import pytest_support
from bulksms import BulkSmsSimulator
from plugin_driver import Plugin, perform
from simbase import Reply, Simulator

PLUGIN = Plugin(pytest_support.plugin_path("extcomm-bulksms"))


class Receiver(Simulator):
    """Stands in for extcomm's webhook endpoint: records what the provider posts."""

    def handle(self, req):
        return Reply.json(200, {})


def msg(i, to="+27001234567", body="Your appointment is tomorrow at 10:00", **kw):
    return dict({"id": "m%d" % i, "idempotency_key": "key-%d" % i, "to": to, "body": body}, **kw)


class BulkSmsAgainstSimulator(unittest.TestCase):
    def setUp(self):
        self.sim = BulkSmsSimulator().start()
        self.addCleanup(self.sim.stop)

    def instance(self, **settings):
        s = dict({"base_url": self.sim.base_url + "/v1", "username": "agency", "password": "secret"}, **settings)
        inst = PLUGIN.create(s)
        self.addCleanup(inst.close)
        return inst

    def test_descriptor_states_capabilities_and_a_strict_schema(self):
        d = PLUGIN.descriptor
        self.assertEqual(d["id"], "bulksms")
        self.assertEqual(d["send_mode"], 2)
        self.assertEqual(d["flags"] & 0b1111, 0b1111)  # unicode, receipts, idempotency, replies
        self.assertLessEqual(d["max_batch_size"], 30000)
        schema = d["settings_schema"]
        self.assertFalse(schema["additionalProperties"])
        for name, prop in schema["properties"].items():
            self.assertTrue(prop.get("description"), name)
        self.assertEqual(schema["properties"]["base_url"]["default"], "https://api.bulksms.com/v1")

    def test_successful_send_is_exactly_the_right_request(self):
        results, _ = self.instance(**{"from": "Agency"}).deliver([msg(1)])
        self.assertEqual(results[0]["outcome"], "accepted")
        self.assertEqual(len(self.sim.requests), 1)
        req = self.sim.requests[0]
        self.assertEqual((req.method, req.path), ("POST", "/v1/messages"))
        self.assertEqual(req.headers["content-type"], "application/json")
        self.assertEqual(req.headers["authorization"], "Basic " + base64.b64encode(b"agency:secret").decode())
        self.assertEqual(req.query["auto-unicode"], ["true"])
        dedup = int(req.query["deduplication-id"][0])
        self.assertTrue(0 < dedup < 2**31)
        self.assertEqual(req.json(), [{"to": [{"type": "INTERNATIONAL", "address": "+27001234567"}],
                                       "body": "Your appointment is tomorrow at 10:00", "encoding": "TEXT",
                                       "deliveryReports": "ALL", "longMessageMaxParts": 10,
                                       "from": {"type": "ALPHANUMERIC", "address": "Agency"}, "userSuppliedId": "m1"}])
        self.assertEqual(results[0]["provider_message_id"], self.sim.messages[0]["id"])

    def test_api_token_credentials(self):
        inst = PLUGIN.create({"base_url": self.sim.base_url + "/v1", "token_id": "TOKENID", "token_secret": "tokensecret"})
        self.addCleanup(inst.close)
        results, _ = inst.deliver([msg(1)])
        self.assertEqual(results[0]["outcome"], "accepted")

    def test_bad_credentials_stop_the_transport(self):
        results, _ = self.instance(password="wrong").deliver([msg(1)])
        self.assertEqual(results[0]["outcome"], "transport_failure")
        self.assertEqual(results[0]["provider_code"], "authentication-failed")
        self.assertNotIn("wrong", results[0]["provider_text"])
        self.sim.inject("bad_credentials")
        results, _ = self.instance().deliver([msg(2)])
        self.assertEqual(results[0]["outcome"], "transport_failure")

    def test_insufficient_credits_stop_the_transport(self):
        self.sim.inject("no_credit")
        results, _ = self.instance().deliver([msg(1), msg(2, to="+27001234568")])
        self.assertEqual([r["outcome"] for r in results], ["transport_failure"] * 2)
        self.assertEqual(results[0]["provider_code"], "insufficient-credits")
        self.assertIn("Insufficient Credits", results[0]["provider_text"])

    def test_refused_number_is_rejected_alone_and_the_others_go(self):
        self.sim.inject("reject_number", number="+27001234568")
        results, requests = self.instance().deliver([msg(1), msg(2, to="+27001234568"), msg(3, to="+27001234569")])
        self.assertEqual([r["outcome"] for r in results], ["accepted", "rejected", "accepted"])
        self.assertEqual(results[1]["provider_code"], "bad-request")
        self.assertIn("not valid", results[1]["provider_text"])
        # one refused batch, then each message alone
        self.assertEqual([len(r.json()) for r in self.sim.requests], [3, 1, 1, 1])

    def test_blocked_number_is_rejected_with_the_provider_status(self):
        self.sim.inject("blocked_number", number="+27001234567")
        results, _ = self.instance().deliver([msg(1)])
        self.assertEqual(results[0]["outcome"], "rejected")
        self.assertEqual(results[0]["provider_code"], "FAILED.BLOCKED")

    def test_invalid_number_is_rejected_without_a_request(self):
        results, _ = self.instance().deliver([msg(1, to="082 123 4567"), msg(2, to="+27 12x")])
        self.assertEqual([r["outcome"] for r in results], ["rejected", "rejected"])
        self.assertEqual(results[0]["provider_code"], "invalid-number")
        self.assertIn("international format", results[0]["provider_text"])
        self.assertEqual(self.sim.requests, [])

    def test_transient_answers_are_retries(self):
        for status in (429, 500, 503):
            self.sim.inject("status", status=status, headers={"Retry-After": "12"},
                            body={"type": "https://developer.bulksms.com/json/v1/errors#unavailable",
                                  "title": "Unavailable", "status": status})
            results, _ = self.instance().deliver([msg(status)])
            self.assertEqual(results[0]["outcome"], "retry", status)
            self.assertEqual(results[0]["retry_after_ms"], 12000)

    def test_slow_answer_and_connection_reset_never_reach_decode(self):
        self.sim.inject("slow", seconds=3)
        results, _ = self.instance().deliver([msg(1)], timeout=0.5)
        self.assertEqual(results[0]["outcome"], "retry")
        self.sim.inject("reset")
        results, _ = self.instance().deliver([msg(2)])
        self.assertEqual(results[0]["outcome"], "retry")

    def test_unicode_goes_as_unicode_and_gsm_as_text(self):
        results, _ = self.instance().deliver([msg(1, body="Привет! Встреча завтра"), msg(2, body="Café à 10h, €5")])
        self.assertEqual([r["outcome"] for r in results], ["accepted", "accepted"])
        sent = self.sim.requests[0].json()
        self.assertEqual(sent[0]["encoding"], "UNICODE")
        self.assertEqual(sent[0]["body"], "Привет! Встреча завтра")
        self.assertEqual(sent[1]["encoding"], "TEXT")

    def test_batches_are_split_at_the_configured_size(self):
        messages = [msg(i, to="+2700123450%d" % i) for i in range(5)]
        results, _ = self.instance(batch_size=2).deliver(messages)
        self.assertEqual([r["outcome"] for r in results], ["accepted"] * 5)
        self.assertEqual([len(r.json()) for r in self.sim.requests], [2, 2, 1])
        ids = {r["provider_message_id"] for r in results}
        self.assertEqual(len(ids), 5)

    def test_a_resent_submission_is_deduplicated(self):
        inst = self.instance()
        first, _ = inst.deliver([msg(1)])
        again, _ = inst.deliver([msg(1, attempt=2)])
        self.assertEqual(len(self.sim.messages), 1)
        self.assertEqual(self.sim.duplicates, 1)
        self.assertEqual(first[0]["provider_message_id"], again[0]["provider_message_id"])
        self.assertEqual(self.sim.requests[0].query["deduplication-id"], self.sim.requests[1].query["deduplication-id"])

    def test_receipts_and_replies_are_parsed(self):
        inst = self.instance()
        results, _ = inst.deliver([msg(1), msg(2, to="+27001234568")])
        with Receiver() as hook:
            url = hook.base_url + "/v1/webhooks/sms?secret=0123456789abcdef"
            self.sim.post_receipts({"url": url, "status": "DELIVERED", "ids": [results[0]["provider_message_id"]]})
            self.sim.post_receipts({"url": url, "status": "FAILED", "subtype": "EXPIRED",
                                    "ids": [results[1]["provider_message_id"]]})
            self.sim.post_receipts({"url": url, "reply": {"from": "+27001234567", "body": "Yes I'll be there",
                                                          "related": results[0]["provider_message_id"]}})
            posted = list(hook.requests)
        self.assertEqual(len(posted), 3)
        updates = []
        for p in posted:
            status, ups = inst.parse_webhook(p.body, query=p.raw_query)
            self.assertEqual(status, 200)
            updates += ups
        self.assertEqual([(u["kind"], u["status"], u["message_id"]) for u in updates[:2]],
                         [("status", "delivered", "m1"), ("status", "expired", "m2")])
        self.assertEqual(updates[0]["provider_message_id"], results[0]["provider_message_id"])
        self.assertEqual(updates[2]["kind"], "reply")
        self.assertEqual(updates[2]["from"], "+27001234567")
        self.assertEqual(updates[2]["text"], "Yes I'll be there")
        self.assertEqual(updates[2]["provider_message_id"], results[0]["provider_message_id"])


class SimulatorBehavesLikeBulkSms(unittest.TestCase):
    def setUp(self):
        self.sim = BulkSmsSimulator().start()
        self.addCleanup(self.sim.stop)
        self.auth = "Basic " + base64.b64encode(b"agency:secret").decode()

    def post(self, body, query="", ctype="application/json", auth=None):
        data = body if isinstance(body, bytes) else json.dumps(body).encode()
        return perform({"url": self.sim.base_url + "/v1/messages" + query, "method": "POST", "body": data,
                        "headers": [("Content-Type", ctype), ("Authorization", auth or self.auth)]}, 5)

    def test_shorthand_forms_are_accepted_like_the_live_api(self):
        status, body, _ = self.post({"to": "+27001234567", "body": "Hi"})
        self.assertEqual(status, 201)
        self.assertEqual(json.loads(body)[0]["status"]["id"], "ACCEPTED.null")

    def test_errors_have_the_provider_shape(self):
        for args, code, kind in [((b"not json",), 400, "bad-request"),
                                 (([{"to": "+27001234567"}],), 400, "bad-request"),
                                 (([{"to": "12", "body": "x"}],), 400, "bad-request"),
                                 (([{"to": "+27001234567", "body": "x"}], "?deduplication-id=abc"), 400, "bad-request"),
                                 (([{"to": "+27001234567", "body": "x"}], "", "text/plain"), 415, "unsupported-media-type"),
                                 (([{"to": "+27001234567", "body": "x"}], "", "application/json", "Basic eDp5"), 401,
                                  "authentication-failed")]:
            status, body, _ = self.post(*args)
            self.assertEqual(status, code, args)
            err = json.loads(body)
            self.assertEqual(err["type"], "https://developer.bulksms.com/json/v1/errors#" + kind)
            self.assertEqual(err["status"], code)
            self.assertIn("title", err)

    def test_submission_limit(self):
        entries = [{"to": "+27001234567", "body": "x"}] * 30001
        status, body, _ = self.post(entries)
        self.assertEqual(status, 400)
        self.assertIn("30000", json.loads(body)["detail"])

    def test_control_api_over_http(self):
        status, _, _ = perform({"url": self.sim.base_url + "/_sim/faults", "method": "POST", "headers": [],
                                "body": json.dumps({"fault": "no_credit"}).encode()}, 5)
        self.assertEqual(status, 200)
        status, body, _ = self.post([{"to": [{"address": "+27001234567"}], "body": "x"}])
        self.assertEqual(status, 403)
        self.assertEqual(json.loads(body)["title"], "Insufficient Credits")


if __name__ == "__main__":
    unittest.main()
