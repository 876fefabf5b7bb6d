"""Requests that never wait (`GET /healthz`, `GET /v1/openapi.json`, a `POST /v1/messages` of one message)
run on the I/O thread that read them (host/http/http_server.hpp), so their handlers must never wait there.
Shown: while another process holds SQLite's write lock, so that no commit can finish, single-message POSTs
on every I/O thread wait for their commit without holding up those threads: the health check and the API's
description keep being answered on other connections, and every POST is answered 202 once the lock is let
go. A handler listed as never waiting that read or wrote the store on its I/O thread would hang them."""
import http.client
import json
import os
import sqlite3
import unittest

import harness

POSTS = 8     # on connections of their own: accepted round robin, so every I/O thread gets some
CHECKS = 20   # health checks and descriptions on each of the other connections while the POSTs wait


def connection(port):
    return http.client.HTTPConnection("127.0.0.1", port, timeout=60)


def answer(conn):
    response = conn.getresponse()
    return response.status, response.read()


class NeverWaitsTest(unittest.TestCase):
    def test_single_posts_waiting_on_a_held_store_hold_up_no_request_that_never_waits(self):
        with harness.scratch() as root:
            service = harness.Service.configured(
                root, [{"name": "mail", "plugin": "file", "settings": {"spool": os.path.join(root, "spool")}}])
            try:
                self.check(service, os.path.join(root, "extcomm.db"))
            finally:
                service.stop()

    def check(self, service, store):
        headers = {"Authorization": "Bearer " + harness.API_TOKEN, "Content-Type": "application/json"}
        # The store's own busy timeout (5 s) is far longer than the lock is held here.
        lock = sqlite3.connect(store, isolation_level=None, timeout=30)
        lock.execute("BEGIN IMMEDIATE")
        posts = [connection(service.port) for _ in range(POSTS)]
        for i, conn in enumerate(posts):
            body = {"channel": "email", "transport": "mail", "to": f"client{i}@example.org", "subject": "Reminder",
                    "body": "Your appointment is tomorrow at 10:00."}
            conn.request("POST", "/v1/messages", body=json.dumps(body), headers=headers)
        others = [connection(service.port) for _ in range(2)]
        for _ in range(CHECKS):
            for conn in others:
                conn.request("GET", "/healthz")
                self.assertEqual(answer(conn)[0], 200)
                conn.request("GET", "/v1/openapi.json")
                self.assertEqual(answer(conn)[0], 200)
        lock.execute("ROLLBACK")
        lock.close()
        for conn in posts:
            status, body = answer(conn)
            self.assertEqual(status, 202, body)
            self.assertTrue(json.loads(body)["id"], body)
        for conn in posts + others:
            conn.close()


if __name__ == "__main__":
    unittest.main()
