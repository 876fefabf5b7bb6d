#!/usr/bin/env python3
"""End-to-end throughput: N messages accepted through the API of a running `extcomm serve`, timed from the
first POST until the stand-in provider has received all N (its own arrival clock), and until the outbox
shows all N sent (GET /metrics, extcomm_messages{state="sent"}).

    e2e.py --api http://127.0.0.1:P --token T --standin http://127.0.0.1:Q --n 20000 --batch 1000 \
           --transport clickatell [--timeout 300]
    e2e.py ... --single --load BUILD/bench/api_load [--connections 32] [--api http://second-host ...]

--batch posts N/batch requests of `batch` messages one after another; --single posts one message per
request on --connections keep-alive connections, each sending its next as soon as the previous is answered
(bench/api_load --count), the way most callers use the API. With several --api hosts (one store), the
single-message requests are split evenly between them, each host getting its own connections.

Prints one line of key=value pairs (bench/run parses it). Exit status 1 when not all N arrived in time.
"""
import argparse
import http.client
import json
import os
import re
import resource
import subprocess
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


def client_cpu_seconds():
    """CPU time (user+system) of this script and its finished children (api_load): what sending cost."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def accept_batches(a, headers):
    """POSTs of --batch messages, one after another on one connection. Returns (t0, t_accepted, post_ms)."""
    # Every body is built before the clock starts: the figures measure the service, not this script.
    bodies = []
    for start in range(0, a.n, a.batch):
        msgs = [{"channel": "sms", "to": "+1555%07d" % (1000000 + i), "body": BODY, "transport": a.transport}
                for i in range(start, min(a.n, start + a.batch))]
        bodies.append(json.dumps({"messages": msgs}))
    api = connect(a.api[0])
    t0 = time.time_ns()
    post_ms = []
    for body in bodies:
        s = time.time_ns()
        status, text = call(api, "POST", "/v1/messages", body, headers)
        post_ms.append((time.time_ns() - s) / 1e6)
        if status != 202:
            sys.exit("POST /v1/messages answered %d: %s" % (status, text[:300]))
    post_ms.sort()
    return t0, time.time_ns(), (len(bodies), post_ms[len(post_ms) // 2], post_ms[-1])


def accept_single(a, headers):
    """N single-message POSTs through api_load --count, split between the --api hosts. Returns
    (t0 = the first request's realtime, t_accepted, (requests, p50, max) service times in ms of the busiest host))."""
    template = json.dumps({"channel": "sms", "to": "+1555{n}", "body": BODY, "transport": a.transport})
    procs = []
    for i, url in enumerate(a.api):
        share = a.n // len(a.api) + (1 if i < a.n % len(a.api) else 0)
        procs.append(subprocess.Popen(
            [a.load, "--url", url + "/v1/messages", "--count", str(share),
             "--connections", str(max(1, a.connections // len(a.api))), "--header", "Authorization: " + headers["Authorization"],
             "--body-template", template], stdout=subprocess.PIPE, text=True))
    lines = [p.communicate(timeout=a.timeout)[0] for p in procs]
    if any(p.returncode != 0 for p in procs):
        sys.exit("api_load: not every request was accepted: " + " | ".join(lines))
    fields = [dict(kv.split("=", 1) for kv in line.split()) for line in lines]
    t0 = min(int(f["start_epoch_ns"]) for f in fields)
    t_accepted = max(int(f["start_epoch_ns"]) + int(float(f["completed"]) / float(f["achieved_rate"]) * 1e9) for f in fields)
    return t0, t_accepted, (a.n, max(float(f["service_ms_p50"]) for f in fields),
                            max(float(f["service_max"]) for f in fields))


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--api", action="append", required=True, help="a host's URL (repeatable with --single)")
    p.add_argument("--single", action="store_true", help="one message per request (bench/api_load --count)")
    p.add_argument("--load", help="the api_load binary (with --single)")
    p.add_argument("--connections", type=int, default=32, help="with --single: keep-alive connections in all")
    p.add_argument("--token", required=True)
    p.add_argument("--standin", required=True)
    p.add_argument("--n", type=int, default=20000)
    p.add_argument("--batch", type=int, default=1000)
    p.add_argument("--transport", required=True)
    p.add_argument("--timeout", type=float, default=300)
    p.add_argument("--pid", type=int, action="append", default=[],
                   help="a process whose CPU time (user+system) over the run is reported (repeatable)")
    a = p.parse_args()

    headers = {"Authorization": "Bearer " + a.token, "Content-Type": "application/json"}
    standin = connect(a.standin)
    status, _ = call(standin, "POST", "/_reset")
    if status != 200:
        sys.exit("stand-in /_reset answered %d" % status)
    cpu0 = [cpu_seconds(pid) for pid in a.pid]
    client0 = client_cpu_seconds()
    t0, t_accepted, (posts, post_p50, post_max) = (accept_single if a.single else accept_batches)(a, headers)
    client_cpu = client_cpu_seconds() - client0
    api = connect(a.api[0])

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

    print("transport=%s n=%d batch=%d posts=%d accept_s=%.3f accept_rate=%.0f post_ms_p50=%.1f post_ms_max=%.1f "
          "arrived=%d arrive_s=%.3f arrive_rate=%.0f sent=%d sent_s=%.3f sent_rate=%.0f provider_requests=%d "
          "provider_connections=%d cpu_s=%s client_cpu_s=%.2f"
          % (a.transport, a.n, 1 if a.single else a.batch, posts, (t_accepted - t0) / 1e9, a.n / ((t_accepted - t0) / 1e9),
             post_p50, post_max, arrived, (t_arrived - t0) / 1e9 if t_arrived else -1,
             rate(t_arrived), sent, (t_sent - t0) / 1e9 if t_sent else -1, rate(t_sent),
             count.get("requests", 0), count.get("connections", 0), ",".join("%.2f" % c for c in cpu) or "-", client_cpu))
    return 0 if arrived >= a.n and sent >= a.n else 1


if __name__ == "__main__":
    sys.exit(main())
