"""MessageMedia (Sinch) Messages API v1 simulator (shared/reference/providers.md §4).

Serves POST /v1/messages the way MessageMedia does: Basic auth with API key/secret (failure: 403
`{"message":"Invalid authentication credentials"}`, as the spec models it), `Content-Type:
application/json`, `{"messages":[...]}` with 1 to 100 messages, all-or-nothing validation (one invalid
message: 400 `{"message","details"}` and nothing is sent), `destination_number` in E.164 with '+' (at most
15 characters), content 1-5000 characters, metadata at most 10 pairs (key <= 100, value <= 256). Success
is 202 with each message echoed with a `message_id` (UUID) and `"status":"queued"`.

Per-test faults (sim.inject(name, count, **params), or POST /_sim/faults):
  bad_credentials              403 Invalid authentication credentials
  bad_credentials_401          401 (what the SDK README documents)
  reject_number  number=...    from then on that number is invalid: a request holding it gets 400
  no_credit                    from then on accepted (202), but their receipts are `rejected` / 301
  status / slow / reset        from simbase (answer 429/500/503, answer late, reset the connection)

Receipts: sim.post_receipts({"url": U (default: each message's callback_url), "status": "delivered",
"error_code": "220", "ids": [...]}) POSTs one delivery report per message, as MessageMedia pushes them;
{"url": U, "reply": {"message_id": ..., "content": "...", "source_number": "+61..."}} posts a reply.
"""
import base64
import re
import uuid
from datetime import datetime, timezone

from simbase import Reply, Simulator, post

MAX_MESSAGES = 100


def now():
    return datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"


def bad_request(details, message="Invalid message(s) in request. Please correct them and try again."):
    return Reply.json(400, {"message": message, "details": details})


class MessageMediaSimulator(Simulator):
    def __init__(self, host="127.0.0.1", port=0, api_key="mm-key", api_secret="mm-secret"):
        super().__init__(host, port)
        self.api_key, self.api_secret = api_key, api_secret
        self.messages = []      # every accepted message as echoed, plus its receipt state
        self.no_credit_ids = set()
        self.rejected = set()
        self.out_of_credit = False

    def fault(self, kind, params, req):
        if kind == "bad_credentials":
            return Reply.json(403, {"message": "Invalid authentication credentials"})
        if kind == "bad_credentials_401":
            return Reply.json(401, {"message": "Your API credentials are invalid"})
        if kind == "reject_number":  # from now on (this request included) that number is invalid
            with self.lock:
                self.rejected.add(params["number"])
            return False
        if kind == "no_credit":  # from now on, accepted messages are rejected (301) in their receipts
            with self.lock:
                self.out_of_credit = True
            return False
        return super().fault(kind, params, req)

    def handle(self, req):
        if req.path != "/v1/messages":
            return Reply.json(404, {"message": "Resource not found."})
        if req.method != "POST":
            return Reply.json(405, {"message": "Method not allowed."})
        if not self._authorised(req.headers.get("authorization", "")):
            return Reply.json(403, {"message": "Invalid authentication credentials"})
        ctype = req.headers.get("content-type", "").split(";")[0].strip().lower()
        if ctype != "application/json":
            return Reply.json(415, {"message": "Unsupported media type; use application/json"})
        try:
            data = req.json()
        except (ValueError, UnicodeDecodeError):
            return bad_request(["Failed to parse message body."],
                               "Request failed to parse correctly. Please ensure input is valid and try again.")
        if not isinstance(data, dict) or not isinstance(data.get("messages"), list):
            return bad_request(["messages: is required and must be a list"])
        messages = data["messages"]
        if not messages:
            return bad_request(["messages: must contain at least 1 message"])
        if len(messages) > MAX_MESSAGES:
            return bad_request(["messages: must contain at most %d messages" % MAX_MESSAGES])
        details = []
        with self.lock:
            rejected = set(self.rejected)
        for i, m in enumerate(messages):
            details += self._check(i, m, rejected)
        if details:
            return bad_request(details)  # all-or-nothing: nothing is sent
        echoed = []
        for m in messages:
            e = dict(m)
            e.setdefault("format", "SMS")
            e.setdefault("delivery_report", False)
            e["message_id"] = str(uuid.uuid4())
            e["status"] = "queued"
            echoed.append(e)
        with self.lock:
            self.messages.extend(echoed)
            if self.out_of_credit:
                self.no_credit_ids.update(e["message_id"] for e in echoed)
        return Reply.json(202, {"messages": echoed})

    def _authorised(self, header):
        if not header.startswith("Basic "):
            return False
        try:
            key, _, secret = base64.b64decode(header[6:].strip(), validate=True).decode().partition(":")
        except Exception:
            return False
        return key == self.api_key and secret == self.api_secret

    @staticmethod
    def _check(i, m, rejected):
        where = "messages[%d]" % i
        if not isinstance(m, dict):
            return [where + ": must be an object"]
        out = []
        content = m.get("content")
        if not isinstance(content, str) or not 1 <= len(content) <= 5000:
            out.append(where + ".content: is required and must be 1 to 5000 characters")
        number = m.get("destination_number")
        if not isinstance(number, str) or len(number) > 15 or not re.fullmatch(r"\+[1-9][0-9]{5,13}", number):
            out.append(where + ".destination_number: must be a valid E.164 number, e.g. +61491570156")
        elif number in rejected:
            out.append(where + ".destination_number: %s is not a valid number" % number)
        if m.get("format", "SMS") not in ("SMS", "MMS", "TTS"):
            out.append(where + ".format: must be one of SMS, MMS, TTS")
        if "delivery_report" in m and not isinstance(m["delivery_report"], bool):
            out.append(where + ".delivery_report: must be a boolean")
        if "callback_url" in m and not isinstance(m["callback_url"], str):
            out.append(where + ".callback_url: must be a string")
        if "source_number_type" in m:
            if "source_number" not in m:
                out.append(where + ".source_number_type: only valid with a source_number")
            if m["source_number_type"] not in ("INTERNATIONAL", "ALPHANUMERIC", "SHORTCODE"):
                out.append(where + ".source_number_type: must be one of INTERNATIONAL, ALPHANUMERIC, SHORTCODE")
        md = m.get("metadata")
        if md is not None:
            if not isinstance(md, dict) or len(md) > 10:
                out.append(where + ".metadata: at most 10 key/value pairs")
            else:
                for k, v in md.items():
                    if len(k) > 100 or not isinstance(v, str) or len(v) > 256:
                        out.append(where + ".metadata: keys up to 100 and values up to 256 characters")
        return out

    # --- webhooks ----------------------------------------------------------------------------
    def post_receipts(self, params):
        posted = []
        if "reply" in params:
            r = params["reply"]
            with self.lock:
                original = next((m for m in self.messages if m["message_id"] == r.get("message_id")), {})
            payload = {"callback_url": original.get("callback_url", params.get("url")),
                       "content": r["content"], "date_received": now(),
                       "destination_number": r.get("destination_number", "+61491570000"),
                       "message_id": r.get("message_id"), "metadata": original.get("metadata", {}),
                       "reply_id": str(uuid.uuid4()),
                       "source_number": r.get("source_number", original.get("destination_number")),
                       "vendor_account_id": {"vendor_id": "MessageMedia", "account_id": "SimAccount"}}
            status, text = post(params.get("url") or payload["callback_url"], payload)
            return {"status": status, "body": text, "posted": [payload]}
        with self.lock:
            chosen = [m for m in self.messages if not params.get("ids") or m["message_id"] in params["ids"]]
            no_credit = set(self.no_credit_ids)
        results = []
        for m in chosen:
            status, code = params.get("status", "delivered"), params.get("error_code", "220")
            if m["message_id"] in no_credit:
                status, code = "rejected", "301"
            payload = {"callback_url": m.get("callback_url"), "delivery_report_id": str(uuid.uuid4()),
                       "source_number": m["destination_number"], "date_received": now(), "status": status,
                       "delay": 0, "billing_units": 1, "submitted_date": now(), "original_text": m["content"],
                       "message_id": m["message_id"],
                       "vendor_account_id": {"vendor_id": "MessageMedia", "account_id": "SimAccount"},
                       "error_code": code, "metadata": m.get("metadata", {})}
            url = params.get("url") or m.get("callback_url")
            s, text = post(url, payload)
            results.append({"status": s, "body": text})
            posted.append(payload)
        return {"status": results[-1]["status"] if results else 0, "results": results, "posted": posted}
