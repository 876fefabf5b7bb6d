"""What the smtp integration tests share: a scratch folder with certificates, the plugin loaded through
its C ABI, settings for a given server, and parsing of what the server received."""
import email
import email.policy
import re
import socket
import tempfile
import unittest

from plugin_driver import Plugin, SettingsRefused, plugin_path  # noqa: F401  (SettingsRefused: for the tests)
from smtp import SmtpServer, make_certificate  # noqa: F401

FROM = "noreply@agency.example"
DATE_LINE = re.compile(rb"^Date: (Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d\d (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) "
                       rb"\d{4} \d\d:\d\d:\d\d \+0000\r\n")

_plugin = None


def plugin():
    global _plugin
    if _plugin is None:
        _plugin = Plugin(plugin_path("extcomm-smtp"))
    return _plugin


def settings_for(server, **overrides):
    """Settings that reach `server` over its own security mode, trusting its certificate."""
    encryption = {"plain": "none", "starttls": "starttls", "tls": "tls"}[server.mode]
    settings = {"host": "127.0.0.1", "port": server.port, "encryption": encryption, "from_address": FROM,
                "connect_timeout_seconds": 10, "response_timeout_seconds": 20}
    if server.certificate is not None:
        settings["ca_file"] = server.certificate.cert
    settings.update(overrides)
    return {k: v for k, v in settings.items() if v is not None}


def message(to="jane@example.org", subject="Your appointment", body="Hello Jane", **extra):
    m = {"id": "m-" + to.split("@")[0], "idempotency_key": "key-" + to.split("@")[0], "to": to, "subject": subject,
         "body": body}
    m.update(extra)
    return m


def parsed(received):
    return email.message_from_bytes(received.data, policy=email.policy.default)


def without_date(data):
    """The message bytes with the (clock-dependent) Date line checked for form and removed."""
    match = DATE_LINE.match(data)
    assert match, "no RFC 5322 Date line first: %r" % data[:80]
    return data[match.end():]


class RefusingPort:
    """A port on 127.0.0.1 bound but not listening: connecting to it is refused, deterministically."""

    def __enter__(self):
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.bind(("127.0.0.1", 0))
        self.port = self.sock.getsockname()[1]
        return self

    def __exit__(self, *exc):
        self.sock.close()


class SmtpTestCase(unittest.TestCase):
    def setUp(self):
        self._scratch = tempfile.TemporaryDirectory(prefix="extcomm-smtp-")
        self.folder = self._scratch.name
        self.addCleanup(self._scratch.cleanup)

    def certificate(self, name="cert"):
        return make_certificate(self.folder, name)

    def server(self, mode="plain", **options):
        if mode != "plain" and "certificate" not in options:
            options["certificate"] = self.certificate()
        server = SmtpServer(mode, **options).start()
        self.addCleanup(server.stop)
        return server

    def send(self, settings, *messages):
        with plugin().create(settings, name="mail") as transport:
            return transport.send(list(messages))

    def assertOutcome(self, result, outcome, code=None):
        self.assertEqual(result["outcome"], outcome, result)
        if code is not None:
            self.assertEqual(result["provider_code"], code, result)
