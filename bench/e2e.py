#!/usr/bin/env python3
"""End-to-end throughput: N messages accepted through the batch API of a running `extcomm serve`, timed
from the first POST until the stand-in provider has received all N (its own arrival clock), and until
the outbox shows all N sent (GET /metrics, extcomm_messages{state="sent"}).

    e2e.py --api http://127.0.0.1:P --token T --standin http://127.0.0.1:Q --n 20000 --batch 1000 \
           --transport clickatell [--timeout 300]

Prints one line of key=value pairs (bench/run parses it). Exit status 1 when not all N arrived in time.
"""
import argparse
import http.client
import json
import os
import re
import sys
import time
import urllib.parse

BODY = "Reminder: your appointment with Dr Rivera is tomorrow at 10:00. Reply STOP to opt out."


def connect(url):
    u = urllib.parse.urlparse(url)
    return http.client.HTTPConnection(u.hostname, u.port, timeout=120)


def call(conn, method, path, body=None, headers=None):
    conn.request(method, path, body=body, headers=headers or {})
    resp = conn.getresponse()
    return resp.status, resp.read()


def cpu_seconds(pid):
    """user + system CPU seconds of a process (all its threads) so far."""
    with open("/proc/%d/stat" % pid) as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--api", required=True)
    p.add_argument("--token", required=True)
    p.add_argument("--standin", required=True)
    p.add_argument("--n", type=int, default=20000)
    p.add_argument("--batch", type=int, default=1000)
    p.add_argument("--transport", required=True)
    p.add_argument("--timeout", type=float, default=300)
    p.add_argument("--pid", type=int, action="append", default=[],
                   help="a process whose CPU time (user+system) over the run is reported (repeatable)")
    a = p.parse_args()

    # Every body is built before the clock starts: the figures measure the service, not this script.
    bodies = []
    for start in range(0, a.n, a.batch):
        msgs = [{"channel": "sms", "to": "+1555%07d" % (1000000 + i), "body": BODY, "transport": a.transport}
                for i in range(start, min(a.n, start + a.batch))]
        bodies.append(json.dumps({"messages": msgs}))
    headers = {"Authorization": "Bearer " + a.token, "Content-Type": "application/json"}
    api, standin = connect(a.api), connect(a.standin)
    status, _ = call(standin, "POST", "/_reset")
    if status != 200:
        sys.exit("stand-in /_reset answered %d" % status)

    cpu0 = [cpu_seconds(pid) for pid in a.pid]
    t0 = time.time_ns()
    post_ms = []
    for body in bodies:
        s = time.time_ns()
        status, text = call(api, "POST", "/v1/messages", body, headers)
        post_ms.append((time.time_ns() - s) / 1e6)
        if status != 202:
            sys.exit("POST /v1/messages answered %d: %s" % (status, text[:300]))
    t_accepted = time.time_ns()

    deadline = time.monotonic() + a.timeout
    count = {}
    while time.monotonic() < deadline:
        _, text = call(standin, "GET", "/_count")
        count = json.loads(text)
        if count["messages"] >= a.n:
            break
        time.sleep(0.005)
    arrived = count.get("messages", 0)
    t_arrived = count.get("last_ns", 0) if arrived >= a.n else 0

    # Only now: /metrics counts by state over the whole table, under the store's lock.
    sent, t_sent = 0, 0
    while time.monotonic() < deadline and arrived >= a.n:
        _, text = call(api, "GET", "/metrics", headers=headers)
        m = re.search(rb'extcomm_messages\{state="sent"\} (\d+)', text)
        sent = int(m.group(1)) if m else 0
        if sent >= a.n:
            t_sent = time.time_ns()
            break
        time.sleep(0.02)

    cpu = [cpu_seconds(pid) - c for pid, c in zip(a.pid, cpu0)]

    def rate(t_end):
        return a.n / ((t_end - t0) / 1e9) if t_end else 0.0

    post_ms.sort()
    print("transport=%s n=%d batch=%d posts=%d accept_s=%.3f accept_rate=%.0f post_ms_p50=%.1f post_ms_max=%.1f "
          "arrived=%d arrive_s=%.3f arrive_rate=%.0f sent=%d sent_s=%.3f sent_rate=%.0f provider_requests=%d "
          "provider_connections=%d cpu_s=%s"
          % (a.transport, a.n, a.batch, len(bodies), (t_accepted - t0) / 1e9, a.n / ((t_accepted - t0) / 1e9),
             post_ms[len(post_ms) // 2], post_ms[-1], arrived, (t_arrived - t0) / 1e9 if t_arrived else -1,
             rate(t_arrived), sent, (t_sent - t0) / 1e9 if t_sent else -1, rate(t_sent),
             count.get("requests", 0), count.get("connections", 0), ",".join("%.2f" % c for c in cpu) or "-"))
    return 0 if arrived >= a.n and sent >= a.n else 1


if __name__ == "__main__":
    sys.exit(main())
