// The quiz reporting straight to an LRS (lms="xapi") in Chromium: a host page outside any LMS
// (fixtures/host.html with lms="xapi", lrs-endpoint, lrs-auth, lrs-actor and activity-id), and a
// real LRS on another origin, Learning Locker's statement service (real-lrs.mjs): the page talks
// to it directly, CORS preflights included. What the quiz sent (the bodies of its POSTs that
// the LRS accepted, as Chromium saw them) is compared with what the LRS returns through its
// xAPI query API, by agent and by activity (plain xAPI has no registration). Statement lists,
// as sent and as stored, are checked with xapi-rules.mjs (criterion 11 of §8c, and Learning
// Locker's maintained validator):
// - practice with mastery-score: answered per answer, then completed and passed (every answer
//   right) or failed (every answer wrong);
// - assessment without mastery-score: answered statements without correctResponsesPattern,
//   then completed only;
// - bad credentials: the LRS answers 401, the quiz still runs to its results, the page warns on
//   the console (no page error), and the answers are kept and resent, not lost. This one runs
//   against the tests' own LRS (lrs.mjs), which logs every refused request: the real one, in its
//   test authorization, accepts any credentials.

import assert from "node:assert/strict";
import { after, before, test } from "node:test";

import { startLrs } from "./lrs.mjs";
import { answerUntilDone, bankKeys } from "./packages.mjs";
import { differencesFromSent, startRealLrs } from "./real-lrs.mjs";
import { act, HOOK_TIMEOUT, hostUrl, launchBrowser, problems, startAll, startTestServer, waitForState, watch } from "./support.mjs";
import { validateStatements } from "./xapi-rules.mjs";

const KEYS = bankKeys("cybersecurity");

let server;
let browser;
/** Learning Locker's statement service: where every test but the 401 one sends. */
let realLrs;
/** The tests' own LRS (lrs.mjs), for the 401 test. */
let lrs;

before(async () => {
  [server, browser, realLrs, lrs] = await startAll([startTestServer, launchBrowser, startRealLrs, startLrs]);
}, { timeout: HOOK_TIMEOUT });

after(async () => {
  await browser?.close();
  await server?.close();
  await lrs?.close();
  await realLrs?.close();
}, { timeout: HOOK_TIMEOUT });

const verbs = (list) => list.map((s) => s.verb.id.split("/").pop());

/** A learner of its own per test, and the quiz attributes that send to the real LRS as them. */
function learner() {
  const actor = { objectType: "Agent", mbox: `mailto:learner-${crypto.randomUUID()}@example.org` };
  const attrs = { "lrs-endpoint": realLrs.endpoint, "lrs-auth": realLrs.authHeader, "lrs-actor": JSON.stringify(actor) };
  return { actor, attrs, agent: JSON.stringify({ mbox: actor.mbox }) };
}

/**
 * Opens the host page. `sent` collects, in order, the statements of every POST to the real LRS
 * that it accepted (HTTP 200), as Chromium sent them.
 */
async function open(context, attrs) {
  const page = await context.newPage();
  const log = await watch(page);
  const sent = [];
  page.on("response", (response) => {
    const request = response.request();
    if (request.method() !== "POST" || request.url() !== `${realLrs.endpoint}statements` || response.status() !== 200) return;
    for (const s of [request.postDataJSON()].flat()) if (!sent.some((x) => x.id === s.id)) sent.push(s);
  });
  await page.goto(hostUrl(server, { lms: "xapi", banks: "cybersecurity", "max-items": "5", seed: "5", ...attrs }));
  return { page, log, sent };
}

/** Resolves once `predicate()` holds, checked every 50 ms; rejects after 15 s. */
async function until(predicate, what) {
  const end = Date.now() + 15_000;
  while (!predicate()) {
    if (Date.now() > end) throw new Error(`timed out after 15000 ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/**
 * The real LRS holds exactly what the quiz sent as `actor`, found both by agent and by activity
 * (with related activities: answered statements name the quiz as their parent); the stored
 * statements pass the rules too.
 */
async function assertInRealLrs({ actor, agent }, activityId, sent) {
  const byAgent = await realLrs.query({ agent });
  assert.deepEqual(differencesFromSent(sent, byAgent), [], "the real LRS, queried by agent");
  const byActivity = await realLrs.query({ activity: activityId, related_activities: "true" });
  assert.deepEqual(differencesFromSent(sent, byActivity.filter((s) => s.actor.mbox === actor.mbox)), [], "the real LRS, queried by activity");
  assert.deepEqual(validateStatements(byAgent), []);
}

/** From the intro to the results; returns the items answered, in order. */
async function takeQuiz(page, { right, mode }) {
  assert.equal(await waitForState(page, ["intro", "error"]), "intro");
  await act(page, "start");
  const { items } = await answerUntilDone(page, KEYS, { right, mode });
  assert.ok(items.length >= 5, `${items.length} questions answered`);
  return items;
}

for (const right of [true, false]) {
  test(`practice with mastery-score, every answer ${right ? "right: passed" : "wrong: failed"}; valid statements`, { timeout: 120_000 }, async (t) => {
    const context = await browser.newContext();
    t.after(() => context.close());
    const who = learner();
    const activityId = `https://quiz.example/skills/cybersecurity/${crypto.randomUUID()}`;
    const { page, log, sent } = await open(context, { mode: "practice", "mastery-score": "50", ...who.attrs, "activity-id": activityId });
    const items = await takeQuiz(page, { right, mode: "practice" });
    const judged = right ? "passed" : "failed";
    await until(() => sent.some((s) => s.verb.id.endsWith(`/${judged}`)), `${judged} accepted by the real LRS`);
    const list = sent;
    assert.deepEqual(verbs(list), [...items.map(() => "answered"), "completed", judged]);
    assert.deepEqual(validateStatements(list), []);
    const answered = list.slice(0, items.length);
    assert.deepEqual(answered.map((s) => s.object.id), items.map((item) => `${activityId}/banks/cybersecurity/items/${item}`));
    for (const s of answered) {
      assert.equal(s.result.success, right);
      assert.deepEqual(s.result.score, { scaled: right ? 1 : 0, raw: right ? 1 : 0, min: 0, max: 1 });
      assert.equal(s.object.definition.correctResponsesPattern.length, 1, "practice mode records the key");
      assert.match(s.result.duration, /^PT/);
    }
    const [completed, verdict] = list.slice(-2);
    assert.equal(completed.result.completion, true);
    assert.equal(verdict.result.success, right);
    assert.equal(verdict.result.score.scaled >= 0.5, right);
    assert.deepEqual(problems(log), [], "no console errors, page errors or failed requests");
    assert.deepEqual(log.warnings, []);
    await assertInRealLrs(who, activityId, sent);
  });
}

test("assessment without mastery-score: answered without correctResponsesPattern, then completed only", { timeout: 120_000 }, async (t) => {
  const context = await browser.newContext();
  t.after(() => context.close());
  const who = learner();
  const { page, log, sent } = await open(context, { mode: "assessment", ...who.attrs });
  const items = await takeQuiz(page, { right: true, mode: "assessment" });
  await until(() => sent.some((s) => s.verb.id.endsWith("/completed")), "completed accepted by the real LRS");
  const list = sent;
  assert.deepEqual(verbs(list), [...items.map(() => "answered"), "completed"]);
  assert.deepEqual(validateStatements(list), []);
  const page_ = `${server.url}e2e/host.html`;
  for (const s of list.slice(0, -1)) {
    assert.equal("correctResponsesPattern" in s.object.definition, false);
    assert.ok(s.object.id.startsWith(`${page_}/banks/cybersecurity/items/`), `activity-id defaults to the page URL: ${s.object.id}`);
  }
  assert.deepEqual(problems(log), []);
  await assertInRealLrs(who, page_, sent);
});

test("bad credentials: 401, a console warning, the quiz still works and the answers are kept", { timeout: 120_000 }, async (t) => {
  const context = await browser.newContext();
  t.after(() => context.close());
  const { actor } = learner();
  const before = lrs.requests.length;
  const { page, log } = await open(context, {
    mode: "practice",
    "mastery-score": "50",
    "lrs-endpoint": lrs.endpoint,
    "lrs-auth": "Basic bm90OnRoZS1rZXk=",
    "lrs-actor": JSON.stringify(actor),
  });
  const items = await takeQuiz(page, { right: true, mode: "practice" });
  const rejected = () => lrs.requests.slice(before).filter((r) => r.path === "/xapi/statements" && r.method === "POST");
  // Each send retries everything not yet stored, so the last attempt carries every statement.
  const last = await lrs.waitFor(() => rejected().find((r) => JSON.parse(r.body).some((s) => s.verb.id.endsWith("/passed"))), { what: "a POST with passed" });
  assert.ok(rejected().every((r) => r.status === 401));
  assert.deepEqual(verbs(JSON.parse(last.body)), [...items.map(() => "answered"), "completed", "passed"], "no answer lost");
  assert.equal(lrs.statements().filter((s) => s.actor.mbox === actor.mbox).length, 0);
  await page.waitForFunction(() => document.querySelector("skillcat-quiz").shadowRoot.querySelector('[part~="container"]').dataset.state === "results");
  assert.deepEqual(log.pageErrors, [], "no uncaught error");
  assert.ok(log.warnings.some((w) => /^skillcat xAPI: .* not stored yet \(HTTP 401/.test(w)), `a console warning, got ${JSON.stringify(log.warnings)}`);
  const notices = await page.evaluate(() => [...document.querySelector("skillcat-quiz").shadowRoot.querySelectorAll("[data-notice]")].map((n) => n.dataset.notice));
  assert.equal(notices.includes("lms-unavailable"), false, "the LRS is there; only its answers are refused");
  const unexpectedErrors = log.errors.filter((e) => !e.startsWith("Failed to load resource: the server responded with a status of 401"));
  assert.deepEqual(unexpectedErrors, []);
});

test("with an LRS, progress still lives in the browser: a reload continues at the same question", { timeout: 120_000 }, async (t) => {
  const context = await browser.newContext();
  t.after(() => context.close());
  const who = learner();
  const { page, log, sent } = await open(context, { mode: "practice", ...who.attrs });
  assert.equal(await waitForState(page, ["intro", "error"]), "intro");
  await act(page, "start");
  const { items } = await answerUntilDone(page, KEYS, { right: true, count: 2 });
  const pending = await page.evaluate(() => document.querySelector("skillcat-quiz").shadowRoot.querySelector('[data-screen="question"]').dataset.item);
  await page.reload();
  assert.equal(await waitForState(page, ["question", "intro"]), "question");
  const resumed = await page.evaluate(() => document.querySelector("skillcat-quiz").shadowRoot.querySelector('[data-screen="question"]').dataset.item);
  assert.equal(resumed, pending);
  const answered = (list) => list.filter((s) => s.verb.id.endsWith("/answered")).length === items.length;
  await realLrs.waitFor({ agent: who.agent }, answered, { what: "both answers" });
  await until(() => answered(sent), "both answers accepted, as Chromium saw it");
  assert.deepEqual(problems(log), []);
  await assertInRealLrs(who, `${server.url}e2e/host.html`, sent);
});

test("two learners on one browser never share progress: the key names the LRS learner", { timeout: 120_000 }, async (t) => {
  const context = await browser.newContext();
  t.after(() => context.close());
  const ana = learner();
  const bob = learner();
  const attrs = (who) => ({ mode: "practice", ...who.attrs });
  const first = await open(context, attrs(ana));
  assert.equal(await waitForState(first.page, ["intro", "error"]), "intro");
  await act(first.page, "start");
  await answerUntilDone(first.page, KEYS, { right: true, count: 2 });
  await first.page.close();

  const second = await open(context, attrs(bob));
  assert.equal(await waitForState(second.page, ["intro", "question", "error"]), "intro", "Bob starts afresh");
  assert.equal(await second.page.locator('skillcat-quiz [data-notice="resumed"]').count(), 0);
  await second.page.close();

  const again = await open(context, attrs(ana));
  assert.equal(await waitForState(again.page, ["intro", "question", "error"]), "question", "Ana continues");
  assert.match(await again.page.locator('skillcat-quiz [data-notice="resumed"]').textContent(), /after 2 answers/);
  assert.deepEqual(problems(again.log), []);
});

test("back from the back/forward cache after the page's session ended: an LRS takes a new page, so it reloads and resumes", { timeout: 120_000 }, async (t) => {
  const context = await browser.newContext();
  t.after(() => context.close());
  const who = learner();
  const { page, log } = await open(context, { mode: "practice", ...who.attrs });
  assert.equal(await waitForState(page, ["intro", "error"]), "intro");
  await act(page, "start");
  await answerUntilDone(page, KEYS, { right: true, count: 2 });
  const pending = await page.evaluate(() => document.querySelector("skillcat-quiz").shadowRoot.querySelector('[data-screen="question"]').dataset.item);
  // What the browser does when it puts the page in the cache and later shows it again.
  const reloaded = page.waitForEvent("load");
  await page.evaluate(() => {
    window.__beforeReload = true;
    window.dispatchEvent(new PageTransitionEvent("pagehide", { persisted: true }));
    window.dispatchEvent(new PageTransitionEvent("pageshow", { persisted: true }));
  });
  await reloaded;
  assert.equal(await page.evaluate(() => window.__beforeReload), undefined, "a new page, not the one that ended");
  assert.equal(await waitForState(page, ["question", "intro", "ended"]), "question", "no 'session ended' screen");
  const resumed = await page.evaluate(() => document.querySelector("skillcat-quiz").shadowRoot.querySelector('[data-screen="question"]').dataset.item);
  assert.equal(resumed, pending);
  assert.deepEqual(problems(log), []);
});
