"""Records (cases, service files, documents), document templates and clients' new fields, over the HTTP API.

extcomm keeps the current and the previous version of a record and says what happened; a repeated PUT
changes nothing; every refusal is a 400 naming the field.
"""
import unittest

import harness

CASE = {"fields": {"status": "open", "opened": "2026-09-01"}, "agency_fields": {"risk": "high"},
        "primary_member": "jo", "members": ["sam"], "workers": [{"id": "ana", "role": "case manager"}]}
FORM = {"title": "Intake form", "client_facing": True,
        "questions": [{"id": "q1", "label": "How are you?", "type": "one-choice", "required": True,
                       "client_visible": True, "options": ["Well", "Not well"]},
                      {"id": "q2", "label": "Medicare number", "type": "data-field"}]}


class RecordsTest(harness.ServiceTest):
    SPOOLS = {}

    def test_a_record_keeps_its_previous_version_and_says_what_changed(self):
        status, first = self.put("/v1/records/case/c-1", CASE)
        self.assertEqual((status, first["version"], first["happened"]["created"], first["previous"]), (201, 1, True, None))
        changed = dict(CASE, fields={"status": "closed", "opened": "2026-09-01"}, agency_fields={"risk": "low"})
        status, second = self.put("/v1/records/case/c-1", changed)
        self.assertEqual(status, 200, second)
        self.assertEqual(second["version"], 2)
        self.assertEqual(sorted(second["happened"]["fields_changed"]), ["agency_fields.risk", "fields.status"])
        self.assertEqual(second["previous"]["fields"]["status"], "open")
        stored = self.service.ok("GET", "/v1/records/case/c-1")
        self.assertEqual((stored["record"]["fields"]["status"], stored["previous"]["fields"]["status"]), ("closed", "open"))

    def test_a_repeated_put_changes_nothing(self):
        self.put("/v1/records/service-file/sf-1", CASE)
        status, again = self.put("/v1/records/service-file/sf-1", CASE)
        self.assertEqual((status, again["version"], again["happened"]["nothing"]), (200, 1, True), again)
        self.assertIsNone(again["previous"])

    def test_a_documents_state_change_is_told(self):
        self.service.ok("PUT", "/v1/document-templates/intake", FORM)
        doc = {"template": "intake", "completed_for": "jo", "state": "in-progress", "answers": {"q1": "well"}}
        self.put("/v1/records/document/d-1", doc)
        status, done = self.put("/v1/records/document/d-1", dict(doc, state="completed"))
        self.assertEqual(status, 200, done)
        self.assertEqual((done["happened"]["state_changed"], done["happened"]["state_before"]), (True, "in-progress"))
        self.assertEqual(done["record"]["state"], "completed")

    def test_a_document_template_is_kept_as_put(self):
        status, answer = self.put("/v1/document-templates/feedback", FORM)
        self.assertEqual(status, 201, answer)
        got = self.service.ok("GET", "/v1/document-templates/feedback")
        self.assertEqual((got["title"], got["client_facing"], [q["type"] for q in got["questions"]]),
                         ("Intake form", True, ["one-choice", "data-field"]))
        self.assertEqual(self.put("/v1/document-templates/feedback", FORM)[0], 200)

    def test_every_refusal_names_the_field(self):
        cases = [
            ("/v1/records/case/c-9", dict(CASE, workers=[{"id": "bad id!"}]), "workers[0].id"),
            ("/v1/records/case/c-9", dict(CASE, fields=[1]), "fields"),
            ("/v1/records/case/c-9", dict(CASE, colour="red"), "colour"),
            ("/v1/records/case/c-9", dict(CASE, members=["ok", 7]), "members[1]"),
            ("/v1/records/document/d-9", {"template": "intake", "state": "done"}, "state"),
            ("/v1/records/document/d-9", {"state": "completed"}, "template"),
            ("/v1/records/folder/x-1", CASE, "kind"),
            ("/v1/document-templates/t-9", dict(FORM, title=""), "title"),
            ("/v1/document-templates/t-9", dict(FORM, questions=[{"id": "q", "label": "L", "type": "essay"}]),
             "questions[0].type"),
            ("/v1/document-templates/t-9", dict(FORM, questions=[{"id": "q", "label": "L", "type": "data-field",
                                                                  "client_visible": True}]),
             "questions[0].client_visible"),
            ("/v1/clients/jo", {"name": "Jo", "birth_date": "1990-02-30"}, "birth_date"),
            ("/v1/clients/jo", {"name": "Jo", "agency_fields": "x"}, "agency_fields"),
        ]
        for path, body, field in cases:
            status, answer = self.put(path, body)
            self.assertEqual((status, answer["error"]["field"]), (400, field), (path, body, answer))

    def test_a_client_has_a_birth_date_and_agency_fields(self):
        answer = self.service.ok("PUT", "/v1/clients/kim", {"name": "Kim", "birth_date": "1990-04-01",
                                                            "agency_fields": {"funding": "NDIS"}})
        self.assertEqual((answer["birth_date"], answer["agency_fields"]), ("1990-04-01", {"funding": "NDIS"}))
        self.assertEqual(self.service.ok("GET", "/v1/clients/kim")["agency_fields"], {"funding": "NDIS"})


if __name__ == "__main__":
    unittest.main()
