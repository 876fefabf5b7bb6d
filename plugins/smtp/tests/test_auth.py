"""AUTH PLAIN and LOGIN, and what bad credentials do."""
import unittest

from smtp_testing import SettingsRefused, SmtpTestCase, message, plugin, settings_for

USERS = {"agency": "correct horse"}


class Auth(SmtpTestCase):
    def test_auth_plain(self):
        server = self.server("starttls", users=USERS)
        [result] = self.send(settings_for(server, username="agency", password="correct horse", auth_mechanism="plain"),
                             message())
        self.assertOutcome(result, "accepted")
        self.assertEqual([(a.mechanism, a.login, a.success) for a in server.auth_attempts], [("PLAIN", "agency", True)])
        self.assertEqual(server.messages[0].authenticated_as, "agency")

    def test_auth_login(self):
        server = self.server("tls", users=USERS)
        [result] = self.send(settings_for(server, username="agency", password="correct horse", auth_mechanism="login"),
                             message())
        self.assertOutcome(result, "accepted")
        self.assertEqual([(a.mechanism, a.success) for a in server.auth_attempts], [("LOGIN", True)])

    def test_bad_credentials_are_a_transport_failure_for_the_whole_batch(self):
        server = self.server("starttls", users=USERS)
        with plugin().create(settings_for(server, username="agency", password="wrong-s3cret"), name="mail") as transport:
            results = transport.send([message("a@example.org"), message("b@example.org")])
            logs = transport.logs
        for result in results:
            self.assertOutcome(result, "transport_failure", "535 5.7.8")
            self.assertNotIn("wrong-s3cret", result["provider_text"])
        self.assertEqual(len(server.auth_attempts), 1, "one failed login, not one per message")
        self.assertEqual(server.messages, [])
        self.assertTrue(logs, "a transport failure is logged for the operator")
        self.assertFalse(any("wrong-s3cret" in text for _, text in logs))

    def test_server_requiring_auth_without_credentials(self):
        server = self.server("starttls", users=USERS)
        [result] = self.send(settings_for(server), message())
        self.assertOutcome(result, "transport_failure", "530 5.7.0")

    def test_password_in_clear_is_refused_unless_allowed(self):
        server = self.server("plain", users=USERS)
        with self.assertRaises(SettingsRefused) as refused:
            plugin().create(settings_for(server, username="agency", password="correct horse"), name="mail")
        self.assertEqual(refused.exception.field, "encryption")
        self.assertEqual(server.connections, 0)
        [result] = self.send(settings_for(server, username="agency", password="correct horse",
                                          allow_auth_without_tls=True), message())
        self.assertOutcome(result, "accepted")


if __name__ == "__main__":
    unittest.main()
