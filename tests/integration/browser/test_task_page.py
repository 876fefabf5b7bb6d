"""A client task's page as the client meets it on a phone, in one real browser: the link from the Engage
email the SMTP test server received opens the task; each question type is filled, saved, and still there
on coming back; a wrong answer's error is shown next to its question and tied to it; each document is
submitted, the checklist counting them; afterwards the link shows nothing of the task. Every page is
readable without sideways scrolling and has no serious or critical accessibility violation (axe-core,
WCAG 2.1 A/AA)."""
import unittest

import browser
import client_tasks_testing as testing


class TaskPageInABrowserTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        testing.start(cls)
        status, cls.task = cls.service.request("POST", "/v1/tasks", {
            "assignee": {"type": "client", "id": "jo"}, "workflow_type": "check-list", "title": "Your first visit",
            "message": "<p>Please complete <b>both</b> forms before we meet.</p>", "templates": ["intake", "consent"],
            "due_at_ms": testing.FOREVER_MS, "context": "case"})
        assert status == 201, cls.task
        mail = testing.received_email(cls.smtp, "jo@example.org", "Your first visit")
        cls.url = cls.service.url + "/t/" + testing.LINK.search(mail["text/plain"]).group(1)

    @classmethod
    def tearDownClass(cls):
        testing.stop(cls)

    def test_a_client_fills_saves_comes_back_and_submits_each_document(self):
        flow = browser.task_flow(self.url)
        steps = [p["step"] for p in flow["pages"]]
        self.assertEqual(steps, ["opened", "saved", "came back", "refused", "submitted one", "submitted all", "opened again"])
        for page in flow["pages"]:
            self.assertFalse(page["overflow_x"], page["step"] + ": wider than a phone's screen")
            serious = [v for v in page["violations"] if v["impact"] in ("serious", "critical")]
            self.assertEqual(serious, [], page["step"] + ": accessibility violations (axe-core)")
        pages = {p["step"]: p for p in flow["pages"]}
        self.assertIn("Please complete both forms before we meet.", pages["opened"]["text"])
        self.assertIn("0 of 2 submitted", pages["opened"]["text"])
        self.assertNotIn("Medicare", pages["opened"]["text"])
        self.assertIn("Saved.", pages["saved"]["text"])
        self.assertEqual(flow["kept"], {"name": "Jo", "story": "Help with housing.\nAnd with work.", "phone": True,
                                        "friday": True, "born": "1990-04-01", "children": "2"})
        self.assertEqual(pages["refused"]["status"], 422)
        self.assertEqual(flow["error"], {"invalid": "true", "described": ["Enter a number, for example 12 or 3.5."],
                                         "name_invalid": "true"})
        self.assertIn("1 of 2 submitted", pages["submitted one"]["text"])
        self.assertIn("everything is submitted", pages["submitted all"]["text"])
        self.assertEqual(pages["opened again"]["status"], 410)
        self.assertNotIn("first visit", pages["opened again"]["text"])
        answers = self.service.ok("GET", "/v1/tasks/" + self.task["id"])
        self.assertEqual(answers["state"], "completed")
        self.assertEqual(answers["documents"][0]["answers"]["days"], ["Monday", "Friday"])
        self.assertEqual(answers["documents"][1]["answers"], {"agree": True})


if __name__ == "__main__":
    unittest.main()
