"""The smtp transport delivers well-formed messages to a real SMTP server (aiosmtpd)."""
import base64
import unittest

from smtp_testing import FROM, SmtpTestCase, message, parsed, settings_for, without_date


class Delivery(SmtpTestCase):
    def test_text_message_arrives_byte_for_byte(self):
        server = self.server("plain")
        [result] = self.send(settings_for(server, from_name="Family Services"),
                             message(subject="Your appointment", body="Hello Jane,\nsee you at 10:00.\n"))
        self.assertOutcome(result, "accepted", "250 2.0.0")
        self.assertEqual(result["provider_message_id"], "extcomm.key-jane@agency.example")
        self.assertEqual(result["provider_text"], "Ok: queued as SIM1")
        [received] = server.messages
        self.assertEqual(received.mail_from, FROM)
        self.assertEqual(received.rcpt_tos, ["jane@example.org"])
        self.assertEqual(without_date(received.data),
                         b"From: Family Services <noreply@agency.example>\r\n"
                         b"To: jane@example.org\r\n"
                         b"Subject: Your appointment\r\n"
                         b"Message-ID: <extcomm.key-jane@agency.example>\r\n"
                         b"X-Extcomm-Message-ID: m-jane\r\n"
                         b"MIME-Version: 1.0\r\n"
                         b"Content-Type: text/plain; charset=utf-8\r\n"
                         b"Content-Transfer-Encoding: quoted-printable\r\n"
                         b"\r\n"
                         b"Hello Jane,\r\n"
                         b"see you at 10:00.\r\n")

    def test_unicode_subject_sender_name_and_body(self):
        server = self.server("plain")
        subject = "Rendez-vous confirmé ✓ – 予約"
        body = "Bonjour Zoë,\nvotre rendez-vous est confirmé. 🙂\n"
        [result] = self.send(settings_for(server, from_name="Équipe Famille"), message(subject=subject, body=body))
        self.assertOutcome(result, "accepted")
        [received] = server.messages
        self.assertTrue(all(b < 0x80 for b in received.data), "the message must be 7-bit")
        self.assertIn(b"Subject: =?UTF-8?B?", received.data)
        mail = parsed(received)
        self.assertEqual(mail["Subject"], subject)
        self.assertEqual(mail["From"].addresses[0].display_name, "Équipe Famille")
        self.assertEqual(mail.get_content_type(), "text/plain")
        self.assertEqual(mail.get_content_charset(), "utf-8")
        self.assertEqual(mail.get_content().replace("\r\n", "\n"), body)

    def test_html_alternative(self):
        server = self.server("plain")
        [result] = self.send(settings_for(server, reply_to="office@agency.example"),
                             message(body="Plain café", html_body="<p>Rich <b>café</b></p>"))
        self.assertOutcome(result, "accepted")
        mail = parsed(server.messages[0])
        self.assertEqual(mail["Reply-To"], "office@agency.example")
        self.assertEqual(mail.get_content_type(), "multipart/alternative")
        text, html = list(mail.iter_parts())
        self.assertEqual(text.get_content_type(), "text/plain")
        self.assertEqual(text.get_content().strip(), "Plain café")
        self.assertEqual(html.get_content_type(), "text/html")
        self.assertEqual(html.get_content().strip(), "<p>Rich <b>café</b></p>")

    def test_lines_starting_with_a_dot_survive(self):
        server = self.server("plain")
        body = "first\n.\n..two dots\n.hidden\nlast"
        self.send(settings_for(server), message(body=body))
        self.assertEqual(parsed(server.messages[0]).get_content().replace("\r\n", "\n"), body + "\n")

    def test_base64_body_encoding(self):
        server = self.server("plain")
        self.send(settings_for(server, body_encoding="base64"), message(body="Grüße"))
        data = server.messages[0].data
        self.assertIn(b"Content-Transfer-Encoding: base64\r\n\r\n" + base64.b64encode("Grüße\r\n".encode()) + b"\r\n",
                      data)

    def test_batch_reuses_one_connection(self):
        server = self.server("plain")
        results = self.send(settings_for(server), message("ann@example.org"), message("bob@example.org"),
                            message("cy@example.org"))
        self.assertEqual([r["outcome"] for r in results], ["accepted"] * 3)
        self.assertEqual(server.connections, 1)
        self.assertEqual([m.rcpt_tos for m in server.messages], [["ann@example.org"], ["bob@example.org"], ["cy@example.org"]])
        self.assertEqual(len({r["provider_message_id"] for r in results}), 3)

    def test_a_retry_carries_the_same_message_id(self):
        server = self.server("plain")
        first = self.send(settings_for(server), message(attempt=1))[0]
        second = self.send(settings_for(server), message(attempt=2))[0]
        self.assertEqual(first["provider_message_id"], second["provider_message_id"])
        self.assertEqual(parsed(server.messages[0])["Message-ID"], parsed(server.messages[1])["Message-ID"])

    def test_descriptor(self):
        from smtp_testing import plugin
        d = plugin().descriptor
        self.assertEqual((d["id"], d["name"], d["vendor"], d["channels"], d["send_mode"]), ("smtp", "SMTP", "extcomm", 1, 1))
        self.assertEqual(d["flags"] & 0b11111, 0b10101)  # unicode, idempotency key, HTML; no receipts or replies


if __name__ == "__main__":
    unittest.main()
