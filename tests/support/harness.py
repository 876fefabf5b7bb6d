"""What every integration test needs: a scratch folder, a configuration, and the extcomm binary.

Every integration test starts `extcomm serve` through `Service` and calls its API through `Service.request`
(or `http`, for a request without the API's token). Every answer `Service.request` receives is checked
against the API document (openapi_contract.py): an undocumented status or shape fails the test.

Environment (set by extcomm_add_python_test): EXTCOMM_BIN, EXTCOMM_PLUGIN_DIR, EXTCOMM_SOURCE_DIR,
EXTCOMM_BINARY_DIR.
"""
import glob
import json
import os
import re
import select
import signal
import subprocess
import tempfile
import threading
import time
import unittest
import urllib.error
import urllib.request

import openapi_contract

BIN = os.environ.get("EXTCOMM_BIN", "extcomm")
PLUGIN_DIR = os.environ.get("EXTCOMM_PLUGIN_DIR", "")
SOURCE_DIR = os.environ.get("EXTCOMM_SOURCE_DIR", ".")
BINARY_DIR = os.environ.get("EXTCOMM_BINARY_DIR", "")
TEST_PLUGIN_DIR = os.path.join(BINARY_DIR, "test-plugins")  # tests/plugins/broken's output
API_TOKEN = "test-token-0123456789"  # the schema wants 16+ characters


def scratch():
    """A temporary folder removed when the returned object is cleaned up (use as a context manager)."""
    return tempfile.TemporaryDirectory(prefix="extcomm-test-")


def write_config(folder, transports, **extra):
    """Write a configuration with the given transports ([{name, plugin, enabled?, settings}]) and return
    its path. The store is a SQLite file in `folder`; the HTTP listener takes an ephemeral port."""
    config = {
        "store": {"driver": "sqlite", "path": os.path.join(folder, "extcomm.db")},
        "http": {"listen": "127.0.0.1", "port": 0},
        "api_tokens": [API_TOKEN],
        "plugin_dir": PLUGIN_DIR,
        "transports": [dict({"enabled": True}, **t) for t in transports],
    }
    config.update(extra)
    path = os.path.join(folder, "extcomm.json")
    with open(path, "w") as f:
        json.dump(config, f, indent=2)
    return path


def run(*args, env=None, timeout=60):
    """Run `extcomm ARGS...` and return the CompletedProcess (text mode, stdout and stderr captured)."""
    full_env = dict(os.environ, **(env or {}))
    return subprocess.run([BIN, *args], capture_output=True, text=True, env=full_env, timeout=timeout)


def send(config, transport, to, body, subject=None, env=None):
    """`extcomm send`: one synchronous delivery through one configured transport."""
    args = ["send", "--config", config, "--transport", transport, "--to", to, "--body", body]
    if subject is not None:
        args += ["--subject", subject]
    return run(*args, env=env)


def http(method, url, body=None, headers=None):
    """One HTTP request; returns (status, headers, text). `body` is bytes, text, or a value sent as JSON."""
    data = None if body is None else (body if isinstance(body, (bytes, str)) else json.dumps(body))
    if isinstance(data, str):
        data = data.encode()
    h = dict(headers or {})
    if data is not None:
        h.setdefault("Content-Type", "application/json")
    req = urllib.request.Request(url, data=data, method=method, headers=h)
    try:
        with urllib.request.urlopen(req, timeout=30) as resp:
            return resp.status, resp.headers, resp.read().decode()
    except urllib.error.HTTPError as e:
        return e.code, e.headers, e.read().decode()


class Service:
    """`extcomm serve` as a child process: started with a config, its port read from its first line,
    stopped with SIGTERM (or killed with SIGKILL to simulate a crash). Both pipes are drained by threads
    from then on, so a chatty log never blocks it; what it logged so far is `log()`."""

    def __init__(self, config, env=None, startup_timeout=30):
        self.config = config
        self.process = subprocess.Popen([BIN, "serve", "--config", config], stdout=subprocess.PIPE,
                                        stderr=subprocess.PIPE, text=True, env=dict(os.environ, **(env or {})))
        deadline = time.monotonic() + startup_timeout
        line = ""
        while time.monotonic() < deadline:
            ready, _, _ = select.select([self.process.stdout], [], [], 0.2)
            if ready:
                line = self.process.stdout.readline()
                if line.startswith("extcomm listening on "):
                    break
            if self.process.poll() is not None:
                break
        if not line.startswith("extcomm listening on "):
            self.process.kill()
            raise RuntimeError("extcomm serve did not start: " + self.process.stderr.read())
        self.url = line.strip().rsplit(" ", 1)[1]
        self.port = int(self.url.rsplit(":", 1)[1])
        self._log = []
        self._drains = [threading.Thread(target=self._drain, args=(pipe, sink), daemon=True)
                        for pipe, sink in ((self.process.stderr, self._log), (self.process.stdout, []))]
        for t in self._drains:
            t.start()

    @classmethod
    def configured(cls, folder, transports, env=None, **extra):
        """`write_config(folder, transports, **extra)` and a service started on it (its path is `config`)."""
        return cls(write_config(folder, transports, **extra), env=env)

    @staticmethod
    def _drain(pipe, sink):
        for line in pipe:
            sink.append(line)

    def log(self):
        """Its standard error so far (all of it once stopped)."""
        return "".join(self._log)

    def _collected_log(self):
        for t in self._drains:
            t.join(timeout=10)
        for pipe in (self.process.stdout, self.process.stderr):
            pipe.close()
        return self.log()

    def request(self, method, path, body=None, token=API_TOKEN, headers=None):
        """Returns (status, parsed JSON or text)."""
        h = dict(headers or {})
        if token:
            h["Authorization"] = "Bearer " + token
        status, headers, text = http(method, self.url + path, body, h)
        openapi_contract.contract().check(method, path, status, headers.get("Content-Type"), text)
        try:
            return status, json.loads(text)
        except ValueError:
            return status, text

    def ok(self, method, path, body=None, **kw):
        """`request` that must answer 200 or 201; returns the answer."""
        status, answer = self.request(method, path, body, **kw)
        assert status in (200, 201), (method, path, status, answer)
        return answer

    def wait_for_state(self, message_id, states, timeout=30):
        """Polls GET /v1/messages/{id} until its state is one of `states`; returns the message."""
        deadline = time.monotonic() + timeout
        while True:
            status, message = self.request("GET", "/v1/messages/" + message_id)
            if status == 200 and message["state"] in states:
                return message
            if time.monotonic() > deadline:
                raise AssertionError(f"message {message_id} stayed {message}")
            time.sleep(0.05)

    def stop(self, timeout=30):
        """SIGTERM and wait; returns (exit code, stderr)."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        return self.process.returncode, self._collected_log()

    def kill(self):
        """SIGKILL: the crash no code can react to."""
        self.process.kill()
        self.process.wait()
        self._collected_log()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        if self.process.poll() is None:
            self.stop()
        else:
            self.process.wait()


def wait_until(predicate, timeout=30, what="condition"):
    """Polls `predicate` until it returns a truthy value (returned) or `timeout` seconds pass."""
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.05)


def spooled(folder):
    """Every message a `file` transport wrote to `folder`: [{id, to, subject, body, metadata, ...}]."""
    out = []
    for path in glob.glob(os.path.join(folder, "*.json")):
        with open(path) as f:
            out.append(json.load(f))
    return out


def metric(service, name, **labels):
    """The value of one sample of GET /metrics (0 when absent)."""
    status, text = service.request("GET", "/metrics")
    assert status == 200, text
    want = ",".join(f'{k}="{v}"' for k, v in sorted(labels.items()))
    for line in text.splitlines():
        m = re.match(r'^(\w+)(?:\{([^}]*)\})? (\S+)$', line)
        if not m or m.group(1) != name:
            continue
        got = ",".join(sorted((m.group(2) or "").split(","))) if m.group(2) else ""
        if got == want:
            return float(m.group(3))
    return 0.0


class ServiceTest(unittest.TestCase):
    """A test class sharing one `extcomm serve`: a scratch folder (`folder`), a `file` transport per entry of
    SPOOLS ({transport name: attribute}; default: `mail`, whose spool folder is `cls.mail`) and the
    configuration's other keys from `config()` (agency, api_tokens, ...). Stopped after the class's tests."""
    SPOOLS = {"mail": "mail"}

    @classmethod
    def config(cls):
        return {}

    @classmethod
    def setUpClass(cls):
        cls.folder = scratch()
        transports = []
        for name, attribute in cls.SPOOLS.items():
            setattr(cls, attribute, os.path.join(cls.folder.name, attribute))
            transports.append({"name": name, "plugin": "file", "settings": {"spool": getattr(cls, attribute)}})
        cls.service = Service.configured(cls.folder.name, transports, **cls.config())

    @classmethod
    def tearDownClass(cls):
        cls.service.stop()
        cls.folder.cleanup()

    def put(self, path, body):
        return self.service.request("PUT", path, body)
