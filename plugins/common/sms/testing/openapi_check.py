"""Check captured request bodies against a provider's published OpenAPI spec (request schema).

The specs are read at test time from the shared specs folder: $EXTCOMM_SPECS_DIR, else
$EXTCOMM_SOURCE_DIR/../shared/specs (the repo's sibling folder in CI), else /work/shared/specs.
Needs Debian's python3-yaml and python3-jsonschema.
"""
import os

import jsonschema
import yaml


def specs_dir():
    candidates = [os.environ.get("EXTCOMM_SPECS_DIR", "")]
    source = os.environ.get("EXTCOMM_SOURCE_DIR")
    if source:
        candidates.append(os.path.join(source, "..", "shared", "specs"))
    candidates.append("/work/shared/specs")
    for c in candidates:
        if c and os.path.isdir(c):
            return os.path.abspath(c)
    return None


_cache = {}


def load_spec(filename):
    folder = specs_dir()
    if folder is None:
        raise FileNotFoundError("shared/specs not found (set EXTCOMM_SPECS_DIR)")
    path = os.path.join(folder, filename)
    if path not in _cache:
        with open(path, encoding="utf-8") as f:
            _cache[path] = yaml.safe_load(f)
    return _cache[path]


def operation(spec, path, method):
    return spec["paths"][path][method.lower()]


def request_schema(spec, path, method, content_type="application/json"):
    """The operation's request body schema as a standalone JSON Schema ($refs resolve through the embedded
    components)."""
    schema = dict(operation(spec, path, method)["requestBody"]["content"][content_type]["schema"])
    schema["components"] = spec["components"]
    return schema


def parameter_schemas(spec, path, method, where="query"):
    return {p["name"]: p.get("schema", {}) for p in operation(spec, path, method).get("parameters", [])
            if p.get("in") == where}


def request_body_errors(spec, path, method, body):
    """Every way `body` (parsed JSON) breaks the spec's request schema, as readable strings."""
    validator = jsonschema.Draft7Validator(request_schema(spec, path, method))
    return ["%s: %s" % ("/".join(str(p) for p in e.absolute_path) or "<body>", e.message)
            for e in validator.iter_errors(body)]


def query_errors(spec, path, method, query):
    """Check parsed query parameters ({name: [value]}) against the spec's parameter schemas."""
    schemas = parameter_schemas(spec, path, method)
    errors = []
    for name, values in query.items():
        if name not in schemas:
            errors.append("%s: not a parameter of %s %s" % (name, method, path))
            continue
        s = schemas[name]
        for v in values:
            t = s.get("type")
            if t == "integer":
                try:
                    n = int(v)
                except ValueError:
                    errors.append("%s=%s: not an integer" % (name, v))
                    continue
                if s.get("format") == "int32" and not -2**31 <= n < 2**31:
                    errors.append("%s=%s: not an int32" % (name, v))
            elif t == "boolean" and v not in ("true", "false"):
                errors.append("%s=%s: not a boolean" % (name, v))
    return errors
