"""STARTTLS and implicit TLS with certificate verification against a real server."""
import unittest

from smtp_testing import SmtpTestCase, message, settings_for


class Tls(SmtpTestCase):
    def test_starttls_with_ca_file_and_verification(self):
        server = self.server("starttls")
        [result] = self.send(settings_for(server), message())
        self.assertOutcome(result, "accepted")
        self.assertTrue(server.messages[0].tls)

    def test_implicit_tls(self):
        server = self.server("tls")
        [result] = self.send(settings_for(server), message())
        self.assertOutcome(result, "accepted")
        self.assertTrue(server.messages[0].tls)

    def test_untrusted_certificate_is_never_sent_to(self):
        for mode in ("starttls", "tls"):
            with self.subTest(mode=mode):
                server = self.server(mode)
                stranger = self.certificate("stranger-" + mode)
                results = self.send(settings_for(server, ca_file=stranger.cert), message("a@example.org"),
                                    message("b@example.org"))
                for result in results:
                    self.assertOutcome(result, "transport_failure", "tls-verify")
                self.assertEqual(server.messages, [])
                self.assertEqual(server.commands, [])
                self.assertEqual(server.connections, 1, "the batch stops at the first TLS failure")

    def test_verification_can_be_turned_off_for_a_test_server(self):
        server = self.server("starttls")
        stranger = self.certificate("stranger")
        [result] = self.send(settings_for(server, ca_file=stranger.cert, verify_tls=False), message())
        self.assertOutcome(result, "accepted")

    def test_starttls_required_but_not_offered(self):
        server = self.server("plain")
        settings = settings_for(server, encryption="starttls", ca_file=self.certificate().cert)
        [result] = self.send(settings, message())
        self.assertOutcome(result, "transport_failure", "starttls-refused")
        self.assertEqual(server.commands, [], "nothing may be sent in clear")


if __name__ == "__main__":
    unittest.main()
