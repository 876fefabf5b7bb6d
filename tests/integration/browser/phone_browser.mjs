// What the browser checks share: one chromium (Debian's, never a downloaded browser) with a phone-sized
// context (no cookies, no API token), and a page reported as a person meets it:
//   {status, title, text, overflow_x, violations: [{id, impact, help, nodes}]}
// `text` is what a person reads (document.body.innerText); `overflow_x` is true when the page is wider
// than the screen (a phone would scroll sideways); `violations` are axe-core's WCAG 2.1 A/AA findings.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { chromium } from "playwright-core";

const require = createRequire(import.meta.url);
const AXE = readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");

// --name value pairs; `url` is required.
export function args(usage) {
  const out = { chromium: process.env.EXTCOMM_CHROMIUM || "/usr/bin/chromium" };
  const argv = process.argv.slice(2);
  for (let i = 0; i < argv.length; i += 2) out[argv[i].replace(/^--/, "")] = argv[i + 1];
  if (!out.url) throw new Error("usage: " + usage);
  return out;
}

export async function describe(page, response) {
  await page.addScriptTag({ content: AXE });
  const axe = await page.evaluate(async () => {
    const r = await window.axe.run(document, { runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] } });
    return r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => n.html) }));
  });
  const layout = await page.evaluate(() => ({
    text: document.body.innerText,
    overflow_x: document.documentElement.scrollWidth > window.innerWidth,
  }));
  return { status: response ? response.status() : null, title: await page.title(), ...layout, violations: axe };
}

// Presses the button of that accessible name and reports the page it leads to.
export async function press(page, name) {
  const [response] = await Promise.all([
    page.waitForNavigation({ waitUntil: "load", timeout: 30000 }),
    page.getByRole("button", { name }).click({ timeout: 10000 }),
  ]);
  return describe(page, response);
}

// Runs `use(page)` in a phone-sized page of one browser and prints its result as one line of JSON.
export async function onPhone(chromiumPath, use) {
  // The suite's one browser when ctest's fixture started it (browser_server.mjs); else one of its own, as
  // when a check is run by hand. --no-sandbox: the tests run as root in a container, where chromium's
  // sandbox cannot start. close() of a connected browser only disconnects (and drops its contexts).
  const shared = process.env.EXTCOMM_BROWSER_ENDPOINT;
  const browser = shared ? await chromium.connect(shared)
                         : await chromium.launch({ executablePath: chromiumPath, args: ["--no-sandbox"] });
  try {
    // bypassCSP lets the checker inject axe-core into pages whose Content-Security-Policy (rightly) forbids
    // every script; what the page itself may do is unchanged.
    const context = await browser.newContext({ viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true,
                                               deviceScaleFactor: 2, bypassCSP: true });
    process.stdout.write(JSON.stringify(await use(await context.newPage())) + "\n");
  } finally {
    await browser.close();
  }
}
