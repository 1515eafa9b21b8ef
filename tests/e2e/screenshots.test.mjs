// Screenshots of every screen of the quiz on the demo page, for people to look at: intro,
// question, feedback, results, review and error, each at desktop size (1280×800) and 320 px
// wide, in the light and the dark colour scheme, written to tests/e2e/screenshots/ as
// <screen>-<width>-<scheme>.png (full page). At 320 px every screen must fit without horizontal
// scrolling (document.documentElement.scrollWidth <= 320, WCAG 1.4.10 reflow).

import assert from "node:assert/strict";
import { mkdirSync } from "node:fs";
import { after, before, test } from "node:test";

import {
  act,
  answerByMouse,
  colorScheme,
  demoUrl,
  finishByMouse,
  HOOK_TIMEOUT,
  launchBrowser,
  problems,
  SCREENSHOTS,
  startTestServer,
  waitForState,
  watch,
} from "./support.mjs";

const SIZES = [
  { name: "1280", width: 1280, height: 800 },
  { name: "320", width: 320, height: 640 },
];
const SCHEMES = ["light", "dark"];
const BANKS = ["cybersecurity", "regulation"];

let server;
let browser;

before(async () => {
  mkdirSync(SCREENSHOTS, { recursive: true });
  server = await startTestServer();
  browser = await launchBrowser();
}, { timeout: HOOK_TIMEOUT });

after(async () => {
  await browser?.close();
  await server?.close();
}, { timeout: HOOK_TIMEOUT });

/**
 * Shoots the current screen in every size and scheme. At 320 px, returns what scrolls sideways
 * (the page's scrollWidth, the quiz's right edge) so the caller asserts after all the shots.
 */
async function shoot(page, screen, written) {
  const overflows = [];
  for (const size of SIZES) {
    await page.setViewportSize({ width: size.width, height: size.height });
    for (const scheme of SCHEMES) {
      await colorScheme(page, scheme);
      if (size.width === 320) {
        const widths = await page.evaluate(() => ({
          document: document.documentElement.scrollWidth,
          quiz: document.querySelector("skillcat-quiz").getBoundingClientRect().right,
        }));
        if (widths.document > 320) overflows.push(`${screen}, ${scheme}, 320 px: the page scrolls sideways (scrollWidth ${widths.document})`);
        if (widths.quiz > 320) overflows.push(`${screen}, ${scheme}, 320 px: the quiz is wider than the viewport (right edge ${widths.quiz})`);
      }
      const path = `${SCREENSHOTS}${screen}-${size.name}-${scheme}.png`;
      await page.screenshot({ path, fullPage: true, animations: "disabled" });
      written.push(path);
    }
  }
  return overflows;
}

test("screenshots of every screen at 1280 and 320 px, light and dark; no horizontal scroll at 320 px", { timeout: 180_000 }, async (t) => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  const log = await watch(page);
  const written = [];

  await page.goto(demoUrl(server, { banks: BANKS, mode: "practice", max: 5 }));
  assert.equal(await waitForState(page, ["intro", "error"]), "intro");
  assert.deepEqual(await shoot(page, "intro", written), [], "intro: no horizontal scroll at 320 px");

  await act(page, "start");
  assert.equal(await waitForState(page, ["question"]), "question");
  const first = await page.locator('skillcat-quiz [data-screen="question"]').getAttribute("data-item");
  assert.deepEqual(await shoot(page, "question", written), [], "question: no horizontal scroll at 320 px");

  await answerByMouse(page, 1);
  assert.equal(await waitForState(page, ["feedback"]), "feedback");
  assert.deepEqual(await shoot(page, "feedback", written), [], "feedback: no horizontal scroll at 320 px");

  await act(page, "next");
  await waitForState(page, ["question"], { notItem: first });
  await finishByMouse(page, { mode: "practice" });
  await page.locator('skillcat-quiz [part~="chart"]').first().waitFor({ state: "visible" });
  assert.deepEqual(await shoot(page, "results", written), [], "results: no horizontal scroll at 320 px");

  await act(page, "review");
  assert.equal(await waitForState(page, ["review"]), "review");
  assert.deepEqual(await shoot(page, "review", written), [], "review: no horizontal scroll at 320 px");
  assert.deepEqual(problems(log), [], "no console errors, page errors or failed requests");

  // The error screen: one of the two bank files answers 404.
  await page.route("**/quizbanks/regulation.json", (route) => route.fulfill({ status: 404, contentType: "text/plain", body: "Not found\n" }));
  await page.evaluate(() => localStorage.clear());
  await page.goto(demoUrl(server, { banks: BANKS, mode: "practice", max: 5 }));
  assert.equal(await waitForState(page, ["intro", "error"]), "error");
  const errorOverflows = await shoot(page, "error", written);
  assert.equal(written.length, 6 * SIZES.length * SCHEMES.length);
  await context.close();

  // Load errors carry a URL; it must wrap rather than push the page sideways at 320 px.
  await t.test("error screen: no horizontal scroll at 320 px", () => {
    assert.deepEqual(errorOverflows, [], "error: no horizontal scroll at 320 px");
  });
});
