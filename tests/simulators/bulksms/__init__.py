"""BulkSMS JSON REST API v1 simulator (shared/reference/providers.md §1).

Serves POST {base}/v1/messages the way BulkSMS does: pre-emptive Basic auth (username/password or API
token id/secret), `Content-Type: application/json`, a JSON array of SubmissionEntry (the shorthand forms
too: one object, `to` as a string or array of strings, `from` as a string), `deduplication-id` (int32;
a repeated id answers the first submission's answer again and creates nothing), `auto-unicode`, and
answers 201 with one Message per created message, or the `{type,title,status,detail}` errors.

Per-test faults (sim.inject(name, count, **params), or POST /_sim/faults):
  bad_credentials            401 authentication-failed
  no_credit                  403 insufficient-credits
  reject_number  number=...  from then on, 400 bad-request for a submission that holds that number
  blocked_number number=...  from then on, 201 but that number's message is FAILED.BLOCKED
  status / slow / reset      from simbase (answer 429/500/503, answer late, reset the connection)

Receipts: sim.post_receipts({"url": U, "status": "DELIVERED"|"FAILED", "subtype": ..., "ids": [...]}) POSTs a
JSON array of Message (BulkSMS's webhook payload) for the created messages (all, or `ids`);
{"url": U, "reply": {"from": "+27...", "body": "...", "related": "<message id>"}} posts a RECEIVED one.
"""
import base64
import itertools
import json
import re
from datetime import datetime, timezone

from simbase import Reply, Simulator, post

ERRORS = "https://developer.bulksms.com/json/v1/errors#"
MAX_MESSAGES = 30000


def error(status, kind, title, detail=None):
    body = {"type": ERRORS + kind, "title": title, "status": status}
    if detail is not None:
        body["detail"] = detail
    return Reply.json(status, body)


def now():
    return datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S+00:00")


class BadRequest(Exception):
    pass


class BulkSmsSimulator(Simulator):
    def __init__(self, host="127.0.0.1", port=0, username="agency", password="secret",
                 token_id="TOKENID", token_secret="tokensecret"):
        super().__init__(host, port)
        self.credentials = {(username, password), (token_id, token_secret)}
        self.messages = []          # every created Message, in order
        self.dedup = {}             # deduplication-id -> answered Reply
        self.duplicates = 0         # resubmissions answered from self.dedup
        self.rejected = set()       # digits of numbers answered 400 (fault reject_number)
        self.blocked = set()        # digits of numbers answered FAILED.BLOCKED (fault blocked_number)
        self._ids = itertools.count(4023457654)
        self._submissions = itertools.count(522347562)

    # --- provider-specific faults -----------------------------------------------------------
    def fault(self, kind, params, req):
        if kind == "bad_credentials":
            return self._auth_failed()
        if kind == "no_credit":
            return error(403, "insufficient-credits", "Insufficient Credits")
        if kind in ("reject_number", "blocked_number"):
            # From now on (this request included) that number is refused / blocked.
            with self.lock:
                (self.rejected if kind == "reject_number" else self.blocked).add(digits(params["number"]))
            return False
        return super().fault(kind, params, req)

    @staticmethod
    def _auth_failed():
        return error(401, "authentication-failed", "Authentication Failed",
                     "Full authentication is required to access this resource")

    # --- the API -----------------------------------------------------------------------------
    def handle(self, req):
        if req.path != "/v1/messages":
            return error(404, "not-found", "Not Found", f"No resource at {req.path}")
        if req.method != "POST":
            return error(405, "method-not-allowed", "Method Not Allowed")
        if not self._authorised(req.headers.get("authorization", "")):
            return self._auth_failed()
        ctype = req.headers.get("content-type", "").split(";")[0].strip().lower()
        if ctype != "application/json":
            return error(415, "unsupported-media-type", "Unsupported Media Type",
                         "Content type '%s' not supported" % ctype)
        try:
            dedup_id = self._query_int32(req, "deduplication-id")
            self._query_bool(req, "auto-unicode")
            entries = self._entries(req)
        except BadRequest as e:
            return error(400, "bad-request", "Bad Request", str(e))
        if dedup_id is not None:
            with self.lock:
                if dedup_id in self.dedup:
                    self.duplicates += 1
                    return self.dedup[dedup_id]
        for entry in entries:
            for to in entry["to"]:
                if digits(to["address"]) in self.rejected:
                    return error(400, "bad-request", "Bad Request", "The phone number %s is not valid" % to["address"])
        created = []
        submission = {"id": "1-%020d" % next(self._submissions), "date": now()}
        for entry in entries:
            for to in entry["to"]:
                status = {"id": "ACCEPTED.null", "type": "ACCEPTED", "subtype": None}
                if digits(to["address"]) in self.blocked:
                    status = {"id": "FAILED.BLOCKED", "type": "FAILED", "subtype": "BLOCKED"}
                m = {"id": str(next(self._ids)), "type": "SENT", "from": entry.get("from", {}).get("address", ""),
                     "to": to["address"], "body": entry["body"], "encoding": entry.get("encoding", "TEXT"),
                     "protocolId": 0, "messageClass": 2, "submission": submission, "status": status,
                     "numberOfParts": None, "creditCost": None}
                if "userSuppliedId" in entry:
                    m["userSuppliedId"] = entry["userSuppliedId"]
                created.append(m)
        reply = Reply.json(201, created)
        with self.lock:
            self.messages.extend(created)
            if dedup_id is not None:
                self.dedup[dedup_id] = reply
        return reply

    def _authorised(self, header):
        if not header.startswith("Basic "):
            return False
        try:
            user, _, secret = base64.b64decode(header[6:].strip(), validate=True).decode().partition(":")
        except Exception:
            return False
        return (user, secret) in self.credentials

    @staticmethod
    def _query_int32(req, name):
        values = req.query.get(name)
        if not values:
            return None
        try:
            v = int(values[0])
        except ValueError:
            raise BadRequest("%s must be an integer" % name)
        if not -2**31 <= v < 2**31:
            raise BadRequest("%s must be a 32-bit integer" % name)
        return v

    @staticmethod
    def _query_bool(req, name):
        values = req.query.get(name)
        if values and values[0] not in ("true", "false"):
            raise BadRequest("%s must be true or false" % name)

    def _entries(self, req):
        try:
            data = req.json()
        except (ValueError, UnicodeDecodeError):
            raise BadRequest("Could not parse the JSON in the request body")
        entries = data if isinstance(data, list) else [data]
        if not entries:
            raise BadRequest("The request has no messages")
        out = []
        for i, e in enumerate(entries):
            if not isinstance(e, dict):
                raise BadRequest("Entry %d is not an object" % i)
            out.append(self._entry(i, e))
        if sum(len(e["to"]) for e in out) > MAX_MESSAGES:
            raise BadRequest("A submission can create at most %d messages" % MAX_MESSAGES)
        return out

    @staticmethod
    def _entry(i, e):
        if "to" not in e or "body" not in e:
            raise BadRequest("Entry %d: 'to' and 'body' are required" % i)
        if not isinstance(e["body"], str):
            raise BadRequest("Entry %d: body must be a string" % i)
        to = e["to"]
        to = to if isinstance(to, list) else [to]
        recipients = []
        for t in to:
            if isinstance(t, str):
                t = {"type": "INTERNATIONAL", "address": t}
            if not isinstance(t, dict):
                raise BadRequest("Entry %d: invalid 'to'" % i)
            if t.get("type", "INTERNATIONAL") != "INTERNATIONAL":
                raise BadRequest("Entry %d: only INTERNATIONAL recipients are simulated" % i)
            address = t.get("address")
            if not isinstance(address, str) or not re.fullmatch(r"\+?[1-9][0-9]{6,14}", address):
                raise BadRequest("The phone number %s is not valid" % address)
            recipients.append({"type": "INTERNATIONAL", "address": address})
        entry = {"to": recipients, "body": e["body"]}
        if e.get("encoding", "TEXT") not in ("TEXT", "UNICODE", "BINARY"):
            raise BadRequest("Entry %d: encoding must be one of TEXT, UNICODE, BINARY" % i)
        entry["encoding"] = e.get("encoding", "TEXT")
        if e.get("deliveryReports", "ALL") not in ("ALL", "ERRORS", "NONE"):
            raise BadRequest("Entry %d: deliveryReports must be one of ALL, ERRORS, NONE" % i)
        if "from" in e:
            f = e["from"]
            if isinstance(f, str):
                f = {"type": "ALPHANUMERIC" if not f.startswith("+") and not f.isdigit() else "INTERNATIONAL",
                     "address": f}
            if not isinstance(f, dict) or "type" not in f:
                raise BadRequest("Entry %d: from.type is required" % i)
            kind, address = f["type"], f.get("address", "")
            ok = {"INTERNATIONAL": re.fullmatch(r"\+?[0-9]{7,15}", address or ""),
                  "ALPHANUMERIC": 0 < len(address or "") <= 11,
                  "SHORTCODE": re.fullmatch(r"[0-9]{1,6}", address or ""),
                  "REPLIABLE": not address}.get(kind)
            if not ok:
                raise BadRequest("Entry %d: invalid sender id for type %s" % (i, kind))
            entry["from"] = {"type": kind, "address": address}
        if "userSuppliedId" in e:
            if not isinstance(e["userSuppliedId"], str) or len(e["userSuppliedId"]) > 20:
                raise BadRequest("Entry %d: userSuppliedId can contain no more than 20 characters" % i)
            entry["userSuppliedId"] = e["userSuppliedId"]
        parts = e.get("longMessageMaxParts", 3)
        if not isinstance(parts, int) or parts < 1:
            raise BadRequest("Entry %d: longMessageMaxParts must be a positive integer" % i)
        return entry

    # --- webhooks ----------------------------------------------------------------------------
    def post_receipts(self, params):
        url = params["url"]
        if "reply" in params:
            r = params["reply"]
            payload = [{"id": str(next(self._ids)), "type": "RECEIVED", "from": r["from"], "to": r.get("to", "+27820000000"),
                        "body": r["body"], "encoding": "TEXT", "protocolId": 0, "messageClass": 2,
                        "relatedSentMessageId": r.get("related"),
                        "submission": {"id": "2-%020d" % next(self._submissions), "date": now()},
                        "status": {"id": "RECEIVED.null", "type": "RECEIVED", "subtype": None}}]
        else:
            kind, subtype = params.get("status", "DELIVERED"), params.get("subtype")
            with self.lock:
                chosen = [m for m in self.messages if not params.get("ids") or m["id"] in params["ids"]]
            payload = []
            for m in chosen:
                m = json.loads(json.dumps(m))
                m["status"] = {"id": "%s.%s" % (kind, subtype or "null"), "type": kind, "subtype": subtype}
                m["creditCost"], m["numberOfParts"] = 1, 1
                payload.append(m)
        status, text = post(url, payload)
        return {"status": status, "body": text, "posted": payload}


def digits(s):
    return re.sub(r"[^0-9]", "", s or "")
