"""The service's HTTP API on the embedded store and the `file` transport."""
import glob
import json
import os
import unittest

import harness


class ApiTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.folder = harness.scratch()
        root = cls.folder.name
        cls.spool = os.path.join(root, "spool")
        cls.service = harness.Service.configured(root, [
            {"name": "mail", "plugin": "file", "settings": {"spool": cls.spool}},
            {"name": "archive", "plugin": "file", "enabled": False, "settings": {"spool": cls.spool}},
            {"name": "paced", "plugin": "file", "settings": {"spool": os.path.join(root, "paced")},
             "delivery": {"rate_per_second": 2.5}},
            {"name": "slow", "plugin": "file", "settings": {"spool": os.path.join(root, "slow")},
             "delivery": {"rate_per_second": 5}},
        ])

    @classmethod
    def tearDownClass(cls):
        cls.service.stop()
        cls.folder.cleanup()

    def post(self, body, **kw):
        return self.service.request("POST", "/v1/messages", body, **kw)

    def test_health_needs_no_token(self):
        self.assertEqual(self.service.request("GET", "/healthz", token=None), (200, {"status": "ok"}))

    def test_every_other_route_needs_a_valid_token(self):
        for method, path in [("POST", "/v1/messages"), ("GET", "/v1/messages/x"), ("GET", "/metrics")]:
            status, body = self.service.request(method, path, {} if method == "POST" else None, token=None)
            self.assertEqual(status, 401, path)
            self.assertEqual(body["error"]["code"], "unauthorized")
            status, _ = self.service.request(method, path, {} if method == "POST" else None, token="wrong-token-0123456789")
            self.assertEqual(status, 401, path)

    def test_accepted_message_is_delivered_to_the_spool_with_its_attempt_recorded(self):
        status, body = self.post({"channel": "email", "to": "jo@example.org", "subject": "Appointment reminder",
                                  "body": "See you at 10:00."})
        self.assertEqual(status, 202)
        # Queued, or already handed to the idle transport's lane in the commit that accepted it.
        self.assertIn(body["state"], ("queued", "sending"))
        message = self.service.wait_for_state(body["id"], {"sent"})
        self.assertEqual(message["attempts"][0]["outcome"], "accepted")
        with open(os.path.join(self.spool, body["id"] + ".json")) as f:
            written = json.load(f)
        self.assertEqual((written["to"], written["subject"], written["body"]),
                         ("jo@example.org", "Appointment reminder", "See you at 10:00."))

    def test_bad_input_is_refused_naming_the_field(self):
        cases = [
            ("not json", "body"),
            ({"to": "jo@example.org", "body": "x"}, "channel"),
            ({"channel": "fax", "to": "jo@example.org", "body": "x"}, "channel"),
            ({"channel": "email", "body": "x"}, "to"),
            ({"channel": "email", "to": "jo@example.org\r\nBcc: x@example.org", "body": "x"}, "to"),
            ({"channel": "sms", "to": "0491570156", "body": "x"}, "to"),
            ({"channel": "email", "to": "jo@example.org", "body": ""}, "body"),
            ({"channel": "email", "to": "jo@example.org", "body": 5}, "body"),
            ({"channel": "email", "to": "jo@example.org", "subject": "a\nb", "body": "x"}, "subject"),
            ({"channel": "email", "to": "jo@example.org", "body": "x", "transport": "archive"}, "transport"),
            ({"channel": "email", "to": "jo@example.org", "body": "x", "transport": "nope"}, "transport"),
            ({"messages": [{"channel": "sms", "to": "+61491570156", "body": "ok"}, {"channel": "sms", "body": "x"}]},
             "messages[1].to"),
        ]
        for body, field in cases:
            status, answer = self.post(body)
            self.assertEqual(status, 400, body)
            self.assertEqual(answer["error"]["field"], field, body)
            self.assertTrue(answer["error"]["message"], body)
        status, answer = self.post({"channel": "email", "to": "jo@example.org", "body": "x"},
                                   headers={"Idempotency-Key": "k" * 201})
        self.assertEqual((status, answer["error"]["field"]), (400, "Idempotency-Key"), answer)

    def test_a_refused_batch_stores_nothing(self):
        _, before = self.service.request("GET", "/metrics")
        self.post({"messages": [{"channel": "sms", "to": "+61491570156", "body": "one"}, {"channel": "sms"}]})
        _, after = self.service.request("GET", "/metrics")
        count = lambda text: sum(int(l.rsplit(" ", 1)[1]) for l in text.splitlines() if l.startswith("extcomm_messages{"))
        self.assertEqual(count(before), count(after))

    def test_a_batch_is_accepted_in_one_call(self):
        batch = [{"channel": "sms", "to": f"+6149157{i:04d}", "body": f"message {i}"} for i in range(50)]
        status, body = self.post({"messages": batch})
        self.assertEqual(status, 202)
        self.assertEqual(len(body["messages"]), 50)
        for m in body["messages"]:
            self.service.wait_for_state(m["id"], {"sent"})

    def test_the_same_idempotency_key_returns_the_same_message(self):
        message = {"channel": "email", "to": "jo@example.org", "body": "once"}
        _, first = self.post(message, headers={"Idempotency-Key": "event-7-booking"})
        _, second = self.post(message, headers={"Idempotency-Key": "event-7-booking"})
        self.assertEqual(first["id"], second["id"])

    def test_transports_show_their_rate_limit_as_configured(self):
        status, _, text = harness.http("GET", self.service.url + "/v1/transports",
                                       headers={"Authorization": "Bearer " + harness.API_TOKEN})
        self.assertEqual(status, 200, text)
        rates = {t["name"]: t["rate_per_second"] for t in json.loads(text)["transports"]}
        self.assertEqual(rates, {"mail": 0, "paced": 2.5, "slow": 5})
        # Whole rates as written, not in Boost.JSON's exponent form (0E0, 5E0).
        self.assertRegex(text, r'"name":"mail",[^}]*\},"concurrency":\d+,"rate_per_second":0[,}]')
        self.assertRegex(text, r'"rate_per_second":5[,}]')

    def test_unknown_message_is_404(self):
        status, body = self.service.request("GET", "/v1/messages/00000000-0000-0000-0000-000000000000")
        self.assertEqual(status, 404)
        self.assertEqual(body["error"]["code"], "not_found")

    def test_metrics_are_prometheus_text(self):
        _, body = self.post({"channel": "email", "to": "jo@example.org", "body": "counted"})
        self.service.wait_for_state(body["id"], {"sent"})
        status, text = self.service.request("GET", "/metrics")
        self.assertEqual(status, 200)
        self.assertIn("# TYPE extcomm_messages gauge", text)
        self.assertRegex(text, r'extcomm_deliveries_total\{transport="mail",outcome="accepted"\} [1-9]')
        self.assertIn('extcomm_delivery_latency_seconds_count{transport="mail"}', text)


class LifecycleTest(unittest.TestCase):
    def test_sigterm_stops_cleanly_and_a_second_host_cannot_share_the_embedded_store(self):
        with harness.scratch() as root:
            service = harness.Service.configured(root, [{"name": "mail", "plugin": "file",
                                                         "settings": {"spool": os.path.join(root, "spool")}}])
            second = harness.run("serve", "--config", service.config, timeout=30)
            self.assertEqual(second.returncode, 2)
            self.assertIn("in use by another extcomm process", second.stderr)
            code, log = service.stop()
            self.assertEqual(code, 0, log)
            self.assertIn("stopped cleanly", log)

    def test_secrets_never_reach_the_log(self):
        with harness.scratch() as root:
            config = harness.write_config(root, [{"name": "mail", "plugin": "file",
                                                  "settings": {"spool": os.path.join(root, "spool")}}],
                                          api_tokens=["${EXTCOMM_TEST_SECRET_TOKEN}"])
            secret = "very-secret-token-0123456789"
            service = harness.Service(config, env={"EXTCOMM_TEST_SECRET_TOKEN": secret})
            status, _ = service.request("GET", "/metrics", token=secret)
            self.assertEqual(status, 200)
            service.request("GET", "/metrics", token="wrong-but-logged?-0123456789")
            _, log = service.stop()
            self.assertNotIn(secret, log)
            self.assertNotIn("wrong-but-logged", log)

    def test_a_config_error_is_reported_with_its_path_and_the_service_does_not_start(self):
        with harness.scratch() as root:
            config = harness.write_config(root, [{"name": "mail", "plugin": "file", "settings": {"spool": 5}}])
            result = harness.run("check-config", "--config", config)
            self.assertNotEqual(result.returncode, 0)
            self.assertIn("transports[0].settings.spool: expected string", result.stdout)
            ok = harness.write_config(root, [{"name": "mail", "plugin": "file", "settings": {"spool": root}}])
            result = harness.run("check-config", "--config", ok)
            self.assertEqual((result.returncode, result.stdout.strip()), (0, "ok"))


if __name__ == "__main__":
    unittest.main()
