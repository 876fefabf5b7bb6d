// A client completing a task's page on a phone, in one browser (phone_browser.mjs).
// The task is the one test_task_page.py makes: a checklist of "Intake form" (one question of each type)
// and "Consent form". Prints one JSON object on stdout:
//   {pages: [{step, status, title, text, overflow_x, violations}], kept: {...}, error: {...}}
// where each page is reported as phone_browser.mjs describes it, with its step; `kept` is what
// the form showed on coming back after saving, and `error` how the page tied a validation error to its
// question (the input's aria-describedby and aria-invalid, the error's text).
//
//   node task_page_flow.mjs --url URL [--chromium /usr/bin/chromium]
import { args, describe, onPhone, press } from "./phone_browser.mjs";

async function opened(page, url, step) {
  return { step, ...(await describe(page, await page.goto(url, { waitUntil: "load", timeout: 30000 }))) };
}

async function fillIntake(page) {
  const intake = page.getByRole("region", { name: "Intake form" });
  await intake.getByLabel("Your preferred name (required)").fill("Jo");
  await intake.getByLabel("What brings you to us?").fill("Help with housing.\nAnd with work.");
  await intake.getByRole("group", { name: "How should we contact you? (required)" }).getByLabel("Phone").check();
  const days = intake.getByRole("group", { name: "Which days suit you?" });
  await days.getByLabel("Monday").check();
  await days.getByLabel("Friday").check();
  await intake.getByLabel("Date of birth").fill("1990-04-01");
  await intake.getByLabel("How many children live with you?").fill("2");
  await intake.getByRole("group", { name: "Do you feel safe at home? (required)" }).getByLabel("Yes").check();
}

async function flow(page, url) {
  const pages = [];
  pages.push(await opened(page, url, "opened"));
  await fillIntake(page);
  pages.push({ step: "saved", ...(await press(page, "Save Intake form and come back later")) });
  pages.push(await opened(page, url, "came back"));
  const intake = page.getByRole("region", { name: "Intake form" });
  const kept = {
    name: await intake.getByLabel("Your preferred name (required)").inputValue(),
    story: await intake.getByLabel("What brings you to us?").inputValue(),
    phone: await intake.getByLabel("Phone").isChecked(),
    friday: await intake.getByLabel("Friday").isChecked(),
    born: await intake.getByLabel("Date of birth").inputValue(),
    children: await intake.getByLabel("How many children live with you?").inputValue(),
  };
  await intake.getByLabel("Your preferred name (required)").fill("");
  await intake.getByLabel("How many children live with you?").fill("two");
  pages.push({ step: "refused", ...(await press(page, "Submit Intake form")) });
  const error = await page.evaluate(() => {
    const input = document.querySelector("[name='a.children']");
    const ids = (input.getAttribute("aria-describedby") || "").split(" ").filter(Boolean);
    return { invalid: input.getAttribute("aria-invalid"),
             described: ids.map((id) => document.getElementById(id)?.innerText || ""),
             name_invalid: document.querySelector("[name='a.name']").getAttribute("aria-invalid") };
  });
  await page.getByRole("region", { name: "Intake form" }).getByLabel("Your preferred name (required)").fill("Jo");
  await page.getByRole("region", { name: "Intake form" }).getByLabel("How many children live with you?").fill("2");
  pages.push({ step: "submitted one", ...(await press(page, "Submit Intake form")) });
  await page.getByRole("region", { name: "Consent form" }).getByLabel("Yes").check();
  pages.push({ step: "submitted all", ...(await press(page, "Submit Consent form")) });
  pages.push(await opened(page, url, "opened again"));
  return { pages, kept, error };
}

const options = args("task_page_flow.mjs --url URL [--chromium PATH]");
await onPhone(options.chromium, (page) => flow(page, options.url));
