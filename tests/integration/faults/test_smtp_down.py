"""The SMTP server is down, then back on the same port: email waits in the queue with its failed
attempts recorded (retry, connect), and is delivered once the server answers again; none lost, none
twice. `extcomm serve` with the `smtp` transport against tests/simulators/smtp (aiosmtpd)."""
import unittest

import faultkit
import harness
from smtp.server import SmtpServer

DELIVERY = {"retry_base_ms": 100, "retry_max_ms": 400, "poll_interval_ms": 50}
LANE = {"breaker_failures": 2, "breaker_open_seconds": 1, "breaker_max_open_seconds": 2, "max_attempts": 30}


class SmtpServerOnPort(SmtpServer):
    """tests/simulators/smtp's server (plain mode), bound to a chosen port so it can stop and come back
    where the service expects it."""

    def __init__(self, port, **kwargs):
        super().__init__("plain", **kwargs)
        self.wanted_port = port

    async def _listen(self):
        self._server = await self._loop.create_server(self._new_connection, self.host, self.wanted_port,
                                                      reuse_address=True)
        self.port = self._server.sockets[0].getsockname()[1]


class SmtpDownTest(unittest.TestCase):
    def setUp(self):
        self.folder = harness.scratch()
        self.port = faultkit.Down.free_port()
        self.server = None
        self.service = harness.Service.configured(self.folder.name, [
            {"name": "email", "plugin": "smtp", "delivery": LANE,
             "settings": {"host": "127.0.0.1", "port": self.port, "encryption": "none",
                          "from_address": "office@agency.example", "connect_timeout_seconds": 5,
                          "response_timeout_seconds": 10}},
        ], delivery=DELIVERY)

    def tearDown(self):
        self.service.stop()
        if self.server:
            self.server.stop()
        self.folder.cleanup()

    def email(self, i):
        return {"channel": "email", "transport": "email", "to": f"client{i}@example.org",
                "subject": f"Appointment {i}", "body": f"smtp down then back {i}"}

    def test_queued_while_down_delivered_when_back(self):
        # First up, then down: the server really was there on that port and goes away mid-run.
        self.server = SmtpServerOnPort(self.port).start()
        (first,) = faultkit.post_messages(self.service, [self.email(0)])
        faultkit.wait_states(self.service, [first], {"sent"})
        self.server.stop()
        self.server = None

        ids = faultkit.post_messages(self.service, [self.email(i) for i in range(1, 6)])

        def every_one_retried():
            ms = [faultkit.message(self.service, mid) for mid in ids]
            return ms if all(m["attempts"] for m in ms) else None
        for m in harness.wait_until(every_one_retried, timeout=30, what="a failed attempt for each message"):
            self.assertIn(m["state"], ("queued", "sending"))
            self.assertEqual((m["attempts"][0]["outcome"], m["attempts"][0]["provider_code"]), ("retry", "connect"))
        t = faultkit.transport(self.service, "email")
        self.assertEqual(t["queue_depth"], 5)
        self.assertIn("connect", t["last_error"]["text"])

        self.server = SmtpServerOnPort(self.port).start()
        delivered = faultkit.wait_states(self.service, ids, {"sent"}, timeout=60)
        self.assertEqual(sorted(r for m in self.server.messages for r in m.rcpt_tos),
                         sorted(f"client{i}@example.org" for i in range(1, 6)))
        for m in delivered.values():
            self.assertEqual(m["attempts"][-1]["outcome"], "accepted")
        self.assertEqual(faultkit.transport(self.service, "email")["queue_depth"], 0)


if __name__ == "__main__":
    unittest.main()
