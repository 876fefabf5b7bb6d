"""The bulksms plugin's requests match BulkSMS's published OpenAPI spec (shared/specs/bulksms-openapi.yaml,
read at test time): the body against POST /messages' request schema (the strict form: an array,
`to` an array of objects, `from` an object) and the query against its parameter schemas."""
import json
import unittest
import urllib.parse

import pytest_support
from plugin_driver import Plugin
from openapi_check import load_spec, query_errors, request_body_errors

PLUGIN = Plugin(pytest_support.plugin_path("extcomm-bulksms"))
SPEC = "bulksms-openapi.yaml"


class BulkSmsRequestsMatchTheSpec(unittest.TestCase):
    def requests(self, settings, messages):
        inst = PLUGIN.create(dict({"username": "agency", "password": "secret"}, **settings))
        self.addCleanup(inst.close)
        requests, settled = inst.encode(messages)
        self.assertEqual(settled, {})
        return requests

    def check(self, requests):
        spec = load_spec(SPEC)
        self.assertTrue(requests)
        for r in requests:
            url = urllib.parse.urlsplit(r["url"])
            self.assertEqual(url.path, "/v1/messages")  # spec server https://api.bulksms.com/v1 + /messages
            body = json.loads(r["body"])
            self.assertEqual(request_body_errors(spec, "/messages", "post", body), [], r["body"])
            self.assertEqual(query_errors(spec, "/messages", "post", urllib.parse.parse_qs(url.query)), [])

    def test_plain_and_unicode_messages(self):
        self.check(self.requests({}, [{"id": "m1", "to": "+27001234567", "body": "Hello World!"},
                                      {"id": "m2", "to": "+27001234568", "body": "Привет 😀"}]))

    def test_every_sender_type_and_option(self):
        for extra in ({"from": "Agency"}, {"from": "+447700900123"}, {"from": "12345", "from_type": "SHORTCODE"},
                      {"from_type": "REPLIABLE"}, {"routing_group": "PREMIUM", "delivery_reports": "ERRORS"}):
            with self.subTest(extra=extra):
                self.check(self.requests(extra, [{"id": "m1", "to": "+27001234567", "body": "Hi"}]))

    def test_the_check_catches_the_shorthand_form(self):
        # Guards the checker itself: the documented shorthand breaks the strict published schema.
        errors = request_body_errors(load_spec(SPEC), "/messages", "post", [{"to": "+27001234567", "body": "x"}])
        self.assertTrue(errors)


if __name__ == "__main__":
    unittest.main()
