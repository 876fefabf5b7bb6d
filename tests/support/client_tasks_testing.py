"""What the client-task tests share: a service sending email through the real SMTP test server, with
Client Delivery on for cases, a worker, consenting and non-consenting clients and a client-facing document
template with one question of each type; and reading the emails the SMTP server received."""
import email
import email.policy
import re

import harness
import postgres
from smtp.server import SmtpServer

LINK = re.compile(r"/t/([A-Za-z0-9_-]+)")
FOREVER_MS = 4_102_444_800_000  # 2100: open for the life of a test
INTAKE = {"title": "Intake form", "client_facing": True, "questions": [
    {"id": "name", "label": "Your preferred name", "type": "short-text", "required": True, "client_visible": True,
     "help": "What we should call you."},
    {"id": "story", "label": "What brings you to us?", "type": "long-text", "client_visible": True},
    {"id": "contact", "label": "How should we contact you?", "type": "one-choice", "required": True,
     "client_visible": True, "options": ["Email", "Phone"]},
    {"id": "days", "label": "Which days suit you?", "type": "several-choices", "client_visible": True,
     "options": ["Monday", "Wednesday", "Friday"]},
    {"id": "born", "label": "Date of birth", "type": "date", "client_visible": True},
    {"id": "children", "label": "How many children live with you?", "type": "number", "client_visible": True},
    {"id": "safe", "label": "Do you feel safe at home?", "type": "yes-no", "required": True, "client_visible": True},
    {"id": "medicare", "label": "Medicare number", "type": "data-field"}]}
CONSENT = {"title": "Consent form", "client_facing": True, "questions": [
    {"id": "agree", "label": "I agree to the terms", "type": "yes-no", "required": True, "client_visible": True}]}


def host_config(cls, pg=None):
    """The configuration's keys besides the transports: the agency, links, delivery and the store."""
    extra = {"store": {"driver": "postgresql", "connection": pg.connection("extcomm")}} if pg else {}
    return dict(agency={"email": {"enabled": True, "transport": "mail"}, "worker_delivery": {"enabled": True},
                        "client_delivery": {"enabled": True, "contexts": ["case"]}},
                confirm_links={"base_url": "https://agency.example/extcomm",
                               "secret": "task-link-secret-0123456789-abcdefghij"},
                delivery={"poll_interval_ms": 50}, **extra)


def second_host(cls):
    """Another host's configuration on `cls`'s PostgreSQL database (no transport: it only serves pages)."""
    return host_config(cls, cls.pg)


def start(cls, pg=None):
    cls.smtp = SmtpServer("plain").start()
    cls.folder = harness.scratch()
    cls.service = harness.Service.configured(cls.folder.name, [
        {"name": "mail", "plugin": "smtp", "delivery": {"breaker_failures": 100},
         "settings": {"host": "127.0.0.1", "port": cls.smtp.port, "encryption": "none",
                      "from_address": "office@agency.example"}}], **host_config(cls, pg))
    ok = cls.service.ok
    ok("PUT", "/v1/workers/ana", {"first_name": "Ana", "email": "ana@agency.example",
                                  "message_settings": {"channels": {"workflow": "email", "notification": "email",
                                                                    "alert": "email"}}})
    for cid in ("jo", "kim", "lee"):
        ok("PUT", "/v1/clients/" + cid, {"name": cid.title(), "contacts": [
            {"id": "home", "channel": "email", "address": cid + "@example.org"}], "email_via": "home"})
    ok("PUT", "/v1/clients/sam", {"name": "Sam", "contacts": [
        {"id": "home", "channel": "email", "address": "sam@example.org"}]})  # no consent
    ok("PUT", "/v1/document-templates/intake", INTAKE)
    ok("PUT", "/v1/document-templates/consent", CONSENT)


def stop(cls):
    cls.service.stop()
    cls.smtp.stop()
    cls.folder.cleanup()


def start_postgres(cls):
    cls.pg = postgres.Server()
    cls.pg.__enter__()
    cls.pg.create_database("extcomm")
    start(cls, cls.pg)


def stop_postgres(cls):
    stop(cls)
    cls.pg.__exit__(None, None, None)


def parts(message):
    """{content type: text} of a received email."""
    parsed = email.message_from_bytes(message.data, policy=email.policy.default)
    out = {}
    for part in parsed.walk():
        if part.get_content_maintype() == "text":
            out[part.get_content_type()] = part.get_content()
    out["subject"] = parsed["Subject"]
    return out


def emails_to(smtp, address):
    """The emails to `address` received so far, as parts()."""
    return [parts(m) for m in smtp.messages if address in m.rcpt_tos]


def received_email(smtp, address, subject):
    """The email to `address` with `subject`, as parts(), waiting for it."""
    return harness.wait_until(lambda: [m for m in emails_to(smtp, address) if m["subject"] == subject],
                              what="the email " + subject)[0]


def form(fields):
    """A urlencoded form body from (name, value) pairs."""
    import urllib.parse
    return urllib.parse.urlencode(fields)
