"""Clickatell Platform REST API simulator (shared/reference/providers.md §3).

Serves POST {base}/messages as the Platform does: the integration's API key as the *raw* `Authorization`
header (no `Bearer`), `Content-Type: application/json`, a SendMessageRequest with `content` (string) and
`to` (array of unique strings, international digits without `+`), optional `from`, `clientMessageId`,
`binary`, `validityPeriod`, `charset`, `scheduledDeliveryTime`, `userDataHeader`. Success is 202 with
`{"messages":[{apiMessageId, accepted, to, errorCode, error, errorDescription}], errorCode, error,
errorDescription}`; a bad recipient is `accepted:false` inside the 202; a global failure is non-2xx with
`messages: []` and a top-level error (codes from the One API table, which providers.md says probably applies:
1/401 bad key, 20/402 balance, 23/400 bad parameter, 25 invalid recipient, 43/429 rate limit).
At most MAX_RECIPIENTS numbers per request [?: the Platform's own limit is undocumented; 600 is the legacy
REST figure].

Per-test faults (sim.inject(name, count, **params), or POST /_sim/faults):
  bad_credentials            401 errorCode 1
  no_credit                  402 errorCode 20
  rate_limited  seconds=n    429 errorCode 43 with Retry-After
  reject_number  number=...  202 with that recipient accepted:false, errorCode 25
  status / slow / reset      from simbase (answer 429/500/503, answer late, reset the connection)

Receipts: sim.post_receipts({"url": U, "statusCode": 4, "ids": [apiMessageId...], "method": "POST"|"GET"}) sends
the status callback {integrationName, messageId, requestId, clientMessageId, to, from, statusCode, status,
statusDescription, timestamp} for the sent messages (all, or `ids`); {"url": U, "reply": {"from": "27...",
"text": "...", "to": "27...", "replyMessageId": "..."}} sends an MO callback.
"""
import json
import re
import time
import urllib.parse
import urllib.request
import uuid

from simbase import Reply, Simulator, post

MAX_RECIPIENTS = 600

# Message status codes (Clickatell's table) and the names the Platform callback uses [names partly ?].
STATUSES = {
    1: ("MESSAGE_UNKNOWN", "Message unknown"), 2: ("MESSAGE_QUEUED", "Message queued"),
    3: ("DELIVERED_TO_GATEWAY", "Delivered to gateway"), 4: ("RECEIVED_BY_RECIPIENT", "Received by recipient"),
    5: ("ERROR_WITH_MESSAGE", "Error with message"), 6: ("USER_CANCELLED", "User cancelled message delivery"),
    7: ("ERROR_DELIVERING_MESSAGE", "Error delivering message"), 8: ("RECEIVED_BY_GATEWAY", "OK"),
    9: ("ROUTING_ERROR", "Routing error"), 10: ("MESSAGE_EXPIRED", "Message expired"),
    11: ("MESSAGE_QUEUED_FOR_LATER", "Message queued for later delivery"), 12: ("OUT_OF_CREDIT", "Out of credit"),
    14: ("MAX_MT_EXCEEDED", "Maximum MT limit exceeded"),
}
FIELDS = {"content", "to", "from", "binary", "clientMessageId", "scheduledDeliveryTime", "userDataHeader",
          "validityPeriod", "charset"}


def failure(status, code, text, description=None, headers=None):
    return Reply.json(status, {"messages": [], "errorCode": code, "error": text, "errorDescription": description},
                      headers)


def bad_request(text):
    return failure(400, 23, "Invalid or missing parameter", text)


class ClickatellPlatformSimulator(Simulator):
    def __init__(self, host="127.0.0.1", port=0, api_key="platform-api-key-0001", max_recipients=MAX_RECIPIENTS):
        super().__init__(host, port)
        self.api_key = api_key
        self.max_recipients = max_recipients
        self.messages = []  # every accepted recipient: {apiMessageId, clientMessageId, to, content, from}

    # --- provider-specific faults -----------------------------------------------------------
    def fault(self, kind, params, req):
        if kind == "bad_credentials":
            return self._unauthorised()
        if kind == "no_credit":
            return failure(402, 20, "Insufficient balance", "Your account balance is too low to send this message")
        if kind == "rate_limited":
            return failure(429, 43, "Rate limit exceeded", None, {"Retry-After": str(params.get("seconds", 1))})
        if kind == "reject_number":
            req.reject = re.sub(r"\D", "", params["number"])
            return False
        return super().fault(kind, params, req)

    @staticmethod
    def _unauthorised():
        return failure(401, 1, "Invalid or missing Integration API Key",
                       "The integration API key is missing, wrong, or not sent as the raw Authorization header")

    # --- the API -----------------------------------------------------------------------------
    def handle(self, req):
        if req.path != "/messages":
            return failure(404, None, "Some error occured", "No resource at %s" % req.path)
        if req.method != "POST":
            return failure(405, None, "Method not allowed")
        if req.headers.get("authorization", "") != self.api_key:
            return self._unauthorised()
        ctype = req.headers.get("content-type", "").split(";")[0].strip().lower()
        if ctype != "application/json":
            return bad_request("Content-Type must be application/json, not '%s'" % ctype)
        try:
            body = req.json()
        except (ValueError, UnicodeDecodeError):
            return bad_request("The body is not valid JSON")
        if not isinstance(body, dict):
            return bad_request("The body must be a JSON object")
        unknown = set(body) - FIELDS
        if unknown:
            return bad_request("Unknown field(s): %s" % ", ".join(sorted(unknown)))
        content = body.get("content")
        if not isinstance(content, str) or content == "":
            return bad_request("content is required")
        to = body.get("to")
        if not isinstance(to, list) or not to:
            return bad_request("to must be a non-empty array")
        if not all(isinstance(n, str) for n in to):
            return bad_request("to entries must be strings")
        if len(set(to)) != len(to):
            return bad_request("to entries must be unique")
        if len(to) > self.max_recipients:
            return bad_request("at most %d recipients per request" % self.max_recipients)
        sender = body.get("from")
        if sender is not None and (not isinstance(sender, str) or not re.fullmatch(r"[0-9]{3,15}|[A-Za-z0-9 ]{1,11}", sender)):
            return bad_request("from is not a valid sender")
        client_id = body.get("clientMessageId")
        if client_id is not None and not isinstance(client_id, str):
            return bad_request("clientMessageId must be a string")
        reject = getattr(req, "reject", None)
        answers = []
        for number in to:
            if not re.fullmatch(r"[1-9][0-9]{6,14}", number) or number == reject:
                answers.append({"apiMessageId": None, "accepted": False, "to": number, "errorCode": 25,
                                "error": "Invalid destination address.", "errorDescription": "The destination address is invalid."})
                continue
            api_id = uuid.uuid4().hex
            with self.lock:
                self.messages.append({"apiMessageId": api_id, "clientMessageId": client_id, "to": number,
                                      "content": content, "from": sender})
            answers.append({"apiMessageId": api_id, "accepted": True, "to": number, "errorCode": None, "error": None,
                            "errorDescription": None})
        return Reply.json(202, {"messages": answers, "errorCode": None, "error": None, "errorDescription": None})

    # --- callbacks ---------------------------------------------------------------------------
    def post_receipts(self, params):
        """Send callbacks to params["url"]; returns [[http status, body], ...] per callback."""
        url = params["url"]
        method = params.get("method", "POST")
        now_ms = int(time.time() * 1000)
        if "reply" in params:
            r = params["reply"]
            fields = {"integrationId": "4a2b6c8d", "messageId": uuid.uuid4().hex,
                      "replyMessageId": r.get("replyMessageId", ""), "apiKey": self.api_key, "fromNumber": r["from"],
                      "toNumber": r.get("to", "27830000000"), "timestamp": r.get("timestamp", now_ms),
                      "text": r["text"], "charset": "UTF-8", "udh": "", "network": "", "keyword": ""}
            return [self._callback(url, method, fields)]
        code = int(params.get("statusCode", 4))
        name, description = STATUSES[code]
        with self.lock:
            chosen = [m for m in self.messages if not params.get("ids") or m["apiMessageId"] in params["ids"]]
        out = []
        for m in chosen:
            fields = {"integrationName": "extcomm", "messageId": m["apiMessageId"], "requestId": uuid.uuid4().hex,
                      "clientMessageId": m["clientMessageId"] or "", "to": m["to"], "from": m["from"] or "",
                      "statusCode": code, "status": name, "statusDescription": description,
                      "timestamp": params.get("timestamp", now_ms)}
            out.append(self._callback(url, method, fields))
        return out

    @staticmethod
    def _callback(url, method, fields):
        if method == "GET":
            sep = "&" if "?" in url else "?"
            try:
                with urllib.request.urlopen(url + sep + urllib.parse.urlencode(fields), timeout=10) as resp:
                    return [resp.status, resp.read().decode()]
            except urllib.error.HTTPError as e:
                return [e.code, e.read().decode()]
        return list(post(url, json.dumps(fields), "application/json"))
