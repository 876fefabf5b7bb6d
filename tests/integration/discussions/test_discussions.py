"""Discussions through `extcomm serve`, on SQLite and on PostgreSQL, with email through the real SMTP test
server. What staff and the client notice: starting one emails the client the message (allow-listed HTML and
its plain text) with a link; the link opens the thread; the client's reply reaches the discussion's workers
as a Discussion message and the page says it was sent; a worker's reply emails a fresh link, and the older
one still opens the thread; staff may start one only where Client Delivery allows client communications and
for a client with a consented email address (each refusal a 400 naming the field, nothing sent); a call
retried with its idempotency key posts and sends nothing again (the same key for another message is 409); a tampered
or expired link gets a clear page and none of the discussion; a posted body above 64 KiB is refused."""
import unittest

import discussion_testing as dt
import harness

MONTH_MS = 31 * 24 * 60 * 60 * 1000


class DiscussionsTest(unittest.TestCase):
    STORE = "sqlite"

    @classmethod
    def setUpClass(cls):
        dt.start(cls, cls.STORE)

    @classmethod
    def tearDownClass(cls):
        dt.stop(cls)

    def start_discussion(self, subject, message="<p>Please bring your <b>intake form</b>.</p>", **extra):
        status, answer = self.service.request("POST", "/v1/discussions", dict(
            {"client": "jo", "workers": ["ana", "ben"], "subject": subject, "message": message}, **extra))
        self.assertEqual(status, 201, answer)
        return answer

    def mail_about(self, address, subject, count=1):
        mails = harness.wait_until(
            lambda: (lambda got: got if len(got) >= count else None)(
                [m for m in dt.mails_to(self.smtp, address) if subject in m.subject]),
            what=f"{count} email(s) about {subject!r} to {address}")
        return mails

    def page(self, token):
        return harness.http("GET", self.service.url + "/d/" + token)

    def sql(self, statement):
        if self.pg:
            self.pg.query("extcomm", statement)
            return
        import sqlite3
        with sqlite3.connect(self.folder.name + "/extcomm.db", timeout=30) as db:
            db.execute(statement)

    def test_the_client_gets_an_email_with_a_link_that_opens_the_thread(self):
        d = self.start_discussion("Your intake appointment",
                                  "<p>Please bring your <b>intake form</b>.</p><script>alert(1)</script>")
        self.assertEqual((d["id"][:2], d["client"], d["workers"], len(d["message_ids"])), ("d-", "jo", ["ana", "ben"], 1))
        [mail] = self.mail_about("jo@example.org", "Your intake appointment")
        self.assertEqual(mail.subject, "Your intake appointment")
        self.assertIn("Ana Lee wrote", mail.text)
        self.assertIn("Please bring your intake form.", mail.text)  # the plain-text alternative
        self.assertIn("<b>intake form</b>", mail.html)
        self.assertNotIn("script", mail.html + mail.text)
        status, headers, html = self.page(mail.token())
        self.assertEqual(status, 200, html)
        self.assertEqual(headers["Cache-Control"], "no-store")
        self.assertIn("Your intake appointment", html)
        self.assertIn("Ana Lee wrote", html)
        self.assertIn("<b>intake form</b>", html)
        self.assertNotIn("<script>", html)
        self.assertIn('<label for="reply">Your reply</label>', html)
        shown = self.service.ok("GET", "/v1/discussions/" + d["id"], token=dt.VIEWER)
        self.assertEqual([(m["from"]["type"], m["from"]["id"]) for m in shown["messages"]], [("worker", "ana")])

    def test_a_client_reply_reaches_the_workers_as_a_discussion_message(self):
        d = self.start_discussion("Moving your group session")
        token = self.mail_about("jo@example.org", "Moving your group session")[0].token()
        status, headers, _ = dt.post_form(self.service.url + "/d/" + token, {"message": "Thursday suits me.\nThanks!"})
        self.assertEqual((status, headers["Location"]), (303, token + "?sent=1"))  # Post/Redirect/Get
        status, _, html = self.page(token + "?sent=1")
        self.assertEqual(status, 200, html)
        self.assertIn("Your reply was sent.", html)
        self.assertIn("Thursday suits me.\nThanks!", html)
        for worker in ("ana@agency.example", "ben@agency.example"):
            [told] = self.mail_about(worker, "Discussion: Moving your group session")
            self.assertIn("Jo Citizen replied in discussion " + d["id"], told.text)
            self.assertIn("Thursday suits me.", told.text)
        shown = self.service.ok("GET", "/v1/discussions/" + d["id"])
        self.assertEqual([m["from"]["type"] for m in shown["messages"]], ["worker", "client"])
        self.assertEqual(shown["messages"][1]["message"], "Thursday suits me.\nThanks!")

    def test_a_worker_reply_emails_a_fresh_link_and_the_older_one_still_opens(self):
        d = self.start_discussion("Your next steps")
        first = self.mail_about("jo@example.org", "Your next steps")[0].token()
        status, answer = self.service.request("POST", f"/v1/discussions/{d['id']}/messages",
                                              {"worker": "ben", "message": "<p>Here is <em>more</em> detail.</p>"})
        self.assertEqual((status, len(answer["messages"]), len(answer["message_ids"])), (201, 2, 1), answer)
        second = self.mail_about("jo@example.org", "Your next steps", count=2)[1]
        self.assertIn("Ben Okafor wrote", second.text)
        self.assertIn("Here is more detail.", second.text)
        self.assertNotEqual(second.token(), first)
        for token in (second.token(), first):
            status, _, html = self.page(token)
            self.assertEqual(status, 200, html)
            self.assertIn("Ben Okafor wrote", html)
            self.assertIn("<em>more</em>", html)
        self.assertEqual(self.service.request("POST", "/v1/discussions/d-999999/messages",
                                              {"worker": "ben", "message": "x"})[0], 404)

    def test_a_retried_call_with_its_idempotency_key_posts_and_sends_nothing_again(self):
        body = {"client": "jo", "workers": ["ana"], "subject": "Your retried form", "message": "<p>Once.</p>"}
        key = {"Idempotency-Key": "crm-start-41"}
        first = self.service.request("POST", "/v1/discussions", body, headers=key)
        again = self.service.request("POST", "/v1/discussions", body, headers=key)
        self.assertEqual((first[0], again[0]), (201, 201), again)
        self.assertEqual((again[1]["id"], again[1]["message_ids"]), (first[1]["id"], first[1]["message_ids"]))
        status, reused = self.service.request("POST", "/v1/discussions", dict(body, subject="Another"), headers=key)
        self.assertEqual((status, reused["error"]["code"], reused["error"]["field"]),
                         (409, "idempotency_key_reused", "Idempotency-Key"), reused)
        self.assertIn("subject", reused["error"]["message"])

        path = f"/v1/discussions/{first[1]['id']}/messages"
        reply = {"worker": "ana", "message": "Twice?", "idempotency_key": "crm-reply-7"}
        replied, replayed = (self.service.request("POST", path, reply) for _ in range(2))
        self.assertEqual((replied[0], replayed[0]), (201, 201), replayed)
        self.assertEqual(replayed[1]["message_ids"], replied[1]["message_ids"])
        self.assertEqual(len(self.service.ok("GET", "/v1/discussions/" + first[1]["id"])["messages"]), 2)
        status, reused = self.service.request("POST", path, dict(reply, message="Other"))
        self.assertEqual((status, reused["error"]["field"]), (409, "idempotency_key"), reused)
        # A discussion started after the retries is emailed after them: by then a second copy would be there.
        self.start_discussion("Your barrier form")
        self.mail_about("jo@example.org", "Your barrier form")
        self.assertEqual(len([m for m in dt.mails_to(self.smtp, "jo@example.org") if "Your retried form" in m.subject]), 2)

    def test_a_worker_who_replies_gets_the_clients_later_replies(self):
        d = self.start_discussion("Your housing form", workers=["ana"])
        self.service.ok("POST", f"/v1/discussions/{d['id']}/messages", {"worker": "ben", "message": "I can help too."})
        self.assertEqual(self.service.ok("GET", "/v1/discussions/" + d["id"])["workers"], ["ana", "ben"])
        token = self.mail_about("jo@example.org", "Your housing form", count=2)[1].token()
        dt.post_form(self.service.url + "/d/" + token, {"message": "Thank you both."})
        for worker in ("ana@agency.example", "ben@agency.example"):
            [told] = self.mail_about(worker, "Discussion: Your housing form")
            self.assertIn("Thank you both.", told.text)

    def test_refusals_name_the_field_and_send_nothing(self):
        body = {"client": "jo", "workers": ["ana"], "subject": "Hello", "message": "Hi"}
        cases = [
            (dict(body, client="sam"), "client", "consented"),
            (dict(body, client="nobody"), "client", "no client"),
            (dict(body, workers=["ana", "zed"]), "workers[1]", "no worker"),
            (dict(body, workers=[]), "workers", "at least one"),
            (dict(body, subject=""), "subject", "empty"),
            (dict(body, context="case"), "context", "Client Communications"),
            ({k: v for k, v in body.items() if k != "message"}, "message", "required"),
        ]
        for request, field, words in cases:
            with self.subTest(field=field, words=words):
                status, answer = self.service.request("POST", "/v1/discussions", request)
                self.assertEqual((status, answer["error"]["field"]), (400, field), answer)
                self.assertIn(words, answer["error"]["message"])
        self.assertEqual(self.service.request("POST", "/v1/discussions", body, token=dt.VIEWER)[0], 403)
        self.assertEqual(dt.mails_to(self.smtp, "sam@example.org"), [])

    def test_client_delivery_off_refuses_starting_and_replying(self):
        d = self.start_discussion("Before delivery is turned off")
        settings = self.service.ok("GET", "/v1/settings/client_delivery")
        status, answer = self.service.request("PUT", "/v1/settings/client_delivery", dict(settings, enabled=False),
                                              token=dt.ADMIN)
        self.assertEqual(status, 200, answer)
        try:
            status, answer = self.service.request("POST", "/v1/discussions", {
                "client": "jo", "workers": ["ana"], "subject": "Refused", "message": "Hi"})
            self.assertEqual((status, answer["error"]["field"]), (400, "client"), answer)
            self.assertIn("Client Delivery", answer["error"]["message"])
            status, answer = self.service.request("POST", f"/v1/discussions/{d['id']}/messages",
                                                  {"worker": "ana", "message": "Refused too"})
            self.assertEqual((status, answer["error"]["field"]), (400, "client"), answer)
        finally:
            self.service.request("PUT", "/v1/settings/client_delivery", settings, token=dt.ADMIN)
        self.assertEqual(len(self.service.ok("GET", "/v1/discussions/" + d["id"])["messages"]), 1)

    def test_tampered_and_expired_links_get_a_clear_page_and_none_of_the_discussion(self):
        self.start_discussion("A private matter")
        token = self.mail_about("jo@example.org", "A private matter")[0].token()
        tampered = token[:5] + ("A" if token[5] != "A" else "B") + token[6:]
        for bad in (tampered, token[:-1], "x"):
            status, headers, html = self.page(bad)
            self.assertEqual(status, 404, bad)
            self.assertIn("This link is not valid", html)
            self.assertNotIn("A private matter", html)
            self.assertEqual(headers["Cache-Control"], "no-store")
        self.assertEqual(dt.post_form(self.service.url + "/d/" + tampered, {"message": "hi"})[0], 404)
        # The link was sent 31 days ago: its id is the token's first 16 characters (events/confirm_token.hpp).
        self.sql(f"UPDATE discussion_links SET sent_at = sent_at - {MONTH_MS} WHERE id = '{token[:16]}'")
        status, _, html = self.page(token)
        self.assertEqual(status, 410)
        self.assertIn("This link has expired", html)
        self.assertNotIn("A private matter", html)
        status, _, html = dt.post_form(self.service.url + "/d/" + token, {"message": "Too late?"})
        self.assertEqual(status, 410)
        self.assertNotIn("A private matter", html)

    def test_an_empty_or_long_reply_is_shown_again_and_a_big_body_is_refused_before_it_is_read(self):
        d = self.start_discussion("Sizes")
        url = self.service.url + "/d/" + self.mail_about("jo@example.org", "Sizes")[0].token()
        status, _, html = dt.post_form(url, {"message": "   "})
        self.assertEqual(status, 400)
        self.assertIn("Write your reply before sending it.", html)
        self.assertIn('aria-invalid="true"', html)
        long_reply = "é" * 4001
        status, _, html = dt.post_form(url, {"message": long_reply})
        self.assertEqual(status, 400)
        self.assertIn("at most 4,000", html)
        self.assertIn(long_reply, html)  # the text is kept for the client to shorten
        status, _, html = dt.post_form(url, raw="&".join(f"f{i}=x" for i in range(200)).encode())
        self.assertEqual(status, 400)  # not the page's form: nothing in the box
        self.assertIn("Write your reply before sending it.", html)
        status, _, _ = dt.post_form(url, raw=b"message=" + b"a" * (65 * 1024))
        self.assertEqual(status, 413)
        self.assertEqual(len(self.service.ok("GET", "/v1/discussions/" + d["id"])["messages"]), 1)

    def test_the_discussion_email_has_a_template_documented_variables_and_a_preview(self):
        templates = self.service.ok("GET", "/v1/settings/templates")["templates"]
        email = next(t for t in templates if (t["kind"], t["channel"]) == ("client-discussion", "email"))
        self.assertEqual({v["name"] for v in email["variables"]}, {"subject", "from", "link", "message"})
        status, preview = self.service.request("POST", "/v1/preview", {
            "kind": "client-discussion", "channel": "email", "recipient": {"client": "jo"},
            "facts": {"subject": "Your forms", "from": "Ana Lee", "message": "<p>Bring <b>both</b>.</p><img src=x>",
                      "link": dt.BASE_URL + "/d/abc"}})
        self.assertEqual(status, 200, preview)
        self.assertEqual(preview["subject"], "Your forms")
        self.assertIn("Bring both.", preview["body"])
        self.assertIn("<b>both</b>", preview["html_body"])
        self.assertNotIn("<img", preview["html_body"])
        self.assertIn('href="' + dt.BASE_URL + '/d/abc"', preview["html_body"])


class DiscussionsOnPostgreSQLTest(DiscussionsTest):
    STORE = "postgresql"


if __name__ == "__main__":
    unittest.main()
