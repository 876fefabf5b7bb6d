#!/usr/bin/env python3
"""Verification codes behind bulk traffic: with BULK bulk SMS queued on the same SMS transport, the time
from POST /v1/verification-codes to the code's arrival at the provider (hand-over to the transport), over
CODES codes asked one after another (each waits for the previous one's arrival). The provider is the
Clickatell simulator (tests/simulators/clickatell), which stamps each arrival; the service is
`extcomm serve` on a SQLite store, started through tests/support/harness.py.

    EXTCOMM_BIN=build/bin/extcomm EXTCOMM_PLUGIN_DIR=build/plugins bench/verification_codes.py [--bulk 100000] [--codes 1000]

Prints p50, p99 and max in ms, and the bulk queue depth when the first and the last code were asked
(the codes were measured behind bulk traffic only while that depth stayed above zero).
"""
import argparse
import os
import statistics
import sys
import tempfile
import threading
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path[:0] = [os.path.join(ROOT, "tests", "support"), os.path.join(ROOT, "tests", "simulators")]
import harness  # noqa: E402
from clickatell import ClickatellSimulator  # noqa: E402

CODE_TEXT = "verification code"


class StampingSimulator(ClickatellSimulator):
    """Stamps the arrival of each code (by number) when the request carrying it is handled."""

    def __init__(self):
        super().__init__()
        self.arrived = {}
        self.arrival = threading.Condition()

    def handle(self, req):
        reply = super().handle(req)
        form = req.form() if req.method == "POST" else {}
        text = form.get("text", [""])[0]
        if CODE_TEXT in text:
            with self.arrival:
                self.arrived[form.get("to", [""])[0]] = time.monotonic()
                self.arrival.notify_all()
        return reply


def queue_depth(service):
    for t in service.ok("GET", "/v1/transports")["transports"]:
        if t["name"] == "sms":
            return t.get("queue_depth", 0)
    return 0


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bulk", type=int, default=100_000)
    ap.add_argument("--codes", type=int, default=1_000)
    args = ap.parse_args()
    sim = StampingSimulator().start()
    folder = tempfile.TemporaryDirectory(prefix="extcomm-codes-bench-")
    workers = 10
    service = harness.Service.configured(folder.name, [
        {"name": "sms", "plugin": "clickatell",
         "settings": {"base_url": f"http://127.0.0.1:{sim.port}", "user": "agency", "password": "secret",
                      "api_id": "3412345"}}],
        agency={"sms": {"enabled": True, "transport": "sms"},
                "authentication": {"two_step_login": True, "channels": "sms", "code_minutes": 60,
                                   "max_codes_per_worker_per_day": 1000, "max_codes_per_day": 10_000_000}})
    try:
        for w in range(workers):
            service.ok("PUT", f"/v1/workers/w{w}", {"first_name": "W", "last_name": str(w), "mobile": "+2783%07d" % w})
        # Sent faster than the provider can take them: the rest waits in the store's queue.
        for start in range(0, args.bulk, 10_000):
            batch = [{"channel": "sms", "transport": "sms", "to": "+2782%07d" % (i % 1_000_000),
                      "body": "Reminder: your appointment is tomorrow at 10:00."}
                     for i in range(start, min(args.bulk, start + 10_000))]
            status, answer = service.request("POST", "/v1/messages", {"messages": batch})
            assert status == 202, (status, answer)
        depth_first = queue_depth(service)
        latencies = []
        for i in range(args.codes):
            number = "2783%07d" % (i % workers)
            with sim.arrival:
                sim.arrived.pop(number, None)
            asked = time.monotonic()
            status, answer = service.request("POST", "/v1/verification-codes",
                                             {"worker": f"w{i % workers}", "purpose": "login", "channel": "sms"})
            assert status == 202, (status, answer)
            with sim.arrival:
                if not sim.arrival.wait_for(lambda: number in sim.arrived, timeout=60):
                    raise SystemExit(f"code {i} did not arrive within 60 s")
                latencies.append((sim.arrived[number] - asked) * 1000)
        depth_last = queue_depth(service)
    finally:
        service.stop()
        sim.stop()
        folder.cleanup()
    latencies.sort()
    p99 = latencies[max(0, int(len(latencies) * 0.99) - 1)]
    print(f"codes={len(latencies)} bulk={args.bulk} p50_ms={statistics.median(latencies):.1f} p99_ms={p99:.1f} "
          f"max_ms={latencies[-1]:.1f} bulk_queued_at_first={depth_first} bulk_queued_at_last={depth_last} "
          f"load={os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
