"""A client's phone on one of the service's pages: runs page_check.mjs (Debian's chromium driven by
playwright-core, axe-core for accessibility) and returns what it reported. The npm packages are those of
this folder's package-lock.json, installed by `npm ci` here (dev.sh does it); a missing one is an error
that says so, never a skipped test."""
import json
import os
import subprocess

HERE = os.path.dirname(os.path.abspath(__file__))


def check(url, click=None, fill=None):
    """{status, title, text, overflow_x, violations, after?} of the page at `url` (see page_check.mjs);
    `fill`: (label, text) typed into the field so labelled before the button `click` is pressed."""
    if not os.path.isdir(os.path.join(HERE, "node_modules", "playwright-core")):
        raise RuntimeError(f"run `npm ci` in {HERE} first (dev.sh test does): playwright-core is not installed")
    command = ["node", os.path.join(HERE, "page_check.mjs"), "--url", url]
    if click:
        command += ["--click", click]
    if fill:
        command += ["--fill", fill[0], "--text", fill[1]]
    done = subprocess.run(command, capture_output=True, text=True, timeout=120, cwd=HERE)
    if done.returncode != 0:
        raise RuntimeError(f"page_check.mjs failed ({done.returncode}): {done.stderr[-2000:]}")
    return json.loads(done.stdout)
