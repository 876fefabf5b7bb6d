"""The API document the service serves is a valid OpenAPI 3.0.3 document: `redocly lint` (the version
package-lock.json pins) reports no error on it. It is the file the build compiles in, every operation lists
the refusals the front door can send before any route runs, and the contract the other tests check their
answers against is that same document."""
import json
import os
import subprocess
import tempfile
import unittest

import harness
import openapi_contract

HERE = os.path.dirname(os.path.abspath(__file__))
REDOCLY = os.path.join(HERE, "node_modules", ".bin", "redocly")
FRONT_DOOR = {"413", "431", "500", "503"}


class OpenApiLintTest(harness.ServiceTest):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        status, _, cls.text = harness.http("GET", cls.service.url + "/v1/openapi.json")
        assert status == 200, cls.text
        cls.document = json.loads(cls.text)

    def test_redocly_finds_no_error_in_the_served_document(self):
        if not os.path.exists(REDOCLY):
            raise RuntimeError(f"run `npm ci` in {HERE} first (dev.sh test does): @redocly/cli is not installed")
        with tempfile.NamedTemporaryFile("w", suffix=".json") as f:
            f.write(self.text)
            f.flush()
            done = subprocess.run([REDOCLY, "lint", f.name, "--format=stylish"], capture_output=True, text=True,
                                  timeout=180, cwd=HERE, env=dict(os.environ, REDOCLY_TELEMETRY="off",
                                                                   REDOCLY_SUPPRESS_UPDATE_NOTICE="true"))
        errors = [line for line in done.stdout.splitlines() if " error " in line]
        self.assertEqual((done.returncode, errors), (0, []), done.stdout[-3000:] + done.stderr[-2000:])

    def test_the_served_document_is_the_one_the_answers_are_checked_against(self):
        self.assertEqual(self.document, openapi_contract.contract().document)

    def test_every_operation_lists_the_front_doors_refusals(self):
        for path, item in self.document["paths"].items():
            for method, operation in item.items():
                if method != "parameters":
                    self.assertLessEqual(FRONT_DOOR, set(operation["responses"]), (method, path))

    def test_a_single_message_answer_matches_exactly_one_branch(self):
        contract = openapi_contract.contract()
        single = {"id": "01a2", "state": "queued", "transport": "mail"}
        contract.check("POST", "/v1/messages", 202, "application/json", json.dumps(single))
        contract.check("POST", "/v1/messages", 202, "application/json", json.dumps({"messages": [single]}))
        with self.assertRaises(openapi_contract.ContractError):
            contract.check("POST", "/v1/messages", 202, "application/json", json.dumps({"id": 7}))
        with self.assertRaises(openapi_contract.ContractError):
            contract.check("GET", "/v1/transports", 418, "application/json", "{}")


if __name__ == "__main__":
    unittest.main()
