"""Shared harness for provider simulators: a threaded HTTP server on 127.0.0.1 with an ephemeral port,
a record of every request it received, and failure modes a test switches on per call.

A simulator subclasses Simulator and implements handle(req) -> Reply. Tests use it in-process
(`with BulkSmsSimulator() as sim:`) or as a program (`python3 -m bulksms --port-file F`), in which case
the control API below drives it:

  GET  /_sim/requests           every request received, as JSON [{method, path, query, headers, body}]
  POST /_sim/faults             JSON {"fault": name, "count": n, ...}: inject a fault for the next n calls
  POST /_sim/receipts           JSON {"url": ..., ...}: post a delivery receipt (simulator-specific)
  POST /_sim/reset              forget requests and faults

Faults every simulator understands: status (answer `status` with `body`), slow (sleep `seconds`
before answering), reset (close the connection without an answer). Provider-specific ones
(bad_credentials, no_credit, reject_number) are each simulator's own.
"""
import json
import socket
import struct
import threading
import time
import urllib.request
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit, parse_qs


@dataclass
class Request:
    method: str
    path: str
    query: dict          # parse_qs result: name -> [values]
    raw_query: str
    headers: dict        # lower-case name -> value
    body: bytes

    def json(self):
        return json.loads(self.body.decode("utf-8"))

    def form(self):
        return parse_qs(self.body.decode("utf-8"), keep_blank_values=True)

    def as_dict(self):
        return {"method": self.method, "path": self.path, "query": self.raw_query,
                "headers": self.headers, "body": self.body.decode("utf-8", "replace")}


@dataclass
class Reply:
    status: int
    body: bytes = b""
    content_type: str = "application/json"
    headers: dict = field(default_factory=dict)

    @staticmethod
    def json(status, value, headers=None):
        return Reply(status, json.dumps(value).encode(), "application/json", headers or {})

    @staticmethod
    def text(status, value, headers=None):
        return Reply(status, value.encode(), "text/plain", headers or {})


class Simulator:
    """Base class. Subclasses implement handle(req: Request) -> Reply and may override fault()."""

    def __init__(self, host="127.0.0.1", port=0):
        self.requests = []
        self.faults = []      # list of dicts, consumed front to back
        self.lock = threading.Lock()
        sim = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):  # quiet: tests read /_sim/requests instead
                pass

            def _serve(self):
                parts = urlsplit(self.path)
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                req = Request(self.command, parts.path, parse_qs(parts.query, keep_blank_values=True),
                              parts.query, {k.lower(): v for k, v in self.headers.items()}, body)
                if parts.path.startswith("/_sim/"):
                    reply = sim._control(req)
                else:
                    with sim.lock:
                        sim.requests.append(req)
                    reply = sim._apply_fault(req, self)
                    if reply is None:
                        return  # connection was reset on purpose
                    if reply is False:
                        reply = sim.handle(req)
                self.send_response(reply.status)
                self.send_header("Content-Type", reply.content_type)
                self.send_header("Content-Length", str(len(reply.body)))
                for k, v in reply.headers.items():
                    self.send_header(k, v)
                self.end_headers()
                self.wfile.write(reply.body)

            do_GET = do_POST = do_PUT = do_DELETE = _serve

        self.server = ThreadingHTTPServer((host, port), Handler)
        self.server.daemon_threads = True
        self.port = self.server.server_address[1]
        self.base_url = f"http://127.0.0.1:{self.port}"
        self.thread = None

    # --- lifecycle -------------------------------------------------------------------------
    def start(self):
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()
        return self

    def stop(self):
        self.server.shutdown()
        self.server.server_close()

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()

    # --- faults ----------------------------------------------------------------------------
    def inject(self, fault, count=1, **params):
        with self.lock:
            self.faults.append(dict(params, fault=fault, count=count))

    def _take_fault(self):
        with self.lock:
            if not self.faults:
                return None
            f = self.faults[0]
            f["count"] -= 1
            if f["count"] <= 0:
                self.faults.pop(0)
            return dict(f)

    def _apply_fault(self, req, handler):
        f = self._take_fault()
        if f is None:
            return False
        kind = f["fault"]
        if kind == "status":
            body = f.get("body", "")
            body = body if isinstance(body, str) else json.dumps(body)
            return Reply(f["status"], body.encode(), f.get("content_type", "application/json"), f.get("headers", {}))
        if kind == "slow":
            time.sleep(f.get("seconds", 5))
            return False
        if kind == "reset":
            # SO_LINGER 0 makes close() send RST: the client sees "connection reset by peer".
            handler.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            handler.connection.close()
            handler.close_connection = True
            return None
        return self.fault(kind, f, req)

    def fault(self, kind, params, req):
        """Provider-specific faults; return a Reply, or False to answer normally."""
        raise ValueError(f"unknown fault {kind}")

    # --- control API -----------------------------------------------------------------------
    def _control(self, req):
        if req.path == "/_sim/requests":
            with self.lock:
                return Reply.json(200, [r.as_dict() for r in self.requests])
        if req.path == "/_sim/faults":
            p = req.json()
            self.inject(p.pop("fault"), p.pop("count", 1), **p)
            return Reply.json(200, {"ok": True})
        if req.path == "/_sim/receipts":
            return Reply.json(200, self.post_receipts(req.json()))
        if req.path == "/_sim/reset":
            with self.lock:
                self.requests.clear()
                self.faults.clear()
            return Reply.json(200, {"ok": True})
        return Reply.json(404, {"error": "unknown control path"})

    def post_receipts(self, params):
        raise NotImplementedError

    def handle(self, req):
        raise NotImplementedError


def post(url, body, content_type="application/json", headers=None, method="POST"):
    """POST body to url and return (status, text). Used to deliver receipts to the host."""
    data = body if isinstance(body, bytes) else (body.encode() if isinstance(body, str) else json.dumps(body).encode())
    r = urllib.request.Request(url, data=data, method=method, headers=dict(headers or {}, **{"Content-Type": content_type}))
    try:
        with urllib.request.urlopen(r, timeout=10) as resp:
            return resp.status, resp.read().decode()
    except urllib.error.HTTPError as e:
        return e.code, e.read().decode()


def run_main(sim_class):
    """Program entry: run the simulator until killed, writing its port to --port-file."""
    import argparse
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--port-file")
    args = parser.parse_args()
    sim = sim_class(port=args.port)
    if args.port_file:
        with open(args.port_file + ".tmp", "w") as f:
            f.write(str(sim.port))
        import os
        os.rename(args.port_file + ".tmp", args.port_file)
    print(f"{sim_class.__name__} listening on {sim.base_url}", flush=True)
    sim.server.serve_forever()
