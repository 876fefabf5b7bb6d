"""Drive a transport plugin (.so) through its C ABI from Python, the way the host does: negotiate, create
with settings, then `send` a batch (session transports) or `encode` it, perform each request (urllib) and
`decode` the answers (HTTP-codec transports), and `parse_webhook`. Lets plugin tests run the real .so
against a provider simulator or a real server without the host. Not a host: no outbox, no retries.

Only what plugin-api/include/extcomm/transport.h defines crosses: the structs below mirror it.
Messages are dicts keyed by extcomm_message's field names; results and updates come back as dicts.
"""
import ctypes as C
import json
import os
import socket
import urllib.error
import urllib.request

u32, i32, i64, size_t, vp = C.c_uint32, C.c_int32, C.c_int64, C.c_size_t, C.c_void_p

ERR_INVALID_SETTINGS = 1
CHANNEL_EMAIL, CHANNEL_SMS = 1, 2
OUTCOMES = {0: "accepted", 1: "retry", 2: "rejected", 3: "transport_failure", 4: "internal", 5: "resend_alone"}
STATUSES = {1: "sent", 2: "delivered", 3: "failed", 4: "expired", 5: "rejected"}
KINDS = {1: "status", 2: "reply"}


class Str(C.Structure):
    _fields_ = [("data", C.c_char_p), ("size", size_t)]


def mkstr(s, keep):
    """A Str over `s` (text or bytes); `keep` holds the bytes for as long as the call needs them."""
    b = s.encode() if isinstance(s, str) else (s or b"")
    keep.append(b)
    return Str(b, len(b))


def pystr(s):
    return C.string_at(s.data, s.size).decode("utf-8", "replace") if s.size else ""


class Message(C.Structure):
    _fields_ = [("struct_size", u32), ("channel", u32), ("id", Str), ("idempotency_key", Str), ("to", Str),
                ("subject", Str), ("body", Str), ("html_body", Str), ("metadata_json", Str), ("attempt", u32)]


class Result(C.Structure):
    _fields_ = [("struct_size", u32), ("outcome", u32), ("retry_after_ms", u32), ("provider_message_id", C.c_char * 128),
                ("provider_code", C.c_char * 64), ("provider_text", C.c_char * 512)]


class Header(C.Structure):
    _fields_ = [("name", Str), ("value", Str)]


class HttpRequest(C.Structure):
    _fields_ = [("struct_size", u32), ("method", Str), ("url", Str), ("headers", C.POINTER(Header)),
                ("header_count", size_t), ("body", Str), ("message_indices", C.POINTER(u32)),
                ("message_count", size_t), ("context", Str)]


class HttpResponse(C.Structure):
    _fields_ = [("struct_size", u32), ("status", i32), ("headers", C.POINTER(Header)), ("header_count", size_t),
                ("body", Str)]


EMIT_REQUEST = C.CFUNCTYPE(i32, vp, C.POINTER(HttpRequest))
SETTLE = C.CFUNCTYPE(None, vp, u32, C.POINTER(Result))


class EncodeSink(C.Structure):
    _fields_ = [("struct_size", u32), ("host_ctx", vp), ("emit_request", EMIT_REQUEST), ("settle", SETTLE)]


class WebhookRequest(C.Structure):
    _fields_ = [("struct_size", u32), ("method", Str), ("path", Str), ("query", Str), ("headers", C.POINTER(Header)),
                ("header_count", size_t), ("body", Str)]


class StatusUpdate(C.Structure):
    _fields_ = [("struct_size", u32), ("kind", u32), ("status", u32), ("message_id", Str), ("provider_message_id", Str),
                ("provider_code", Str), ("provider_text", Str), ("occurred_at_ms", i64), ("from_", Str), ("text", Str)]


EMIT_UPDATE = C.CFUNCTYPE(None, vp, C.POINTER(StatusUpdate))


class UpdateSink(C.Structure):
    _fields_ = [("struct_size", u32), ("host_ctx", vp), ("emit_update", EMIT_UPDATE)]


LOG = C.CFUNCTYPE(None, vp, u32, Str)


class HostServices(C.Structure):
    _fields_ = [("struct_size", u32), ("host_ctx", vp), ("log", LOG)]


class Error(C.Structure):
    _fields_ = [("struct_size", u32), ("field", C.c_char * 128), ("text", C.c_char * 512)]


class CreateArgs(C.Structure):
    _fields_ = [("struct_size", u32), ("transport_name", Str), ("settings_json", Str), ("host", C.POINTER(HostServices))]


class Capabilities(C.Structure):
    _fields_ = [("struct_size", u32), ("flags", u32), ("max_batch_size", u32), ("max_body_length", u32)]


class Descriptor(C.Structure):
    _fields_ = [("struct_size", u32), ("id", C.c_char_p), ("name", C.c_char_p), ("vendor", C.c_char_p),
                ("version", C.c_char_p), ("channels", u32), ("send_mode", u32),
                ("capabilities", C.POINTER(Capabilities)), ("settings_schema", C.c_char_p), ("description", C.c_char_p)]


class Api(C.Structure):
    _fields_ = [("struct_size", u32), ("descriptor", C.POINTER(Descriptor)),
                ("create", C.CFUNCTYPE(i32, C.POINTER(CreateArgs), C.POINTER(vp), C.POINTER(Error))),
                ("destroy", C.CFUNCTYPE(None, vp)),
                ("send", C.CFUNCTYPE(i32, vp, C.POINTER(Message), size_t, C.POINTER(Result))),
                ("encode", C.CFUNCTYPE(i32, vp, C.POINTER(Message), size_t, C.POINTER(EncodeSink))),
                ("decode", C.CFUNCTYPE(i32, vp, C.POINTER(HttpRequest), C.POINTER(Message),
                                       C.POINTER(HttpResponse), C.POINTER(Result))),
                ("parse_webhook", C.CFUNCTYPE(i32, vp, C.POINTER(WebhookRequest), C.POINTER(UpdateSink)))]


class Negotiation(C.Structure):
    _fields_ = [("struct_size", u32), ("host_min_version", u32), ("host_max_version", u32), ("chosen_version", u32),
                ("api", C.POINTER(Api))]


def result_dict(r):
    return {"outcome": OUTCOMES.get(r.outcome, r.outcome), "retry_after_ms": r.retry_after_ms,
            "provider_message_id": r.provider_message_id.decode("utf-8", "replace"),
            "provider_code": r.provider_code.decode("utf-8", "replace"),
            "provider_text": r.provider_text.decode("utf-8", "replace")}


def _results(count):
    results = (Result * max(1, count))()
    for r in results:
        r.struct_size = C.sizeof(Result)
    return results


def _headers(pairs, keep):
    pairs = list(pairs)
    return (Header * max(1, len(pairs)))(*[Header(mkstr(n, keep), mkstr(v, keep)) for n, v in pairs]), len(pairs)


class SettingsRefused(Exception):
    def __init__(self, field, text):
        super().__init__("%s: %s" % (field, text))
        self.field, self.text = field, text


def plugin_path(name):
    """The built plugin `name` (e.g. "extcomm-smtp") in the folder the test registration names."""
    return os.path.join(os.environ.get("EXTCOMM_PLUGIN_DIR", ""), name + ".so")


class Plugin:
    """One loaded plugin .so."""

    def __init__(self, path):
        self.lib = C.CDLL(path)
        entry = self.lib.extcomm_transport_entry
        entry.restype, entry.argtypes = i32, [C.POINTER(Negotiation)]
        n = Negotiation(C.sizeof(Negotiation), 1, 1, 0, None)
        if entry(C.byref(n)) != 0:
            raise RuntimeError("negotiation refused")
        self.api = n.api.contents
        d = self.api.descriptor.contents
        caps = d.capabilities.contents
        self.descriptor = {"id": d.id.decode(), "name": d.name.decode(), "vendor": d.vendor.decode(),
                           "version": d.version.decode(), "channels": d.channels,
                           "send_mode": d.send_mode, "flags": caps.flags, "max_batch_size": caps.max_batch_size,
                           "max_body_length": caps.max_body_length,
                           "settings_schema": json.loads(d.settings_schema.decode())}

    def create(self, settings, name="sms"):
        """`settings`: a dict, or JSON text given as is. Raises SettingsRefused when the plugin refuses them."""
        return Instance(self, settings, name)


class Instance:
    def __init__(self, plugin, settings, name):
        self.plugin, self.api = plugin, plugin.api
        # A message's channel when it names none: the plugin's, when it carries exactly one.
        self.channel = plugin.descriptor["channels"] if plugin.descriptor["channels"] in (CHANNEL_EMAIL, CHANNEL_SMS) else None
        self.logs = []
        keep = []
        self._log = LOG(lambda ctx, level, text: self.logs.append((level, pystr(text))))
        self._host = HostServices(C.sizeof(HostServices), None, self._log)
        settings_json = settings if isinstance(settings, str) else json.dumps(settings)
        args = CreateArgs(C.sizeof(CreateArgs), mkstr(name, keep), mkstr(settings_json, keep), C.pointer(self._host))
        handle, err = vp(), Error(C.sizeof(Error))
        rc = self.api.create(C.byref(args), C.byref(handle), C.byref(err))
        if rc == ERR_INVALID_SETTINGS:
            raise SettingsRefused(err.field.decode(), err.text.decode())
        if rc != 0:
            raise RuntimeError("create failed (%d): %s" % (rc, err.text.decode()))
        self.handle = handle

    def close(self):
        if self.handle:
            self.api.destroy(self.handle)
            self.handle = None

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def _messages(self, messages, keep):
        """Messages: dicts with `to` and `body`, and optionally the other extcomm_message fields
        (idempotency_key defaults to "key-" + id)."""
        arr = (Message * max(1, len(messages)))()
        for i, m in enumerate(messages):
            text = {k: mkstr(m.get(k, ""), keep) for k in ("id", "to", "subject", "body", "html_body", "metadata_json")}
            key = mkstr(m.get("idempotency_key", "key-" + m.get("id", "")), keep)
            arr[i] = Message(C.sizeof(Message), m.get("channel", self.channel), idempotency_key=key,
                             attempt=m.get("attempt", 1), **text)
        return arr

    def send(self, messages):
        """Session transports: -> one result per message."""
        keep = []
        results = _results(len(messages))
        self.api.send(self.handle, self._messages(messages, keep), len(messages), results)
        return [result_dict(results[i]) for i in range(len(messages))]

    def encode(self, messages):
        """-> (requests, settled): requests as dicts (with 'indices'), settled as {index: result}."""
        requests, settled = [], {}

        def emit(ctx, p):
            r = p.contents
            requests.append({"method": pystr(r.method), "url": pystr(r.url),
                             "headers": [(pystr(r.headers[i].name), pystr(r.headers[i].value)) for i in range(r.header_count)],
                             "body": C.string_at(r.body.data, r.body.size) if r.body.size else b"",
                             "indices": [r.message_indices[i] for i in range(r.message_count)],
                             "context": pystr(r.context)})
            return 0

        def settle(ctx, index, p):
            settled[index] = result_dict(p.contents)

        keep = []
        arr = self._messages(messages, keep)
        e, s = EMIT_REQUEST(emit), SETTLE(settle)
        sink = EncodeSink(C.sizeof(EncodeSink), None, e, s)
        rc = self.api.encode(self.handle, arr, len(messages), C.byref(sink))
        if rc != 0:
            raise RuntimeError("encode returned %d" % rc)
        return requests, settled

    def decode(self, request, messages, status, body=b"", headers=()):
        """`request` as encode gave it, `messages` the whole batch: -> one result per message it carried."""
        keep = []
        hs, nh = _headers(request["headers"], keep)
        idx = (u32 * max(1, len(request["indices"])))(*request["indices"])
        req = HttpRequest(C.sizeof(HttpRequest), mkstr(request["method"], keep), mkstr(request["url"], keep), hs, nh,
                          mkstr(request["body"], keep), idx, len(request["indices"]), mkstr(request["context"], keep))
        carried = [messages[i] for i in request["indices"]]
        rhs, nrh = _headers(headers, keep)
        resp = HttpResponse(C.sizeof(HttpResponse), status, rhs, nrh, mkstr(body, keep))
        results = _results(len(carried))
        self.api.decode(self.handle, C.byref(req), self._messages(carried, keep), C.byref(resp), results)
        return [result_dict(results[i]) for i in range(len(carried))]

    def parse_webhook(self, body, query="", method="POST", path="/v1/webhooks/sms", headers=()):
        """-> (http status, [update dicts])"""
        keep, updates = [], []

        def emit(ctx, p):
            u = p.contents
            updates.append({"kind": KINDS.get(u.kind, u.kind), "status": STATUSES.get(u.status, u.status),
                            "message_id": pystr(u.message_id), "provider_message_id": pystr(u.provider_message_id),
                            "provider_code": pystr(u.provider_code), "provider_text": pystr(u.provider_text),
                            "occurred_at_ms": u.occurred_at_ms, "from": pystr(u.from_), "text": pystr(u.text)})

        hs, nh = _headers(headers, keep)
        req = WebhookRequest(C.sizeof(WebhookRequest), mkstr(method, keep), mkstr(path, keep), mkstr(query, keep), hs,
                             nh, mkstr(body, keep))
        cb = EMIT_UPDATE(emit)
        sink = UpdateSink(C.sizeof(UpdateSink), None, cb)
        status = self.api.parse_webhook(self.handle, C.byref(req), C.byref(sink))
        return status, updates

    def deliver(self, messages, timeout=10.0):
        """What the host's I/O engine does for one batch: encode, perform each request, decode. Connection
        failures and timeouts become retries without reaching decode. Returns one result per message and
        the requests made. RESEND_ALONE results are resent one message per call, like the host."""
        results = [None] * len(messages)
        requests, settled = self.encode(messages)
        for i, r in settled.items():
            results[i] = r
        for req in requests:
            status, body, headers = perform(req, timeout)
            if status == 0:
                decoded = [{"outcome": "retry", "retry_after_ms": 0, "provider_message_id": "",
                            "provider_code": "connection", "provider_text": body.decode()}] * len(req["indices"])
            else:
                decoded = self.decode(req, messages, status, body, headers)
            for i, r in zip(req["indices"], decoded):
                results[i] = r
        for i, r in enumerate(results):
            if r and r["outcome"] == "resend_alone":
                alone, _ = self.deliver([messages[i]], timeout)
                results[i] = alone[0]
        return results, requests


def perform(req, timeout):
    """-> (status, body, headers); status 0 with the reason in body on connection failure or timeout."""
    data = req["body"] if req["method"] != "GET" else None
    r = urllib.request.Request(req["url"], data=data, method=req["method"], headers=dict(req["headers"]))
    try:
        with urllib.request.urlopen(r, timeout=timeout) as resp:
            return resp.status, resp.read(), list(resp.headers.items())
    except urllib.error.HTTPError as e:
        return e.code, e.read(), list(e.headers.items())
    except (urllib.error.URLError, ConnectionError, socket.timeout, TimeoutError) as e:
        return 0, str(e).encode(), []
