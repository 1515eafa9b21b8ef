// Reload chaos, standalone mode (issue 14 part 7, first slice: no LMS yet). A learner takes
// practice quizzes while the page is reloaded at random moments: on a question, right after
// Submit is clicked (before its feedback is known to be on screen), on the feedback, and on the
// results. After every reload the quiz must come back where it was, and at the end of each
// attempt the review must list every answer whose feedback the learner saw, once, in order.
// An answer cut off by a reload right after Submit may be kept (its feedback shows again) or
// not (its question shows again, to be answered); it must never be lost after its feedback
// showed, nor kept twice.
//
// CHAOS_EVENTS (default 40) reloads, CHAOS_SEED (default: the time) picks the moments; the seed
// is printed so that a failure can be replayed. `make chaos` runs 200.

import assert from "node:assert/strict";
import { after, before, test } from "node:test";

import {
  act,
  answerByMouse,
  currentQuestion,
  demoUrl,
  HOOK_TIMEOUT,
  launchBrowser,
  reviewEntries,
  startTestServer,
  waitForState,
} from "../e2e/support.mjs";

const EVENTS = Number(process.env.CHAOS_EVENTS) || 40;
const SEED = Number(process.env.CHAOS_SEED) || Date.now() % 1_000_000;
const MOMENTS = ["question", "submitting", "feedback", "results"];

/** A small seeded generator (mulberry32), so a run can be replayed from its seed. */
function generator(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

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

test(`${EVENTS} reloads at random moments lose no answer and keep none twice (seed ${SEED})`, { timeout: 60_000 + EVENTS * 15_000 }, async () => {
  console.log(`chaos seed ${SEED}, ${EVENTS} reloads`);
  const random = generator(SEED);
  const context = await browser.newContext();
  const page = await context.newPage();
  const url = demoUrl(server, { banks: ["cybersecurity", "regulation"], mode: "practice", max: 4 });
  await page.goto(url);
  let reloads = 0;
  const counts = Object.fromEntries(MOMENTS.map((m) => [m, 0]));
  let attempts = 0;
  while (reloads < EVENTS) {
    // A new attempt, from the intro.
    assert.equal(await waitForState(page, ["intro"]), "intro");
    await act(page, "start");
    attempts += 1;
    /** Answers whose feedback the learner saw, in order. */
    const seen = [];
    let state = await waitForState(page, ["question", "feedback", "results"]);
    while (state !== "results") {
      const moment = MOMENTS[Math.floor(random() * (MOMENTS.length - 1))];
      const chaos = reloads < EVENTS && random() < 0.5;
      if (state === "feedback") {
        // Back on a feedback screen after a reload cut Submit short: the answer was kept.
        const item = await page.evaluate(() => document.querySelector("skillcat-quiz").shadowRoot.querySelector('[data-screen="feedback"]')?.dataset.item);
        if (item && seen.at(-1)?.item !== item) seen.push({ item, chosen: null });
        await act(page, "next");
        state = await waitForState(page, ["question", "results"], { notItem: item ?? null });
        continue;
      }
      const q = await currentQuestion(page);
      if (chaos && moment === "question") {
        await page.reload();
        reloads += 1;
        counts.question += 1;
        assert.equal(await waitForState(page, ["question"]), "question", "a reload on a question resumes on a question");
        assert.equal((await currentQuestion(page)).item, q.item, "the same question after the reload");
        continue;
      }
      const chosen = await answerByMouse(page, seen.length);
      if (chaos && moment === "submitting") {
        await page.reload();
        reloads += 1;
        counts.submitting += 1;
        state = await waitForState(page, ["question", "feedback"]);
        if (state === "question") {
          assert.equal((await currentQuestion(page)).item, q.item, "an answer cut off by the reload leaves its question on screen");
        }
        continue;
      }
      assert.equal(await waitForState(page, ["feedback"]), "feedback");
      seen.push({ item: q.item, chosen });
      if (chaos && moment === "feedback") {
        await page.reload();
        reloads += 1;
        counts.feedback += 1;
        assert.equal(await waitForState(page, ["feedback"]), "feedback", "a reload on feedback shows the feedback again");
      }
      await act(page, "next");
      state = await waitForState(page, ["question", "results"], { notItem: q.item });
    }
    if (reloads < EVENTS && random() < 0.5) {
      await page.reload();
      reloads += 1;
      counts.results += 1;
      assert.equal(await waitForState(page, ["results"]), "results", "a reload on the results shows them again");
    }
    await act(page, "review");
    assert.equal(await waitForState(page, ["review"]), "review");
    const entries = await reviewEntries(page);
    assert.deepEqual(
      entries.map((e) => e.item),
      seen.map((s) => s.item),
      `attempt ${attempts}: the review lists every answer whose feedback showed, once, in order`,
    );
    for (const [i, s] of seen.entries()) {
      if (s.chosen) assert.deepEqual(entries[i].chosen, s.chosen, `attempt ${attempts}, answer ${i + 1}: the choice is kept`);
    }
    // The next attempt starts over from here (the toolbar's Start over, confirmed).
    await act(page, "start-over");
    await act(page, "confirm-start-over");
  }
  console.log(`chaos: ${reloads} reloads in ${attempts} attempts (${MOMENTS.map((m) => `${m} ${counts[m]}`).join(", ")})`);
  await context.close();
});
