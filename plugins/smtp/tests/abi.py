"""Drives a transport plugin through its C ABI (transport.h) with ctypes, the way the host does:
negotiate, create with settings JSON, send a batch, read one result per message, destroy.

This lets the smtp integration tests exercise the real .so (batches included) without the host binary.
"""
import ctypes as C
import json
import os

OUTCOMES = {0: "accepted", 1: "retry", 2: "rejected", 3: "transport_failure", 4: "internal", 5: "resend_alone"}
CHANNEL_EMAIL = 1


class Str(C.Structure):
    _fields_ = [("data", C.c_char_p), ("size", C.c_size_t)]


def _str(text):
    raw = text.encode("utf-8") if isinstance(text, str) else (text or b"")
    return Str(raw, len(raw))


class Capabilities(C.Structure):
    _fields_ = [("struct_size", C.c_uint32), ("flags", C.c_uint32), ("max_batch_size", C.c_uint32),
                ("max_body_length", C.c_uint32)]


class Descriptor(C.Structure):
    _fields_ = [("struct_size", C.c_uint32), ("id", C.c_char_p), ("name", C.c_char_p), ("vendor", C.c_char_p),
                ("version", C.c_char_p), ("channels", C.c_uint32), ("send_mode", C.c_uint32),
                ("capabilities", C.POINTER(Capabilities)), ("settings_schema", C.c_char_p),
                ("description", C.c_char_p)]


class Message(C.Structure):
    _fields_ = [("struct_size", C.c_uint32), ("channel", C.c_uint32), ("id", Str), ("idempotency_key", Str),
                ("to", Str), ("subject", Str), ("body", Str), ("html_body", Str), ("metadata_json", Str),
                ("attempt", C.c_uint32)]


class Result(C.Structure):
    _fields_ = [("struct_size", C.c_uint32), ("outcome", C.c_uint32), ("retry_after_ms", C.c_uint32),
                ("provider_message_id", C.c_char * 128), ("provider_code", C.c_char * 64),
                ("provider_text", C.c_char * 512)]


LOG_FN = C.CFUNCTYPE(None, C.c_void_p, C.c_uint32, Str)


class HostServices(C.Structure):
    _fields_ = [("struct_size", C.c_uint32), ("host_ctx", C.c_void_p), ("log", LOG_FN)]


class Error(C.Structure):
    _fields_ = [("struct_size", C.c_uint32), ("field", C.c_char * 128), ("text", C.c_char * 512)]


class CreateArgs(C.Structure):
    _fields_ = [("struct_size", C.c_uint32), ("transport_name", Str), ("settings_json", Str),
                ("host", C.POINTER(HostServices))]


CREATE_FN = C.CFUNCTYPE(C.c_int32, C.POINTER(CreateArgs), C.POINTER(C.c_void_p), C.POINTER(Error))
DESTROY_FN = C.CFUNCTYPE(None, C.c_void_p)
SEND_FN = C.CFUNCTYPE(C.c_int32, C.c_void_p, C.POINTER(Message), C.c_size_t, C.POINTER(Result))


class Api(C.Structure):
    _fields_ = [("struct_size", C.c_uint32), ("descriptor", C.POINTER(Descriptor)), ("create", CREATE_FN),
                ("destroy", DESTROY_FN), ("send", SEND_FN), ("encode", C.c_void_p), ("decode", C.c_void_p),
                ("parse_webhook", C.c_void_p)]


class Negotiation(C.Structure):
    _fields_ = [("struct_size", C.c_uint32), ("host_min_version", C.c_uint32), ("host_max_version", C.c_uint32),
                ("chosen_version", C.c_uint32), ("api", C.POINTER(Api))]


class SettingsRefused(Exception):
    def __init__(self, field, text):
        super().__init__("%s: %s" % (field, text))
        self.field = field
        self.text = text


class Outcome:
    def __init__(self, r):
        self.outcome = OUTCOMES.get(r.outcome, str(r.outcome))
        self.provider_message_id = r.provider_message_id.decode()
        self.provider_code = r.provider_code.decode()
        self.provider_text = r.provider_text.decode()

    def __repr__(self):
        return "%s %s: %s [%s]" % (self.outcome, self.provider_code, self.provider_text, self.provider_message_id)


def plugin_path(name="extcomm-smtp"):
    return os.path.join(os.environ.get("EXTCOMM_PLUGIN_DIR", ""), name + ".so")


class Plugin:
    def __init__(self, path=None):
        self.lib = C.CDLL(path or plugin_path())
        entry = self.lib.extcomm_transport_entry
        entry.argtypes = [C.POINTER(Negotiation)]
        entry.restype = C.c_int32
        n = Negotiation(C.sizeof(Negotiation), 1, 1, 0, None)
        if entry(C.byref(n)) != 0:
            raise RuntimeError("negotiation refused")
        self.api = n.api.contents
        self.descriptor = self.api.descriptor.contents

    def create(self, settings, name="mail"):
        return Instance(self, settings, name)


class Instance:
    def __init__(self, plugin, settings, name):
        self.plugin = plugin
        self.logs = []
        self._log = LOG_FN(lambda ctx, level, text: self.logs.append((level, C.string_at(text.data, text.size).decode())))
        self._services = HostServices(C.sizeof(HostServices), None, self._log)
        settings_json = json.dumps(settings) if not isinstance(settings, str) else settings
        args = CreateArgs(C.sizeof(CreateArgs), _str(name), _str(settings_json), C.pointer(self._services))
        handle = C.c_void_p()
        error = Error(C.sizeof(Error))
        rc = plugin.api.create(C.byref(args), C.byref(handle), C.byref(error))
        if rc == 1:
            raise SettingsRefused(error.field.decode(), error.text.decode())
        if rc != 0:
            raise RuntimeError("create failed: " + error.text.decode())
        self.handle = handle

    def send(self, messages):
        """messages: dicts with to, subject, body, html_body, id, idempotency_key. Returns [Outcome]."""
        keep = []
        array = (Message * len(messages))()
        for i, m in enumerate(messages):
            fields = {k: _str(m.get(k, "")) for k in ("id", "idempotency_key", "to", "subject", "body",
                                                       "html_body", "metadata_json")}
            keep.append(fields)
            array[i] = Message(C.sizeof(Message), m.get("channel", CHANNEL_EMAIL), attempt=m.get("attempt", 1), **fields)
        results = (Result * len(messages))()
        for r in results:
            r.struct_size = C.sizeof(Result)
        self.plugin.api.send(self.handle, array, len(messages), results)
        return [Outcome(r) for r in results]

    def close(self):
        if self.handle:
            self.plugin.api.destroy(self.handle)
            self.handle = None

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
