"""Token roles through the API: a viewer reads, an integration token also sends and puts what the
case-management system owns, an admin also changes settings and resumes transports; a token without a
role is an admin for this release, with a warning at start and from check-config (never its secret)."""
import os
import unittest

import harness

VIEWER = "viewer-token-0123456789"
INTEGRATION = "integration-token-0123456789"
ADMIN = "admin-token-0123456789"
LEGACY = harness.API_TOKEN  # a plain string: no role


class RolesTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.folder = harness.scratch()
        root = cls.folder.name
        cls.config = harness.write_config(
            root, [{"name": "mail", "plugin": "file", "settings": {"spool": os.path.join(root, "mail")}}],
            api_tokens=[{"name": "console-viewer", "token": VIEWER, "role": "viewer"},
                        {"name": "penelope", "token": INTEGRATION, "role": "integration"},
                        {"name": "ops", "token": ADMIN, "role": "admin"},
                        LEGACY])
        cls.service = harness.Service(cls.config)

    @classmethod
    def tearDownClass(cls):
        cls.service.stop()
        cls.folder.cleanup()

    def call(self, token, method, path, body=None):
        return self.service.request(method, path, body, token=token)

    def test_a_viewer_reads_and_is_refused_changes_naming_the_role(self):
        self.assertEqual(self.call(VIEWER, "GET", "/v1/transports")[0], 200)
        self.assertEqual(self.call(VIEWER, "GET", "/v1/settings/general")[0], 200)
        status, answer = self.call(VIEWER, "POST", "/v1/messages",
                                   {"channel": "email", "to": "jo@example.org", "subject": "Hi", "body": "Hello"})
        self.assertEqual(status, 403, answer)
        self.assertEqual(answer["error"]["code"], "forbidden")
        self.assertIn("integration role", answer["error"]["message"])
        self.assertNotIn(VIEWER, answer["error"]["message"])

    def test_an_integration_token_sends_but_never_changes_settings(self):
        status, sent = self.call(INTEGRATION, "POST", "/v1/messages",
                                 {"channel": "email", "to": "jo@example.org", "subject": "Hi", "body": "Hello"})
        self.assertEqual(status, 202, sent)
        status, _ = self.call(INTEGRATION, "PUT", "/v1/workers/ana", {"first_name": "Ana", "email": "ana@example.org"})
        self.assertIn(status, (200, 201))
        for method, path, body in (("PUT", "/v1/settings/general", {}), ("POST", "/v1/transports/mail/resume", None)):
            status, answer = self.call(INTEGRATION, method, path, body)
            self.assertEqual(status, 403, (method, path, answer))
            self.assertIn("admin role", answer["error"]["message"])

    def test_an_admin_and_a_token_without_a_role_can_do_everything(self):
        for token in (ADMIN, LEGACY):
            status, answer = self.call(token, "PUT", "/v1/settings/general", {"time_zone": "Australia/Sydney"})
            self.assertEqual(status, 200, answer)

    def test_no_token_or_a_wrong_one_is_still_401(self):
        self.assertEqual(self.call("not-a-token-0123456789", "GET", "/v1/transports")[0], 401)

    def test_a_token_without_a_role_is_named_in_warnings_never_its_secret(self):
        checked = harness.run("check-config", "--config", self.config)
        self.assertEqual(checked.returncode, 0, checked.stdout + checked.stderr)
        self.assertIn("api_tokens[3]: 'token-4' has no role", checked.stderr)
        self.assertEqual(checked.stdout.strip(), "ok")
        self.assertNotIn(LEGACY, checked.stdout + checked.stderr)
        log = harness.wait_until(lambda: "token-4" in self.service.log() and self.service.log(), what="the warning")
        self.assertNotIn(LEGACY, log)


if __name__ == "__main__":
    unittest.main()
