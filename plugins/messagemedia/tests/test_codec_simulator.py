"""The messagemedia plugin (.so, through the C ABI) against the MessageMedia simulator: what goes on the
wire, and how each provider answer ends up. Also checks the simulator answers as MessageMedia does."""
import base64
import json
import unittest

import pytest_support
from plugin_driver import Plugin, perform
from messagemedia import MessageMediaSimulator
from simbase import Reply, Simulator

PLUGIN = Plugin(pytest_support.plugin_path("extcomm-messagemedia"))
TOKEN = "0123456789abcdef"


class Receiver(Simulator):
    """Stands in for extcomm's webhook endpoint: records what the provider posts."""

    def handle(self, req):
        return Reply.json(200, {})


def msg(i, to="+61491570156", body="Your appointment is tomorrow at 10:00", **kw):
    return dict({"id": "msg-%d" % i, "idempotency_key": "key-%d" % i, "to": to, "body": body}, **kw)


class MessageMediaAgainstSimulator(unittest.TestCase):
    def setUp(self):
        self.sim = MessageMediaSimulator().start()
        self.addCleanup(self.sim.stop)

    def instance(self, **settings):
        s = dict({"base_url": self.sim.base_url, "api_key": "mm-key", "api_secret": "mm-secret"}, **settings)
        inst = PLUGIN.create(s)
        self.addCleanup(inst.close)
        return inst

    def test_descriptor_states_capabilities_and_a_strict_schema(self):
        d = PLUGIN.descriptor
        self.assertEqual(d["id"], "messagemedia")
        self.assertEqual(d["max_batch_size"], 100)
        self.assertEqual(d["max_body_length"], 5000)
        self.assertEqual(d["flags"] & 0b1111, 0b1011)  # unicode, receipts, replies; no idempotency key
        schema = d["settings_schema"]
        self.assertFalse(schema["additionalProperties"])
        self.assertEqual(sorted(schema["required"]), ["api_key", "api_secret"])
        for name, prop in schema["properties"].items():
            self.assertTrue(prop.get("description"), name)

    def test_successful_send_is_exactly_the_right_request(self):
        hook = "https://extcomm.example.org/v1/webhooks/sms?token=" + TOKEN
        results, _ = self.instance(callback_url=hook, source_number="Agency").deliver([msg(1)])
        self.assertEqual(results[0]["outcome"], "accepted")
        self.assertEqual(results[0]["provider_message_id"], self.sim.messages[0]["message_id"])
        self.assertEqual(results[0]["provider_code"], "queued")
        self.assertEqual(len(self.sim.requests), 1)
        req = self.sim.requests[0]
        self.assertEqual((req.method, req.path), ("POST", "/v1/messages"))
        self.assertEqual(req.headers["content-type"], "application/json")
        self.assertEqual(req.headers["accept"], "application/json")
        self.assertEqual(req.headers["authorization"], "Basic " + base64.b64encode(b"mm-key:mm-secret").decode())
        self.assertEqual(req.json(), {"messages": [{
            "content": "Your appointment is tomorrow at 10:00", "destination_number": "+61491570156",
            "format": "SMS", "delivery_report": True, "callback_url": hook, "source_number": "Agency",
            "source_number_type": "ALPHANUMERIC", "metadata": {"extcomm_message_id": "msg-1"}}]})

    def test_bad_credentials_403_and_401_stop_the_transport(self):
        results, _ = self.instance(api_secret="wrong").deliver([msg(1)])
        self.assertEqual(results[0]["outcome"], "transport_failure")
        self.assertEqual(results[0]["provider_code"], "403")
        self.assertIn("Invalid authentication credentials", results[0]["provider_text"])
        self.assertNotIn("wrong", results[0]["provider_text"])
        self.sim.inject("bad_credentials_401")
        results, _ = self.instance().deliver([msg(2)])
        self.assertEqual((results[0]["outcome"], results[0]["provider_code"]), ("transport_failure", "401"))

    def test_one_invalid_number_does_not_block_the_others(self):
        # The provider refuses the whole batch (all-or-nothing); the plugin says resend each alone.
        self.sim.inject("reject_number", number="+61491570157")
        results, _ = self.instance().deliver([msg(1), msg(2, to="+61491570157"), msg(3, to="+61491570158")])
        self.assertEqual([r["outcome"] for r in results], ["accepted", "rejected", "accepted"])
        self.assertEqual(results[1]["provider_code"], "400")
        self.assertIn("destination_number", results[1]["provider_text"])
        self.assertEqual([len(r.json()["messages"]) for r in self.sim.requests], [3, 1, 1, 1])
        self.assertEqual(sorted(m["destination_number"] for m in self.sim.messages), ["+61491570156", "+61491570158"])

    def test_invalid_numbers_are_rejected_before_sending(self):
        results, _ = self.instance().deliver([msg(1), msg(2, to="0491570156"), msg(3, to="+61 4915 70x")])
        self.assertEqual([r["outcome"] for r in results], ["accepted", "rejected", "rejected"])
        self.assertEqual(results[1]["provider_code"], "invalid-number")
        self.assertEqual(len(self.sim.requests), 1)  # never poisoned the batch
        self.assertEqual(len(self.sim.requests[0].json()["messages"]), 1)

    def test_national_numbers_with_a_default_country(self):
        results, _ = self.instance(default_country_code="61").deliver([msg(1, to="0491 570 156")])
        self.assertEqual(results[0]["outcome"], "accepted")
        self.assertEqual(self.sim.messages[0]["destination_number"], "+61491570156")

    def test_transient_answers_are_retries(self):
        for status in (429, 500, 503):
            self.sim.inject("status", status=status, body={"message": "busy"}, headers={"Retry-After": "3"})
            results, _ = self.instance().deliver([msg(status)])
            self.assertEqual(results[0]["outcome"], "retry", status)
            self.assertEqual(results[0]["retry_after_ms"], 3000)

    def test_slow_answer_and_connection_reset_never_reach_decode(self):
        self.sim.inject("slow", seconds=2)
        results, _ = self.instance().deliver([msg(1)], timeout=0.3)
        self.assertEqual(results[0]["outcome"], "retry")
        self.sim.inject("reset")
        results, _ = self.instance().deliver([msg(2)])
        self.assertEqual(results[0]["outcome"], "retry")

    def test_unicode_content_is_delivered_intact(self):
        results, _ = self.instance().deliver([msg(1, body="Привет 😀 — à demain")])
        self.assertEqual(results[0]["outcome"], "accepted")
        self.assertEqual(self.sim.messages[0]["content"], "Привет 😀 — à demain")

    def test_more_than_one_hundred_messages_are_split(self):
        messages = [msg(i, to="+614915%05d" % i) for i in range(205)]
        results, _ = self.instance().deliver(messages)
        self.assertEqual({r["outcome"] for r in results}, {"accepted"})
        self.assertEqual([len(r.json()["messages"]) for r in self.sim.requests], [100, 100, 5])
        self.assertEqual(len({r["provider_message_id"] for r in results}), 205)

    def test_receipts_and_replies_are_parsed(self):
        with Receiver() as hook:
            url = hook.base_url + "/v1/webhooks/sms?secret=" + TOKEN
            inst = self.instance(callback_url=url)
            results, _ = inst.deliver([msg(1), msg(2, to="+61491570157")])
            self.sim.post_receipts({"status": "delivered", "error_code": "220", "ids": [results[0]["provider_message_id"]]})
            self.sim.post_receipts({"status": "expired", "error_code": "320", "ids": [results[1]["provider_message_id"]]})
            self.sim.post_receipts({"reply": {"message_id": results[0]["provider_message_id"], "content": "Yes please"}})
            posted = list(hook.requests)
        self.assertEqual(len(posted), 3)
        updates = []
        for p in posted:
            self.assertEqual(p.path, "/v1/webhooks/sms")
            status, ups = inst.parse_webhook(p.body, query=p.raw_query)
            self.assertEqual(status, 200)
            updates += ups
        self.assertEqual([(u["kind"], u["status"], u["message_id"], u["provider_code"]) for u in updates[:2]],
                         [("status", "delivered", "msg-1", "220"), ("status", "expired", "msg-2", "320")])
        self.assertEqual(updates[0]["provider_message_id"], results[0]["provider_message_id"])
        self.assertGreater(updates[0]["occurred_at_ms"], 0)
        reply = updates[2]
        self.assertEqual((reply["kind"], reply["from"], reply["text"], reply["message_id"]),
                         ("reply", "+61491570156", "Yes please", "msg-1"))

    def test_out_of_credit_shows_in_the_receipts(self):
        self.sim.inject("no_credit")
        inst = self.instance()
        results, _ = inst.deliver([msg(1)])
        self.assertEqual(results[0]["outcome"], "accepted")  # MessageMedia reports credit asynchronously
        with Receiver() as hook:
            self.sim.post_receipts({"url": hook.base_url + "/v1/webhooks/sms"})
            posted = list(hook.requests)
        status, updates = inst.parse_webhook(posted[0].body)
        self.assertEqual((updates[0]["status"], updates[0]["provider_code"]), ("rejected", "301"))
        self.assertIn("credit", updates[0]["provider_text"])


class SimulatorBehavesLikeMessageMedia(unittest.TestCase):
    def setUp(self):
        self.sim = MessageMediaSimulator().start()
        self.addCleanup(self.sim.stop)
        self.auth = "Basic " + base64.b64encode(b"mm-key:mm-secret").decode()

    def post(self, body, ctype="application/json", auth=None):
        data = body if isinstance(body, bytes) else json.dumps(body).encode()
        return perform({"url": self.sim.base_url + "/v1/messages", "method": "POST", "body": data,
                        "headers": [("Content-Type", ctype), ("Authorization", auth or self.auth)]}, 5)

    def test_all_or_nothing(self):
        status, body, _ = self.post({"messages": [{"content": "a", "destination_number": "+61491570156"},
                                                  {"content": "b", "destination_number": "0491570156"}]})
        self.assertEqual(status, 400)
        err = json.loads(body)
        self.assertEqual(set(err), {"message", "details"})
        self.assertIn("messages[1].destination_number", err["details"][0])
        self.assertEqual(self.sim.messages, [])

    def test_limits_and_shapes(self):
        one = {"content": "a", "destination_number": "+61491570156"}
        for body, code in [({"messages": [one] * 101}, 400), ({"messages": []}, 400), (b"{", 400),
                           ({"messages": [dict(one, content="")]}, 400),
                           ({"messages": [dict(one, destination_number="+6149157015612345")]}, 400),
                           ({"messages": [dict(one, metadata={"k%d" % i: "v" for i in range(11)})]}, 400),
                           ({"messages": [one]}, 202)]:
            status, _, _ = self.post(body)
            self.assertEqual(status, code, body if isinstance(body, bytes) else json.dumps(body)[:80])

    def test_auth_failure_is_the_spec_403(self):
        status, body, _ = self.post({"messages": []}, auth="Basic " + base64.b64encode(b"mm-key:nope").decode())
        self.assertEqual((status, json.loads(body)), (403, {"message": "Invalid authentication credentials"}))


if __name__ == "__main__":
    unittest.main()
