// axe-core (tests/node_modules/axe-core) finds no `serious` or `critical` accessibility
// violation on any screen of the quiz, in the light and in the dark colour scheme, on the demo
// page: intro, question, question with the "choose an answer" error, feedback, question after a
// reload (with the "welcome back" notice), results (with every <details> open), the Start over
// confirmation, review, and the error screen (a bank file answering 404); and a quiz whose LMS
// is missing (the "not recorded" notice) with a pass mark on its results. axe sees inside the
// quiz's open shadow root; the test checks that it did. Moderate and minor findings are printed
// as diagnostics, not failures.

import assert from "node:assert/strict";
import { after, before, test } from "node:test";

import {
  act,
  answerByMouse,
  audit,
  colorScheme,
  demoUrl,
  finishByMouse,
  HOOK_TIMEOUT,
  hostUrl,
  launchBrowser,
  startTestServer,
  waitForState,
  watch,
} from "./support.mjs";

let server;
let browser;

before(async () => {
  server = await startTestServer();
  browser = await launchBrowser();
}, { timeout: HOOK_TIMEOUT });

after(async () => {
  await browser?.close();
  await server?.close();
}, { timeout: HOOK_TIMEOUT });

async function check(t, page, scheme, screen, findings) {
  const { violations, sawShadow } = await audit(page);
  assert.ok(sawShadow, `${scheme} ${screen}: axe checked nodes inside the shadow root`);
  const serious = violations.filter((v) => v.impact === "serious" || v.impact === "critical");
  for (const v of violations.filter((x) => !serious.includes(x))) {
    t.diagnostic(`${scheme} ${screen}: ${v.impact} ${v.id} (${v.help}) at ${v.nodes.map((n) => n.target).join(", ")}`);
  }
  findings.push(...serious.map((v) => `${scheme} ${screen}: ${v.impact} ${v.id} (${v.help}) at ${v.nodes.map((n) => `${n.target}: ${n.summary}`).join("; ")}`));
}

for (const scheme of ["light", "dark"]) {
  test(`axe: no serious or critical violation on any screen, ${scheme} colour scheme`, { timeout: 120_000 }, async (t) => {
    const context = await browser.newContext({ viewport: { width: 1024, height: 800 } });
    const page = await context.newPage();
    await colorScheme(page, scheme);
    await watch(page);
    const findings = [];

    await page.goto(demoUrl(server, { banks: ["cybersecurity", "regulation"], mode: "practice", max: 5 }));
    assert.equal(await waitForState(page, ["intro", "error"]), "intro");
    await check(t, page, scheme, "intro", findings);

    await act(page, "start");
    assert.equal(await waitForState(page, ["question"]), "question");
    await check(t, page, scheme, "question", findings);

    await act(page, "submit"); // nothing chosen: the form says why
    await page.locator('skillcat-quiz [part~="error"]').waitFor({ state: "visible" });
    await check(t, page, scheme, "question with its error", findings);

    const first = await page.locator('skillcat-quiz [data-screen="question"]').getAttribute("data-item");
    await answerByMouse(page, 1);
    assert.equal(await waitForState(page, ["feedback"]), "feedback");
    await check(t, page, scheme, "feedback", findings);

    await act(page, "next");
    await waitForState(page, ["question"], { notItem: first });
    await page.reload();
    assert.equal(await waitForState(page, ["question"]), "question");
    await page.locator('skillcat-quiz [data-notice="resumed"]').waitFor({ state: "visible" });
    await check(t, page, scheme, "question after a reload, with the resumed notice", findings);

    await finishByMouse(page, { mode: "practice" });
    await page.evaluate(() => {
      for (const d of document.querySelector("skillcat-quiz").shadowRoot.querySelectorAll("details")) d.open = true;
    });
    await check(t, page, scheme, "results (details open)", findings);

    await act(page, "start-over");
    await page.locator('skillcat-quiz [part~="confirm"]').waitFor({ state: "visible" });
    await check(t, page, scheme, "Start over confirmation", findings);
    await act(page, "cancel-start-over");

    await act(page, "review");
    assert.equal(await waitForState(page, ["review"]), "review");
    await check(t, page, scheme, "review", findings);

    // The error screen: a bank file that the server does not have.
    await page.route("**/quizbanks/regulation.json", (route) => route.fulfill({ status: 404, contentType: "text/plain", body: "Not found\n" }));
    await page.evaluate(() => localStorage.clear());
    await page.goto(demoUrl(server, { banks: ["cybersecurity", "regulation"], mode: "practice", max: 5 }));
    assert.equal(await waitForState(page, ["intro", "error"]), "error");
    await check(t, page, scheme, "error", findings);

    assert.deepEqual(findings, [], "no serious or critical violations");
    await context.close();
  });
}

for (const scheme of ["light", "dark"]) {
  test(`axe: the LMS notice and the pass mark on the results, ${scheme} colour scheme`, { timeout: 120_000 }, async (t) => {
    const context = await browser.newContext({ viewport: { width: 1024, height: 800 } });
    const page = await context.newPage();
    await colorScheme(page, scheme);
    await watch(page);
    const findings = [];
    await page.goto(hostUrl(server, { banks: "cloud", mode: "practice", "max-items": "2", lms: "scorm12", "mastery-score": "50" }));
    assert.equal(await waitForState(page, ["intro", "error"]), "intro");
    await page.locator('skillcat-quiz [data-notice="lms-unavailable"]').waitFor({ state: "visible" });
    await check(t, page, scheme, "intro with the LMS notice", findings);
    await act(page, "start");
    await finishByMouse(page, { mode: "practice" });
    await page.locator('skillcat-quiz [part~="outcome"]').waitFor({ state: "visible" });
    await check(t, page, scheme, "results with the pass mark", findings);
    assert.deepEqual(findings, [], "no serious or critical violations");
    await context.close();
  });
}
