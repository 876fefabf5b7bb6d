"""Bad credentials mid-run: the provider starts refusing the account after some messages went out.
The transport pauses (a transport-level failure is not the messages' fault), GET /v1/transports shows
why and how many messages wait, nothing more is sent, an error-notice digest goes out through the
`file` transport's spool, a restart keeps the pause, and POST /v1/transports/{name}/resume (or a
configuration change, at restart) lets everything waiting through."""
import os
import unittest
from urllib.parse import parse_qs

import faultkit
import harness
from clickatell import ClickatellSimulator

DELIVERY = {"retry_base_ms": 100, "retry_max_ms": 400, "poll_interval_ms": 50}
LANE = {"breaker_failures": 2, "breaker_open_seconds": 1, "breaker_max_open_seconds": 2}


def sms(body, i=0):
    return {"channel": "sms", "transport": "sms", "to": "+2783%07d" % (2000 + i), "body": body}


class BadCredentialsTest(unittest.TestCase):
    def setUp(self):
        self.sim = faultkit.tracked(ClickatellSimulator())
        self.folder = harness.scratch()
        self.spool = os.path.join(self.folder.name, "spool")
        self.service = None

    def tearDown(self):
        if self.service:
            self.service.stop()
        faultkit.stop_hard(self.sim)
        self.folder.cleanup()

    def configure(self, callback=7):
        return harness.write_config(self.folder.name, [
            {"name": "sms", "plugin": "clickatell", "delivery": LANE,
             "settings": {"base_url": self.sim.base_url, "user": "agency", "password": "secret", "api_id": "3412345",
                          "callback": callback}},
            {"name": "mail", "plugin": "file", "settings": {"spool": self.spool}},
        ], delivery=DELIVERY, error_notices={"recipients": ["ops@agency.example"], "transport": "mail",
                                             "interval_seconds": 1})

    def restart(self, config):
        code, _ = self.service.stop()
        self.assertEqual(code, 0)
        self.service = harness.Service(config)

    def accepted_texts(self):
        with self.sim.lock:
            return [m["text"] for m in self.sim.messages]

    def requests(self):
        with self.sim.lock:
            return len(self.sim.requests)

    def digests(self):
        return harness.spooled(self.spool)

    def paused(self):
        t = faultkit.transport(self.service, "sms")
        return t if t["state"] == "paused" else None

    def break_credentials(self, bodies, first=0):
        """The provider refuses the account from now on; `bodies` are posted and the transport pauses."""
        self.sim.inject("bad_credentials", count=10**9)
        ids = faultkit.post_messages(self.service, [sms(b, first + i) for i, b in enumerate(bodies)])
        return ids, harness.wait_until(self.paused, timeout=30, what="the transport to pause")

    def test_paused_until_resumed_across_a_restart(self):
        config = self.configure()
        self.service = harness.Service(config)
        before = [f"before {i}" for i in range(3)]
        before_ids = faultkit.post_messages(self.service, [sms(b, i) for i, b in enumerate(before)])
        faultkit.wait_states(self.service, before_ids, {"sent"})

        waiting = [f"waiting {i}" for i in range(10)]
        ids, t = self.break_credentials(waiting, first=10)
        # The provider's code and text, as it gave them.
        self.assertIn("001", t["paused_reason"])
        self.assertIn("Authentication failed", t["paused_reason"])
        self.assertIn("transport_failure 001: Authentication failed", t["last_error"]["text"])
        harness.wait_until(lambda: faultkit.transport(self.service, "sms")["queue_depth"] == 10, timeout=30,
                           what="queue depth 10 (the claims handed back)")
        for mid in ids:
            m = faultkit.message(self.service, mid)
            self.assertIn(m["state"], ("queued", "sending"))
            # A transport failure is not the message's: its attempt budget is untouched.
            for a in m["attempts"]:
                self.assertEqual((a["outcome"], a["provider_code"]), ("transport_failure", "001"))

        # One digest email to the error-notice recipients, through the `file` transport.
        def paused_digest():
            return [d for d in self.digests() if "Authentication failed" in d.get("body", "")]
        digest = harness.wait_until(paused_digest, timeout=30, what="the error-notice digest in the spool")[0]
        self.assertEqual(digest["to"], "ops@agency.example")
        self.assertIn("transport paused", digest["body"])
        self.assertIn("via sms: 001: Authentication failed", digest["body"])
        sent_while_paused = self.requests()

        # A restart keeps the pause; more messages are accepted and wait with the others.
        self.restart(config)
        t = faultkit.transport(self.service, "sms")
        self.assertEqual(t["state"], "paused")
        self.assertIn("Authentication failed", t["paused_reason"])
        later = [f"later {i}" for i in range(2)]
        later_ids = faultkit.post_messages(self.service, [sms(b, 30 + i) for i, b in enumerate(later)])
        self.assertEqual(faultkit.transport(self.service, "sms")["queue_depth"], 12)
        # The mail transport worked meanwhile (the digest, a restart, more posts): the paused one sent nothing.
        self.assertEqual(self.requests(), sent_while_paused)
        self.assertEqual(sorted(self.accepted_texts()), before)

        # The operator fixes the account and resumes: everything waiting goes, once each.
        with self.sim.lock:
            self.sim.faults.clear()
        status, body = self.service.request("POST", "/v1/transports/sms/resume")
        self.assertEqual((status, body), (200, {"name": "sms", "state": "running"}))
        faultkit.wait_states(self.service, ids + later_ids, {"sent"}, timeout=60)
        self.assertEqual(sorted(self.accepted_texts()), sorted(before + waiting + later))
        t = faultkit.transport(self.service, "sms")
        self.assertEqual((t["state"], t["queue_depth"]), ("running", 0))
        self.assertNotIn("paused_reason", t)
        # The pause was not remembered past the resume.
        self.restart(config)
        self.assertEqual(faultkit.transport(self.service, "sms")["state"], "running")

    def test_a_configuration_change_lifts_the_pause_at_restart(self):
        self.service = harness.Service(self.configure(callback=7))
        ids, _ = self.break_credentials(["held back"])
        self.service.stop()
        with self.sim.lock:
            self.sim.faults.clear()
        # The transport's settings differ: whoever changed them meant to fix it.
        self.service = harness.Service(self.configure(callback=3))
        self.assertEqual(faultkit.transport(self.service, "sms")["state"], "running")
        faultkit.wait_states(self.service, ids, {"sent"}, timeout=60)
        self.assertEqual(self.accepted_texts(), ["held back"])
        with self.sim.lock:
            forms = [parse_qs(r.body.decode()) for r in self.sim.requests]
        self.assertEqual(forms[-1]["callback"], ["3"])

    def test_resume_of_an_unknown_transport_is_404(self):
        self.service = harness.Service(self.configure())
        status, body = self.service.request("POST", "/v1/transports/nosuch/resume")
        self.assertEqual(status, 404, body)


if __name__ == "__main__":
    unittest.main()
