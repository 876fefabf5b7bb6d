"""A client's phone on one of the service's pages: runs page_check.mjs or task_page_flow.mjs (Debian's
chromium driven by playwright-core, axe-core for accessibility; phone_browser.mjs) and returns what it
reported. The npm packages are those of this folder's package-lock.json, installed by `npm ci` here
(dev.sh does it); a missing one is an error that says so, never a skipped test."""
import json
import os
import subprocess

HERE = os.path.dirname(os.path.abspath(__file__))


def _shared_browser():
    """The suite's one browser (ctest fixture `browser`, browser_fixture.py) as the checks' environment; none
    when the test runs outside ctest, and each check then starts a browser of its own."""
    from browser_fixture import ENDPOINT
    if not os.path.exists(ENDPOINT):
        return {}
    with open(ENDPOINT) as f:
        return {"EXTCOMM_BROWSER_ENDPOINT": f.read().strip()}


def _run(script, *args):
    if not os.path.isdir(os.path.join(HERE, "node_modules", "playwright-core")):
        raise RuntimeError(f"run `npm ci` in {HERE} first (dev.sh test does): playwright-core is not installed")
    done = subprocess.run(["node", os.path.join(HERE, script), *args], capture_output=True, text=True, timeout=180,
                          cwd=HERE, env=dict(os.environ, **_shared_browser()))
    if done.returncode != 0:
        raise RuntimeError(f"{script} failed ({done.returncode}): {done.stderr[-2000:]}")
    return json.loads(done.stdout)


def check(url, click=None, fill=None):
    """{status, title, text, overflow_x, violations, after?} of the page at `url` (see page_check.mjs);
    `fill`: (label, text) typed into the field so labelled before the button `click` is pressed."""
    return _run("page_check.mjs", "--url", url, *(["--fill", fill[0], "--text", fill[1]] if fill else []),
                *(["--click", click] if click else []))


def task_flow(url):
    """{pages, kept, error}: a client completing the task page at `url` (see task_page_flow.mjs)."""
    return _run("task_page_flow.mjs", "--url", url)
