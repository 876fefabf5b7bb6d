"""kill -9 while thousands of messages are in flight: `extcomm serve` with a `clickatell` transport (4
workers, 32 requests on the wire) against a Clickatell simulator that answers a little late, so that at
any moment hundreds of messages are claimed and dozens are on the wire. The service is killed mid-run
and started again on the same store.

Shown from the API and the simulator's record of arrivals:
- every message the API accepted (202) reached the simulator at least once;
- a message that reached it twice was in flight at the kill: its first arrival came from the killed
  process (before the line drawn once the simulator has read everything that process sent), its second
  from the restarted one, and the store shows the first send was never recorded (its only attempt is
  attempt 2: the claim before the kill counted attempt 1, and the process died before settling it);
- both arrivals carry the same `climsgid`, the id the clickatell plugin derives from the message's
  idempotency key (the key itself when it is at most 32 letters and digits once '-' are dropped);
- a message whose delivery was recorded before the kill was not sent again.
"""
import time
import unittest
from collections import defaultdict
from urllib.parse import parse_qs

import faultkit
import harness
from clickatell import ClickatellSimulator

N = 3000
BATCH = 1000


class LateClickatell(ClickatellSimulator):
    """Answers every request 20 ms late: enough for many messages to be in flight at once."""

    def handle(self, req):
        time.sleep(0.02)
        return super().handle(req)


def key_of(i):
    return "kill9-%05d" % i


def client_message_id(key):
    return key.replace("-", "")  # what the plugin derives from a short alphanumeric key


class KillNineTest(unittest.TestCase):
    def setUp(self):
        self.sim = faultkit.tracked(LateClickatell())
        self.folder = harness.scratch()
        self.service = None

    def tearDown(self):
        if self.service and self.service.process.poll() is None:
            self.service.stop()
        faultkit.stop_hard(self.sim)
        self.folder.cleanup()

    def arrivals(self):
        """[(position, message index, climsgid)] for every sendmsg request the simulator received."""
        with self.sim.lock:
            bodies = [r.body for r in self.sim.requests]
        out = []
        for position, body in enumerate(bodies):
            form = parse_qs(body.decode())
            if "text" not in form or "climsgid" not in form:
                continue  # cut short by the kill: not a message the provider could take
            out.append((position, int(form["text"][0].rsplit(" ", 1)[1]), form["climsgid"][0]))
        return out

    def test_every_accepted_message_arrives_and_only_in_flight_ones_twice(self):
        config = harness.write_config(self.folder.name, [
            {"name": "sms", "plugin": "clickatell", "delivery": {"concurrency": 4}, "http": {"max_concurrency": 32},
             "settings": {"base_url": self.sim.base_url, "user": "agency", "password": "secret", "api_id": "3412345"}},
        ], delivery={"poll_interval_ms": 50})
        self.service = harness.Service(config)
        ids = {}
        for start in range(0, N, BATCH):
            batch = [{"channel": "sms", "transport": "sms", "to": "+2783%07d" % i, "body": f"kill -9 message {i}",
                      "idempotency_key": key_of(i)} for i in range(start, start + BATCH)]
            for i, mid in enumerate(faultkit.post_messages(self.service, batch)):
                ids[start + i] = mid  # 202: accepted, so it must arrive

        # Kill once a fifth has reached the simulator and some of it is recorded as sent, so that both
        # kinds of message exist at the kill: delivered and recorded, delivered but not yet recorded.
        def mid_run():
            return (len(self.sim.requests) >= N // 5
                    and harness.metric(self.service, "extcomm_messages", state="sent") > 0)
        harness.wait_until(mid_run, timeout=60, what="a fifth of the messages sent, some recorded")
        self.service.kill()
        killed_at_ms = int(time.time() * 1000)
        # What the dead process wrote before it died can still be in the simulator's socket buffers and
        # accept queue. Wait until all of it has been read (every connection served to its end, twice in
        # a row), then draw the line: arrivals are recorded in order, those before it came from the
        # killed process, those after from the restarted one.
        calm = []
        harness.wait_until(lambda: calm.append(faultkit.quiet(self.sim)) or calm[-2:] == [True, True],
                           timeout=30, what="the simulator to have read everything the killed process sent")
        with self.sim.lock:
            from_killed_process = len(self.sim.requests)
        self.assertLess(from_killed_process, N, "the run ended before the kill: nothing was in flight")

        self.service = harness.Service(config)

        def all_sent():
            return harness.metric(self.service, "extcomm_messages", state="sent") == N
        harness.wait_until(all_sent, timeout=180, what=f"all {N} messages sent after the restart")
        self.assertEqual(harness.metric(self.service, "extcomm_messages", state="queued"), 0)
        self.assertEqual(harness.metric(self.service, "extcomm_messages", state="sending"), 0)

        by_message = defaultdict(list)
        for position, i, climsgid in self.arrivals():
            by_message[i].append((position, climsgid))
        # Every accepted message reached the simulator at least once.
        self.assertEqual(sorted(by_message), list(range(N)))

        duplicated = {i: a for i, a in by_message.items() if len(a) > 1}
        for i, arrivals in duplicated.items():
            positions = [p for p, _ in arrivals]
            # Two arrivals, straddling the line: sent by the killed process, sent again after the restart.
            self.assertEqual(len(arrivals), 2, (i, arrivals))
            self.assertLess(positions[0], from_killed_process, (i, arrivals))
            self.assertGreaterEqual(positions[1], from_killed_process, (i, arrivals))
            # The same idempotency key both times.
            self.assertEqual({c for _, c in arrivals}, {client_message_id(key_of(i))}, (i, arrivals))
            # The service had not recorded the first send: its one recorded attempt is the resend, and
            # the claim that died with the process still counts against the message's attempts.
            m = faultkit.message(self.service, ids[i])
            self.assertEqual(m["idempotency_key"], key_of(i))
            self.assertEqual([(a["number"], a["outcome"]) for a in m["attempts"]], [(1, "accepted")], m)
            self.assertEqual(m["attempt_count"], 2, m)
            self.assertGreater(m["attempts"][0]["at_ms"], killed_at_ms)

        # And the converse: a message whose send was recorded before the kill went out only once.
        recorded_before_kill = 0
        for i, mid in ids.items():
            m = faultkit.message(self.service, mid)
            self.assertEqual(m["state"], "sent")
            accepted = [a for a in m["attempts"] if a["outcome"] == "accepted"]
            self.assertEqual(len(accepted), 1, m)
            if accepted[0]["at_ms"] < killed_at_ms:
                recorded_before_kill += 1
                self.assertEqual(len(by_message[i]), 1, (i, by_message[i]))
        self.assertGreater(recorded_before_kill, 0)
        print(f"\n{from_killed_process} arrivals from the killed process, {recorded_before_kill} recorded as sent before it, "
              f"{len(duplicated)} sent twice (in flight at the kill)")


if __name__ == "__main__":
    unittest.main()
