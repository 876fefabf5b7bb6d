// One chromium for every browser test of a run: ctest's fixture `browser` starts it once (browser.start,
// through browser_fixture.py) and stops it after the last browser test (browser.stop). It writes its
// endpoint to a file; each check connects to it (phone_browser.mjs) with a fresh context of its own, so the
// tests share the browser process and nothing else (no cookies, no pages).
//
//   node browser_server.mjs --endpoint-file PATH [--chromium /usr/bin/chromium]
//
// A run that never stops it (ctest killed) still loses it within the hour.
import { renameSync, writeFileSync } from "node:fs";
import { chromium } from "playwright-core";

const options = { chromium: process.env.EXTCOMM_CHROMIUM || "/usr/bin/chromium" };
const argv = process.argv.slice(2);
for (let i = 0; i < argv.length; i += 2) options[argv[i].replace(/^--/, "")] = argv[i + 1];
if (!options["endpoint-file"]) throw new Error("usage: browser_server.mjs --endpoint-file PATH [--chromium PATH]");

// --no-sandbox: the tests run as root in a container, where chromium's sandbox cannot start.
// host: the endpoint listens on the loopback address only (left out, it would take every interface).
const server = await chromium.launchServer({ executablePath: options.chromium, args: ["--no-sandbox"],
                                             host: "127.0.0.1" });
const stop = async () => {
  await server.close();
  process.exit(0);
};
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
setTimeout(stop, 60 * 60 * 1000);
// Written whole, then renamed: a reader never sees half an endpoint.
writeFileSync(options["endpoint-file"] + ".tmp", server.wsEndpoint());
renameSync(options["endpoint-file"] + ".tmp", options["endpoint-file"]);
