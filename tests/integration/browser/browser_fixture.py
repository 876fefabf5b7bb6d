"""ctest's fixture `browser`: `start` launches the one chromium the browser tests share
(browser_server.mjs, in a session of its own so that it outlives this script) and returns once its endpoint
is written; `stop` ends it. The endpoint and the server's process id are kept beside each other in the
build tree (EXTCOMM_BINARY_DIR), where browser.py finds them."""
import os
import signal
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
STATE = os.path.join(os.environ.get("EXTCOMM_BINARY_DIR", HERE), "browser-server")
ENDPOINT, PID, LOG = STATE + ".endpoint", STATE + ".pid", STATE + ".log"


def start():
    stop()
    if not os.path.isdir(os.path.join(HERE, "node_modules", "playwright-core")):
        raise RuntimeError(f"run `npm ci` in {HERE} first (dev.sh test does): playwright-core is not installed")
    with open(LOG, "w") as log:
        server = subprocess.Popen(["node", os.path.join(HERE, "browser_server.mjs"), "--endpoint-file", ENDPOINT],
                                  cwd=HERE, stdin=subprocess.DEVNULL, stdout=log, stderr=log, start_new_session=True)
    with open(PID, "w") as f:
        f.write(str(server.pid))
    deadline = time.monotonic() + 60
    while not os.path.exists(ENDPOINT):
        if server.poll() is not None or time.monotonic() > deadline:
            with open(LOG) as log:
                raise RuntimeError("the shared browser did not start: " + log.read()[-2000:])
        time.sleep(0.05)
    print("shared browser at", open(ENDPOINT).read())


def stop():
    if os.path.exists(PID):
        pid = int(open(PID).read())
        try:
            # A run killed before its cleanup leaves the file: its number may be another process's now.
            with open(f"/proc/{pid}/cmdline", "rb") as f:
                if b"browser_server.mjs" not in f.read():
                    raise ProcessLookupError
            os.kill(pid, signal.SIGTERM)
            for _ in range(200):  # up to 10 s for chromium to close
                os.kill(pid, 0)
                time.sleep(0.05)
            os.kill(pid, signal.SIGKILL)
        except (ProcessLookupError, FileNotFoundError):
            pass
        os.remove(PID)
    for name in (ENDPOINT, ENDPOINT + ".tmp"):
        if os.path.exists(name):
            os.remove(name)


if __name__ == "__main__":
    {"start": start, "stop": stop}[sys.argv[1]]()
