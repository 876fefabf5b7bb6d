#!/usr/bin/env python3
"""Verification codes behind bulk traffic: with BULK bulk SMS queued on the same SMS transport, the time
from POST /v1/verification-codes to the code's arrival at the provider (its hand-over to the transport),
over CODES codes asked one after another (each after the previous one arrived). The provider is the
stand-in (bench/standin --mode clickatell), whose GET /_codes gives the arrival clock (CLOCK_REALTIME) of
each number's latest code; the service is `extcomm serve` on a SQLite store, started through
tests/support/harness.py.

    EXTCOMM_BIN=B/bin/extcomm EXTCOMM_PLUGIN_DIR=B/plugins bench/verification_codes.py --standin B/bench/standin \\
        [--bulk 100000] [--codes 1000]

The bulk queue is topped up to BULK (batches of up to 10,000, checked every 200 ms) while the codes are
measured, since the provider drains it meanwhile. Prints p50, p99 and max in ms, the API's answer time,
and the smallest and median bulk queue depth seen during the measurement.
"""
import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path[:0] = [os.path.join(ROOT, "tests", "support")]
import harness  # noqa: E402

WORKERS = 10


def arrivals(standin):
    with urllib.request.urlopen(standin + "/_codes", timeout=10) as r:
        return json.loads(r.read())


def queue_depth(service):
    return next(t.get("queue_depth", 0) for t in service.ok("GET", "/v1/transports")["transports"] if t["name"] == "sms")


def queue_bulk(service, n):
    """n bulk SMS, in batches of 10,000: sent faster than the provider takes them, so they wait in the queue."""
    for start in range(0, n, 10_000):
        batch = [{"channel": "sms", "transport": "sms", "to": "+2782%07d" % (i % 1_000_000),
                  "body": "Reminder: your appointment is tomorrow at 10:00."}
                 for i in range(start, min(n, start + 10_000))]
        status, answer = service.request("POST", "/v1/messages", {"messages": batch})
        assert status == 202, (status, answer)


def keep_queued(service, n, stop, depths):
    """Tops the bulk queue up to n while the codes are measured (the provider drains it meanwhile);
    records the depth seen before each top-up."""
    while not stop.is_set():
        depth = queue_depth(service)
        depths.append(depth)
        if depth < n:
            queue_bulk(service, min(10_000, n - depth))
        stop.wait(0.2)


def measure(service, standin, codes):
    """Per code: (ms from asking to arrival at the provider, ms until the API answered)."""
    out = []
    for i in range(codes):
        number = "2783%07d" % (i % WORKERS)
        before = arrivals(standin).get(number, 0)
        asked = time.time()
        status, answer = service.request("POST", "/v1/verification-codes",
                                         {"worker": f"w{i % WORKERS}", "purpose": "login", "channel": "sms"})
        answered = time.time()
        assert status == 202, (status, answer)
        deadline = time.monotonic() + 60
        while (arrived := arrivals(standin).get(number, 0)) == before:
            if time.monotonic() > deadline:
                raise SystemExit(f"code {i} did not arrive within 60 s")
            time.sleep(0.002)  # polling the stand-in; the latency is its own arrival clock
        out.append(((arrived / 1e9 - asked) * 1000, (answered - asked) * 1000))
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--standin", required=True, help="the bench/standin binary")
    ap.add_argument("--bulk", type=int, default=100_000)
    ap.add_argument("--codes", type=int, default=1_000)
    args = ap.parse_args()
    provider = subprocess.Popen([args.standin, "--mode", "clickatell"], stdout=subprocess.PIPE, text=True)
    standin = provider.stdout.readline().strip().rsplit(" ", 1)[1]
    folder = tempfile.TemporaryDirectory(prefix="extcomm-codes-bench-")
    service = harness.Service.configured(folder.name, [
        {"name": "sms", "plugin": "clickatell",
         "settings": {"base_url": standin, "user": "agency", "password": "secret", "api_id": "3412345"}}],
        agency={"sms": {"enabled": True, "transport": "sms"},
                "authentication": {"two_step_login": True, "channels": "sms", "code_minutes": 60,
                                   "max_codes_per_worker_per_day": 1000, "max_codes_per_day": 10_000_000}})
    try:
        for w in range(WORKERS):
            service.ok("PUT", f"/v1/workers/w{w}", {"first_name": "W", "last_name": str(w), "mobile": "+2783%07d" % w})
        queue_bulk(service, args.bulk)
        stop, depths = threading.Event(), []
        topping = threading.Thread(target=keep_queued, args=(service, args.bulk, stop, depths))
        topping.start()
        try:
            results = measure(service, standin, args.codes)
        finally:
            stop.set()
            topping.join()
    finally:
        service.stop()
        provider.terminate()
        provider.wait()
        folder.cleanup()
    latencies = sorted(r[0] for r in results)
    p99 = latencies[max(0, int(len(latencies) * 0.99) - 1)]
    print(f"codes={len(latencies)} bulk={args.bulk} p50_ms={statistics.median(latencies):.1f} p99_ms={p99:.1f} "
          f"max_ms={latencies[-1]:.1f} api_answer_p50_ms={statistics.median(r[1] for r in results):.1f} "
          f"bulk_queued_min={min(depths)} bulk_queued_median={statistics.median(depths):.0f} "
          f"load={os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
