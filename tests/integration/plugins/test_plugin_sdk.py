"""A vendor builds a transport out of tree: install the SDK from this build to a temporary prefix,
configure and build tests/plugin-sdk against it with find_package(extcomm-sdk), and load and use the
result in the host (`extcomm plugins --dir`, `extcomm check-config`, `extcomm send`)."""
import glob
import http.server
import json
import os
import shutil
import subprocess
import threading
import unittest

import harness

CMAKE = shutil.which("cmake") or "cmake"
NINJA = shutil.which("ninja")


def run(*args, timeout=300):
    result = subprocess.run(args, capture_output=True, text=True, timeout=timeout)
    if result.returncode != 0:
        raise AssertionError(f"{' '.join(args)} failed ({result.returncode}):\n{result.stdout}\n{result.stderr}")
    return result


class FakeAcme(http.server.ThreadingHTTPServer):
    """The Acme SMS API on 127.0.0.1: one line per message, "OK <id>" or "ERR <code> <text>"."""

    def __init__(self):
        super().__init__(("127.0.0.1", 0), AcmeHandler)
        self.requests = []
        self.next_id = 1
        self.lock = threading.Lock()
        self.thread = threading.Thread(target=self.serve_forever, daemon=True)
        self.thread.start()

    @property
    def url(self):
        return f"http://127.0.0.1:{self.server_address[1]}"

    def close(self):
        self.shutdown()
        self.server_close()


class AcmeHandler(http.server.BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", "0"))).decode()
        server = self.server
        with server.lock:
            server.requests.append({"path": self.path, "headers": dict(self.headers), "body": body})
        if self.headers.get("Authorization") != "Bearer acme-key":
            return self.answer(401, "bad key")
        if self.path != "/v1/sms":
            return self.answer(404, "no such endpoint")
        lines = []
        for m in json.loads(body)["messages"]:
            if m["to"] == "+15550000000":
                lines.append("ERR 21211 unknown destination")
            else:
                with server.lock:
                    lines.append(f"OK acme-{server.next_id}")
                    server.next_id += 1
        self.answer(200, "\n".join(lines) + "\n")

    def answer(self, status, text):
        data = text.encode()
        self.send_response(status)
        self.send_header("Content-Type", "text/plain")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)


class OutOfTreeSdkTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = harness.scratch()
        root = cls.tmp.name
        cls.prefix = os.path.join(root, "prefix")
        cls.build = os.path.join(root, "acme-build")
        # 1. What a vendor receives: `cmake --install` of this build.
        run(CMAKE, "--install", harness.BINARY_DIR, "--prefix", cls.prefix)
        # 2. The vendor's own project, configured against nothing but that prefix.
        configure = [CMAKE, "-S", os.path.join(harness.SOURCE_DIR, "tests", "plugin-sdk"), "-B", cls.build,
                     "-DCMAKE_PREFIX_PATH=" + cls.prefix, "-DCMAKE_BUILD_TYPE=Release",
                     "-DCMAKE_CXX_FLAGS=-Wall -Wextra -Wpedantic -Werror", "-DCMAKE_FIND_USE_PACKAGE_REGISTRY=OFF"]
        if NINJA:
            configure += ["-G", "Ninja"]
        run(*configure)
        run(CMAKE, "--build", cls.build, "-j1")

    @classmethod
    def tearDownClass(cls):
        cls.tmp.cleanup()

    def setUp(self):
        self.scratch = harness.scratch()
        self.dir = self.scratch.name

    def tearDown(self):
        self.scratch.cleanup()

    def test_install_has_the_headers_and_the_package(self):
        self.assertTrue(os.path.isfile(os.path.join(self.prefix, "include", "extcomm", "transport.h")))
        self.assertTrue(os.path.isfile(os.path.join(self.prefix, "include", "extcomm", "sdk.hpp")))
        configs = glob.glob(os.path.join(self.prefix, "lib*", "**", "extcomm-sdk-config.cmake"), recursive=True)
        self.assertEqual(len(configs), 1, configs)
        package_dir = os.path.dirname(configs[0])
        for name in ("extcomm-sdk-config-version.cmake", "extcomm-sdk-targets.cmake", "extcomm_add_transport.cmake"):
            self.assertTrue(os.path.isfile(os.path.join(package_dir, name)), name)
        # The vendor build found the SDK in the prefix, not anywhere else.
        with open(os.path.join(self.build, "CMakeCache.txt")) as f:
            cache = f.read()
        self.assertIn("extcomm-sdk_DIR:PATH=" + package_dir, cache)

    def test_the_plugins_export_only_the_entry_symbol(self):
        nm = shutil.which("nm")
        if not nm:
            self.skipTest("nm not installed")
        for so in ("acme-sms.so", "acme-echo.so"):
            out = run(nm, "-D", "--defined-only", os.path.join(self.build, so)).stdout
            names = [line.split()[-1] for line in out.splitlines() if line.strip()]
            self.assertEqual(names, ["extcomm_transport_entry"], so)

    def test_the_host_lists_them(self):
        result = harness.run("plugins", "--dir", self.build)
        self.assertEqual(result.returncode, 0, result.stderr)
        lines = result.stdout.splitlines()
        self.assertFalse([line for line in lines if line.startswith("refused")], result.stdout)
        sms = next(line for line in lines if line.startswith("acme-sms  "))
        self.assertIn("vendor=Acme Corp", sms)
        self.assertIn("channel=sms", sms)
        self.assertIn("interface=1", sms)
        self.assertIn("mode=http-codec", sms)
        echo = next(line for line in lines if line.startswith("acme-echo  "))
        self.assertIn("mode=session", echo)

    def test_send_through_the_session_transport(self):
        config = harness.write_config(self.dir, [{"name": "echo", "plugin": "acme-echo", "settings": {"prefix": "acme"}}],
                                      plugin_dir=self.build)
        result = harness.send(config, "echo", "a@example.org", "hello", subject="hi")
        self.assertEqual(result.returncode, 0, result.stdout + result.stderr)
        self.assertRegex(result.stdout.strip(), r"^accepted acme-[0-9a-f-]{36}$")

        bad = harness.write_config(self.dir, [{"name": "echo", "plugin": "acme-echo", "settings": {"prefix": ""}}],
                                   plugin_dir=self.build)
        result = harness.send(bad, "echo", "a@example.org", "hello")
        self.assertEqual(result.returncode, 2, result.stdout + result.stderr)
        self.assertIn("transports[0].settings.prefix: plugin 'acme-echo' refused to create the transport: must not be empty",
                      result.stderr)

    def test_send_through_the_http_codec(self):
        acme = FakeAcme()
        self.addCleanup(acme.close)
        transport = {"name": "acme", "plugin": "acme-sms",
                     "settings": {"base_url": acme.url + "/", "api_key": "acme-key", "sender": "Shop"}}
        config = harness.write_config(self.dir, [transport], plugin_dir=self.build)

        result = harness.send(config, "acme", "+4915112345678", "Your code is 1234 \u2713")
        self.assertEqual(result.returncode, 0, result.stdout + result.stderr)
        self.assertEqual(result.stdout.strip(), "accepted acme-1")
        self.assertEqual(len(acme.requests), 1)
        request = acme.requests[0]
        self.assertEqual(request["path"], "/v1/sms")
        body = json.loads(request["body"])
        self.assertEqual(body["from"], "Shop")
        self.assertEqual([(m["to"], m["text"]) for m in body["messages"]], [("+4915112345678", "Your code is 1234 \u2713")])

        result = harness.send(config, "acme", "+15550000000", "hello")
        self.assertEqual(result.returncode, 1, result.stdout + result.stderr)
        self.assertEqual(result.stdout.strip(), "rejected 21211: unknown destination")

        # Settled by encode without a request.
        result = harness.send(config, "acme", "0151-not-a-number", "hello")
        self.assertEqual(result.returncode, 1)
        self.assertEqual(result.stdout.strip(), "rejected invalid-number: not an E.164 number: 0151-not-a-number")
        self.assertEqual(len(acme.requests), 2)

        transport["settings"]["api_key"] = "wrong"
        config = harness.write_config(self.dir, [transport], plugin_dir=self.build)
        result = harness.send(config, "acme", "+4915112345678", "hello")
        self.assertEqual(result.returncode, 1)
        self.assertEqual(result.stdout.strip(), "transport_failure 401: Acme refused the API key")

    def test_check_config_uses_the_vendor_schema(self):
        config = harness.write_config(self.dir, [{"name": "acme", "plugin": "acme-sms",
                                                  "settings": {"base_url": "http://127.0.0.1:9", "api_kye": "x"}}],
                                      plugin_dir=self.build)
        result = harness.run("check-config", "--config", config)
        self.assertEqual(result.returncode, 1, result.stdout + result.stderr)
        lines = result.stdout.splitlines()
        self.assertIn("transports[0].settings.api_key: is required", lines)
        self.assertIn("transports[0].settings.api_kye: is not a known setting", lines)


if __name__ == "__main__":
    unittest.main()
