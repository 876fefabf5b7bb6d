"""Input is refused, never mangled: what the service would have accepted and then lost or misread (a NUL
in a text, a member named twice, a number out of any sane range, a year 9999, a reused idempotency key)
is a 400 or 409 naming the field; and `check-config` refuses what `serve` refuses, and never crashes."""
import json
import os
import socket
import unittest

import harness

# Times of service events and message bodies as a case-management system sends them.
EVENT = {"start": "2026-03-03T14:30:00+11:00", "end": "2026-03-03T15:30:00+11:00", "status": "booked",
         "workers": [{"id": "ana", "primary": True}], "clients": [{"id": "jo", "primary": True}]}


def free_port():
    """A port on 127.0.0.1 nothing listens on: an SMTP server that is down."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def email(body="See you at 10:00.", **extra):
    return dict({"channel": "email", "to": "jo@example.org", "subject": "Appointment", "body": body}, **extra)


class RefusedInputTest(harness.ServiceTest):
    SPOOLS = {"mail": "mail", "other": "other"}

    def post(self, body, **kw):
        return self.service.request("POST", "/v1/messages", body, **kw)

    def refused(self, method, path, body, field, status=400):
        got, answer = self.service.request(method, path, body)
        self.assertEqual(got, status, (path, body, answer))
        self.assertEqual(answer["error"]["field"], field, answer)
        self.assertTrue(answer["error"]["message"], answer)
        return answer

    def test_a_nul_in_any_text_of_any_body_is_refused_naming_the_field(self):
        self.refused("POST", "/v1/messages", email("Hello\u0000 and the rest"), "body")
        self.refused("POST", "/v1/messages", email(subject="Appt\u0000"), "subject")
        self.refused("POST", "/v1/messages", email(metadata={"case": ["c-1", "c\u00002"]}), "metadata.case[1]")
        self.refused("POST", "/v1/messages", {"messages": [email(), email(to="jo@example.org\u0000x")]},
                     "messages[1].to")
        self.refused("PUT", "/v1/workers/ana", {"first_name": "Ana\u0000"}, "first_name")
        self.refused("PUT", "/v1/service-events/ev-nul", dict(EVENT, location="Room\u00001"), "location")
        answer = self.refused("PUT", "/v1/settings/general", {"sms_prefix": "Acme\u0000"}, "sms_prefix")
        self.assertIn("NUL", answer["error"]["message"])
        # Nothing of them was stored or sent.
        self.assertEqual(harness.spooled(self.mail), [])
        self.assertEqual(self.service.request("GET", "/v1/service-events/ev-nul")[0], 404)

    def test_a_member_named_twice_is_refused_naming_it(self):
        text = '{"channel": "email", "to": "jo@example.org", "body": "first", "body": "second"}'
        answer = self.refused("POST", "/v1/messages", text, "body")
        self.assertIn("twice", answer["error"]["message"])
        self.refused("POST", "/v1/messages", '{"messages": [{"channel": "email", "channel": "sms"}]}',
                     "messages[0].channel")
        self.refused("PUT", "/v1/service-events/ev-twice",
                     json.dumps(EVENT)[:-1] + ', "status": "cancelled"}', "status")
        self.assertEqual(harness.spooled(self.mail), [])

    def test_integers_out_of_range_are_refused(self):
        for seconds in (9223372036854775, 9223372036854775807, 18446744073709551615, 0, -1, 31622401, 1e3):
            self.refused("POST", "/v1/messages", email(expires_in_seconds=seconds), "expires_in_seconds")
        status, answer = self.post(email(expires_in_seconds=31622400))
        self.assertEqual(status, 202, answer)
        self.assertEqual(self.service.wait_for_state(answer["id"], {"sent"})["state"], "sent")

    def test_event_times_only_in_sane_years_with_real_offsets(self):
        for start in ("0000-03-03T14:30:00+11:00", "-001-03-03T14:30:00+11:00", "9999-03-03T14:30:00+11:00",
                      "1899-12-31T23:00:00+00:00", "2026-03-03T14:30:00+10:60", "2026-03-03T14:30:00+1060"):
            self.refused("PUT", "/v1/service-events/ev-when", dict(EVENT, start=start), "start")
        self.refused("PUT", "/v1/service-events/ev-when", dict(EVENT, booked_at="9999-01-01T00:00:00Z"), "booked_at")
        self.assertEqual(self.service.request("GET", "/v1/service-events/ev-when")[0], 404)

    def test_an_idempotency_key_names_one_message(self):
        status, first = self.post(email(idempotency_key="appt-1"))
        self.assertEqual(status, 202, first)
        # The same message again: the first one, not a second.
        self.assertEqual(self.post(email(idempotency_key="appt-1"))[1]["id"], first["id"])
        for other in (email(idempotency_key="appt-1", body="Another body"),
                      email(idempotency_key="appt-1", subject="Another subject"),
                      email(idempotency_key="appt-1", to="sam@example.org"),
                      email(idempotency_key="appt-1", transport="other"),
                      email(idempotency_key="appt-1", channel="sms", to="+61491570156")):
            answer = self.refused("POST", "/v1/messages", other, "idempotency_key", status=409)
            self.assertIn("appt-1", answer["error"]["message"])
        # From the header, the header is named.
        status, answer = self.service.request("POST", "/v1/messages", email("Other"), headers={"Idempotency-Key": "appt-1"})
        self.assertEqual((status, answer["error"]["field"]), (409, "Idempotency-Key"), answer)
        # In a batch, before anything is written: the batch stays all or nothing.
        self.refused("POST", "/v1/messages", {"messages": [email(idempotency_key="appt-2"), email("x", idempotency_key="appt-1")]},
                     "messages[1].idempotency_key", status=409)
        self.refused("POST", "/v1/messages", {"messages": [email(idempotency_key="appt-3"), email("x", idempotency_key="appt-3")]},
                     "messages[1].idempotency_key", status=409)
        status, answer = self.post(email("appt-2 was never stored", idempotency_key="appt-2"))
        self.assertEqual(status, 202, answer)


class ClaimAfterRestartTest(unittest.TestCase):
    """What a retry or a claim after a restart sends is what was accepted: the message waits behind an SMTP
    server that is down, the service restarts with the transport writing to a spool, and the body comes
    back from the store whole. A body with a NUL, which the store would have cut there, is refused."""

    def test_what_a_claim_after_restart_sends_is_what_was_accepted(self):
        body = "Line one\r\nLine two\ttabbed \u00e9\u00e8 \U0001F600 \\u0000 (written, not a NUL) \u0001 end"
        with harness.scratch() as root:
            down = {"name": "mail", "plugin": "smtp", "settings": {
                "host": "127.0.0.1", "port": free_port(), "encryption": "none",
                "from_address": "office@agency.example", "connect_timeout_seconds": 5}}
            delivery = {"retry_base_ms": 100, "retry_max_ms": 200, "poll_interval_ms": 50}
            with harness.Service.configured(root, [down], delivery=delivery) as service:
                status, answer = service.request("POST", "/v1/messages", email(body))
                self.assertEqual(status, 202, answer)
                status, refused = service.request("POST", "/v1/messages", email("Cut here\u0000 and lost"))
                self.assertEqual((status, refused["error"]["field"]), (400, "body"), refused)
                harness.wait_until(lambda: service.request("GET", "/v1/messages/" + answer["id"])[1]["attempts"],
                                   what="a failed attempt")
            spool = os.path.join(root, "spool")
            with harness.Service.configured(root, [{"name": "mail", "plugin": "file", "settings": {"spool": spool}}],
                                            delivery=delivery) as service:
                service.wait_for_state(answer["id"], {"sent"})
                (written,) = harness.spooled(spool)
                self.assertEqual((written["id"], written["body"]), (answer["id"], body))


class CheckConfigTest(unittest.TestCase):
    """`check-config` refuses what `serve` refuses, naming the path, and never crashes on any input."""

    def check(self, root, transports=None, raw=None, **extra):
        spool = os.path.join(root, "spool")
        config = harness.write_config(root, transports or [{"name": "mail", "plugin": "file", "settings": {"spool": spool}}],
                                      **extra)
        if raw is not None:
            with open(config, "w") as f:
                f.write(raw)
        result = harness.run("check-config", "--config", config)
        self.assertIn(result.returncode, (0, 1), result)  # never killed by a signal (negative) or a throw (134)
        return config, result

    def assertRefused(self, result, path):
        self.assertEqual(result.returncode, 1, result)
        self.assertIn(path + ":", result.stdout, result)

    def test_a_long_numeric_kind_is_a_problem_not_a_crash(self):
        with harness.scratch() as root:
            kinds = {"12345678901234567890123": {"max_attempts": 0}}
            transports = [{"name": "mail", "plugin": "file", "settings": {"spool": root}, "delivery": {"kinds": kinds}}]
            _, result = self.check(root, transports)
            self.assertRefused(result, "transports[0].delivery.kinds.12345678901234567890123.max_attempts")

    def test_a_long_unfinished_variable_is_no_crash(self):
        with harness.scratch() as root:
            _, result = self.check(root, http={"listen": "127.0.0.1", "port": 0, "public_url": "${" + "A" * 30000})
            self.assertEqual((result.returncode, result.stdout.strip()), (0, "ok"), result)
            _, result = self.check(root, http={"listen": "127.0.0.1", "port": 0, "public_url": "${" + "A" * 30000 + "}"})
            self.assertRefused(result, "http.public_url")
            self.assertIn("is not set", result.stdout)

    def test_a_nul_or_a_repeated_member_is_refused_naming_it(self):
        with harness.scratch() as root:
            _, result = self.check(root, [{"name": "mail\u0000x", "plugin": "file", "settings": {"spool": root}}])
            self.assertRefused(result, "transports[0].name")
            config, _ = self.check(root)
            with open(config) as f:
                text = f.read()
            _, result = self.check(root, raw=text.replace('"plugin_dir"', '"plugin_dir": "elsewhere", "plugin_dir"', 1))
            self.assertRefused(result, "plugin_dir")

    def test_numbers_near_int64_max_are_refused_by_check_config_and_serve(self):
        for delivery, path in (({"max_age_seconds": 9223372036854775807}, "delivery.max_age_seconds"),
                               ({"lease_seconds": 9223372036854775000}, "delivery.lease_seconds"),
                               ({"lease_seconds": 18446744073709551615}, "delivery.lease_seconds")):
            with harness.scratch() as root:
                config, result = self.check(root, delivery=delivery)
                self.assertRefused(result, path)
                serve = harness.run("serve", "--config", config)
                self.assertEqual(serve.returncode, 2, serve)
                self.assertIn(path, serve.stderr)

    def test_settings_the_plugin_refuses_are_refused_by_check_config_as_by_serve(self):
        with harness.scratch() as root:
            smtp = {"name": "mail", "plugin": "smtp", "settings": {
                "host": "127.0.0.1", "port": 2525, "encryption": "none", "from_address": "office@agency.example",
                "from_name": "Agency\r\nBcc: someone@example.org"}}
            config, result = self.check(root, [smtp])
            self.assertRefused(result, "transports[0].settings.from_name")
            with harness.Service(config) as service:
                self.assertEqual(service.request("GET", "/v1/transports")[0], 200)
            self.assertIn("transports[0].settings.from_name", service.log())

    def test_error_notices_on_a_transport_without_email_are_refused_by_check_config_as_by_serve(self):
        with harness.scratch() as root:
            sms = {"name": "sms", "plugin": "bulksms", "settings": {"username": "u", "password": "p"}}
            notices = {"recipients": ["ops@agency.example"], "transport": "sms"}
            config, result = self.check(root, [sms], error_notices=notices)
            self.assertRefused(result, "error_notices.transport")
            serve = harness.run("serve", "--config", config)
            self.assertEqual(serve.returncode, 2, serve)
            self.assertIn("error_notices.transport", serve.stderr)

    def test_an_unreadable_ca_file_is_refused_by_check_config_as_by_serve(self):
        with harness.scratch() as root:
            sms = {"name": "sms", "plugin": "bulksms", "settings": {"username": "u", "password": "p"},
                   "http": {"ca_file": os.path.join(root, "missing-ca.pem")}}
            config, result = self.check(root, [sms])
            self.assertRefused(result, "transports[0].http.ca_file")
            with harness.Service(config) as service:
                self.assertEqual(service.request("GET", "/v1/transports")[0], 200)
            self.assertIn("transports[0].http.ca_file", service.log())

    def test_an_agency_email_account_on_a_transport_without_email_is_refused_by_check_config_as_by_serve(self):
        with harness.scratch() as root:
            sms = {"name": "sms", "plugin": "bulksms", "settings": {"username": "u", "password": "p"}}
            config, result = self.check(root, [sms], agency={"email": {"enabled": True, "transport": "sms"}})
            self.assertRefused(result, "email.transport")
            serve = harness.run("serve", "--config", config)
            self.assertEqual(serve.returncode, 2, serve)
            self.assertIn("email.transport", serve.stderr)


if __name__ == "__main__":
    unittest.main()
