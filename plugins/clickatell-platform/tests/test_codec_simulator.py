"""The clickatell-platform plugin (.so, through its C ABI) against the Clickatell Platform simulator: batches,
every failure class, unicode, invalid numbers, and the simulator's receipts and replies parsed by the plugin."""
import json
import unittest

from clickatell_platform import ClickatellPlatformSimulator
from plugin_driver import Plugin, plugin_path
from webhook_catcher import WebhookCatcher

PLUGIN = Plugin(plugin_path("extcomm-clickatell-platform"))
KEY = "platform-api-key-0001"


def sms(to, body, key=None):
    return {"to": to, "body": body, "id": "msg-" + to, "idempotency_key": key or "0b7c6a1e-1111-4a2b-9c3d-" + to[-12:].rjust(12, "0")}


class CodecAgainstSimulator(unittest.TestCase):
    def setUp(self):
        self.sim = ClickatellPlatformSimulator().start()
        self.addCleanup(self.sim.stop)
        self.transport = PLUGIN.create({"base_url": self.sim.base_url, "api_key": KEY, "from": "27830000000"})
        self.addCleanup(self.transport.close)

    def test_descriptor_states_capabilities(self):
        d = PLUGIN.descriptor
        self.assertEqual((d["id"], d["send_mode"], d["max_batch_size"]), ("clickatell-platform", 2, 100))
        self.assertEqual(d["flags"] & 0b1011, 0b1011)
        self.assertFalse(d["flags"] & 0b100)
        self.assertFalse(d["settings_schema"]["additionalProperties"])

    def test_send_builds_exactly_the_documented_request(self):
        results, _ = self.transport.deliver([sms("+27999000001", "See you at 10:00", key="3f2b8c1e-4a5d-4e6f-9a0b-1c2d3e4f5a6b")])
        self.assertEqual(results[0]["outcome"], "accepted", results)
        self.assertEqual(len(self.sim.requests), 1)
        req = self.sim.requests[0]
        self.assertEqual((req.method, req.path), ("POST", "/messages"))
        self.assertEqual(req.headers["authorization"], KEY)
        self.assertEqual(req.headers["content-type"], "application/json")
        self.assertEqual(req.headers["accept"], "application/json")
        self.assertEqual(req.json(), {"content": "See you at 10:00", "to": ["27999000001"], "from": "27830000000",
                                      "clientMessageId": "3f2b8c1e4a5d4e6f9a0b1c2d3e4f5a6b"})
        self.assertEqual(results[0]["provider_message_id"], self.sim.messages[0]["apiMessageId"])

    def test_identical_bodies_share_a_request_up_to_the_limit(self):
        batch = [sms("+2799900%04d" % i, "Office closed on Monday") for i in range(100)]
        batch += [sms("+27999000001", "Personal note")]
        results, requests = self.transport.deliver(batch)
        self.assertEqual([r["outcome"] for r in results], ["accepted"] * 101)
        self.assertEqual([len(r.json()["to"]) for r in self.sim.requests], [100, 1])
        self.assertEqual(len({r["provider_message_id"] for r in results}), 101)

    def test_batch_larger_than_the_provider_limit_is_split(self):
        sim = ClickatellPlatformSimulator(max_recipients=100).start()  # a stricter provider limit than the default
        self.addCleanup(sim.stop)
        with PLUGIN.create({"base_url": sim.base_url, "api_key": KEY}) as t:
            batch = [sms("+2799900%04d" % i, "Same") for i in range(250)]  # more than one encode call would carry
            results, _ = t.deliver(batch)
        self.assertEqual([r["outcome"] for r in results], ["accepted"] * 250)
        self.assertEqual([len(r.json()["to"]) for r in sim.requests], [100, 100, 50])

    def test_unicode_is_sent_as_utf8_json(self):
        results, _ = self.transport.deliver([sms("+27999000001", "Привет 👋 — Café")])
        self.assertEqual(results[0]["outcome"], "accepted")
        self.assertEqual(self.sim.messages[0]["content"], "Привет 👋 — Café")

    def test_invalid_number_is_rejected_without_a_request(self):
        results, _ = self.transport.deliver([sms("0821234567", "x"), sms("+27 12ab", "x"), sms("+27999000001", "x")])
        self.assertEqual([r["outcome"] for r in results], ["rejected", "rejected", "accepted"])
        self.assertEqual(results[0]["provider_code"], "invalid-number")
        self.assertEqual(len(self.sim.requests), 1)

    def test_per_recipient_refusal_in_a_shared_request(self):
        self.sim.inject("reject_number", number="27999000002")
        results, _ = self.transport.deliver([sms("+27999000001", "x"), sms("+27999000002", "x"), sms("+27999000003", "x")])
        self.assertEqual(len(self.sim.requests), 1)
        self.assertEqual([r["outcome"] for r in results], ["accepted", "rejected", "accepted"])
        self.assertEqual((results[1]["provider_code"], results[1]["provider_text"]), ("25", "Invalid destination address. (The destination address is invalid.)"))

    def test_failure_classes(self):
        cases = [
            ("bad_credentials", {}, "transport_failure", "1"),
            ("no_credit", {}, "transport_failure", "20"),
            ("rate_limited", {"seconds": 5}, "retry", "43"),
            ("status", {"status": 429, "body": ""}, "retry", "HTTP 429"),
            ("status", {"status": 500, "body": "oops", "content_type": "text/plain"}, "retry", "HTTP 500"),
            ("status", {"status": 503, "body": {"messages": [], "errorCode": 19, "error": "Temporary failure"}}, "retry", "19"),
            ("status", {"status": 404, "body": {"messages": [], "error": "Some error occured"}}, "transport_failure", "HTTP 404"),
        ]
        for fault, params, outcome, code in cases:
            with self.subTest(fault=fault, **{k: str(v) for k, v in params.items()}):
                self.sim.inject(fault, **params)
                results, _ = self.transport.deliver([sms("+27999000001", "x")])
                self.assertEqual((results[0]["outcome"], results[0]["provider_code"]), (outcome, code))
                self.assertNotIn(KEY, results[0]["provider_text"])
                if fault == "rate_limited":
                    self.assertEqual(results[0]["retry_after_ms"], 5000)

    def test_receipts_and_replies_from_the_simulator_are_parsed(self):
        results, _ = self.transport.deliver([sms("+27999000001", "a"), sms("+27999000002", "b")])
        ids = [r["provider_message_id"] for r in results]
        for method in ("POST", "GET"):
            with self.subTest(method=method), WebhookCatcher() as catcher:
                answers = self.sim.post_receipts({"url": catcher.url, "statusCode": 3, "method": method})
                answers += self.sim.post_receipts({"url": catcher.url, "statusCode": 4, "ids": [ids[0]], "method": method})
                answers += self.sim.post_receipts({"url": catcher.url, "statusCode": 10, "ids": [ids[1]], "method": method})
                answers += self.sim.post_receipts({"url": catcher.url, "method": method,
                                                   "reply": {"from": "27999000001", "text": "Ja, ek kom 👍", "replyMessageId": ids[0]}})
                self.assertEqual([a[0] for a in answers], [200] * 5)
                updates = []
                for call in catcher.calls:
                    status, parsed = self.transport.parse_webhook(call["body"], query=call["query"], method=call["method"],
                                                                  path=call["path"], headers=call["headers"])
                    self.assertEqual(status, 200, call)
                    updates += parsed
                self.assertEqual([(u["kind"], u["status"], u["provider_message_id"]) for u in updates[:4]],
                                 [("status", "sent", ids[0]), ("status", "sent", ids[1]),
                                  ("status", "delivered", ids[0]), ("status", "expired", ids[1])])
                reply = updates[4]
                self.assertEqual((reply["kind"], reply["from"], reply["text"]), ("reply", "+27999000001", "Ja, ek kom 👍"))


class SimulatorChecksLikeThePlatform(unittest.TestCase):
    def setUp(self):
        self.sim = ClickatellPlatformSimulator().start()
        self.addCleanup(self.sim.stop)

    def call(self, body, auth=KEY, ctype="application/json", path="/messages"):
        import urllib.error
        import urllib.request
        data = body if isinstance(body, bytes) else json.dumps(body).encode()
        headers = {"Content-Type": ctype}
        if auth is not None:
            headers["Authorization"] = auth
        req = urllib.request.Request(self.sim.base_url + path, data=data, headers=headers)
        try:
            with urllib.request.urlopen(req, timeout=10) as resp:
                return resp.status, json.loads(resp.read())
        except urllib.error.HTTPError as e:
            return e.code, json.loads(e.read())

    def test_checks(self):
        ok = {"content": "hi", "to": ["27999000001"]}
        status, body = self.call(ok)
        self.assertEqual(status, 202)
        self.assertEqual(body["messages"][0]["accepted"], True)
        self.assertEqual(self.call(ok, auth="Bearer " + KEY)[0], 401)
        self.assertEqual(self.call(ok, auth=None)[1]["errorCode"], 1)
        self.assertEqual(self.call(ok, ctype="application/x-www-form-urlencoded")[0], 400)
        self.assertEqual(self.call(b"{not json")[0], 400)
        self.assertEqual(self.call({"to": ["27999000001"]})[0], 400)
        self.assertEqual(self.call({"content": "hi", "to": [27999000001]})[0], 400)
        self.assertEqual(self.call({"content": "hi", "to": ["27999000001", "27999000001"]})[0], 400)
        self.assertEqual(self.call({"content": "hi", "to": ["2799900%04d" % i for i in range(601)]})[0], 400)
        self.assertEqual(self.call({"content": "hi", "to": ["27999000001"], "unknown": 1})[0], 400)
        status, body = self.call({"content": "hi", "to": ["+27999000001"]})
        self.assertEqual((status, body["messages"][0]["accepted"], body["messages"][0]["errorCode"]), (202, False, 25))
        self.assertEqual(self.call(ok, path="/nothing")[0], 404)


if __name__ == "__main__":
    unittest.main()
