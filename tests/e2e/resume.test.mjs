// Progress survives a reload, and a browser that refuses storage still gets a working quiz:
// - after 3 answers, with question 4 on screen, a reload resumes at that same question (same
//   item, same position) with the "welcome back" notice; after finishing, the review lists all
//   the answers given before and after the reload, in order (none lost);
// - when localStorage throws on access, or throws on every write, the quiz still runs to the
//   results and shows the in-memory notice (progress will not survive a reload).

import assert from "node:assert/strict";
import { after, before, test } from "node:test";

import {
  act,
  answerByMouse,
  currentQuestion,
  demoUrl,
  events,
  finishByMouse,
  HOOK_TIMEOUT,
  launchBrowser,
  problems,
  reviewEntries,
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

function notices(page) {
  return page.evaluate(() =>
    [...document.querySelector("skillcat-quiz").shadowRoot.querySelectorAll('[part~="notices"] [data-notice]')].map((n) => ({
      name: n.dataset.notice,
      text: n.textContent,
      visible: n.checkVisibility(),
    })),
  );
}

test("a reload after 3 answers resumes at the same question, and the review keeps every answer", { timeout: 120_000 }, async () => {
  const context = await browser.newContext({ viewport: { width: 1024, height: 800 } });
  const page = await context.newPage();
  const log = await watch(page);
  await page.goto(demoUrl(server, { banks: ["cybersecurity", "regulation"], mode: "practice", max: 5 }));
  assert.equal(await waitForState(page, ["intro", "error"]), "intro");
  await act(page, "start");

  const earlier = [];
  for (let n = 1; n <= 3; n += 1) {
    assert.equal(await waitForState(page, ["question"], { notItem: earlier.at(-1)?.item ?? null }), "question");
    const q = await currentQuestion(page);
    earlier.push({ item: q.item, chosen: await answerByMouse(page, n) });
    assert.equal(await waitForState(page, ["feedback"]), "feedback");
    await act(page, "next");
  }
  assert.equal(await waitForState(page, ["question"], { notItem: earlier.at(-1).item }), "question");
  const shown = await currentQuestion(page);
  assert.equal(shown.position, 4);
  const savedKeys = await page.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith("skillcat:")));
  assert.equal(savedKeys.length, 1, `one saved session in localStorage, found ${savedKeys.join(", ")}`);

  await page.reload();
  assert.equal(await waitForState(page, ["question", "intro", "error"]), "question", "the reloaded page resumes on a question");
  const resumed = await currentQuestion(page);
  assert.deepEqual(
    { item: resumed.item, position: resumed.position, heading: resumed.heading },
    { item: shown.item, position: shown.position, heading: shown.heading },
    "the same question as before the reload",
  );
  const [ready] = await events(page, "skillcat:ready");
  assert.equal(ready.detail.resumed, true);
  assert.deepEqual(await notices(page), [
    { name: "resumed", text: "Welcome back: continuing where you left off, after 3 answers.", visible: true },
  ]);

  const rest = await finishByMouse(page, { mode: "practice" });
  assert.equal(earlier.length + rest.length, 10, "5 questions per domain in all");
  await act(page, "review");
  assert.equal(await waitForState(page, ["review"]), "review");
  const entries = await reviewEntries(page);
  assert.deepEqual(
    entries.map((e) => ({ item: e.item, chosen: e.chosen })),
    [...earlier, ...rest],
    "the review lists every answer given before and after the reload",
  );
  assert.deepEqual(problems(log), [], "no console errors, page errors or failed requests");
  await context.close();
});

test("a reload while practice feedback is on screen shows that feedback again; Next goes on", { timeout: 120_000 }, async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  const log = await watch(page);
  await page.goto(demoUrl(server, { banks: ["cloud"], mode: "practice", max: 5 }));
  assert.equal(await waitForState(page, ["intro", "error"]), "intro");
  await act(page, "start");
  assert.equal(await waitForState(page, ["question"]), "question");
  const first = await currentQuestion(page);
  await answerByMouse(page, 1);
  assert.equal(await waitForState(page, ["feedback"]), "feedback");
  const feedback = () =>
    page.evaluate(() => {
      const screen = document.querySelector("skillcat-quiz").shadowRoot.querySelector('[data-screen="feedback"]');
      return { item: screen.dataset.item, correct: screen.dataset.correct, text: screen.textContent };
    });
  const before = await feedback();
  assert.equal(before.item, first.item);

  await page.reload();
  assert.equal(await waitForState(page, ["feedback", "question", "intro"]), "feedback", "the feedback, not the next question");
  assert.deepEqual(await feedback(), before, "the same feedback: verdict, options, explanation, sources");
  await act(page, "next");
  assert.equal(await waitForState(page, ["question"]), "question");
  assert.equal((await currentQuestion(page)).position, 2);
  await page.reload();
  assert.equal(await waitForState(page, ["question", "feedback"]), "question", "after Next, a reload shows the question");
  assert.deepEqual(problems(log), []);
  await context.close();
});

test("a page that starts over from skillcat:completed gets a clean intro, in both modes", { timeout: 120_000 }, async () => {
  for (const mode of ["practice", "assessment"]) {
    const context = await browser.newContext();
    const page = await context.newPage();
    const log = await watch(page);
    await page.addInitScript(() => {
      document.addEventListener("skillcat:completed", (event) => event.target.startOver());
    });
    await page.goto(demoUrl(server, { banks: ["cloud"], mode, max: 5 }));
    assert.equal(await waitForState(page, ["intro", "error"]), "intro");
    await act(page, "start");
    for (let state = await waitForState(page, ["question", "intro"]); state === "question"; ) {
      const q = await currentQuestion(page);
      await answerByMouse(page, 0);
      state = await waitForState(page, ["question", "feedback", "intro"], { notItem: q.item });
      if (state === "feedback") {
        await act(page, "next");
        state = await waitForState(page, ["question", "intro"], { notItem: q.item });
      }
    }
    assert.equal(await waitForState(page, ["intro"]), "intro", `${mode}: the intro, not a screen of the dropped test`);
    await act(page, "start");
    assert.equal(await waitForState(page, ["question"]), "question", `${mode}: a new test starts`);
    assert.deepEqual(problems(log), [], `${mode}: no errors`);
    await context.close();
  }
});

/** Makes `localStorage` throw on access (as a sandboxed or storage-blocked frame does). */
function storageThrowsOnAccess() {
  const refuse = {
    configurable: true,
    get() {
      throw new DOMException("The user denied access to storage (test).", "SecurityError");
    },
  };
  Object.defineProperty(window, "localStorage", refuse);
  try {
    Object.defineProperty(Window.prototype, "localStorage", refuse);
  } catch {
    // not an accessor on the prototype in this browser: the own property above is enough
  }
}

/** Makes every write to `localStorage` throw (a full quota or a read-only store). */
function storageThrowsOnWrite() {
  Storage.prototype.setItem = function setItem() {
    throw new DOMException("The quota has been exceeded (test).", "QuotaExceededError");
  };
}

for (const [name, script, check] of [
  ["on access", storageThrowsOnAccess, () => { try { void window.localStorage; return false; } catch { return true; } }],
  ["on every write", storageThrowsOnWrite, () => { try { localStorage.setItem("probe", "1"); return false; } catch { return true; } }],
]) {
  test(`localStorage that throws ${name}: the quiz runs to the results and shows the in-memory notice`, { timeout: 120_000 }, async () => {
    const context = await browser.newContext({ viewport: { width: 1024, height: 800 } });
    const page = await context.newPage();
    const log = await watch(page);
    await page.addInitScript(script);
    await page.goto(demoUrl(server, { banks: ["cybersecurity"], mode: "practice", max: 5 }));
    assert.equal(await page.evaluate(check), true, "the page's localStorage really throws");

    assert.equal(await waitForState(page, ["intro", "error"]), "intro", "the quiz loads");
    const memoryOnly = {
      name: "memory-only",
      text: "Your browser is not letting this page store data, so your progress will not survive a reload.",
      visible: true,
    };
    assert.deepEqual(await notices(page), [memoryOnly], "the in-memory notice is shown from the start");
    const [ready] = await events(page, "skillcat:ready");
    assert.equal(ready.detail.persistent, false);

    await act(page, "start");
    const answers = await finishByMouse(page, { mode: "practice" });
    assert.equal(answers.length, 5);
    assert.equal(await waitForState(page, ["results"]), "results", "the quiz reaches its results");
    assert.deepEqual(await notices(page), [memoryOnly], "the notice stays");
    assert.equal((await events(page, "skillcat:completed")).length, 1);
    assert.deepEqual(problems(log), [], "no console errors, page errors or failed requests");
    await context.close();
  });
}
