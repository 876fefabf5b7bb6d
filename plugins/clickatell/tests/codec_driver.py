"""Drive an HTTP-codec transport plugin (.so) from Python through its C ABI (transport.h), for tests.

Not a host: no retries, no outbox. It does what a test needs to check a codec against a provider simulator:
negotiate, create, encode a batch, perform each request with urllib, decode the answers, and parse webhooks.
"""
import ctypes as C
import os
import urllib.error
import urllib.request

U32, I32, SZ, VP = C.c_uint32, C.c_int32, C.c_size_t, C.c_void_p


class Str(C.Structure):
    _fields_ = [("data", VP), ("size", SZ)]


class Header(C.Structure):
    _fields_ = [("name", Str), ("value", Str)]


class Capabilities(C.Structure):
    _fields_ = [("struct_size", U32), ("flags", U32), ("max_batch_size", U32), ("max_body_length", U32)]


class Descriptor(C.Structure):
    _fields_ = [("struct_size", U32), ("id", C.c_char_p), ("name", C.c_char_p), ("vendor", C.c_char_p),
                ("version", C.c_char_p), ("channels", U32), ("send_mode", U32),
                ("capabilities", C.POINTER(Capabilities)), ("settings_schema", C.c_char_p), ("description", C.c_char_p)]


class Message(C.Structure):
    _fields_ = [("struct_size", U32), ("channel", U32), ("id", Str), ("idempotency_key", Str), ("to", Str),
                ("subject", Str), ("body", Str), ("html_body", Str), ("metadata_json", Str), ("attempt", U32)]


class Result(C.Structure):
    _fields_ = [("struct_size", U32), ("outcome", U32), ("retry_after_ms", U32), ("provider_message_id", C.c_char * 128),
                ("provider_code", C.c_char * 64), ("provider_text", C.c_char * 512)]


class HttpRequest(C.Structure):
    _fields_ = [("struct_size", U32), ("method", Str), ("url", Str), ("headers", C.POINTER(Header)), ("header_count", SZ),
                ("body", Str), ("message_indices", C.POINTER(U32)), ("message_count", SZ), ("context", Str)]


class HttpResponse(C.Structure):
    _fields_ = [("struct_size", U32), ("status", I32), ("headers", C.POINTER(Header)), ("header_count", SZ), ("body", Str)]


EMIT = C.CFUNCTYPE(I32, VP, C.POINTER(HttpRequest))
SETTLE = C.CFUNCTYPE(None, VP, U32, C.POINTER(Result))


class EncodeSink(C.Structure):
    _fields_ = [("struct_size", U32), ("host_ctx", VP), ("emit_request", EMIT), ("settle", SETTLE)]


class WebhookRequest(C.Structure):
    _fields_ = [("struct_size", U32), ("method", Str), ("path", Str), ("query", Str), ("headers", C.POINTER(Header)),
                ("header_count", SZ), ("body", Str)]


class StatusUpdate(C.Structure):
    _fields_ = [("struct_size", U32), ("kind", U32), ("status", U32), ("message_id", Str), ("provider_message_id", Str),
                ("provider_code", Str), ("provider_text", Str), ("occurred_at_ms", C.c_int64), ("from_", Str), ("text", Str)]


EMIT_UPDATE = C.CFUNCTYPE(None, VP, C.POINTER(StatusUpdate))


class UpdateSink(C.Structure):
    _fields_ = [("struct_size", U32), ("host_ctx", VP), ("emit_update", EMIT_UPDATE)]


LOG = C.CFUNCTYPE(None, VP, U32, Str)


class HostServices(C.Structure):
    _fields_ = [("struct_size", U32), ("host_ctx", VP), ("log", LOG)]


class Error(C.Structure):
    _fields_ = [("struct_size", U32), ("field", C.c_char * 128), ("text", C.c_char * 512)]


class CreateArgs(C.Structure):
    _fields_ = [("struct_size", U32), ("transport_name", Str), ("settings_json", Str), ("host", C.POINTER(HostServices))]


CREATE = C.CFUNCTYPE(I32, C.POINTER(CreateArgs), C.POINTER(VP), C.POINTER(Error))
DESTROY = C.CFUNCTYPE(None, VP)
SEND = C.CFUNCTYPE(I32, VP, C.POINTER(Message), SZ, C.POINTER(Result))
ENCODE = C.CFUNCTYPE(I32, VP, C.POINTER(Message), SZ, C.POINTER(EncodeSink))
DECODE = C.CFUNCTYPE(I32, VP, C.POINTER(HttpRequest), C.POINTER(Message), C.POINTER(HttpResponse), C.POINTER(Result))
PARSE = C.CFUNCTYPE(I32, VP, C.POINTER(WebhookRequest), C.POINTER(UpdateSink))


class Api(C.Structure):
    _fields_ = [("struct_size", U32), ("descriptor", C.POINTER(Descriptor)), ("create", CREATE), ("destroy", DESTROY),
                ("send", SEND), ("encode", ENCODE), ("decode", DECODE), ("parse_webhook", PARSE)]


class Negotiation(C.Structure):
    _fields_ = [("struct_size", U32), ("host_min_version", U32), ("host_max_version", U32), ("chosen_version", U32),
                ("api", C.POINTER(Api))]


OUTCOMES = {0: "accepted", 1: "retry", 2: "rejected", 3: "transport_failure", 4: "internal", 5: "resend_alone"}
STATUSES = {1: "sent", 2: "delivered", 3: "failed", 4: "expired", 5: "rejected"}


def _bytes(s):
    return s if isinstance(s, bytes) else (s or "").encode("utf-8")


def _text(s):
    return C.string_at(s.data, s.size).decode("utf-8") if s.size else ""


class _Keep:
    """Owns the buffers behind Str values for as long as a call needs them."""

    def __init__(self):
        self.buffers = []

    def str(self, value):
        b = _bytes(value)
        buf = C.create_string_buffer(b, len(b) + 1)
        self.buffers.append(buf)
        return Str(C.cast(buf, VP), len(b))

    def headers(self, pairs):
        arr = (Header * max(len(pairs), 1))()
        for i, (k, v) in enumerate(pairs):
            arr[i] = Header(self.str(k), self.str(v))
        self.buffers.append(arr)
        return arr, len(pairs)


def plugin_path(file_name):
    return os.path.join(os.environ["EXTCOMM_PLUGIN_DIR"], file_name)


class Plugin:
    def __init__(self, so_path):
        self.lib = C.CDLL(so_path)
        entry = self.lib.extcomm_transport_entry
        entry.restype, entry.argtypes = I32, [C.POINTER(Negotiation)]
        n = Negotiation(C.sizeof(Negotiation), 1, 1, 0, None)
        if entry(C.byref(n)) != 0:
            raise RuntimeError("negotiation refused")
        self.api = n.api.contents
        d = self.api.descriptor.contents
        caps = d.capabilities.contents
        self.descriptor = {"id": d.id.decode(), "name": d.name.decode(), "channels": d.channels, "send_mode": d.send_mode,
                           "flags": caps.flags, "max_batch_size": caps.max_batch_size,
                           "max_body_length": caps.max_body_length, "settings_schema": d.settings_schema.decode()}

    def create(self, settings_json, name="sms"):
        return Instance(self, settings_json, name)


class Instance:
    def __init__(self, plugin, settings_json, name):
        self.plugin, self.api = plugin, plugin.api
        self.logs = []
        self._log = LOG(lambda ctx, level, text: self.logs.append((level, _text(text))))
        self._host = HostServices(C.sizeof(HostServices), None, self._log)
        keep = _Keep()
        args = CreateArgs(C.sizeof(CreateArgs), keep.str(name), keep.str(settings_json), C.pointer(self._host))
        handle, err = VP(), Error(C.sizeof(Error))
        rc = self.api.create(C.byref(args), C.byref(handle), C.byref(err))
        if rc != 0:
            raise ValueError("create failed (%d): %s: %s" % (rc, err.field.decode(), err.text.decode()))
        self.handle = handle

    def close(self):
        if self.handle:
            self.api.destroy(self.handle)
            self.handle = None

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def _messages(self, keep, messages):
        arr = (Message * max(len(messages), 1))()
        for i, m in enumerate(messages):
            arr[i] = Message(C.sizeof(Message), m.get("channel", 2), keep.str(m.get("id", "m%d" % i)),
                             keep.str(m.get("key", m.get("id", "m%d" % i))), keep.str(m["to"]), keep.str(m.get("subject", "")),
                             keep.str(m["body"]), keep.str(""), keep.str(m.get("metadata", "")), m.get("attempt", 1))
        keep.buffers.append(arr)
        return arr

    def encode(self, messages):
        """-> (requests [{method, url, headers, body, indices, context}], settled {index: result})"""
        keep, requests, settled = _Keep(), [], {}

        def emit(ctx, req):
            r = req.contents
            requests.append({"method": _text(r.method), "url": _text(r.url),
                             "headers": [(_text(r.headers[i].name), _text(r.headers[i].value)) for i in range(r.header_count)],
                             "body": C.string_at(r.body.data, r.body.size) if r.body.size else b"",
                             "indices": [r.message_indices[i] for i in range(r.message_count)], "context": _text(r.context)})
            return 0

        def settle(ctx, index, result):
            settled[index] = _result(result.contents)

        sink = EncodeSink(C.sizeof(EncodeSink), None, EMIT(emit), SETTLE(settle))
        arr = self._messages(keep, messages)
        rc = self.api.encode(self.handle, arr, len(messages), C.byref(sink))
        if rc != 0:
            raise RuntimeError("encode returned %d" % rc)
        return requests, settled

    def decode(self, request, messages, status, headers, body):
        keep = _Keep()
        carried = [messages[i] for i in request["indices"]]
        hdrs, nh = keep.headers(request["headers"])
        idx = (U32 * max(len(request["indices"]), 1))(*request["indices"])
        keep.buffers.append(idx)
        creq = HttpRequest(C.sizeof(HttpRequest), keep.str(request["method"]), keep.str(request["url"]), hdrs, nh,
                           keep.str(request["body"]), idx, len(request["indices"]), keep.str(request["context"]))
        rh, nrh = keep.headers(headers)
        resp = HttpResponse(C.sizeof(HttpResponse), status, rh, nrh, keep.str(body))
        results = (Result * max(len(carried), 1))()
        for r in results:
            r.struct_size = C.sizeof(Result)
        self.api.decode(self.handle, C.byref(creq), self._messages(keep, carried), C.byref(resp), results)
        return [_result(results[i]) for i in range(len(carried))]

    def deliver(self, messages, timeout=10):
        """encode, perform each request, decode: -> (results by message index, requests)"""
        requests, results = self.encode(messages)
        for req in requests:
            r = urllib.request.Request(req["url"], data=req["body"] if req["method"] != "GET" else None,
                                       method=req["method"], headers=dict(req["headers"]))
            try:
                with urllib.request.urlopen(r, timeout=timeout) as resp:
                    status, headers, body = resp.status, list(resp.headers.items()), resp.read()
            except urllib.error.HTTPError as e:
                status, headers, body = e.code, list(e.headers.items()), e.read()
            for index, result in zip(req["indices"], self.decode(req, messages, status, headers, body)):
                results[index] = result
        return [results[i] for i in range(len(messages))], requests

    def parse_webhook(self, method, path, query, headers, body):
        """-> (http status, [update dicts])"""
        keep, updates = _Keep(), []

        def emit(ctx, u):
            u = u.contents
            updates.append({"kind": "reply" if u.kind == 2 else "status", "status": STATUSES.get(u.status),
                            "message_id": _text(u.message_id), "provider_message_id": _text(u.provider_message_id),
                            "provider_code": _text(u.provider_code), "provider_text": _text(u.provider_text),
                            "occurred_at_ms": u.occurred_at_ms, "from": _text(u.from_), "text": _text(u.text)})

        hdrs, nh = keep.headers(headers)
        req = WebhookRequest(C.sizeof(WebhookRequest), keep.str(method), keep.str(path), keep.str(query), hdrs, nh,
                             keep.str(body))
        sink = UpdateSink(C.sizeof(UpdateSink), None, EMIT_UPDATE(emit))
        status = self.api.parse_webhook(self.handle, C.byref(req), C.byref(sink))
        return status, updates


def _result(r):
    return {"outcome": OUTCOMES.get(r.outcome, str(r.outcome)), "retry_after_ms": r.retry_after_ms,
            "provider_message_id": r.provider_message_id.decode("utf-8", "replace"),
            "provider_code": r.provider_code.decode("utf-8", "replace"),
            "provider_text": r.provider_text.decode("utf-8", "replace")}


class WebhookCatcher:
    """A local HTTP server that records the callbacks a simulator posts (method, path, query, headers, body)."""

    def __init__(self):
        import threading
        from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
        from urllib.parse import urlsplit
        self.calls = []
        catcher = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *a):
                pass

            def _serve(self):
                parts = urlsplit(self.path)
                n = int(self.headers.get("Content-Length") or 0)
                catcher.calls.append({"method": self.command, "path": parts.path, "query": parts.query,
                                      "headers": list(self.headers.items()), "body": self.rfile.read(n) if n else b""})
                self.send_response(200)
                self.send_header("Content-Length", "0")
                self.end_headers()

            do_GET = do_POST = _serve

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = "http://127.0.0.1:%d/v1/webhooks/sms" % self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()
