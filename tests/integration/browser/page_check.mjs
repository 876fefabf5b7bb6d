// Opens one page the way a client opens it from a message: Debian's chromium (never a downloaded
// browser), a phone-sized viewport, no cookies, no API token. Prints one JSON object on stdout:
//   {status, title, text, overflow_x, violations: [{id, impact, help, nodes}], after?: {status, text, overflow_x, violations}}
// `text` is what a person reads (document.body.innerText); `overflow_x` is true when the page is wider
// than the screen (a phone would scroll sideways); `violations` are axe-core's WCAG 2.1 A/AA findings.
// With --click NAME it then presses the button of that accessible name, waits for the page it leads to
// (after any redirect) and reports that page as `after`; with --fill LABEL --text TEXT it first types TEXT
// into the field labelled LABEL, as a person would.
//
//   node page_check.mjs --url URL [--fill LABEL --text TEXT] [--click NAME] [--chromium /usr/bin/chromium]
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { chromium } from "playwright-core";

const require = createRequire(import.meta.url);
const AXE = readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");

function args() {
  const out = { chromium: process.env.EXTCOMM_CHROMIUM || "/usr/bin/chromium" };
  const argv = process.argv.slice(2);
  for (let i = 0; i < argv.length; i += 2) out[argv[i].replace(/^--/, "")] = argv[i + 1];
  if (!out.url) throw new Error("usage: page_check.mjs --url URL [--fill LABEL --text TEXT] [--click NAME] [--chromium PATH]");
  return out;
}

async function describe(page, response) {
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

const options = args();
// --no-sandbox: the tests run as root in a container, where chromium's sandbox cannot start.
const browser = await chromium.launch({ executablePath: options.chromium, args: ["--no-sandbox"] });
try {
  // bypassCSP lets the checker inject axe-core into pages whose Content-Security-Policy (rightly) forbids
  // every script; what the page itself may do is unchanged.
  const context = await browser.newContext({ viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true,
                                             deviceScaleFactor: 2, bypassCSP: true });
  const page = await context.newPage();
  const response = await page.goto(options.url, { waitUntil: "load", timeout: 30000 });
  const result = await describe(page, response);
  if (options.click) {
    if (options.fill) await page.getByLabel(options.fill, { exact: true }).fill(options.text ?? "", { timeout: 10000 });
    const [after] = await Promise.all([
      page.waitForNavigation({ waitUntil: "load", timeout: 30000 }),
      page.getByRole("button", { name: options.click }).click({ timeout: 10000 }),
    ]);
    result.after = await describe(page, after);
  }
  process.stdout.write(JSON.stringify(result) + "\n");
} finally {
  await browser.close();
}
