"""`extcomm send` through the smtp transport against a real SMTP server: the operator's view."""
import os
import unittest

import harness
from smtp_testing import SmtpTestCase, parsed, settings_for

PASSWORD = "s3cret-horse"


class Cli(SmtpTestCase):
    def config(self, server, **overrides):
        return harness.write_config(self.folder, [{"name": "mail", "plugin": "smtp",
                                                   "settings": settings_for(server, **overrides)}])

    def test_send_over_starttls_with_auth_from_the_environment(self):
        server = self.server("starttls", users={"agency": PASSWORD})
        config = self.config(server, username="agency", password="${SMTP_PASSWORD}")
        run = harness.send(config, "mail", "jane@example.org", "See you at 10:00.", subject="Your appointment",
                           env={"SMTP_PASSWORD": PASSWORD})
        self.assertEqual(run.returncode, 0, run.stdout + run.stderr)
        self.assertRegex(run.stdout, r"^accepted extcomm\.[-0-9a-f]+@agency\.example\n$")
        [received] = server.messages
        self.assertTrue(received.tls)
        self.assertEqual(received.rcpt_tos, ["jane@example.org"])
        mail = parsed(received)
        self.assertEqual(mail["Subject"], "Your appointment")
        self.assertEqual("<" + run.stdout.split()[1] + ">", mail["Message-ID"])
        self.assertNotIn(PASSWORD, run.stdout + run.stderr)

    def test_unicode(self):
        server = self.server("plain")
        run = harness.send(self.config(server), "mail", "zoe@example.org", "Votre rendez-vous est confirmé ✓",
                           subject="Confirmation — rendez-vous")
        self.assertEqual(run.returncode, 0, run.stdout + run.stderr)
        mail = parsed(server.messages[0])
        self.assertEqual(mail["Subject"], "Confirmation — rendez-vous")
        self.assertEqual(mail.get_content().strip(), "Votre rendez-vous est confirmé ✓")

    def test_invalid_address_is_rejected(self):
        server = self.server("plain")
        run = harness.send(self.config(server), "mail", "jane@@example.org", "Hello", subject="Hi")
        self.assertEqual(run.returncode, 1, run.stdout + run.stderr)
        self.assertTrue(run.stdout.startswith("rejected invalid-address: "), run.stdout)
        self.assertEqual(server.connections, 0)

    def test_header_injection_in_the_subject_never_reaches_the_server(self):
        server = self.server("plain")
        run = harness.send(self.config(server), "mail", "jane@example.org", "Hello",
                           subject="Hi\r\nBcc: evil@attacker.example")
        self.assertEqual(run.returncode, 1, run.stdout + run.stderr)
        self.assertTrue(run.stdout.startswith("rejected invalid-header: "), run.stdout)
        self.assertEqual(server.connections, 0)

    def test_header_injection_in_the_sender_name_is_a_configuration_error(self):
        server = self.server("plain")
        run = harness.send(self.config(server, from_name="Agency\r\nBcc: evil@attacker.example"), "mail",
                           "jane@example.org", "Hello", subject="Hi")
        self.assertEqual(run.returncode, 2, run.stdout + run.stderr)
        self.assertIn("from_name", run.stderr)
        self.assertEqual(server.connections, 0)

    def test_bad_password_is_a_transport_failure_and_is_not_shown(self):
        server = self.server("starttls", users={"agency": PASSWORD})
        config = self.config(server, username="agency", password="${SMTP_PASSWORD}")
        run = harness.send(config, "mail", "jane@example.org", "Hello", subject="Hi",
                           env={"SMTP_PASSWORD": "wrong-" + PASSWORD})
        self.assertEqual(run.returncode, 1, run.stdout + run.stderr)
        self.assertTrue(run.stdout.startswith("transport_failure 535 5.7.8: "), run.stdout)
        self.assertNotIn(PASSWORD, run.stdout + run.stderr)
        self.assertEqual(server.messages, [])

    def test_unknown_mailbox_is_rejected_and_busy_server_is_retry(self):
        server = self.server("plain")
        server.inject("RCPT", "550 5.1.1 No such user", address="gone@example.org")
        server.inject("DATA", "451 4.3.0 Try again later", times=1)
        gone = harness.send(self.config(server), "mail", "gone@example.org", "Hello", subject="Hi")
        self.assertEqual((gone.returncode, gone.stdout.split(":")[0]), (1, "rejected 550 5.1.1"), gone.stdout)
        busy = harness.send(self.config(server), "mail", "jane@example.org", "Hello", subject="Hi")
        self.assertEqual((busy.returncode, busy.stdout.split(":")[0]), (1, "retry 451 4.3.0"), busy.stdout)


if __name__ == "__main__":
    if not os.path.exists(harness.BIN):
        raise SystemExit("EXTCOMM_BIN (%s) does not exist: build the extcomm target first" % harness.BIN)
    unittest.main()
