// Opens one page the way a client opens it from a message (phone_browser.mjs) and prints it as
//   {status, title, text, overflow_x, violations, after?: {status, text, overflow_x, violations}}
// With --click NAME it then presses the button of that accessible name, waits for the page it leads to
// (after any redirect) and reports that page as `after`; with --fill LABEL --text TEXT it first types TEXT
// into the field labelled LABEL, as a person would.
//
//   node page_check.mjs --url URL [--fill LABEL --text TEXT] [--click NAME] [--chromium /usr/bin/chromium]
import { args, describe, onPhone, press } from "./phone_browser.mjs";

const options = args("page_check.mjs --url URL [--fill LABEL --text TEXT] [--click NAME] [--chromium PATH]");
await onPhone(options.chromium, async (page) => {
  const result = await describe(page, await page.goto(options.url, { waitUntil: "load", timeout: 30000 }));
  if (options.fill) await page.getByLabel(options.fill, { exact: true }).fill(options.text ?? "", { timeout: 10000 });
  if (options.click) result.after = await press(page, options.click);
  return result;
});
