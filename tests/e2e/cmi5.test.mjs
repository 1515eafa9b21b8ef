// The quiz as a cmi5 assignable unit in Chromium. The AU is a package built by `skillcat package
// --format cmi5` (practice and assessment mode, 5 items), unpacked on a web server; its
// index.html is opened with the launch parameters as an LMS would; leaving the page (a
// navigation to about:blank) fires pagehide, which must still deliver `terminated`.
//
// What is real: the statements go to a real LRS, Learning Locker's statement service
// (real-lrs.mjs), and every test reads them back through its xAPI query API, by registration
// and by activity, and compares them with what the quiz sent. What is the tests' own: the LMS
// side (lrs.mjs, on another origin), which is the endpoint the AU is given: the fetch URL and
// its token, LMS.LaunchData and the saved attempt (State API) and cmi5LearnerPreferences (Agent
// Profile API), because the real LRS has neither API; it forwards /statements to the real LRS
// unchanged and logs every request, so the request counts below stay exact. Every statement
// list, as sent and as stored, is checked with xapi-rules.mjs (xAPI 1.0.3, the cmi5 AU rules of
// criteria 11–12 of §8c, and Learning Locker's maintained validator):
// - a passing attempt (every answer right, from quizbanks/cybersecurity.json's keys): exactly
//   one fetch POST; initialized, answered × N, completed, passed, terminated; nothing after
//   terminated;
// - a failing attempt (every answer wrong): failed, never passed;
// - launchMode Review: initialized and terminated only, nothing saved;
// - assessment mode: answered statements (sent at the end) without correctResponsesPattern;
// - a relaunch of the same registration, in a fresh browser profile, continues at the question
//   where the first session stopped (the attempt is kept in the LRS's State API).

import assert from "node:assert/strict";
import { after, before, test } from "node:test";

import { startLrs } from "./lrs.mjs";
import { answerUntilDone, bankKeys, buildPackage, servePackage } from "./packages.mjs";
import { differencesFromSent, startRealLrs } from "./real-lrs.mjs";
import { act, currentQuestion, HOOK_TIMEOUT, launchBrowser, problems, startAll, waitForState, watch } from "./support.mjs";
import { validateStatements } from "./xapi-rules.mjs";

const ACTOR = { objectType: "Agent", account: { homePage: "https://lms.example", name: "learner-1" } };
const ACTIVITY = "https://lms.example/course/1/au/cybersecurity";
const MASTERY = 0.5;
const KEYS = bankKeys("cybersecurity");
const SUSPEND_STATE = `${ACTIVITY}/skillcat/suspend`;

/** The unpacked AU packages by mode. */
const packages = {};
let browser;
let realLrs;
let lrs;

before(async () => {
  [browser, realLrs] = await startAll([launchBrowser, startRealLrs]);
  lrs = await startLrs({ statementsTo: realLrs });
  for (const mode of ["practice", "assessment"]) {
    const files = buildPackage(["--format", "cmi5", "quizbanks/cybersecurity.json", "--mode", mode, "--max-items", "5", "--mastery-score", "70"]);
    packages[mode] = await servePackage(files);
  }
  lrs.setAgentProfile(ACTOR, "cmi5LearnerPreferences", { languagePreference: "en-US", audioPreference: "off" });
}, { timeout: HOOK_TIMEOUT });

after(async () => {
  await browser?.close();
  for (const served of Object.values(packages)) await served.close();
  await lrs?.close();
  await realLrs?.close();
}, { timeout: HOOK_TIMEOUT });

const verbs = (list) => list.map((s) => s.verb.id.split("/").pop());
const ofRegistration = (registration) => lrs.statements().filter((s) => s.context?.registration === registration);
const rules = (registration, extra = {}) => ({ cmi5: { activityId: ACTIVITY, registration, masteryScore: MASTERY, launchMode: "Normal", actor: ACTOR, ...extra } });

/** Opens the AU as the LMS launches it; returns the page, its log and the launch. */
async function launch(context, { registration = crypto.randomUUID(), mode = "practice", ...launchData } = {}) {
  const l = lrs.launch({ actor: ACTOR, registration, activityId: ACTIVITY, masteryScore: MASTERY, ...launchData });
  const page = await context.newPage();
  const log = await watch(page);
  await page.goto(`${packages[mode].url}package/index.html?${new URLSearchParams(l.params)}`);
  return { page, log, registration, ...l };
}

/**
 * The real LRS holds exactly the registration's statements as the quiz sent them, found both by
 * registration and by activity (the AU's id, with related activities: the answered statements
 * name it as their parent), and the stored statements pass the rules too.
 */
async function assertInRealLrs(registration, extra = {}) {
  const sent = ofRegistration(registration);
  const byRegistration = await realLrs.query({ registration });
  assert.deepEqual(differencesFromSent(sent, byRegistration), [], "the real LRS, queried by registration");
  const byActivity = await realLrs.query({ activity: ACTIVITY, related_activities: "true" });
  const mine = byActivity.filter((s) => s.context?.registration === registration);
  assert.deepEqual(differencesFromSent(sent, mine), [], "the real LRS, queried by activity");
  assert.deepEqual(validateStatements(byRegistration, rules(registration, extra)), []);
}

/** Leaves the AU page (pagehide) and waits until the LRS has the session's terminated. */
async function leave(page, sessionId) {
  await page.goto("about:blank");
  return lrs.waitFor(
    () => lrs.statements().find((s) => s.verb.id.endsWith("/terminated") && s.context?.extensions?.["https://w3id.org/xapi/cmi5/context/extensions/sessionid"] === sessionId),
    { what: `terminated for session ${sessionId}` },
  );
}

/**
 * Problems other than the 404s an AU expects: reading its saved attempt on a first launch.
 * Chromium logs each failed load as a console error without its URL, so those are matched by
 * count against the expected 404 responses.
 */
function unexpected(log) {
  const expected = log.httpFailures.filter((f) => f.startsWith("HTTP 404 ") && f.includes("/xapi/activities/state?") && f.includes(encodeURIComponent(SUSPEND_STATE)));
  const loadErrors = log.errors.filter((e) => e.startsWith("Failed to load resource: the server responded with a status of 404"));
  const rest = problems({ ...log, httpFailures: log.httpFailures.filter((f) => !expected.includes(f)), errors: log.errors.filter((e) => !loadErrors.includes(e)) });
  if (loadErrors.length !== expected.length) rest.push(`${loadErrors.length} failed loads logged for ${expected.length} expected 404s`);
  return rest;
}

test("a passing attempt: one fetch, initialized … answered … completed, passed, terminated, all valid", { timeout: 120_000 }, async (t) => {
  const context = await browser.newContext();
  t.after(() => context.close());
  const { page, log, registration, key, sessionId } = await launch(context);
  assert.equal(await waitForState(page, ["intro", "error"]), "intro");
  await act(page, "start");
  const { items, state } = await answerUntilDone(page, KEYS, { right: true });
  assert.equal(state, "results");
  assert.ok(items.length >= 5, `${items.length} questions answered`);
  await lrs.waitFor(() => ofRegistration(registration).some((s) => s.verb.id.endsWith("/passed")), { what: "passed" });
  assert.deepEqual(unexpected(log), [], "no console errors, page errors or failed requests");
  const terminated = await leave(page, sessionId);

  const list = ofRegistration(registration);
  assert.deepEqual(verbs(list), ["initialized", ...items.map(() => "answered"), "completed", "passed", "terminated"]);
  assert.deepEqual(validateStatements(list, rules(registration)), []);
  await assertInRealLrs(registration);
  assert.equal(lrs.fetchCallsFor(key), 1, "exactly one POST to the fetch URL");
  const answered = list.filter((s) => s.verb.id.endsWith("/answered"));
  assert.deepEqual(answered.map((s) => s.object.id), items.map((item) => `${ACTIVITY}/banks/cybersecurity/items/${item}`));
  assert.ok(answered.every((s) => s.result.success === true && s.object.definition.correctResponsesPattern.length === 1));
  const passed = list.at(-2);
  assert.ok(passed.result.score.scaled >= MASTERY, `scaled ${passed.result.score.scaled}`);
  assert.match(terminated.result.duration, /^PT/);
  const sent = lrs.requests.findIndex((r) => r.path === "/xapi/statements" && r.body.includes(terminated.id));
  const after = lrs.requests.slice(sent + 1).filter((r) => r.token === lrs.requests[sent].token);
  assert.deepEqual(after.map((r) => `${r.method} ${r.path}`), [], "the session sends nothing after terminated");
  assert.equal(JSON.parse(lrs.stateDocument({ activityId: ACTIVITY, actor: ACTOR, registration }, SUSPEND_STATE)).passed, true);
});

test("a failing attempt sends failed, never passed", { timeout: 120_000 }, async (t) => {
  const context = await browser.newContext();
  t.after(() => context.close());
  const { page, log, registration, sessionId } = await launch(context);
  assert.equal(await waitForState(page, ["intro", "error"]), "intro");
  await act(page, "start");
  const { items, state } = await answerUntilDone(page, KEYS, { right: false });
  assert.equal(state, "results");
  await leave(page, sessionId);
  const list = ofRegistration(registration);
  assert.deepEqual(verbs(list), ["initialized", ...items.map(() => "answered"), "completed", "failed", "terminated"]);
  assert.deepEqual(validateStatements(list, rules(registration)), []);
  await assertInRealLrs(registration);
  assert.ok(list.filter((s) => s.verb.id.endsWith("/answered")).every((s) => s.result.success === false));
  assert.ok(list.at(-2).result.score.scaled < MASTERY);
  assert.deepEqual(unexpected(log), []);
});

test("launchMode Review: initialized and terminated only, and nothing saved", { timeout: 120_000 }, async (t) => {
  const context = await browser.newContext();
  t.after(() => context.close());
  const { page, log, registration, sessionId } = await launch(context, { launchMode: "Review" });
  assert.equal(await waitForState(page, ["intro", "error"]), "intro");
  assert.equal(await page.locator('skillcat-quiz [data-notice="lms-review"]').count(), 1, "the learner is told nothing is recorded");
  await act(page, "start");
  assert.equal((await answerUntilDone(page, KEYS, { right: true })).state, "results");
  await leave(page, sessionId);
  const list = ofRegistration(registration);
  assert.deepEqual(verbs(list), ["initialized", "terminated"]);
  assert.deepEqual(validateStatements(list, rules(registration, { launchMode: "Review" })), []);
  await assertInRealLrs(registration, { launchMode: "Review" });
  assert.equal(lrs.requests.filter((r) => r.method === "PUT" && r.query.registration === registration).length, 0, "no state written");
  assert.deepEqual(unexpected(log), []);
});

test("assessment mode: answered statements at the end, without correctResponsesPattern", { timeout: 120_000 }, async (t) => {
  const context = await browser.newContext();
  t.after(() => context.close());
  const { page, log, registration, sessionId } = await launch(context, { mode: "assessment" });
  assert.equal(await waitForState(page, ["intro", "error"]), "intro");
  await act(page, "start");
  const { items, state } = await answerUntilDone(page, KEYS, { right: true, mode: "assessment" });
  assert.equal(state, "results");
  await leave(page, sessionId);
  const list = ofRegistration(registration);
  assert.deepEqual(verbs(list), ["initialized", ...items.map(() => "answered"), "completed", "passed", "terminated"]);
  assert.deepEqual(validateStatements(list, rules(registration)), []);
  await assertInRealLrs(registration);
  const answered = list.filter((s) => s.verb.id.endsWith("/answered"));
  assert.deepEqual(answered.map((s) => s.object.id.split("/").pop()), items);
  for (const s of answered) {
    assert.equal("correctResponsesPattern" in s.object.definition, false, `${s.object.id} has no key`);
    assert.equal(s.result.success, true, "correctness is recorded once the test is over");
  }
  assert.deepEqual(unexpected(log), []);
});

test("a relaunch of the same registration continues at the same question", { timeout: 120_000 }, async (t) => {
  const registration = crypto.randomUUID();
  const first = await browser.newContext();
  t.after(() => first.close());
  const one = await launch(first, { registration });
  assert.equal(await waitForState(one.page, ["intro", "error"]), "intro");
  await act(one.page, "start");
  const { items, state } = await answerUntilDone(one.page, KEYS, { right: true, count: 2 });
  assert.equal(state, "question");
  const shown = await currentQuestion(one.page);
  assert.equal(shown.position, 3);
  await leave(one.page, one.sessionId);
  assert.deepEqual(unexpected(one.log), []);

  // A fresh browser profile: nothing in localStorage, so only the LRS can resume the attempt.
  const second = await browser.newContext();
  t.after(() => second.close());
  const two = await launch(second, { registration });
  assert.equal(await waitForState(two.page, ["question", "intro", "error"]), "question", "the relaunch resumes on a question");
  const resumed = await currentQuestion(two.page);
  assert.deepEqual({ item: resumed.item, position: resumed.position }, { item: shown.item, position: shown.position });
  await leave(two.page, two.sessionId);
  assert.deepEqual(problems(two.log), [], "the relaunch finds its saved attempt: no 404 at all");

  const list = ofRegistration(registration);
  assert.deepEqual(verbs(list), ["initialized", "answered", "answered", "terminated", "initialized", "terminated"]);
  assert.deepEqual(list.filter((s) => s.verb.id.endsWith("/answered")).map((s) => s.object.id.split("/").pop()), items);
  assert.deepEqual(validateStatements(list, rules(registration)), []);
  await assertInRealLrs(registration);
  assert.deepEqual([lrs.fetchCallsFor(one.key), lrs.fetchCallsFor(two.key)], [1, 1]);
});

test("Return to the course, on any screen: terminates once, then goes to LaunchData's returnURL; a javascript: URL is refused", { timeout: 120_000 }, async (t) => {
  const context = await browser.newContext();
  t.after(() => context.close());
  const returnURL = `${packages.practice.url}package/favicon.svg?returned=1`;
  const { page, registration, sessionId } = await launch(context, { returnURL });
  assert.equal(await waitForState(page, ["intro", "error"]), "intro");
  await act(page, "start");
  await answerUntilDone(page, KEYS, { right: true, count: 1 });
  await page.locator('skillcat-quiz [data-action="return"]').click();
  await page.waitForURL(returnURL);
  await lrs.waitFor(() => ofRegistration(registration).some((s) => s.verb.id.endsWith("/terminated")), { what: "terminated" });
  const list = ofRegistration(registration);
  assert.deepEqual(verbs(list), ["initialized", "answered", "terminated"], "one terminated, though pagehide followed the button");
  assert.deepEqual(validateStatements(list, rules(registration)), []);
  await assertInRealLrs(registration);
  assert.equal(list.at(-1).context.extensions["https://w3id.org/xapi/cmi5/context/extensions/sessionid"], sessionId);

  const unsafe = await launch(context, { returnURL: "javascript:window.__returned=1" });
  assert.equal(await waitForState(unsafe.page, ["intro", "error"]), "intro");
  assert.equal(await unsafe.page.locator('skillcat-quiz [data-action="return"]').count(), 0, "no button for a javascript: URL");
});
