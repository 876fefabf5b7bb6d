"""What the discussion tests share: a service sending email through the real SMTP test server
(tests/simulators/smtp), on SQLite or on a private PostgreSQL, with two workers who get Discussion messages
by email and a client who consented to email; the emails as a client's mail program reads them; the
discussion page's form posted as a browser posts it (without following the redirect, to see it)."""
import email
import email.policy
import re
import urllib.error
import urllib.parse
import urllib.request

import harness
import postgres
from smtp.server import SmtpServer

BASE_URL = "https://agency.example/extcomm"
LINK = re.compile(r"https://agency\.example/extcomm/d/([A-Za-z0-9_-]+)")
ZONE = "Australia/Sydney"
VIEWER = "viewer-token-0123456789"
ADMIN = "admin-token-0123456789"


def start(cls, store="sqlite"):
    """Starts the SMTP server (cls.smtp), PostgreSQL when asked (cls.pg) and the service (cls.service)."""
    cls.smtp = SmtpServer("plain").start()
    cls.folder = harness.scratch()
    cls.pg = None
    extra = {}
    if store == "postgresql":
        cls.pg = postgres.Server()
        cls.pg.create_database("extcomm")
        extra["store"] = {"driver": "postgresql", "connection": cls.pg.connection("extcomm")}
    agency = {"general": {"time_zone": ZONE},
              "email": {"enabled": True, "transport": "mail"},
              "worker_delivery": {"enabled": True},
              "client_delivery": {"enabled": True, "contexts": ["profile", "service-file"]},
              "privacy": {"hide_worker_last_name": False}}
    cls.service = harness.Service.configured(cls.folder.name, [
        {"name": "mail", "plugin": "smtp",
         "settings": {"host": "127.0.0.1", "port": cls.smtp.port, "encryption": "none",
                      "from_address": "office@agency.example"}},
    ], agency=agency, delivery={"poll_interval_ms": 50},
        confirm_links={"base_url": BASE_URL, "secret": "discussion-link-secret-0123456789-abcdef"},
        api_tokens=[{"name": "penelope", "token": harness.API_TOKEN, "role": "integration"},
                    {"name": "board", "token": VIEWER, "role": "viewer"},
                    {"name": "ops", "token": ADMIN, "role": "admin"}], **extra)
    ok = cls.service.ok
    for wid, last in (("ana", "Lee"), ("ben", "Okafor")):
        ok("PUT", "/v1/workers/" + wid, {"first_name": wid.title(), "last_name": last, "email": wid + "@agency.example",
                                         "message_settings": {"channels": {"discussion": "email"}}})
    ok("PUT", "/v1/clients/jo", {"name": "Jo Citizen", "contacts": [
        {"id": "home", "channel": "email", "address": "jo@example.org"}], "email_via": "home"})
    ok("PUT", "/v1/clients/sam", {"name": "Sam", "contacts": [
        {"id": "home", "channel": "email", "address": "sam@example.org"}]})  # no consent


def stop(cls):
    cls.service.stop()
    cls.smtp.stop()
    if cls.pg:
        cls.pg.stop()
    cls.folder.cleanup()


class Mail:
    """One email as the recipient's mail program shows it."""

    def __init__(self, raw):
        self.message = email.message_from_bytes(raw, policy=email.policy.default)
        self.subject = str(self.message["Subject"])
        text = self.message.get_body(("plain",))
        html = self.message.get_body(("html",))
        self.text = text.get_content() if text else ""
        self.html = html.get_content() if html else ""

    def token(self):
        found = LINK.search(self.text)
        assert found, self.text
        return found.group(1)


def mails_to(smtp, address):
    return [Mail(m.data) for m in smtp.messages if address in m.rcpt_tos]


def wait_for_mail(smtp, address, count, what):
    """The emails `address` received, once there are `count` of them."""
    return harness.wait_until(lambda: (lambda got: got if len(got) >= count else None)(mails_to(smtp, address)),
                              what=what)


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def post_form(url, fields=None, raw=None):
    """POSTs a form as a browser does; returns (status, headers, text) without following a redirect."""
    data = raw if raw is not None else urllib.parse.urlencode(fields or {}).encode()
    request = urllib.request.Request(url, data=data, method="POST",
                                     headers={"Content-Type": "application/x-www-form-urlencoded"})
    try:
        with urllib.request.build_opener(_NoRedirect).open(request, timeout=30) as resp:
            return resp.status, resp.headers, resp.read().decode()
    except urllib.error.HTTPError as e:
        return e.code, e.headers, e.read().decode()
