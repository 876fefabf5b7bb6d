"""Every answer an integration test receives is checked against the API document (config/openapi.json,
the document `GET /v1/openapi.json` serves): the route and method must be documented, the status must be
one of the route's documented responses, and a JSON answer must match that response's schema. A test that
receives an undocumented status or shape fails with the route, the status and what does not match.

OpenAPI 3.0.3 schemas are JSON Schema draft 4 with a few differences, turned into draft 4 here:
`nullable: true` allows null, `$ref`s are inlined, and keywords JSON Schema does not have are dropped.
Paths outside the document (an unknown route a test calls on purpose) are not checked.
"""
import json
import os
import re

import jsonschema

_DOCUMENT = os.path.join(os.environ.get("EXTCOMM_SOURCE_DIR", os.path.join(os.path.dirname(__file__), "..", "..")),
                         "config", "openapi.json")
_OPENAPI_ONLY = {"nullable", "example", "examples", "discriminator", "xml", "externalDocs", "deprecated",
                 "readOnly", "writeOnly"}


class ContractError(AssertionError):
    pass


def _draft4(schema, components, seen=()):
    """The OpenAPI schema as JSON Schema draft 4, its $refs inlined."""
    if isinstance(schema, list):
        return [_draft4(s, components, seen) for s in schema]
    if not isinstance(schema, dict):
        return schema
    if "$ref" in schema:
        name = schema["$ref"].rsplit("/", 1)[1]
        if name in seen:
            return {}  # a recursive schema: its inner levels are not checked
        return _draft4(components[name], components, seen + (name,))
    out = {}
    for key, value in schema.items():
        if key in _OPENAPI_ONLY:
            continue
        if key == "properties":
            out[key] = {k: _draft4(v, components, seen) for k, v in value.items()}
        elif isinstance(value, (dict, list)) and key not in ("enum", "required"):
            out[key] = _draft4(value, components, seen)
        else:
            out[key] = value
    if schema.get("nullable"):
        if "enum" in out and None not in out["enum"]:
            out["enum"] = out["enum"] + [None]
        return {"anyOf": [out, {"type": "null"}]}
    return out


class Contract:
    def __init__(self, document):
        self.document = document
        self.components = document.get("components", {}).get("schemas", {})
        self.routes = []
        for template, operations in document["paths"].items():
            pattern = "^" + re.sub(r"\\\{[^}]+\\\}", "[^/]+", re.escape(template)) + "$"
            literal = len([s for s in template.split("/") if s and not s.startswith("{")])
            self.routes.append((literal, template, re.compile(pattern), operations))
        self.routes.sort(key=lambda r: -r[0])  # /v1/action-triggers/catalogue before /v1/action-triggers/{id}

    def route(self, path):
        path = path.split("?", 1)[0]
        for _, template, pattern, operations in self.routes:
            if pattern.match(path):
                return template, operations
        return None, None

    def check(self, method, path, status, content_type, text):
        template, operations = self.route(path)
        if template is None:
            return
        where = "%s %s (%s) answered %d" % (method, path, template, status)
        operation = operations.get(method.lower())
        if operation is None:
            if status == 405:
                return  # a method the route does not have, refused as it should be
            raise ContractError(where + ": the method is not documented")
        responses = operation.get("responses", {})
        response = responses.get(str(status)) or responses.get("%dXX" % (status // 100)) or responses.get("default")
        if response is None:
            raise ContractError(where + ": the status is not documented (documented: %s)" % ", ".join(sorted(responses)))
        content = response.get("content", {})
        full = (content_type or "").replace(" ", "").lower()
        media = next((m for m in content if m.replace(" ", "").lower() == full), full.split(";", 1)[0])
        if not content:
            if text:
                raise ContractError(where + ": a body was sent where the document has none")
            return
        if media not in content:
            raise ContractError(where + ": media type %r is not documented (%s)" % (media, ", ".join(sorted(content))))
        schema = content[media].get("schema")
        if schema is None or not media.startswith("application/json"):
            return
        try:
            value = json.loads(text)
        except ValueError as e:
            raise ContractError(where + ": not JSON: %s" % e)
        errors = sorted(jsonschema.Draft4Validator(_draft4(schema, self.components)).iter_errors(value),
                        key=lambda e: list(e.absolute_path))
        if errors:
            raise ContractError(where + ": the answer does not match the document:\n" + "\n".join(
                "  at /%s: %s" % ("/".join(str(p) for p in e.absolute_path), e.message[:300]) for e in errors[:5]))


_contract = None


def contract():
    global _contract
    if _contract is None:
        with open(_DOCUMENT) as f:
            _contract = Contract(json.load(f))
    return _contract
