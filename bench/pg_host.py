#!/usr/bin/env python3
"""A PostgreSQL server for the benchmarks, with PostgreSQL's durable defaults (fsync on, unlike the tests'
server): started on 127.0.0.1 with a free port, it prints "listening on 127.0.0.1:PORT" (the libpq user
is `extcomm`, trust authentication) and runs until SIGTERM, then stops and deletes itself.
"""
import os
import signal
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "support"))
import postgres  # noqa: E402


def main():
    server = postgres.Server(durable=True)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    try:
        print(f"listening on 127.0.0.1:{server.port}", flush=True)
        while True:
            signal.pause()
    finally:
        server.stop()


if __name__ == "__main__":
    main()
