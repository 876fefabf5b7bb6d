"""python3 -m messagemedia --port-file F (with tests/simulators on PYTHONPATH), or run this file directly."""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from simbase import run_main  # noqa: E402
from messagemedia import MessageMediaSimulator  # noqa: E402

if __name__ == "__main__":
    run_main(MessageMediaSimulator)
