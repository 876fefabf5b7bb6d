"""What every integration test needs: a scratch folder, a configuration, and the extcomm binary.

Environment (set by extcomm_add_python_test): EXTCOMM_BIN, EXTCOMM_PLUGIN_DIR, EXTCOMM_SOURCE_DIR.
"""
import json
import os
import subprocess
import tempfile

BIN = os.environ.get("EXTCOMM_BIN", "extcomm")
PLUGIN_DIR = os.environ.get("EXTCOMM_PLUGIN_DIR", "")
SOURCE_DIR = os.environ.get("EXTCOMM_SOURCE_DIR", ".")
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
