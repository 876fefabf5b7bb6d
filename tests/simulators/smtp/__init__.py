"""A real SMTP server for tests (aiosmtpd): see server.py."""
from .server import SmtpServer, Certificate, make_certificate  # noqa: F401
