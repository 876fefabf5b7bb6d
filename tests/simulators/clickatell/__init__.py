"""Clickatell legacy HTTP API simulator (shared/reference/providers.md §2a).

Serves `{base}/http/sendmsg` (and `sendmsg.php`) the way Developers' Central did: GET query or POST
`application/x-www-form-urlencoded` form (a POST with another content type has no parameters, like the
real server), `user`/`password`/`api_id` on every call, `to` as international digits only (no `+`, no
`00`; comma-separated, at most 600 on POST or 300 on GET), `text` (UCS-2 hex with `unicode=1`),
`from`/`mo`, `callback` 0..7, `deliv_ack`, `climsgid` (<= 32 alnum), `concat`. Answers are text/plain with
HTTP 200 whatever happened: `ID: <32 hex>` (one number), `ID: <id> To: <n>` lines (several), or
`ERR: <code>, <description>` (with ` To: <n>` per number).

Per-test faults (sim.inject(name, count, **params), or POST /_sim/faults):
  bad_credentials            ERR: 001, Authentication failed
  bad_api_id                 ERR: 108, Invalid or missing API ID
  no_credit                  ERR: 301, No Credit Left
  reject_number  number=...  ERR: 105, Invalid Destination Address (for that number)
  error  code=... text=...   ERR: <code>, <text> (any code of the table, e.g. 004, 121, 901)
  status / slow / reset      from simbase (answer 429/500/503, answer late, reset the connection)

Receipts: sim.post_receipts({"url": U, "status": "004", "ids": [apiMsgId...], "method": "POST"|"GET"}) sends
the status callback (api_id, apiMsgId, cliMsgId, to, timestamp, from, status, charge) for the sent messages
(all, or `ids`); {"url": U, "reply": {"from": "27...", "text": "...", "to": "27..."}} sends an MO callback
(api_id, moMsgId, from, to, timestamp 'yyyy-mm-dd hh:mm:ss' GMT+2, text, charset, udh).
"""
import re
import time
import urllib.parse
import urllib.request
import uuid
from datetime import datetime, timedelta, timezone

from simbase import Reply, Simulator, post

ERRORS = {
    "001": "Authentication failed", "002": "Unknown username or password", "003": "Session ID expired",
    "004": "Account frozen", "007": "IP Lockdown violation", "100": "Data malformed",
    "101": "Invalid or missing parameters", "103": "Unknown API message ID", "104": "Unknown client message ID",
    "105": "Invalid Destination Address", "106": "Invalid Source Address", "107": "Empty message",
    "108": "Invalid or missing API ID", "113": "Maximum message parts exceeded", "114": "Cannot route message",
    "115": "Message expired", "116": "Invalid Unicode data", "121": "Destination mobile number blocked",
    "122": "Destination mobile opted out", "123": "Invalid Sender ID", "128": "Number delisted",
    "130": "Maximum MT limit exceeded until", "301": "No Credit Left", "302": "Max allowed credit",
    "901": "Internal error",
}
MAX_TO_POST = 600
MAX_TO_GET = 300

GSM7_BASIC = set("@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZ"
                 "ÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà")
GSM7_EXTENSION = set("\f^{}\\[~]|€")


def parts_needed(text, unicode):
    """SMS parts a text needs: GSM-7 160/153 septets, UCS-2 70/67 code units."""
    if unicode or any(c not in GSM7_BASIC and c not in GSM7_EXTENSION for c in text):
        units = len(text.encode("utf-16-be")) // 2
        return 1 if units <= 70 else -(-units // 67)
    septets = sum(2 if c in GSM7_EXTENSION else 1 for c in text)
    return 1 if septets <= 160 else -(-septets // 153)


def err(code, text=None):
    return "ERR: %s, %s" % (code, text or ERRORS[code])


class ClickatellSimulator(Simulator):
    def __init__(self, host="127.0.0.1", port=0, user="agency", password="secret", api_id="3412345"):
        super().__init__(host, port)
        self.user, self.password, self.api_id = user, password, api_id
        self.messages = []  # every accepted message: {apiMsgId, cliMsgId, to, text, from, unicode, callback, ...}

    # --- provider-specific faults -----------------------------------------------------------
    def fault(self, kind, params, req):
        if kind == "bad_credentials":
            return Reply.text(200, err("001"))
        if kind == "bad_api_id":
            return Reply.text(200, err("108"))
        if kind == "no_credit":
            return Reply.text(200, err("301"))
        if kind == "error":
            return Reply.text(200, err(params["code"], params.get("text")))
        if kind == "reject_number":
            req.reject = re.sub(r"\D", "", params["number"])
            return False
        return super().fault(kind, params, req)

    # --- the API -----------------------------------------------------------------------------
    def handle(self, req):
        if req.path not in ("/http/sendmsg", "/http/sendmsg.php"):
            return Reply.text(404, "Not Found")
        if req.method not in ("GET", "POST"):
            return Reply.text(405, "Method Not Allowed")
        params = dict(req.query)
        ctype = req.headers.get("content-type", "").split(";")[0].strip().lower()
        if req.method == "POST" and ctype == "application/x-www-form-urlencoded":
            for k, v in req.form().items():
                params.setdefault(k, v)
        p = {k: v[0] for k, v in params.items()}
        if p.get("user") != self.user or p.get("password") != self.password:
            return Reply.text(200, err("001"))
        if p.get("api_id") != self.api_id:
            return Reply.text(200, err("108"))
        if not p.get("to"):
            return Reply.text(200, err("101", "Invalid or missing parameters: to"))
        if "text" not in p:
            return Reply.text(200, err("101", "Invalid or missing parameters: text"))
        numbers = p["to"].split(",")
        limit = MAX_TO_POST if req.method == "POST" else MAX_TO_GET
        if len(numbers) > limit:
            return Reply.text(200, err("101", "Invalid or missing parameters: more than %d destination addresses" % limit))
        unicode = p.get("unicode", "0") == "1"
        text = p["text"]
        if unicode:
            if not re.fullmatch(r"(?:[0-9A-Fa-f]{4})*", text):
                return Reply.text(200, err("116"))
            try:
                text = bytes.fromhex(text).decode("utf-16-be")
            except UnicodeDecodeError:
                return Reply.text(200, err("116"))
        if text == "":
            return Reply.text(200, err("107"))
        climsgid = p.get("climsgid", "")
        if climsgid and not re.fullmatch(r"[0-9A-Za-z]{1,32}", climsgid):
            return Reply.text(200, err("101", "Invalid or missing parameters: climsgid"))
        if p.get("callback", "0") not in [str(i) for i in range(8)]:
            return Reply.text(200, err("101", "Invalid or missing parameters: callback"))
        if p.get("deliv_ack", "0") not in ("0", "1"):
            return Reply.text(200, err("101", "Invalid or missing parameters: deliv_ack"))
        sender = p.get("from", "")
        if sender and not re.fullmatch(r"[0-9]{3,15}|[A-Za-z0-9 ]{1,11}", sender):
            return Reply.text(200, err("106"))
        try:
            concat = int(p.get("concat", "1"))
        except ValueError:
            return Reply.text(200, err("101", "Invalid or missing parameters: concat"))
        if parts_needed(text, unicode) > max(concat, 1):
            return Reply.text(200, err("113"))
        reject = getattr(req, "reject", None)
        lines = []
        for number in numbers:
            suffix = " To: %s" % number if len(numbers) > 1 else ""
            if not re.fullmatch(r"[1-9][0-9]{6,14}", number) or number == reject:
                lines.append(err("105") + suffix)
                continue
            api_msg_id = uuid.uuid4().hex
            with self.lock:
                self.messages.append({"apiMsgId": api_msg_id, "cliMsgId": climsgid, "to": number, "text": text,
                                      "from": sender if p.get("mo") == "1" else "", "unicode": unicode,
                                      "callback": int(p.get("callback", "0")), "deliv_ack": p.get("deliv_ack") == "1"})
            lines.append("ID: %s%s" % (api_msg_id, suffix))
        return Reply.text(200, "\n".join(lines))

    # --- callbacks ---------------------------------------------------------------------------
    def post_receipts(self, params):
        """Send callbacks to params["url"]; returns [[http status, body], ...] per callback."""
        url = params["url"]
        method = params.get("method", "POST")
        if "reply" in params:
            r = params["reply"]
            sast = datetime.now(timezone.utc) + timedelta(hours=2)
            fields = {"api_id": self.api_id, "moMsgId": uuid.uuid4().hex, "from": r["from"], "to": r.get("to", "27830000000"),
                      "timestamp": r.get("timestamp", sast.strftime("%Y-%m-%d %H:%M:%S")), "text": r["text"],
                      "charset": r.get("charset", "UTF-8"), "udh": ""}
            return [self._callback(url, method, fields)]
        with self.lock:
            chosen = [m for m in self.messages if not params.get("ids") or m["apiMsgId"] in params["ids"]]
        out = []
        for m in chosen:
            fields = {"api_id": self.api_id, "apiMsgId": m["apiMsgId"], "cliMsgId": m["cliMsgId"], "to": m["to"],
                      "timestamp": str(params.get("timestamp", int(time.time()))), "from": m["from"],
                      "status": params.get("status", "004"), "charge": "1.000000"}
            out.append(self._callback(url, method, fields))
        return out

    @staticmethod
    def _callback(url, method, fields):
        data = urllib.parse.urlencode(fields)
        if method == "GET":
            sep = "&" if "?" in url else "?"
            try:
                with urllib.request.urlopen(url + sep + data, timeout=10) as resp:
                    return [resp.status, resp.read().decode()]
            except urllib.error.HTTPError as e:
                return [e.code, e.read().decode()]
        return list(post(url, data, "application/x-www-form-urlencoded"))
