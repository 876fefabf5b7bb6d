"""Header injection through subject, sender name or address never reaches the SMTP server."""
import unittest

from smtp_testing import SettingsRefused, SmtpTestCase, message, plugin, settings_for

EVIL = "evil@attacker.example"


class Injection(SmtpTestCase):
    def test_subject_with_line_break_or_nul_is_rejected_unsent(self):
        server = self.server("plain")
        for subject in ("Hi\r\nBcc: " + EVIL, "Hi\nBcc: " + EVIL, "Hi\rBcc: " + EVIL, "Hi\0Bcc: " + EVIL):
            [result] = self.send(settings_for(server), message(subject=subject))
            self.assertOutcome(result, "rejected", "invalid-header")
        self.assertEqual(server.connections, 0)

    def test_address_with_line_break_is_rejected_unsent(self):
        server = self.server("plain")
        for to in ("jane@example.org\r\nRCPT TO:<%s>" % EVIL, "jane@example.org>\r\nBcc: " + EVIL,
                   "jane@example.org\nDATA"):
            [result] = self.send(settings_for(server), message(to=to))
            self.assertOutcome(result, "rejected", "invalid-header")
        self.assertEqual(server.connections, 0)

    def test_sender_name_with_line_break_is_refused_at_configuration(self):
        server = self.server("plain")
        with self.assertRaises(SettingsRefused) as refused:
            plugin().create(settings_for(server, from_name="Agency\r\nBcc: " + EVIL), name="mail")
        self.assertEqual(refused.exception.field, "from_name")
        self.assertEqual(server.connections, 0)

    def test_the_honest_messages_of_a_batch_still_go_and_nothing_else(self):
        server = self.server("plain")
        results = self.send(settings_for(server), message("ann@example.org", subject="Hi\r\nBcc: " + EVIL),
                            message("bob@example.org", subject="Hello"))
        self.assertEqual([r["outcome"] for r in results], ["rejected", "accepted"])
        self.assertEqual([m.rcpt_tos for m in server.messages], [["bob@example.org"]])
        self.assertNotIn(EVIL.encode(), b"".join(m.data for m in server.messages))


if __name__ == "__main__":
    unittest.main()
