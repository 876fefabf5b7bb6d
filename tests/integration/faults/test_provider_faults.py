"""Faults of an HTTP provider, end to end: `extcomm serve` with a `clickatell` transport against the
Clickatell simulator on 127.0.0.1, observed through the API (POST /v1/messages, GET /v1/messages/{id},
GET /v1/transports, GET /metrics) and what the simulator received.

- the provider is down (nothing listens), then comes back on the same port: messages stay queued with
  their failed attempts recorded (retry, http-connect), the breaker opens, and once the provider is back
  everything is delivered, none lost;
- slow past the timeout, 500s, 503, 429 with Retry-After, connection reset: retried, then delivered;
- stale messages expire while the provider is down and never reach it when it is back.

A clock jump cannot be injected into a running process; the dispatcher's and outbox's unit tests cover
clock jumps (forwards and backwards) with an injectable clock (tests/unit/core).
"""
import os
import unittest
from urllib.parse import parse_qs

import faultkit
import harness
from clickatell import ClickatellSimulator

# Small backoff and breaker times so that every retry happens within a second or two.
DELIVERY = {"retry_base_ms": 100, "retry_max_ms": 400, "poll_interval_ms": 50}
LANE = {"breaker_failures": 2, "breaker_open_seconds": 1, "breaker_max_open_seconds": 2, "max_attempts": 30}


def clickatell(port, http=None):
    t = {"name": "sms", "plugin": "clickatell", "delivery": LANE,
         "settings": {"base_url": f"http://127.0.0.1:{port}", "user": "agency", "password": "secret",
                      "api_id": "3412345"}}
    if http:
        t["http"] = http
    return t


def sms(body, i=0, **extra):
    return dict({"channel": "sms", "transport": "sms", "to": "+2783%07d" % (1000 + i), "body": body}, **extra)


def texts(sim):
    """Texts of the messages the simulator accepted, in order."""
    with sim.lock:
        return [m["text"] for m in sim.messages]


def arrivals(sim, body):
    """Every request that carried `body` (accepted or not), as parsed forms."""
    with sim.lock:
        forms = [parse_qs(r.body.decode(), keep_blank_values=True) for r in sim.requests]
    return [f for f in forms if f.get("text") == [body]]


class ProviderDownTest(unittest.TestCase):
    """The provider is not listening, then comes back where it was."""

    def setUp(self):
        self.folder = harness.scratch()
        self.port = faultkit.Down.free_port()
        self.sim = None
        self.service = harness.Service.configured(self.folder.name, [clickatell(self.port)], delivery=DELIVERY)

    def tearDown(self):
        self.service.stop()
        if self.sim:
            faultkit.stop_hard(self.sim)
        self.folder.cleanup()

    def test_messages_wait_while_the_provider_is_down_and_all_go_when_it_is_back(self):
        bodies = [f"provider down {i}" for i in range(10)]
        ids = faultkit.post_messages(self.service, [sms(b, i) for i, b in enumerate(bodies)])

        def breaker_open():
            t = faultkit.transport(self.service, "sms")
            return t if t["breaker"]["state"] == "open" else None
        t = harness.wait_until(breaker_open, timeout=30, what="the breaker to open")
        self.assertEqual(t["state"], "breaker_open")
        self.assertGreaterEqual(t["breaker"]["consecutive_failures"], 2)
        self.assertIn("reopens_at_ms", t["breaker"])
        self.assertIn("http-connect", t["last_error"]["text"])
        self.assertEqual(t["queue_depth"], 10)  # nothing dropped
        for mid in ids:
            m = faultkit.message(self.service, mid)
            self.assertIn(m["state"], ("queued", "sending"))
            self.assertTrue(m["attempts"], m)
            self.assertTrue(all(a["outcome"] == "retry" and a["provider_code"] == "http-connect" for a in m["attempts"]), m)

        self.sim = faultkit.tracked(ClickatellSimulator(port=self.port))
        delivered = faultkit.wait_states(self.service, ids, {"sent"}, timeout=60)
        self.assertEqual(sorted(texts(self.sim)), sorted(bodies))  # each one arrived, once
        for m in delivered.values():
            self.assertEqual(m["attempts"][-1]["outcome"], "accepted")
            self.assertEqual(m["attempts"][0]["provider_code"], "http-connect")
        t = faultkit.transport(self.service, "sms")
        self.assertEqual((t["state"], t["breaker"]["state"], t["queue_depth"]), ("running", "closed", 0))
        retries = sum(1 for m in delivered.values() for a in m["attempts"] if a["outcome"] == "retry")
        self.assertGreater(retries, 10)  # the whole first batch, then at least the batch that opened the breaker
        self.assertEqual(harness.metric(self.service, "extcomm_deliveries_total", transport="sms", outcome="retry"), retries)
        self.assertEqual(harness.metric(self.service, "extcomm_deliveries_total", transport="sms", outcome="accepted"), 10)
        self.assertEqual(harness.metric(self.service, "extcomm_messages", state="sent"), 10)

    def test_stale_messages_expire_and_never_reach_the_provider(self):
        stale = [f"stale {i}" for i in range(3)]
        fresh = [f"fresh {i}" for i in range(3)]
        stale_ids = faultkit.post_messages(self.service, [sms(b, i, expires_in_seconds=1) for i, b in enumerate(stale)])
        fresh_ids = faultkit.post_messages(self.service, [sms(b, 10 + i) for i, b in enumerate(fresh)])
        expired = faultkit.wait_states(self.service, stale_ids, {"expired"}, timeout=30)
        for m in expired.values():
            # Expired at a claim ('expired'), or when its next retry would have come too late (the last
            # provider code stays): either way never sent.
            self.assertIn(m["last_code"], ("expired", "http-connect"))
            self.assertLessEqual(m["expires_at_ms"] - m["created_at_ms"], 1000 + 50)
            self.assertFalse([a for a in m["attempts"] if a["outcome"] == "accepted"], m)

        self.sim = faultkit.tracked(ClickatellSimulator(port=self.port))
        faultkit.wait_states(self.service, fresh_ids, {"sent"}, timeout=60)
        self.assertEqual(sorted(texts(self.sim)), sorted(fresh))
        with self.sim.lock:
            seen = b"".join(r.body for r in self.sim.requests)
        for body in stale:
            self.assertNotIn(body.encode(), seen)  # not even an attempt reached the provider
        for mid in stale_ids:
            self.assertEqual(faultkit.message(self.service, mid)["state"], "expired")
        self.assertEqual(harness.metric(self.service, "extcomm_messages", state="expired"), 3)


class ProviderMisbehavesTest(unittest.TestCase):
    """The provider is up but answers late, with errors, or not at all: each message is retried with
    its failed attempts recorded and then delivered."""

    @classmethod
    def setUpClass(cls):
        cls.sim = faultkit.tracked(ClickatellSimulator())
        cls.folder = harness.scratch()
        cls.service = harness.Service.configured(
            cls.folder.name, [clickatell(cls.sim.port, http={"timeout_ms": 500})], delivery=DELIVERY)

    @classmethod
    def tearDownClass(cls):
        cls.service.stop()
        faultkit.stop_hard(cls.sim)
        cls.folder.cleanup()

    def send(self, body):
        """One message, sent while the injected fault is the next thing the simulator does; returns it
        once sent, with its attempts."""
        (mid,) = faultkit.post_messages(self.service, [sms(body)])
        return faultkit.wait_states(self.service, [mid], {"sent"}, timeout=60)[mid]

    def outcomes(self, m):
        return [(a["outcome"], a["provider_code"]) for a in m["attempts"]]

    def test_slow_past_the_timeout(self):
        self.sim.inject("slow", seconds=2)
        m = self.send("slow answer")
        self.assertEqual(self.outcomes(m)[0], ("retry", "http-timeout"))
        self.assertEqual(self.outcomes(m)[-1][0], "accepted")
        # The late answer may still have counted at the provider (an ambiguous outcome): every arrival
        # carries the same client message id, derived from the message's idempotency key.
        forms = arrivals(self.sim, "slow answer")
        self.assertGreaterEqual(len(forms), 2)
        self.assertEqual({f["climsgid"][0] for f in forms}, {m["idempotency_key"].replace("-", "")})

    def test_500s(self):
        self.sim.inject("status", count=2, status=500, body="Internal Server Error", content_type="text/plain")
        m = self.send("after two 500s")
        self.assertEqual(self.outcomes(m)[:2], [("retry", "HTTP 500")] * 2)
        self.assertEqual(self.outcomes(m)[2][0], "accepted")
        self.assertEqual(len(m["attempts"]), 3)

    def test_503(self):
        self.sim.inject("status", status=503, body="Service Unavailable", content_type="text/plain")
        m = self.send("after a 503")
        self.assertEqual([o for o, _ in self.outcomes(m)], ["retry", "accepted"])
        self.assertEqual(self.outcomes(m)[0], ("retry", "HTTP 503"))

    def test_429_with_retry_after(self):
        self.sim.inject("status", status=429, body="Too Many Requests", content_type="text/plain",
                        headers={"Retry-After": "2"})
        m = self.send("after a 429")
        self.assertEqual([o for o, _ in self.outcomes(m)], ["retry", "accepted"])
        self.assertEqual(self.outcomes(m)[0], ("retry", "HTTP 429"))
        # Recorded data, not wall-clock speed: the next attempt was not made before the provider asked.
        first, second = m["attempts"]
        self.assertGreaterEqual(second["at_ms"] - first["at_ms"], 2000)

    def test_connection_reset(self):
        # Two resets: libcurl may retry a request once by itself when a reused connection dies before any
        # answer; the second reset then reaches the host as a failed attempt all the same.
        self.sim.inject("reset", count=2)
        m = self.send("after a reset")
        self.assertEqual(self.outcomes(m)[0], ("retry", "http-reset"))
        self.assertEqual(self.outcomes(m)[-1][0], "accepted")
        self.assertEqual(texts(self.sim).count("after a reset"), 1)


if __name__ == "__main__":
    unittest.main()
