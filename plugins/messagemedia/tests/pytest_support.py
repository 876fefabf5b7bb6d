"""Paths shared by the messagemedia Python tests: the simulators, the plugin driver, the plugin .so."""
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
SOURCE_DIR = os.environ.get("EXTCOMM_SOURCE_DIR") or os.path.abspath(os.path.join(HERE, "..", "..", ".."))
for p in (os.path.join(SOURCE_DIR, "tests", "simulators"), os.path.join(SOURCE_DIR, "tests", "support"),
          os.path.join(SOURCE_DIR, "plugins", "common", "sms", "testing"),
          os.path.join(SOURCE_DIR, "plugins", "common", "testing")):
    if p not in sys.path:
        sys.path.insert(0, p)

PLUGIN_DIR = os.environ.get("EXTCOMM_PLUGIN_DIR", "")


def plugin_path(name):
    return os.path.join(PLUGIN_DIR, name + ".so")
