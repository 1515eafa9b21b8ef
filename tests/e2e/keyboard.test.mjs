// A learner takes a whole quiz with the keyboard alone (Tab, Space, arrow keys, Enter), from
// the quiz's intro to its results and review, on two banks at once with at most 5 questions per
// domain, in practice mode and in assessment mode, on the demo page:
// - the questions come from the two domains (in the order the bundled profile's adaptive test
//   chooses), 5 scored per domain;
// - focus moves to each new question's heading (and to the feedback, results and review
//   headings);
// - practice mode shows correctness and feedback after every answer; assessment mode shows
//   none of it before the results, and its review after the end shows the keys;
// - the results show one profile chart per domain;
// - the page logs no console error, throws no page error and has no failed request.

import assert from "node:assert/strict";
import { after, before, test } from "node:test";

import {
  activeElement,
  answerByKeyboard,
  currentQuestion,
  demoUrl,
  events,
  HOOK_TIMEOUT,
  launchBrowser,
  problems,
  quizState,
  reviewEntries,
  startTestServer,
  tabTo,
  waitForState,
  watch,
} from "./support.mjs";

const BANKS = ["cybersecurity", "regulation"];
const MAX = 5;
const TOTAL = BANKS.length * MAX; // the banks have no pretest items, and min length = max length

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

/** What the quiz shows that would give away correctness (none of it before the end in assessment mode). */
function revealed(page) {
  return page.evaluate(() => {
    const root = document.querySelector("skillcat-quiz").shadowRoot;
    const found = [];
    for (const selector of ['[part~="verdict"]', "[data-correct]", '[part~="option-feedback"]', '[part~="explanation"]', '[part~="mark-key"]', '[part~="option-results"]', "[data-key]"]) {
      if (root.querySelector(selector)) found.push(selector);
    }
    const status = root.querySelector('[part~="status"]').textContent.trim();
    if (status === "Correct" || status === "Incorrect") found.push(`status "${status}"`);
    return found;
  });
}

/** Records every screen the container shows (its data-state), from now on. */
function recordStates(page) {
  return page.evaluate(() => {
    const container = document.querySelector("skillcat-quiz").shadowRoot.querySelector('[part~="container"]');
    window.__states = [container.dataset.state];
    new MutationObserver(() => window.__states.push(container.dataset.state)).observe(container, {
      attributes: true,
      attributeFilter: ["data-state"],
    });
  });
}

async function takeQuiz(mode) {
  const context = await browser.newContext({ viewport: { width: 1024, height: 800 } });
  const page = await context.newPage();
  const log = await watch(page);
  await page.goto(demoUrl(server, { banks: BANKS, mode, max: MAX }));

  // The intro: both domains, the mode, then Start by keyboard.
  assert.equal(await waitForState(page, ["intro", "error"]), "intro", "the quiz loads without an error");
  await recordStates(page);
  const intro = await page.evaluate(() => {
    const root = document.querySelector("skillcat-quiz").shadowRoot;
    return {
      domains: [...root.querySelectorAll('[part~="domain"]')].map((d) => d.dataset.domain),
      mode: root.querySelector('[data-fact="mode"]').dataset.mode,
      length: root.querySelector('[data-fact="length"]').textContent,
    };
  });
  assert.deepEqual(intro.domains, BANKS);
  assert.equal(intro.mode, mode);
  assert.match(intro.length, new RegExp(`^Up to ${TOTAL} questions`));
  const [ready] = await events(page, "skillcat:ready");
  const titles = new Map(ready.detail.banks.map((b) => [b.id, b.title]));
  await tabTo(page, (a) => a.action === "start", "the quiz's Start button");
  await page.keyboard.press("Enter");

  const given = [];
  let state = await waitForState(page, ["question", "results"]);
  while (state === "question") {
    const n = given.length + 1;
    assert.ok(n <= TOTAL, `at most ${TOTAL} questions`);
    const heading = await activeElement(page);
    assert.ok(heading.focusTarget && heading.screen === "question" && heading.part.includes("progress"), `focus moves to question ${n}'s heading, found ${JSON.stringify(heading)}`);
    assert.equal(heading.text, `Question ${n} of up to ${TOTAL}`);
    const q = await currentQuestion(page);
    assert.equal(q.position, n);
    const domain = BANKS.find((id) => q.label.startsWith(titles.get(id)));
    assert.ok(domain, `question ${n} comes from one of the domains, label "${q.label}"`);
    if (mode === "assessment") assert.deepEqual(await revealed(page), [], `nothing about correctness on question ${n}`);

    const chosen = await answerByKeyboard(page, { shift: n });
    given.push({ item: q.item, chosen, domain });

    if (mode === "practice") {
      assert.equal(await waitForState(page, ["feedback"]), "feedback");
      const verdict = await activeElement(page);
      assert.ok(verdict.focusTarget && verdict.screen === "feedback", "focus moves to the feedback heading");
      assert.match(verdict.text, /^(Correct|Incorrect)$/);
      const feedback = await page.evaluate(() => {
        const root = document.querySelector("skillcat-quiz").shadowRoot;
        const screen = root.querySelector('[data-screen="feedback"]');
        return {
          item: screen.dataset.item,
          correct: screen.dataset.correct,
          keys: screen.querySelectorAll('[part~="option-key"]').length,
          chosen: [...screen.querySelectorAll('[part~="option-result"][data-chosen="true"]')].map((r) => Number(r.dataset.optionIndex)),
          explanation: Boolean(screen.querySelector('[part~="explanation"]')),
        };
      });
      assert.equal(feedback.item, q.item);
      assert.ok(feedback.keys >= 1, "practice feedback marks the key");
      assert.deepEqual(feedback.chosen, chosen, "practice feedback marks the learner's answer");
      assert.equal(feedback.correct, verdict.text === "Correct" ? "true" : "false");
      assert.ok(feedback.explanation, "practice feedback shows the explanation");
      await tabTo(page, (a) => a.action === "next", "the Next button");
      await page.keyboard.press("Enter");
    } else {
      const now = await waitForState(page, ["question", "results", "feedback"], { notItem: q.item });
      assert.notEqual(now, "feedback", "assessment mode shows no feedback screen");
      if (now === "question") assert.deepEqual(await revealed(page), [], `nothing about correctness after answer ${n}`);
    }
    state = await waitForState(page, ["question", "results"], { notItem: q.item });
  }
  assert.equal(given.length, TOTAL, `${MAX} questions per domain, ${TOTAL} in all`);

  // Results: focus on the heading; one chart per domain.
  const heading = await activeElement(page);
  assert.ok(heading.focusTarget && heading.screen === "results", "focus moves to the results heading");
  assert.equal(heading.text, "Your results");
  const results = await page.evaluate(() => {
    const root = document.querySelector("skillcat-quiz").shadowRoot;
    return {
      sections: [...root.querySelectorAll('[part~="domain-result"]')].map((s) => s.dataset.domain),
      charts: [...root.querySelectorAll('[part~="chart"]')].map((c) => ({
        domain: c.dataset.domain,
        role: c.querySelector('[part~="chart-svg"]')?.getAttribute("role") ?? null,
        theta: c.querySelector('[part~="chart-svg"]')?.dataset.theta ?? null,
      })),
    };
  });
  assert.deepEqual(results.sections, BANKS);
  assert.deepEqual(results.charts.map((c) => c.domain), BANKS, "one chart per domain");
  assert.ok(results.charts.every((c) => c.role === "img" && Number.isFinite(Number(c.theta))), "each chart is an image with its estimate");

  // The events: one per answer, in the domains shown, MAX per domain, correctness only in practice mode.
  const answered = await events(page, "skillcat:answered");
  assert.deepEqual(answered.map((e) => e.detail.item), given.map((g) => g.item));
  assert.deepEqual(answered.map((e) => e.detail.answer), given.map((g) => g.chosen), "the engine recorded the answers given");
  assert.deepEqual(answered.map((e) => e.detail.domain), given.map((g) => g.domain), "each answer's domain as shown");
  for (const id of BANKS) assert.equal(given.filter((g) => g.domain === id).length, MAX, `${MAX} questions from ${id}`);
  if (mode === "practice") assert.ok(answered.every((e) => typeof e.detail.correct === "boolean"));
  else assert.ok(answered.every((e) => !("correct" in e.detail)), "assessment events carry no correctness");
  const [completed] = await events(page, "skillcat:completed");
  assert.equal(completed.detail.report.finished, true);
  assert.deepEqual(completed.detail.report.domains.map((d) => [d.domain, d.answered]), BANKS.map((b) => [b, MAX]));

  // The review: every answer, with the keys, also in assessment mode once finished.
  await tabTo(page, (a) => a.action === "review", "the Review button");
  await page.keyboard.press("Enter");
  assert.equal(await waitForState(page, ["review"]), "review");
  const reviewHeading = await activeElement(page);
  assert.ok(reviewHeading.focusTarget && reviewHeading.screen === "review", "focus moves to the review heading");
  const entries = await reviewEntries(page);
  assert.deepEqual(entries.map((e) => ({ item: e.item, chosen: e.chosen })), given.map(({ item, chosen }) => ({ item, chosen })), "the review lists every answer given, in order");
  for (const entry of entries) {
    assert.ok(entry.key.length >= 1 && entry.keyMarks === entry.key.length, `the review shows ${entry.item}'s key`);
    assert.ok(entry.correct === "true" || entry.correct === "false", `the review shows whether ${entry.item} was right`);
  }
  await tabTo(page, (a) => a.action === "back", "the Back button");
  await page.keyboard.press("Enter");
  assert.equal(await waitForState(page, ["results"]), "results");
  assert.ok((await activeElement(page)).focusTarget, "focus returns to the results heading");

  const states = await page.evaluate(() => window.__states);
  if (mode === "assessment") assert.ok(!states.includes("feedback"), `assessment mode never shows feedback: ${states.join(" ")}`);
  else assert.equal(states.filter((s) => s === "feedback").length, TOTAL, "practice mode shows feedback after every answer");
  assert.equal(await quizState(page), "results");
  assert.deepEqual(problems(log), [], "no console errors, page errors or failed requests");
  await context.close();
}

test("practice mode: a whole two-bank quiz by keyboard alone, feedback after each answer", { timeout: 120_000 }, async () => {
  await takeQuiz("practice");
});

test("assessment mode: a whole two-bank quiz by keyboard alone, nothing revealed before the results, keys in the review", { timeout: 120_000 }, async () => {
  await takeQuiz("assessment");
});
