// End-to-end smoke test in real headless Chromium: a learner opens the demo page, chooses one
// bank, and takes a whole practice quiz with the keyboard alone (Tab, Space, arrow keys, Enter)
// to the results screen, which must show the profile chart; the page must log no console error
// and throw no page error. Needs `make wasm` (www/pkg) and Debian's chromium.

import assert from "node:assert/strict";
import { after, before, test } from "node:test";

import { startServer } from "../../www/serve.mjs";
import { HOOK_TIMEOUT, launchBrowser } from "./support.mjs";

/** Most Tab presses allowed to reach a control; a focus trap or a lost focus fails fast. */
const MAX_TABS = 40;

let server;
let browser;

before(async () => {
  server = await startServer({ port: 0 });
  browser = await launchBrowser();
}, { timeout: HOOK_TIMEOUT });

after(async () => {
  await browser?.close();
  await server?.close();
}, { timeout: HOOK_TIMEOUT });

/** What has keyboard focus, looking through shadow roots. */
function activeElement(page) {
  return page.evaluate(() => {
    let el = document.activeElement;
    while (el?.shadowRoot?.activeElement) el = el.shadowRoot.activeElement;
    if (!el) return null;
    return {
      tag: el.localName,
      id: el.id || null,
      type: el.getAttribute("type"),
      value: "value" in el ? String(el.value) : null,
      checked: "checked" in el ? el.checked : null,
      action: el.dataset?.action ?? null,
      focusTarget: el.hasAttribute("data-focus"),
      screen: el.closest("[data-screen]")?.dataset.screen ?? null,
      text: (el.textContent ?? "").trim().slice(0, 100),
    };
  });
}

/** Presses Tab until `wanted(active)` holds, and returns the focused element's description. */
async function tabTo(page, wanted, what) {
  for (let i = 0; i < MAX_TABS; i += 1) {
    await page.keyboard.press("Tab");
    const active = await activeElement(page);
    if (active && wanted(active)) return active;
  }
  assert.fail(`Tab never reached ${what} within ${MAX_TABS} presses`);
}

/** The quiz's current screen (data-screen on its container). */
function quizScreen(page) {
  return page.evaluate(() => document.querySelector("skillcat-quiz")?.shadowRoot?.querySelector('[part~="container"]')?.dataset.state ?? null);
}

async function waitForScreen(page, names) {
  await page.waitForFunction(
    (wanted) => wanted.includes(document.querySelector("skillcat-quiz")?.shadowRoot?.querySelector('[part~="container"]')?.dataset.state),
    names,
    { timeout: 15_000 },
  );
  return quizScreen(page);
}

test("a learner takes a practice quiz on one bank by keyboard alone and sees the results chart", { timeout: 120_000 }, async () => {
  const context = await browser.newContext({ viewport: { width: 1024, height: 800 } });
  const page = await context.newPage();
  const problems = [];
  page.on("console", (message) => {
    if (message.type() === "error") problems.push(`console error: ${message.text()}`);
  });
  page.on("pageerror", (error) => problems.push(`page error: ${error.message}`));
  page.on("response", (response) => {
    if (response.status() >= 400) problems.push(`HTTP ${response.status()} for ${response.url()}`);
  });
  await page.addInitScript(() => {
    window.__skillcatEvents = [];
    for (const type of ["skillcat:ready", "skillcat:answered", "skillcat:completed", "skillcat:error"]) {
      document.addEventListener(type, (event) => window.__skillcatEvents.push({ type, detail: event.detail }));
    }
  });

  await page.goto(`${server.url}index.html`);
  // The domains are listed from the bank catalog once it has loaded.
  await page.locator('input[name="bank"][value="cybersecurity"]').waitFor();

  // The chooser: one domain, practice mode (the default), at most 5 questions.
  const box = await tabTo(page, (a) => a.tag === "input" && a.value === "cybersecurity", "the cybersecurity checkbox");
  assert.equal(box.checked, false);
  await page.keyboard.press("Space");
  assert.equal((await activeElement(page)).checked, true, "Space checks the domain");
  await tabTo(page, (a) => a.id === "max-items", "the length select");
  await page.keyboard.press("ArrowUp");
  await page.keyboard.press("ArrowUp");
  assert.equal((await activeElement(page)).value, "5", "arrow keys choose the length");
  await tabTo(page, (a) => a.tag === "button" && a.text === "Start the quiz", "the Start the quiz button");
  await page.keyboard.press("Enter");

  // The quiz's intro screen, then its Start button.
  assert.equal(await waitForScreen(page, ["intro", "error"]), "intro", "the quiz loads without an error");
  await tabTo(page, (a) => a.action === "start", "the quiz's Start button");
  await page.keyboard.press("Enter");

  let questions = 0;
  for (let screen = await waitForScreen(page, ["question", "results"]); screen === "question"; ) {
    questions += 1;
    assert.ok(questions <= 20, "the test ends");
    const heading = await activeElement(page);
    assert.ok(heading.focusTarget && heading.screen === "question", `focus moves to question ${questions}'s heading`);
    assert.match(heading.text, new RegExp(`^Question ${questions} of up to \\d+$`));

    const first = await tabTo(page, (a) => a.tag === "input", "the first option");
    if (first.type === "radio") {
      await page.keyboard.press("ArrowDown"); // moves to the second option and selects it
      const second = await activeElement(page);
      assert.equal(second.value, "1");
      assert.equal(second.checked, true, "an arrow key selects within the radio group");
    } else {
      await page.keyboard.press("Space");
      assert.equal((await activeElement(page)).checked, true, "Space checks a checkbox");
    }
    assert.equal(await quizScreen(page), "question", "choosing an option never submits");
    await tabTo(page, (a) => a.action === "submit", "the Submit button");
    await page.keyboard.press("Enter");

    assert.equal(await waitForScreen(page, ["feedback"]), "feedback");
    const verdict = await activeElement(page);
    assert.ok(verdict.focusTarget && verdict.screen === "feedback", "focus moves to the feedback heading");
    assert.match(verdict.text, /^(Correct|Incorrect)$/);
    const status = await page.evaluate(() => document.querySelector("skillcat-quiz").shadowRoot.querySelector('[role="status"]').textContent);
    assert.ok(["Correct", "Incorrect", ""].includes(status), `the live region carries the verdict, found "${status}"`);

    await tabTo(page, (a) => a.action === "next", "the Next button");
    await page.keyboard.press("Enter");
    screen = await waitForScreen(page, ["question", "results"]);
  }

  // Results: the heading has focus, the chart and its table are there.
  const heading = await activeElement(page);
  assert.ok(heading.focusTarget && heading.screen === "results", "focus moves to the results heading");
  const results = await page.evaluate(() => {
    const root = document.querySelector("skillcat-quiz").shadowRoot;
    const chart = root.querySelector('[part~="chart"][data-domain="cybersecurity"]');
    return {
      chart: Boolean(chart),
      svgRole: chart?.querySelector("svg")?.getAttribute("role") ?? null,
      svgName: chart?.querySelector("svg title")?.textContent ?? null,
      bands: [...(chart?.querySelectorAll(".band") ?? [])].map((band) => band.dataset.level),
      points: chart?.querySelectorAll(".estimate .point").length ?? 0,
      tableRows: chart?.querySelectorAll("table tbody tr").length ?? 0,
      level: root.querySelector('[part~="level"]')?.dataset.level ?? null,
      share: root.querySelector('[part~="share"]')?.textContent ?? "",
    };
  });
  assert.equal(results.chart, true, "the results show the profile chart");
  assert.equal(results.svgRole, "img");
  assert.equal(results.svgName, "Proficiency profile: Healthcare cybersecurity");
  assert.deepEqual(results.bands, ["Foundation", "Practitioner", "Advanced", "Expert"]);
  assert.equal(results.points, 1);
  assert.equal(results.tableRows, 4);

  const events = await page.evaluate(() => window.__skillcatEvents);
  const ready = events.filter((e) => e.type === "skillcat:ready");
  const answered = events.filter((e) => e.type === "skillcat:answered");
  const completed = events.filter((e) => e.type === "skillcat:completed");
  assert.equal(events.filter((e) => e.type === "skillcat:error").length, 0);
  assert.equal(ready.length, 1);
  assert.deepEqual(ready[0].detail.banks.map((b) => b.id), ["cybersecurity"]);
  assert.equal(answered.length, questions, "one skillcat:answered per question");
  assert.ok(answered.every((e) => typeof e.detail.correct === "boolean"), "practice mode reports correctness");
  assert.equal(completed.length, 1);
  const report = completed[0].detail.report;
  assert.equal(report.finished, true);
  assert.equal(report.review.length, questions);
  assert.equal(results.level, report.domains[0].level, "the level shown is the report's");
  assert.match(results.share, new RegExp(`^${report.domains[0].answered} questions answered, ${report.domains[0].correct} correct`));
  assert.ok(report.domains[0].answered >= 1 && report.domains[0].answered <= 5, "at most 5 scored questions");

  assert.deepEqual(problems, [], "no console errors, page errors or failed requests");
  await context.close();
});
