"""The clickatell plugin (.so, through its C ABI) against the legacy Clickatell simulator: batches, every
failure class, unicode, invalid numbers, and the simulator's own receipts and replies parsed by the plugin."""
import json
import unittest
from urllib.parse import parse_qs

from clickatell import ClickatellSimulator
from plugin_driver import Plugin, plugin_path
from webhook_catcher import WebhookCatcher

PLUGIN = Plugin(plugin_path("extcomm-clickatell"))


def settings(sim, **extra):
    return dict({"base_url": sim.base_url, "user": "agency", "password": "secret", "api_id": "3412345"}, **extra)


def sms(to, body, key=None, id=None):
    return {"to": to, "body": body, "id": id or "msg-" + to, "idempotency_key": key or "0b7c6a1e-1111-4a2b-9c3d-" + to[-12:].rjust(12, "0")}


class CodecAgainstSimulator(unittest.TestCase):
    def setUp(self):
        self.sim = ClickatellSimulator().start()
        self.addCleanup(self.sim.stop)
        self.transport = PLUGIN.create(settings(self.sim, **{"from": "27830000000"}))
        self.addCleanup(self.transport.close)

    def test_descriptor_states_capabilities(self):
        d = PLUGIN.descriptor
        self.assertEqual(d["id"], "clickatell")
        self.assertEqual(d["send_mode"], 2)
        self.assertEqual(d["flags"] & 0b1011, 0b1011)  # unicode, receipts, replies
        self.assertFalse(d["flags"] & 0b100)            # no idempotency: Clickatell does not dedupe climsgid
        schema = d["settings_schema"]
        self.assertFalse(schema["additionalProperties"])

    def test_send_builds_exactly_the_documented_request(self):
        results, _ = self.transport.deliver([sms("+27999000001", "See you at 10:00", key="3f2b8c1e-4a5d-4e6f-9a0b-1c2d3e4f5a6b")])
        self.assertEqual(results[0]["outcome"], "accepted")
        self.assertEqual(len(self.sim.requests), 1)
        req = self.sim.requests[0]
        self.assertEqual((req.method, req.path), ("POST", "/http/sendmsg"))
        self.assertEqual(req.headers["content-type"], "application/x-www-form-urlencoded")
        self.assertEqual(req.form(), {"user": ["agency"], "password": ["secret"], "api_id": ["3412345"],
                                      "to": ["27999000001"], "text": ["See you at 10:00"], "from": ["27830000000"],
                                      "mo": ["1"], "callback": ["7"], "deliv_ack": ["1"],
                                      "climsgid": ["3f2b8c1e4a5d4e6f9a0b1c2d3e4f5a6b"]})
        self.assertEqual(results[0]["provider_message_id"], self.sim.messages[0]["apiMsgId"])

    def test_batch_larger_than_the_provider_limit_is_one_request_per_message(self):
        n = 50  # the descriptor's max batch size; each is its own request (Clickatell allows 600 numbers per POST)
        self.assertEqual(PLUGIN.descriptor["max_batch_size"], n)
        batch = [sms("+2799900%04d" % i, "Reminder") for i in range(n)]
        results, requests = self.transport.deliver(batch)
        self.assertEqual([r["outcome"] for r in results], ["accepted"] * n)
        self.assertEqual(len(self.sim.requests), n)
        self.assertTrue(all("," not in r.form()["to"][0] for r in self.sim.requests))
        self.assertEqual(sorted(m["to"] for m in self.sim.messages), sorted("2799900%04d" % i for i in range(n)))

    def test_unicode_is_sent_as_ucs2_hex(self):
        results, _ = self.transport.deliver([sms("+27999000001", "Привет 👋 — 10:00")])
        self.assertEqual(results[0]["outcome"], "accepted")
        form = self.sim.requests[0].form()
        self.assertEqual(form["unicode"], ["1"])
        self.assertEqual(self.sim.messages[0]["text"], "Привет 👋 — 10:00")

    def test_long_text_uses_concatenation(self):
        body = "x" * 400
        results, _ = self.transport.deliver([sms("+27999000001", body)])
        self.assertEqual(results[0]["outcome"], "accepted")
        self.assertEqual(self.sim.requests[0].form()["concat"], ["3"])

    def test_invalid_number_is_rejected_without_a_request(self):
        results, _ = self.transport.deliver([sms("0821234567", "x"), sms("+27 12ab", "x"), sms("+27999000001", "ok")])
        self.assertEqual([r["outcome"] for r in results], ["rejected", "rejected", "accepted"])
        self.assertEqual(results[0]["provider_code"], "invalid-number")
        self.assertEqual(len(self.sim.requests), 1)

    def test_number_the_provider_refuses(self):
        self.sim.inject("reject_number", number="27999000002")
        results, _ = self.transport.deliver([sms("+27999000002", "x")])
        self.assertEqual((results[0]["outcome"], results[0]["provider_code"]), ("rejected", "105"))

    def test_failure_classes(self):
        cases = [
            ("bad_credentials", {}, "transport_failure", "001"),
            ("bad_api_id", {}, "transport_failure", "108"),
            ("no_credit", {}, "transport_failure", "301"),
            ("error", {"code": "004"}, "transport_failure", "004"),
            ("error", {"code": "007"}, "transport_failure", "007"),
            ("error", {"code": "302"}, "transport_failure", "302"),
            ("error", {"code": "114"}, "rejected", "114"),
            ("error", {"code": "121"}, "rejected", "121"),
            ("error", {"code": "122"}, "rejected", "122"),
            ("error", {"code": "128"}, "rejected", "128"),
            ("error", {"code": "106"}, "rejected", "106"),
            ("error", {"code": "901"}, "retry", "901"),
            ("status", {"status": 429, "body": "Too Many Requests", "headers": {"Retry-After": "4"}}, "retry", "HTTP 429"),
            ("status", {"status": 500, "body": ""}, "retry", "HTTP 500"),
            ("status", {"status": 503, "body": "Service Unavailable"}, "retry", "HTTP 503"),
        ]
        for fault, params, outcome, code in cases:
            with self.subTest(fault=fault, **{k: str(v) for k, v in params.items()}):
                self.sim.inject(fault, **params)
                results, _ = self.transport.deliver([sms("+27999000001", "x")])
                self.assertEqual((results[0]["outcome"], results[0]["provider_code"]), (outcome, code))
                self.assertNotIn("secret", results[0]["provider_text"])
                if code == "HTTP 429":
                    self.assertEqual(results[0]["retry_after_ms"], 4000)

    def test_receipts_and_replies_from_the_simulator_are_parsed(self):
        results, _ = self.transport.deliver([sms("+27999000001", "a"), sms("+27999000002", "b")])
        ids = [r["provider_message_id"] for r in results]
        for method in ("POST", "GET"):
            with self.subTest(method=method), WebhookCatcher() as catcher:
                answers = self.sim.post_receipts({"url": catcher.url, "status": "004", "method": method})
                answers += self.sim.post_receipts({"url": catcher.url, "status": "007", "ids": [ids[1]], "method": method})
                answers += self.sim.post_receipts({"url": catcher.url, "method": method,
                                                   "reply": {"from": "27999000001", "text": "Yes, I’ll be there"}})
                self.assertEqual([a[0] for a in answers], [200] * 4)
                updates = []
                for call in catcher.calls:
                    status, parsed = self.transport.parse_webhook(call["body"], query=call["query"], method=call["method"],
                                                                  path=call["path"], headers=call["headers"])
                    self.assertEqual(status, 200)
                    updates += parsed
                self.assertEqual([(u["kind"], u["status"], u["provider_message_id"]) for u in updates[:3]],
                                 [("status", "delivered", ids[0]), ("status", "delivered", ids[1]), ("status", "failed", ids[1])])
                reply = updates[3]
                self.assertEqual((reply["kind"], reply["from"], reply["text"]), ("reply", "+27999000001", "Yes, I’ll be there"))
                self.assertGreater(reply["occurred_at_ms"], 0)

    def test_callback_from_another_account_is_refused(self):
        status, updates = self.transport.parse_webhook(b"", query="api_id=999&apiMsgId=x&status=004", method="GET")
        self.assertEqual((status, updates), (403, []))


class SimulatorChecksLikeClickatell(unittest.TestCase):
    """The simulator refuses what Clickatell refuses, with Clickatell's answers."""

    def setUp(self):
        self.sim = ClickatellSimulator().start()
        self.addCleanup(self.sim.stop)

    def call(self, fields, method="POST", ctype="application/x-www-form-urlencoded"):
        import urllib.parse
        import urllib.request
        data = urllib.parse.urlencode(fields)
        if method == "GET":
            req = urllib.request.Request(self.sim.base_url + "/http/sendmsg?" + data)
        else:
            req = urllib.request.Request(self.sim.base_url + "/http/sendmsg", data=data.encode(), headers={"Content-Type": ctype})
        with urllib.request.urlopen(req, timeout=10) as resp:
            return resp.status, resp.read().decode()

    def ok(self, **extra):
        return dict({"user": "agency", "password": "secret", "api_id": "3412345", "to": "27999000001", "text": "hi"}, **extra)

    def test_checks(self):
        self.assertRegex(self.call(self.ok())[1], r"^ID: [0-9a-f]{32}$")
        self.assertEqual(self.call(self.ok(), method="GET")[0], 200)
        self.assertEqual(self.call(self.ok(password="wrong")), (200, "ERR: 001, Authentication failed"))
        self.assertEqual(self.call(self.ok(api_id="1")), (200, "ERR: 108, Invalid or missing API ID"))
        self.assertEqual(self.call(self.ok(), ctype="application/json")[1], "ERR: 001, Authentication failed")
        self.assertEqual(self.call(self.ok(to="+27999000001"))[1], "ERR: 105, Invalid Destination Address")
        self.assertEqual(self.call(self.ok(to="0027999000001"))[1], "ERR: 105, Invalid Destination Address")
        self.assertEqual(self.call(self.ok(text=""))[1], "ERR: 107, Empty message")
        self.assertEqual(self.call(self.ok(text="zz", unicode="1"))[1], "ERR: 116, Invalid Unicode data")
        self.assertEqual(self.call(self.ok(text="x" * 161))[1], "ERR: 113, Maximum message parts exceeded")
        self.assertRegex(self.call(self.ok(text="x" * 161, concat="2"))[1], r"^ID: ")
        self.assertRegex(self.call(self.ok(climsgid="a" * 33))[1], r"^ERR: 101, ")
        multi = self.call(self.ok(to="27999000001,123"))[1].splitlines()
        self.assertRegex(multi[0], r"^ID: [0-9a-f]{32} To: 27999000001$")
        self.assertEqual(multi[1], "ERR: 105, Invalid Destination Address To: 123")
        self.assertRegex(self.call(self.ok(to=",".join(["27999000001"] * 601)))[1], r"^ERR: 101, ")
        self.assertRegex(self.call(self.ok(to=",".join(["27999000001"] * 301)), method="GET")[1], r"^ERR: 101, ")


if __name__ == "__main__":
    unittest.main()
