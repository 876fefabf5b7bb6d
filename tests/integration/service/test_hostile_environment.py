"""A hostile environment is refused: the store and the spool are the service user's only (and narrowed when
found wider), spool file names never collide, plain http:// goes to loopback hosts only, and old records
go after their retention_days while recent ones stay."""
import os
import sqlite3
import stat
import unittest

import harness
from harness import Service, wait_until

DAY_MS = 24 * 3600 * 1000


def mode(path):
    return stat.S_IMODE(os.stat(path).st_mode)


class HostileEnvironmentTest(unittest.TestCase):
    def setUp(self):
        self.tmp = harness.scratch()
        self.dir = self.tmp.name
        self.spool = os.path.join(self.dir, "spool")
        self.db = os.path.join(self.dir, "var", "extcomm.db")  # its folder is made by the service

    def tearDown(self):
        self.tmp.cleanup()

    def service(self, transports=None, **extra):
        return Service.configured(self.dir, transports or [
            {"name": "spool", "plugin": "file", "settings": {"spool": self.spool}}],
            store={"driver": "sqlite", "path": self.db}, **extra)

    def post(self, service, key, channel="email"):
        message = {"channel": channel, "to": "a@example.org" if channel == "email" else "+61491570156",
                   "subject": "s", "body": "b", "idempotency_key": key}
        status, body = service.request("POST", "/v1/messages", message)
        self.assertEqual(status, 202, body)
        return body["id"]

    def test_store_and_spool_are_owner_only_and_narrowed_when_found_wider(self):
        with self.service() as service:
            service.wait_for_state(self.post(service, "first"), ["sent"])
            self.assertNotIn("readable by others", service.log())  # made owner-only, nothing to narrow
        self.assertEqual(mode(os.path.dirname(self.db)), 0o700)
        for path in (self.db, self.db + "-wal", self.db + "-shm"):
            if os.path.exists(path):
                self.assertEqual(mode(path), 0o600, path)
        self.assertEqual(mode(self.spool), 0o700)
        self.assertEqual([mode(os.path.join(self.spool, f)) for f in os.listdir(self.spool)], [0o600])

        # As an older release left them: readable by everyone.
        os.chmod(self.db, 0o644)
        os.chmod(self.spool, 0o755)
        os.chmod(os.path.join(self.spool, "first.json"), 0o644)
        with self.service() as service:
            service.wait_for_state(self.post(service, "second"), ["sent"])
            log = service.log()
        self.assertIn(f"store file {self.db} was readable by others: made owner-only (0600)", log)
        self.assertIn(f"spool {self.spool} was readable by others: made owner-only (the folder and 1 files)", log)
        self.assertEqual(mode(self.db), 0o600)
        self.assertEqual(mode(self.spool), 0o700)
        self.assertEqual({f: mode(os.path.join(self.spool, f)) for f in os.listdir(self.spool)},
                         {"first.json": 0o600, "second.json": 0o600})

    def test_keys_that_used_to_share_a_spool_file_get_one_each(self):
        keys = ["a.b", "a_b", "a/b", "a b", "../a"]
        with self.service() as service:
            for key in keys:
                service.wait_for_state(self.post(service, key), ["sent"])
        self.assertEqual(sorted(m["idempotency_key"] for m in harness.spooled(self.spool)), sorted(keys))
        self.assertEqual(len(os.listdir(self.spool)), len(keys))
        self.assertFalse(os.path.exists(os.path.join(self.dir, "a.json")), "a key escaped the spool")

    def test_plain_http_to_a_remote_provider_is_refused_naming_its_host(self):
        with self.service([{"name": "sms", "plugin": "bulksms", "settings": {
                "base_url": "http://sms.example.org/v1", "username": "u", "password": "p"}}]) as service:
            message_id = self.post(service, "remote", channel="sms")

            def refused():
                _, message = service.request("GET", "/v1/messages/" + message_id)
                return message["attempts"] and message["attempts"][0]
            attempt = wait_until(refused, what="the first attempt")
        self.assertEqual(attempt["outcome"], "retry")
        self.assertEqual(attempt["provider_text"],
                         "plain http:// is allowed to a loopback host only, not to 'sms.example.org': use https://")

    def test_old_records_go_after_their_retention_days_and_recent_ones_stay(self):
        with self.service() as service:
            old = self.post(service, "old")
            recent = self.post(service, "recent")
            for message_id in (old, recent):
                service.wait_for_state(message_id, ["sent"])
        # Ten days pass for one of them (the store is the service's; the test ages the row in it).
        with sqlite3.connect(self.db) as db:
            db.execute("UPDATE messages SET updated_at = updated_at - ? WHERE id = ?", (10 * DAY_MS, old))
        with self.service(retention_days={"messages": 5}) as service:
            wait_until(lambda: service.request("GET", "/v1/messages/" + old)[0] == 404, what="the old message to go")
            status, message = service.request("GET", "/v1/messages/" + recent)
            self.assertEqual(status, 200, message)
            self.assertEqual(len(message["attempts"]), 1)
            self.assertIn("retention: deleted 1 messages (older than their retention_days)", service.log())


if __name__ == "__main__":
    unittest.main()
