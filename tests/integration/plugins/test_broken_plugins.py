"""Loading never takes the host down: broken plugins are refused with their reasons by `extcomm plugins`,
`check-config` names the JSON path a plugin's schema rejects, and `extcomm serve` leaves out a transport
whose create throws while delivering through the good one."""
import glob
import os
import shutil
import unittest

import harness
from harness import TEST_PLUGIN_DIR, Service, wait_until

REFUSED = {
    "no-entry.so": "not a plugin: no extcomm_transport_entry symbol",
    "future-version.so": "interface version not supported: host speaks 1..1, plugin accepted none",
    "twin-a.so": "duplicate id 'test-twin': also claimed by zz-duplicate-id.so (neither is loaded)",
    "zz-duplicate-id.so": "duplicate id 'test-twin': also claimed by twin-a.so (neither is loaded)",
    "no-channel.so": "bad descriptor: no channel (email or sms)",
    "codec-without-decode.so": "bad descriptor: an HTTP-codec transport must provide encode and decode",
    "open-schema.so": "bad descriptor: the settings schema must reject unknown keys (\"additionalProperties\": false)",
    "garbage.so": "load failure: ",
}
LOADED = ["test-echo", "create-throws", "raw-create-throws", "strict-port", "old-table", "misbehaving-codec"]


class BrokenPluginsTest(unittest.TestCase):
    def setUp(self):
        self.assertTrue(os.path.isfile(os.path.join(TEST_PLUGIN_DIR, "good-echo.so")),
                        "build the test plugins first (ninja extcomm_test_plugins)")
        self.tmp = harness.scratch()
        self.dir = self.tmp.name

    def tearDown(self):
        self.tmp.cleanup()

    def plugin_folder(self):
        """Every test plugin, good and broken, beside the first-party `file` plugin."""
        folder = os.path.join(self.dir, "plugins")
        os.makedirs(folder)
        for so in glob.glob(os.path.join(TEST_PLUGIN_DIR, "*.so")):
            shutil.copy(so, folder)
        shutil.copy(os.path.join(harness.PLUGIN_DIR, "extcomm-file.so"), folder)
        return folder

    def test_plugins_lists_the_good_and_each_refusal_with_its_reason(self):
        result = harness.run("plugins", "--dir", TEST_PLUGIN_DIR)
        self.assertEqual(result.returncode, 0, result.stderr)
        lines = result.stdout.splitlines()
        for plugin_id in LOADED:
            self.assertTrue(any(line.startswith(plugin_id + "  ") for line in lines), f"{plugin_id} not listed:\n{result.stdout}")
        for file, reason in REFUSED.items():
            prefix = "refused " + os.path.join(TEST_PLUGIN_DIR, file) + ": "
            line = next((line for line in lines if line.startswith(prefix)), None)
            self.assertIsNotNone(line, f"{file} not refused:\n{result.stdout}")
            self.assertTrue(line[len(prefix):].startswith(reason), line)
        self.assertIn("invalid ELF header", result.stdout)
        self.assertEqual(sum(line.startswith("refused ") for line in lines), len(REFUSED), result.stdout)

    def test_untrusted_files_and_folders_are_refused_with_the_reason(self):
        folder = os.path.join(self.dir, "trusted")
        os.makedirs(folder, mode=0o755)
        os.chmod(folder, 0o755)
        for name in ("good-echo.so", "strict-port.so"):
            shutil.copy(os.path.join(TEST_PLUGIN_DIR, name), folder)
            os.chmod(os.path.join(folder, name), 0o755)
        os.chmod(os.path.join(folder, "strict-port.so"), 0o775)  # its group could replace it
        result = harness.run("plugins", "--dir", folder)
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertIn(f"refused {os.path.join(folder, 'strict-port.so')}: untrusted file: writable by its group (mode 0775)",
                      result.stdout.splitlines())
        self.assertTrue(any(line.startswith("test-echo  ") for line in result.stdout.splitlines()), result.stdout)

        os.chmod(folder, 0o757)  # anyone could plant a file in it
        result = harness.run("plugins", "--dir", folder)
        self.assertIn(f"refused {folder}: untrusted plugin folder: writable by others (mode 0757); "
                      "no plugin is loaded from it", result.stdout.splitlines())
        self.assertFalse(any(line.startswith("test-echo  ") for line in result.stdout.splitlines()), result.stdout)

    def test_check_config_names_the_path_the_plugin_schema_rejects(self):
        config = harness.write_config(self.dir, [
            {"name": "echo", "plugin": "test-echo", "settings": {}},
            {"name": "strict", "plugin": "strict-port", "settings": {"host": "mail.example.org", "port": "abc", "hots": "x"}},
        ], plugin_dir=TEST_PLUGIN_DIR)
        result = harness.run("check-config", "--config", config)
        self.assertNotEqual(result.returncode, 0, result.stdout)
        self.assertIn("transports[1].settings.port: expected integer", result.stdout.splitlines())
        self.assertIn("transports[1].settings.hots: is not a known setting", result.stdout.splitlines())
        self.assertNotIn("transports[0]", result.stdout)
        # The refused plugins in the folder are noted, not fatal.
        self.assertIn("note: plugin no-entry.so refused: not a plugin", result.stderr)

        ok = harness.write_config(self.dir, [
            {"name": "strict", "plugin": "strict-port", "settings": {"host": "mail.example.org", "port": 25}},
        ], plugin_dir=TEST_PLUGIN_DIR)
        result = harness.run("check-config", "--config", ok)
        self.assertEqual(result.returncode, 0, result.stdout + result.stderr)
        self.assertEqual(result.stdout.strip(), "ok")

    def test_send_through_an_older_plugin_and_a_refused_create(self):
        config = harness.write_config(self.dir, [
            {"name": "old", "plugin": "old-table", "settings": {}},
            {"name": "thrower", "plugin": "raw-create-throws", "settings": {}},
        ], plugin_dir=TEST_PLUGIN_DIR)
        result = harness.send(config, "old", "a@example.org", "hello", subject="s")
        self.assertEqual(result.returncode, 0, result.stdout + result.stderr)
        self.assertRegex(result.stdout, r"^accepted old-")
        result = harness.send(config, "thrower", "a@example.org", "hello", subject="s")
        self.assertEqual(result.returncode, 2, result.stdout + result.stderr)
        self.assertIn("transports[1]: plugin 'raw-create-throws' refused to create the transport: create threw an exception",
                      result.stderr)

    def test_serve_leaves_out_a_transport_whose_create_throws_and_delivers_through_the_good_one(self):
        spool = os.path.join(self.dir, "spool")
        config = harness.write_config(self.dir, [
            {"name": "spool", "plugin": "file", "settings": {"spool": spool}},
            {"name": "thrower", "plugin": "create-throws", "settings": {}},
        ], plugin_dir=self.plugin_folder())
        with Service(config) as service:
            status, body = service.request("POST", "/v1/messages", {
                "channel": "email", "to": "a@example.org", "subject": "s", "body": "b", "transport": "spool"})
            self.assertEqual(status, 202, body)
            message_id = body["id"]

            def sent():
                status, message = service.request("GET", "/v1/messages/" + message_id)
                return status == 200 and message["state"] == "sent" and message
            wait_until(sent, what=f"message {message_id} to be sent")
            files = glob.glob(os.path.join(spool, "*.json"))
            self.assertEqual(len(files), 1, files)
            with open(files[0]) as f:
                self.assertIn('"to":"a@example.org"', f.read())

            log = service.log()
            self.assertIn("transport left out: transports[1]: plugin 'create-throws' refused to create the transport: "
                          "plugin threw: create-throws always fails to start", log)
            self.assertIn("transport spool ready (plugin file)", log)
            for file in ("no-entry.so", "garbage.so", "zz-duplicate-id.so"):
                self.assertIn(f"plugin {os.path.join(os.path.dirname(config), 'plugins', file)} refused:", log)
        self.assertEqual(service.process.returncode, 0, service.log())


if __name__ == "__main__":
    unittest.main()
