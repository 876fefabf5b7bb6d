"""Server replies and network failures become the right outcome per message."""
import unittest

from smtp_testing import RefusingPort, SmtpTestCase, message, settings_for


class Outcomes(SmtpTestCase):
    def test_transient_refusal_at_rcpt_is_retry(self):
        server = self.server("plain")
        server.inject("RCPT", "451 4.3.0 Mailbox temporarily unavailable")
        [result] = self.send(settings_for(server), message())
        self.assertOutcome(result, "retry", "451 4.3.0")
        self.assertIn("Mailbox temporarily unavailable", result["provider_text"])
        self.assertEqual(server.messages, [])

    def test_transient_refusal_of_data_is_retry(self):
        server = self.server("plain")
        server.inject("DATA", "452 4.3.1 Insufficient system storage", times=1)
        results = self.send(settings_for(server), message("a@example.org"), message("b@example.org"))
        self.assertOutcome(results[0], "retry", "452 4.3.1")
        self.assertOutcome(results[1], "accepted")
        self.assertEqual([m.rcpt_tos for m in server.messages], [["b@example.org"]])

    def test_unknown_mailbox_rejects_only_that_message(self):
        server = self.server("plain")
        server.inject("RCPT", "550 5.1.1 No such user", address="gone@example.org")
        results = self.send(settings_for(server), message("ann@example.org"), message("gone@example.org"),
                            message("bob@example.org"))
        self.assertEqual([r["outcome"] for r in results], ["accepted", "rejected", "accepted"])
        self.assertEqual(results[1]["provider_code"], "550 5.1.1")
        self.assertEqual(results[1]["provider_message_id"], "")
        self.assertEqual([m.rcpt_tos for m in server.messages], [["ann@example.org"], ["bob@example.org"]])

    def test_permanent_refusal_of_content_is_rejected(self):
        server = self.server("plain")
        server.inject("DATA", "554 5.6.0 Message content rejected")
        [result] = self.send(settings_for(server), message())
        self.assertOutcome(result, "rejected", "554 5.6.0")

    def test_refused_sender_is_a_transport_failure(self):
        server = self.server("plain")
        server.inject("MAIL", "553 5.7.1 Sender address rejected: not owned by user")
        results = self.send(settings_for(server), message("a@example.org"), message("b@example.org"))
        for result in results:
            self.assertOutcome(result, "transport_failure", "553 5.7.1")
        self.assertEqual(server.commands, [(1, "MAIL")], "a refused sender stops the batch")

    def test_service_unavailable_at_connect_is_retry_for_the_batch(self):
        server = self.server("plain", greeting="421 4.3.2 Service not available")
        results = self.send(settings_for(server), message("a@example.org"), message("b@example.org"))
        for result in results:
            self.assertOutcome(result, "retry", "421 4.3.2")
        self.assertEqual(server.connections, 1)

    def test_connection_refused_is_retry(self):
        with RefusingPort() as refusing:
            [result] = self.send({"host": "127.0.0.1", "port": refusing.port, "encryption": "none",
                                  "from_address": "noreply@agency.example"}, message())
        self.assertOutcome(result, "retry", "connect")

    def test_invalid_address_is_rejected_without_connecting(self):
        server = self.server("plain")
        results = self.send(settings_for(server), message("not-an-address"), message("jane@@example.org"))
        for result in results:
            self.assertOutcome(result, "rejected", "invalid-address")
        self.assertEqual(server.connections, 0)


if __name__ == "__main__":
    unittest.main()
