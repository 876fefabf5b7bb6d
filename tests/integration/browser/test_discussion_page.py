"""A discussion both ways, as the client sees it on a phone in a real browser: the link from the email the
SMTP test server received opens the thread; the client types a reply and sends it, and the page they come
back to shows it; the workers get it by email; a worker's reply arrives as a fresh link whose page shows it;
an empty reply shows the error next to the box; tampered and expired links get a clear page with none of
the discussion. Every page: readable without sideways scrolling, no accessibility violations (axe-core,
WCAG 2.1 A/AA)."""
import os
import sys
import unittest

import browser
import harness

sys.path.insert(0, os.path.join(harness.SOURCE_DIR, "tests", "integration", "discussions"))
import discussion_testing as dt  # noqa: E402

SUBJECT = "Your intake <appointment>"
MONTH_MS = 31 * 24 * 60 * 60 * 1000


class DiscussionPageInABrowserTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        dt.start(cls)
        cls.discussion = cls.service.ok("POST", "/v1/discussions", {
            "client": "jo", "workers": ["ana", "ben"], "subject": SUBJECT,
            "message": "<p>Please bring your <b>intake form</b> on Tuesday.</p>"})
        cls.first = dt.wait_for_mail(cls.smtp, "jo@example.org", 1, "the discussion's first email")[0]

    @classmethod
    def tearDownClass(cls):
        dt.stop(cls)

    def url(self, mail):
        return self.service.url + "/d/" + mail.token()

    def assertReadableOnAPhone(self, page):
        self.assertFalse(page["overflow_x"], "the page is wider than a phone's screen")
        self.assertEqual(page["violations"], [], "accessibility violations (axe-core)")

    def test_1_the_client_reads_the_thread_and_replies(self):
        page = browser.check(self.url(self.first), fill=("Your reply", "Tuesday is fine.\nSee you then."),
                             click="Send my reply")
        self.assertEqual(page["status"], 200, page["text"])
        self.assertEqual(page["title"], SUBJECT)  # shown as text, never as markup
        self.assertIn("Ana Lee wrote", page["text"])
        self.assertIn("Please bring your intake form on Tuesday.", page["text"])
        self.assertReadableOnAPhone(page)
        after = page["after"]
        self.assertEqual(after["status"], 200, after["text"])
        self.assertIn("Your reply was sent.", after["text"])
        self.assertIn("You wrote", after["text"])
        self.assertIn("Tuesday is fine.\nSee you then.", after["text"])
        self.assertReadableOnAPhone(after)
        for worker in ("ana@agency.example", "ben@agency.example"):
            told = dt.wait_for_mail(self.smtp, worker, 1, "the client's reply to " + worker)[0]
            self.assertIn("Tuesday is fine.", told.text)

    def test_2_a_worker_reply_arrives_as_a_fresh_link_and_shows_on_the_page(self):
        self.service.ok("POST", f"/v1/discussions/{self.discussion['id']}/messages",
                        {"worker": "ben", "message": "<p>Thanks, <em>see you Tuesday</em>.</p>"})
        second = dt.wait_for_mail(self.smtp, "jo@example.org", 2, "the worker's reply")[1]
        self.assertNotEqual(second.token(), self.first.token())
        page = browser.check(self.url(second), click="Send my reply")  # nothing typed
        self.assertEqual(page["status"], 200, page["text"])
        self.assertIn("Ben Okafor wrote", page["text"])
        self.assertIn("Thanks, see you Tuesday.", page["text"])
        self.assertReadableOnAPhone(page)
        after = page["after"]
        self.assertEqual(after["status"], 400, after["text"])
        self.assertIn("Write your reply before sending it.", after["text"])
        self.assertReadableOnAPhone(after)

    def test_3_tampered_and_expired_links_get_a_clear_page_and_no_data(self):
        token = self.first.token()
        tampered = token[:5] + ("A" if token[5] != "A" else "B") + token[6:]
        page = browser.check(self.service.url + "/d/" + tampered)
        self.assertEqual(page["status"], 404)
        self.assertIn("This link is not valid", page["text"])
        self.assertNotIn("intake", page["text"])
        self.assertReadableOnAPhone(page)
        import sqlite3
        with sqlite3.connect(os.path.join(self.folder.name, "extcomm.db"), timeout=30) as db:
            db.execute(f"UPDATE discussion_links SET sent_at = sent_at - {MONTH_MS} WHERE id = ?", (token[:16],))
        page = browser.check(self.url(self.first))
        self.assertEqual(page["status"], 410)
        self.assertIn("This link has expired", page["text"])
        self.assertNotIn("intake", page["text"])
        self.assertReadableOnAPhone(page)


if __name__ == "__main__":
    unittest.main()
