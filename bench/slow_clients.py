#!/usr/bin/env python3
"""The slow-client attack of bench/run's step 3: holds --slow-headers connections that send a request
header a byte at a time, --slow-bodies that announce a body and send it a byte at a time, and --idle that
connect and send nothing, against 127.0.0.1:PORT until SIGTERM. Whatever the server cuts (at its
deadlines) is opened again, so the attack lasts as long as the measurement beside it. Raises its own
open-file limit to the hard limit. Prints "attack running" once every connection is open, and on SIGTERM
one line: reopened=N (connections the server cut and this script opened again).

    slow_clients.py --port P [--slow-headers 500] [--slow-bodies 50] [--idle 500]
"""
import argparse
import resource
import selectors
import signal
import socket
import sys
import time

HEADER = b"POST /v1/messages HTTP/1.1\r\nHost: bench\r\nAuthorization: Bearer slow\r\n"
BODY_HEAD = b"POST /v1/messages HTTP/1.1\r\nHost: bench\r\nContent-Length: 100000\r\n\r\n"


class Attack:
    def __init__(self, port):
        self.port = port
        self.selector = selectors.DefaultSelector()
        self.reopened = 0

    def open(self, kind):
        s = socket.create_connection(("127.0.0.1", self.port), timeout=10)
        s.setblocking(False)
        if kind == "body":
            s.send(BODY_HEAD)
        self.selector.register(s, selectors.EVENT_READ, [kind, 0])  # [kind, header bytes sent]

    def trickle(self):
        """One more byte on every slow connection (idle ones send nothing)."""
        for key in list(self.selector.get_map().values()):
            kind, sent = key.data
            if kind == "idle":
                continue
            try:
                # The header never ends: once its fields are sent, the last one grows a byte at a time.
                key.fileobj.send(HEADER[sent:sent + 1] if kind == "header" and sent < len(HEADER) else b"x")
                key.data[1] = sent + 1
            except OSError:
                pass

    def reopen_closed(self):
        for key, _ in self.selector.select(timeout=0):
            try:
                data = key.fileobj.recv(65536)
            except OSError:
                data = b""
            if data:
                continue  # an answer (408, 503): the close follows
            self.selector.unregister(key.fileobj)
            key.fileobj.close()
            self.open(key.data[0])
            self.reopened += 1


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--port", type=int, required=True)
    p.add_argument("--slow-headers", type=int, default=500)
    p.add_argument("--slow-bodies", type=int, default=50)
    p.add_argument("--idle", type=int, default=500)
    a = p.parse_args()
    hard = resource.getrlimit(resource.RLIMIT_NOFILE)[1]
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    attack = Attack(a.port)
    for kind, n in (("header", a.slow_headers), ("body", a.slow_bodies), ("idle", a.idle)):
        for _ in range(n):
            attack.open(kind)
    print("attack running", flush=True)
    stop = []
    signal.signal(signal.SIGTERM, lambda *_: stop.append(1))
    while not stop:
        attack.trickle()
        deadline = time.monotonic() + 1
        while not stop and time.monotonic() < deadline:
            attack.reopen_closed()
            time.sleep(0.05)
    print(f"reopened={attack.reopened}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
