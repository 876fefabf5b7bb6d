"""The messagemedia plugin's requests match MessageMedia's published OpenAPI spec
(shared/specs/messagemedia-openapi.yaml, read at test time): the body against POST /v1/messages'
request schema (Sendmessagesrequest / Message)."""
import json
import unittest
import urllib.parse

import pytest_support
from plugin_driver import Plugin
from openapi_check import load_spec, operation, request_body_errors

PLUGIN = Plugin(pytest_support.plugin_path("extcomm-messagemedia"))
SPEC = "messagemedia-openapi.yaml"


class MessageMediaRequestsMatchTheSpec(unittest.TestCase):
    def requests(self, settings, messages):
        inst = PLUGIN.create(dict({"api_key": "k", "api_secret": "s"}, **settings))
        self.addCleanup(inst.close)
        requests, settled = inst.encode(messages)
        self.assertEqual(settled, {})
        return requests

    def check(self, requests):
        spec = load_spec(SPEC)
        self.assertIn("basic_auth", [list(s)[0] for s in operation(spec, "/v1/messages", "post")["security"]])
        self.assertTrue(requests)
        for r in requests:
            self.assertEqual(urllib.parse.urlsplit(r["url"]).path, "/v1/messages")
            self.assertTrue(dict(r["headers"])["Authorization"].startswith("Basic "))
            body = json.loads(r["body"])
            self.assertEqual(request_body_errors(spec, "/v1/messages", "post", body), [], r["body"][:300])
            self.assertLessEqual(len(body["messages"]), 100)

    def test_plain_unicode_and_full_options(self):
        msgs = [{"id": "m1", "to": "+61491570156", "body": "Hello"}, {"id": "m2", "to": "+61491570157", "body": "Привет 😀"}]
        self.check(self.requests({}, msgs))
        self.check(self.requests({"source_number": "+61491570159", "callback_url": "https://x.example/v1/webhooks/sms",
                                  "delivery_report": False, "account": "Sub1"}, msgs))
        self.check(self.requests({"source_number": "Agency"}, msgs))

    def test_full_batch(self):
        msgs = [{"id": "m%d" % i, "to": "+614915%05d" % i, "body": "Hi"} for i in range(100)]
        self.check(self.requests({}, msgs))

    def test_the_check_catches_a_broken_body(self):
        errors = request_body_errors(load_spec(SPEC), "/v1/messages", "post",
                                     {"messages": [{"content": "", "destination_number": "+6149157015612345"}]})
        self.assertEqual(len(errors), 2)


if __name__ == "__main__":
    unittest.main()
