"""A real SMTP server for the smtp transport's tests, built on Debian's aiosmtpd.

It listens on 127.0.0.1 on an ephemeral port, in one of three security modes:

  plain     no TLS at all (a local relay)
  starttls  STARTTLS offered and required before MAIL (RFC 3207)
  tls       implicit TLS from the first byte (RFC 8314, port 465 style)

and records what a test needs to assert on: every connection, every authentication attempt and,
for every accepted message, the envelope and the exact DATA bytes (after dot-unstuffing, CRLF kept).

Failures are injected per command with `inject("RCPT", "550 5.1.1 No such user", address=...)`,
or at connect time with `greeting="421 4.3.2 Service not available"`.

Everything a hook records is recorded before the server answers, so once a client has its answer
the record is there: tests never need to sleep.

    with SmtpServer("starttls", certificate=make_certificate(folder)) as server:
        ... send to 127.0.0.1:server.port ...
        server.messages[0].data  # bytes
"""
import asyncio
import logging
import os
import ssl
import subprocess
import threading
import warnings
from dataclasses import dataclass, field

from aiosmtpd.smtp import SMTP, AuthResult

# aiosmtpd logs every session, and as errors the TLS handshakes a test makes fail on purpose.
logging.getLogger("mail.log").setLevel(logging.CRITICAL)


@dataclass
class Certificate:
    cert: str  # PEM certificate (also what a client trusts as its CA file: it is self-signed)
    key: str   # PEM private key


def make_certificate(folder, name="cert", common_name="127.0.0.1"):
    """A fresh self-signed certificate for 127.0.0.1 and localhost, made with the openssl CLI."""
    cert = os.path.join(folder, name + ".pem")
    key = os.path.join(folder, name + ".key")
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
         "-nodes", "-days", "2", "-keyout", key, "-out", cert, "-subj", "/CN=" + common_name,
         "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost"],
        check=True, capture_output=True)
    return Certificate(cert, key)


@dataclass
class Received:
    connection: int     # 1-based index of the connection that carried it
    mail_from: str
    rcpt_tos: list
    data: bytes         # exactly what followed DATA, dot-unstuffed, without the final ".\r\n"
    tls: bool           # whether the connection was encrypted when DATA arrived
    authenticated_as: str = None
    mail_options: list = field(default_factory=list)


@dataclass
class AuthAttempt:
    connection: int
    mechanism: str
    login: str
    success: bool


@dataclass
class _Fault:
    command: str        # MAIL, RCPT or DATA
    reply: str
    address: str = None  # RCPT/MAIL: only for this address
    remaining: int = None  # None: for ever


class SmtpServer:
    def __init__(self, mode="plain", certificate=None, users=None, greeting=None, hostname="sim.test"):
        if mode not in ("plain", "starttls", "tls"):
            raise ValueError("mode must be plain, starttls or tls")
        if mode != "plain" and certificate is None:
            raise ValueError(mode + " needs a certificate")
        self.mode = mode
        self.certificate = certificate
        self.users = dict(users or {})
        self.greeting = greeting
        self.hostname = hostname
        self.host = "127.0.0.1"
        self.port = None
        self.connections = 0
        self.messages = []       # [Received]
        self.auth_attempts = []  # [AuthAttempt]
        self.commands = []       # [(connection, VERB)] for MAIL, RCPT, DATA: what reached the server
        self._faults = []
        self._lock = threading.Lock()
        self._loop = None
        self._thread = None
        self._server = None

    # --- failure injection -------------------------------------------------------------------
    def inject(self, command, reply, address=None, times=None):
        """Answer `command` (MAIL, RCPT or DATA) with `reply` instead of accepting it, `times` times
        (None: always); for MAIL and RCPT optionally only when the address is `address`."""
        with self._lock:
            self._faults.append(_Fault(command.upper(), reply, address, times))

    def _fault_for(self, command, address=None):
        with self._lock:
            for fault in self._faults:
                if fault.command != command or (fault.address and fault.address != address):
                    continue
                if fault.remaining is not None:
                    if fault.remaining <= 0:
                        continue
                    fault.remaining -= 1
                return fault.reply
        return None

    # --- lifecycle -----------------------------------------------------------------------------
    def start(self):
        self._loop = asyncio.new_event_loop()
        ready = threading.Event()

        def run():
            asyncio.set_event_loop(self._loop)
            ready.set()
            self._loop.run_forever()

        self._thread = threading.Thread(target=run, name="smtp-sim", daemon=True)
        self._thread.start()
        ready.wait()
        asyncio.run_coroutine_threadsafe(self._listen(), self._loop).result(timeout=30)
        return self

    def stop(self):
        if self._loop is None:
            return
        async def close():
            self._server.close()
            await self._server.wait_closed()
        asyncio.run_coroutine_threadsafe(close(), self._loop).result(timeout=30)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(timeout=30)
        self._loop.close()
        self._loop = None

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()

    def _server_context(self):
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(self.certificate.cert, self.certificate.key)
        return context

    async def _listen(self):
        implicit = self._server_context() if self.mode == "tls" else None
        self._server = await self._loop.create_server(self._new_connection, self.host, 0, ssl=implicit)
        self.port = self._server.sockets[0].getsockname()[1]

    def _new_connection(self):
        with self._lock:
            self.connections += 1
            number = self.connections
        if self.greeting:
            return _Refuser(self.greeting)
        starttls = self.mode == "starttls"
        options = dict(
            hostname=self.hostname,
            ident="extcomm-smtp-sim",
            loop=self._loop,
            tls_context=self._server_context() if starttls else None,
            require_starttls=starttls,
            # With implicit TLS the socket is already encrypted, which aiosmtpd's AUTH check does not see.
            # In plain mode AUTH is allowed in clear so a test can prove the transport refuses to do it.
            auth_require_tls=self.mode == "starttls",
        )
        if self.users:
            options.update(authenticator=self._authenticator(number), auth_required=True)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return SMTP(_Handler(self, number), **options)

    def _authenticator(self, number):
        def authenticate(server, session, envelope, mechanism, auth_data):
            login = auth_data.login.decode("utf-8", "replace")
            ok = self.users.get(login) == auth_data.password.decode("utf-8", "replace")
            with self._lock:
                self.auth_attempts.append(AuthAttempt(number, mechanism, login, ok))
            # handled=False makes aiosmtpd answer a failure itself: 535 5.7.8.
            return AuthResult(success=ok, handled=False, auth_data=login if ok else None)
        return authenticate


class _Handler:
    """aiosmtpd hooks: record, or answer with an injected reply."""

    def __init__(self, server, connection):
        self.server = server
        self.connection = connection

    def _note(self, verb):
        with self.server._lock:
            self.server.commands.append((self.connection, verb))

    async def handle_MAIL(self, server, session, envelope, address, mail_options):
        self._note("MAIL")
        reply = self.server._fault_for("MAIL", address)
        if reply:
            return reply
        envelope.mail_from = address
        envelope.mail_options.extend(mail_options)
        return "250 2.1.0 Sender ok"

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        self._note("RCPT")
        reply = self.server._fault_for("RCPT", address)
        if reply:
            return reply
        envelope.rcpt_tos.append(address)
        envelope.rcpt_options.extend(rcpt_options)
        return "250 2.1.5 Recipient ok"

    async def handle_DATA(self, server, session, envelope):
        self._note("DATA")
        reply = self.server._fault_for("DATA")
        if reply:
            return reply
        tls = self.server.mode == "tls" or session.ssl is not None
        received = Received(self.connection, envelope.mail_from, list(envelope.rcpt_tos),
                            bytes(envelope.original_content), tls,
                            session.auth_data if session.authenticated else None, list(envelope.mail_options))
        with self.server._lock:
            self.server.messages.append(received)
            number = len(self.server.messages)
        return "250 2.0.0 Ok: queued as SIM%d" % number


class _Refuser(asyncio.Protocol):
    """A server that answers the connection with one reply (e.g. 421) and hangs up."""

    def __init__(self, greeting):
        self.greeting = greeting

    def connection_made(self, transport):
        transport.write(self.greeting.encode() + b"\r\n")
        transport.close()
