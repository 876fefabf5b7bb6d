"""Helpers for the plugin tests: the test-plugins folder, and `extcomm serve` as a child process whose
stdout and stderr are read by threads (so a chatty log never blocks it) and waited on with deadlines."""
import json
import os
import queue
import signal
import subprocess
import threading
import time
import urllib.error
import urllib.request

import harness

BINARY_DIR = os.environ.get("EXTCOMM_BINARY_DIR", "")
TEST_PLUGIN_DIR = os.path.join(BINARY_DIR, "test-plugins")


class Serve:
    def __init__(self, config, timeout=30):
        self.process = subprocess.Popen([harness.BIN, "serve", "--config", config], stdout=subprocess.PIPE,
                                        stderr=subprocess.PIPE, text=True)
        self.stdout = queue.Queue()
        self.stderr_lines = []
        self._stderr_lock = threading.Lock()
        self._pumps = [threading.Thread(target=self._pump_stdout, daemon=True),
                       threading.Thread(target=self._pump_stderr, daemon=True)]
        for pump in self._pumps:
            pump.start()
        deadline = time.monotonic() + timeout
        self.url = None
        while self.url is None:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                self.stop()
                raise AssertionError("extcomm serve did not start:\n" + self.stderr())
            try:
                line = self.stdout.get(timeout=remaining)
            except queue.Empty:
                continue
            if line is None:
                self.stop()
                raise AssertionError("extcomm serve exited before listening:\n" + self.stderr())
            if line.startswith("extcomm listening on "):
                self.url = line.strip().rsplit(" ", 1)[1]

    def _pump_stdout(self):
        for line in self.process.stdout:
            self.stdout.put(line)
        self.stdout.put(None)

    def _pump_stderr(self):
        for line in self.process.stderr:
            with self._stderr_lock:
                self.stderr_lines.append(line)

    def stderr(self):
        with self._stderr_lock:
            return "".join(self.stderr_lines)

    def request(self, method, path, body=None):
        data = None if body is None else json.dumps(body).encode()
        headers = {"Authorization": "Bearer " + harness.API_TOKEN}
        if data is not None:
            headers["Content-Type"] = "application/json"
        req = urllib.request.Request(self.url + path, data=data, method=method, headers=headers)
        try:
            with urllib.request.urlopen(req, timeout=30) as resp:
                status, text = resp.status, resp.read().decode()
        except urllib.error.HTTPError as e:
            status, text = e.code, e.read().decode()
        try:
            return status, json.loads(text)
        except ValueError:
            return status, text

    def stop(self, timeout=30):
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        for pump in self._pumps:  # the pipes reach end of file once the process is gone
            pump.join(timeout)
        self.process.stdout.close()
        self.process.stderr.close()
        return self.process.returncode

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.stop()


def wait_until(predicate, timeout=30, what="condition"):
    """Polls `predicate` until it returns something truthy, for at most `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError("timed out waiting for " + what)
        time.sleep(0.02)
