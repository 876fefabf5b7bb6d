"""The store is down: PostgreSQL stops at once (an outage), then comes back on the same port. While it is
down, POST /v1/messages answers 503 store_unavailable (nothing acknowledged, so nothing accepted is lost:
the caller retries), the front door keeps answering and /metrics says extcomm_store_up 0; once it is back, the same requests are accepted
and delivered once each. `extcomm serve` with the `file` transport on a private PostgreSQL server."""
import os
import unittest

import faultkit
import harness
import postgres


def sms(i):
    return {"channel": "sms", "transport": "spool", "to": f"+1555000{i:04d}", "body": f"store down {i}",
            "idempotency_key": f"store-down-{i}"}


class StoreDownTest(unittest.TestCase):
    def setUp(self):
        self.folder = harness.scratch()
        self.pg = postgres.Server()
        self.pg.create_database("extcomm")
        self.spool = os.path.join(self.folder.name, "spool")
        self.service = harness.Service.configured(
            self.folder.name, [{"name": "spool", "plugin": "file", "settings": {"spool": self.spool}}],
            store={"driver": "postgresql", "connection": self.pg.connection("extcomm")},
            delivery={"poll_interval_ms": 50})

    def tearDown(self):
        self.service.stop()
        self.pg.stop()
        self.folder.cleanup()

    def test_refused_while_down_accepted_and_delivered_once_when_back(self):
        (first,) = faultkit.post_messages(self.service, [sms(0)])
        faultkit.wait_states(self.service, [first], {"sent"})
        self.pg.pause()

        for body in (sms(1), {"messages": [sms(2), sms(3)]}):
            status, answer = self.service.request("POST", "/v1/messages", body)
            self.assertEqual((status, answer["error"]["code"]), (503, "store_unavailable"), answer)
        self.assertEqual(self.service.request("GET", "/healthz", token=None)[0], 200)
        # The counters are still served (an outage is when they matter), and answers the commit gave after
        # the handler returned are counted like any other.
        self.assertEqual(harness.metric(self.service, "extcomm_store_up"), 0)
        self.assertEqual(harness.metric(self.service, "extcomm_api_requests_total", status="503"), 2)
        self.assertEqual(harness.metric(self.service, "extcomm_api_requests_total", status="202"), 1)

        self.pg.resume()

        def accepted():  # the store's sessions reconnect: the caller's retry goes through
            status, answer = self.service.request("POST", "/v1/messages", {"messages": [sms(1), sms(2), sms(3)]})
            return answer["messages"] if status == 202 else None
        retried = harness.wait_until(accepted, timeout=60, what="POST /v1/messages accepted once the store is back")
        faultkit.wait_states(self.service, [m["id"] for m in retried], {"sent"})
        self.assertEqual(sorted(m["body"] for m in harness.spooled(self.spool)), [f"store down {i}" for i in range(4)])
        self.assertEqual(harness.metric(self.service, "extcomm_store_up"), 1)


if __name__ == "__main__":
    unittest.main()
