"""A service with two named API tokens and the `file` transport, for the settings tests."""
import os

import harness

ADMIN_TOKEN = "admin-console-token-0123"  # named "admin-console"; harness.API_TOKEN is the unnamed token-2

# The seed's "Appointment reminder" event: Tuesday 3 March 2026, 2:30pm in Sydney.
EVENT = {
    "start": "2026-03-03T14:30:00+11:00",
    "worker": {"first_name": "Jo", "last_name": "Bloggs"},
    "site": {"name": "Northside", "phone": "02 9999 0000", "time_zone": "Australia/Sydney"},
    "location": "Room 4",
}


def service(folder, **extra):
    """The settings tests' service: the `file` transport "mail" spooling to `folder`/spool, both tokens."""
    return harness.Service.configured(
        folder, [{"name": "mail", "plugin": "file", "settings": {"spool": os.path.join(folder, "spool")}}],
        api_tokens=[{"name": "admin-console", "token": ADMIN_TOKEN}, harness.API_TOKEN], **extra)
