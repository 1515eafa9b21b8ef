// The xAPI and cmi5 trackers in Node (www/lib/lms/xapi.js, cmi5.js, with xapi-statements.js and
// lrs-client.js):
// - the statement builders: response formats ("a[,]c", "true"/"false"), no
//   correctResponsesPattern without a key, scores, durations, ids, the item IRI the calibrate
//   command reads; every built statement passes tests/e2e/xapi-rules.mjs;
// - the statement queue with a scripted fetch: order, one request in flight, retries after
//   401/network errors (never dropped), the 400 split, the keepalive flush at page exit;
// - both trackers against the in-process LRS (tests/e2e/lrs.mjs) through Node's fetch and a
//   fake window: TrackerUnavailable messages, one fetch POST, statement order and context,
//   launch modes, passed/failed per registration across relaunches, the saved attempt.

import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";

import { startLrs } from "../e2e/lrs.mjs";
import { HOOK_TIMEOUT } from "../e2e/support.mjs";
import { validateStatements } from "../e2e/xapi-rules.mjs";
import { CMI5_CATEGORY, MASTERY_SCORE, MOVEON_CATEGORY, openCmi5Tracker, SESSION_ID, suspendStateId } from "../../www/lib/lms/cmi5.js";
import { isoDuration, optionId } from "../../www/lib/lms/interaction.js";
import { TrackerUnavailable } from "../../www/lib/lms/tracker.js";
import { createStatementQueue, KEEPALIVE_LIMIT } from "../../www/lib/lms/lrs-client.js";
import { openXapiTracker } from "../../www/lib/lms/xapi.js";
import {
  answeredStatement,
  completedStatement,
  EXT_LEVEL_PROBABILITIES,
  EXT_SCORED,
  eventStatement,
  failedStatement,
  initializedStatement,
  itemIri,
  parseAgent,
  passedStatement,
  terminatedStatement,
} from "../../www/lib/lms/xapi-statements.js";

const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const MBOX = { objectType: "Agent", mbox: "mailto:ana@example.org" };
const ACCOUNT = { objectType: "Agent", account: { homePage: "https://lms.example", name: "1625378" } };
const BANKS = [{ id: "cybersecurity", title: "Cybersecurity basics", version: "2025.2", language: "en" }];
const ctx = { actor: MBOX, activityId: "https://quiz.example/skills", banks: BANKS };
const verbs = (list) => list.map((s) => s.verb.id.split("/").pop());

function record(overrides = {}) {
  const answeredAt = new Date("2025-03-01T10:00:02.500Z");
  return {
    item: "cyb-threat-01",
    domain: "cybersecurity",
    topic: "threats",
    type: "multiple",
    stem: "Which **two** controls stop [phishing](https://example.org)?",
    options: ["MFA", "Training", "Open relay", "Shared passwords", "DMARC"],
    chosen: [0, 2],
    key: [1, 4],
    correct: false,
    scored: true,
    sequence: 1,
    shownAt: new Date(answeredAt.getTime() - 62_500),
    answeredAt,
    ...overrides,
  };
}

describe("statement builders", () => {
  test("answered: a choice interaction with a[,]c responses, the key pattern, score, duration and the item IRI", () => {
    const s = answeredStatement(record(), ctx);
    assert.match(s.id, UUID_V4);
    assert.equal(s.version, undefined, "the LRS sets the version");
    assert.deepEqual(s.actor, MBOX);
    assert.deepEqual(s.verb, { id: "http://adlnet.gov/expapi/verbs/answered", display: { "en-US": "answered" } });
    assert.equal(s.object.id, "https://quiz.example/skills/banks/cybersecurity/items/cyb-threat-01");
    const d = s.object.definition;
    assert.equal(d.type, "http://adlnet.gov/expapi/activities/cmi.interaction");
    assert.equal(d.interactionType, "choice");
    assert.deepEqual(d.correctResponsesPattern, ["b[,]e"]);
    assert.deepEqual(d.choices.map((c) => c.id), ["a", "b", "c", "d", "e"]);
    assert.deepEqual(d.choices[2].description, { en: "Open relay" });
    assert.deepEqual(d.name, { en: "Which two controls stop phishing?" }, "plain text, no Markdown");
    assert.deepEqual(s.result, {
      response: "a[,]c",
      success: false,
      score: { scaled: 0, raw: 0, min: 0, max: 1 },
      extensions: { [EXT_SCORED]: true },
      duration: "PT1M2.5S",
    });
    assert.equal(s.timestamp, "2025-03-01T10:00:02.500Z");
    assert.deepEqual(s.context.contextActivities.parent, [{ objectType: "Activity", id: ctx.activityId }]);
    assert.equal(s.context.contextActivities.grouping[0].id, "https://quiz.example/skills/banks/cybersecurity");
    assert.equal(s.context.registration, undefined, "no registration when none is known");
    assert.deepEqual(validateStatements([s]), []);
  });

  test("a right single answer scores 1 of 1; a single choice response has no delimiter", () => {
    const s = answeredStatement(record({ type: "single", chosen: [3], key: [3], correct: true }), ctx);
    assert.equal(s.result.response, "d");
    assert.deepEqual(s.object.definition.correctResponsesPattern, ["d"]);
    assert.deepEqual(s.result.score, { scaled: 1, raw: 1, min: 0, max: 1 });
    assert.equal(s.result.success, true);
  });

  test("assessment mode: no correctResponsesPattern when the key is null", () => {
    const s = answeredStatement(record({ key: null }), ctx);
    assert.equal("correctResponsesPattern" in s.object.definition, false);
    assert.equal(s.result.success, false, "correctness is still recorded");
    assert.deepEqual(validateStatements([s]), []);
  });

  test("true/false items: the true-false type with responses true/false, whatever the option order", () => {
    const s = answeredStatement(record({ type: "true_false", options: ["True", "False"], chosen: [1], key: [0], correct: false }), ctx);
    assert.equal(s.object.definition.interactionType, "true-false");
    assert.equal(s.result.response, "false");
    assert.deepEqual(s.object.definition.correctResponsesPattern, ["true"]);
    assert.equal(s.object.definition.choices, undefined, "true-false takes no component list");
    const reversed = answeredStatement(record({ type: "true_false", options: ["False", "True"], chosen: [1], key: [1], correct: true }), ctx);
    assert.equal(reversed.result.response, "true");
    assert.deepEqual(reversed.object.definition.correctResponsesPattern, ["true"]);
    const worded = answeredStatement(record({ type: "true_false", options: ["Yes", "No"], chosen: [0], key: [0], correct: true }), ctx);
    assert.equal(worded.object.definition.interactionType, "choice", "other wordings stay choices");
    assert.equal(worded.result.response, "a");
    assert.deepEqual(validateStatements([s, reversed, worded]), []);
  });

  test("no duration without shownAt (after a reload), no response without chosen options; pretest items are marked unscored", () => {
    const s = answeredStatement(record({ shownAt: null, scored: false, chosen: null }), ctx);
    assert.equal("duration" in s.result, false);
    assert.equal("response" in s.result, false);
    assert.equal(s.result.extensions[EXT_SCORED], false);
  });

  test("long stems are cut for the name and description; ids are encoded; a trailing slash is not doubled", () => {
    const s = answeredStatement(record({ stem: `${"word ".repeat(300)}end` }), { ...ctx, activityId: "https://quiz.example/skills/" });
    assert.ok([...s.object.definition.name.en].length <= 120);
    assert.ok(s.object.definition.name.en.endsWith("…"));
    assert.ok([...s.object.definition.description.en].length <= 500);
    assert.equal(s.object.id, "https://quiz.example/skills/banks/cybersecurity/items/cyb-threat-01");
    assert.equal(itemIri("urn:x:quiz", "a b", "c/d"), "urn:x:quiz/banks/a%20b/items/c%2Fd");
  });

  test("ISO 8601 durations with at most 0.01 s; option ids a…z, aa", () => {
    assert.deepEqual([0, 4, 5, 62_500, 60_000, 3_600_000, 3_661_010, -5].map(isoDuration), ["PT0S", "PT0S", "PT0.01S", "PT1M2.5S", "PT1M", "PT1H", "PT1H1M1.01S", "PT0S"]);
    assert.deepEqual([0, 1, 25, 26, 27].map(optionId), ["a", "b", "z", "aa", "ab"]);
  });

  test("initialized, completed, passed, failed, terminated", () => {
    const at = new Date("2025-03-01T10:05:00Z");
    const list = [
      initializedStatement(ctx, { at }),
      completedStatement(ctx, { durationMs: 90_000, at }),
      completedStatement(ctx, { durationMs: 90_000, scaled: 0.8, at }),
      passedStatement(ctx, { scaled: 0.8, durationMs: 90_000, at }),
      failedStatement(ctx, { scaled: 1.7, durationMs: 1, at }),
      terminatedStatement(ctx, { durationMs: 120_250, at }),
    ];
    assert.deepEqual(verbs(list), ["initialized", "completed", "completed", "passed", "failed", "terminated"]);
    for (const s of list) {
      assert.equal(s.object.id, ctx.activityId);
      assert.equal(s.timestamp, "2025-03-01T10:05:00.000Z");
    }
    assert.deepEqual(list[1].result, { completion: true, duration: "PT1M30S" });
    assert.deepEqual(list[2].result.score, { scaled: 0.8, raw: 80, min: 0, max: 100 });
    assert.deepEqual(list[3].result, { success: true, score: { scaled: 0.8, raw: 80, min: 0, max: 100 }, duration: "PT1M30S" });
    assert.equal(list[4].result.success, false);
    assert.equal(list[4].result.score.scaled, 1, "clamped into 0..1");
    assert.deepEqual(list[5].result, { duration: "PT2M0.25S" });
    assert.equal(list[0].result, undefined);
    assert.equal(new Set(list.map((s) => s.id)).size, list.length, "every statement has its own id");
    assert.deepEqual(validateStatements(list), []);
  });

  test("completed carries each domain's level probabilities as a result extension, in the bank's order", () => {
    const report = {
      domains: [
        { domain: "cloud", levelProbabilities: [{ name: "Foundation", probability: 0.012345 }, { name: "Advanced", probability: 0.987655 }] },
        { domain: "regulation", levelProbabilities: [] },
      ],
    };
    const s = completedStatement(ctx, { durationMs: 1000, scaled: 0.7, report });
    assert.deepEqual(s.result.extensions, {
      [EXT_LEVEL_PROBABILITIES]: { cloud: [{ name: "Foundation", probability: 0.0123 }, { name: "Advanced", probability: 0.9877 }] },
    });
    assert.match(EXT_LEVEL_PROBABILITIES, /^urn:skillcat:xapi:extension:/);
    assert.equal(completedStatement(ctx, { durationMs: 1000 }).result.extensions, undefined, "no report, no extension");
    const event = eventStatement({ kind: "completed", score: 0.7, passed: true, report }, ctx, { verdicts: true });
    assert.deepEqual(event.result.extensions, s.result.extensions, "the event's statement says the same");
    assert.deepEqual(validateStatements([s]), []);
  });

  test("agents: exactly one identifier, named errors", () => {
    assert.deepEqual(parseAgent('{"mbox":"mailto:a@b.example"}', "lrs-actor"), { objectType: "Agent", mbox: "mailto:a@b.example" });
    for (const [text, message] of [
      ["{nope", /^lrs-actor: not JSON/],
      ["[1]", /^lrs-actor: not a JSON object/],
      ['{"name":"Ana"}', /^lrs-actor: needs exactly one of mbox, mbox_sha1sum, openid, account .* found none/],
      ['{"mbox":"mailto:a@b.example","openid":"https://id.example/a"}', /found mbox, openid/],
      ['{"mbox":"a@b.example"}', /^lrs-actor: mbox must be "mailto:<address>"/],
      ['{"account":{"homePage":"https://lms.example"}}', /^lrs-actor: account needs a homePage URL and a name/],
      ['{"objectType":"Group","mbox":"mailto:a@b.example"}', /^lrs-actor: objectType must be "Agent"/],
    ]) {
      assert.throws(() => parseAgent(text, "lrs-actor"), (e) => e instanceof TrackerUnavailable && message.test(e.message), text);
    }
  });
});

/** A fetch whose answers the test scripts: each call waits until `respond(n, …)` settles it. */
function scriptedFetch() {
  const calls = [];
  const fetch = (url, init) =>
    new Promise((resolve, reject) => {
      calls.push({ url, init, body: init.body ? JSON.parse(init.body) : undefined, resolve, reject });
    });
  const respond = (n, status = 200, text = "[]") => calls[n].resolve(new Response(status === 204 ? null : text, { status }));
  return { fetch, calls, respond };
}
const tick = () => new Promise((resolve) => setImmediate(resolve));
/** Resolves when `predicate()` holds, checking every few milliseconds (a condition, not a sleep). */
async function until(predicate, what, timeout = 5_000) {
  const end = Date.now() + timeout;
  while (!predicate()) {
    if (Date.now() > end) assert.fail(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

describe("statement queue", () => {
  const endpoint = "https://lrs.example/xapi/";
  const make = (n) => Array.from({ length: n }, (_, i) => initializedStatement({ ...ctx, activityId: `https://quiz.example/${i}` }));

  test("one request in flight; the rest follow in order, batched; the headers an LRS needs", async () => {
    const f = scriptedFetch();
    const warnings = [];
    const q = createStatementQueue({ endpoint, auth: "Basic abc", fetch: f.fetch, warn: (m) => warnings.push(m) });
    const [a, b, c] = make(3);
    q.send(a);
    q.send(b);
    q.send(c);
    assert.equal(f.calls.length, 1, "one request in flight");
    const first = f.calls[0];
    assert.equal(first.url, "https://lrs.example/xapi/statements");
    assert.equal(first.init.method, "POST");
    assert.equal(first.init.keepalive, true);
    assert.deepEqual(first.init.headers, { "X-Experience-API-Version": "1.0.3", Authorization: "Basic abc", "Content-Type": "application/json" });
    assert.deepEqual(first.body.map((s) => s.id), [a.id]);
    f.respond(0);
    await tick();
    assert.equal(f.calls.length, 2);
    assert.deepEqual(f.calls[1].body.map((s) => s.id), [b.id, c.id], "what waited leaves together, in order");
    f.respond(1);
    await tick();
    assert.equal(q.pending, 0);
    assert.deepEqual(warnings, []);
  });

  test("401 and network errors keep the statements, warn, and retry on the next send or commit", async () => {
    const f = scriptedFetch();
    const warnings = [];
    const q = createStatementQueue({ endpoint, auth: "Basic bad", fetch: f.fetch, warn: (m) => warnings.push(m) });
    const [a, b, c] = make(3);
    q.send(a);
    f.respond(0, 401, '{"error":"bad credentials"}');
    await tick();
    assert.equal(q.pending, 1);
    assert.match(warnings[0], /1 statement\(s\) not stored yet \(HTTP 401/);
    q.send(b);
    assert.deepEqual(f.calls[1].body.map((s) => s.id), [a.id, b.id], "the failed one is retried first");
    f.calls[1].reject(new TypeError("Failed to fetch"));
    await tick();
    assert.equal(q.pending, 2);
    assert.match(warnings[1], /Failed to fetch/);
    q.flush();
    assert.deepEqual(f.calls[2].body.map((s) => s.id), [a.id, b.id], "commit retries");
    f.respond(2);
    await tick();
    q.send(c);
    assert.deepEqual(f.calls[3].body.map((s) => s.id), [c.id]);
  });

  test("a batch the LRS rejects as invalid is resent one by one; only the invalid statement is dropped, with a warning", async () => {
    const f = scriptedFetch();
    const warnings = [];
    const q = createStatementQueue({ endpoint, auth: "Basic abc", fetch: f.fetch, warn: (m) => warnings.push(m) });
    const [a, b, c] = make(3);
    q.send(a);
    q.send(b, c);
    f.respond(0);
    await tick();
    f.respond(1, 400, '{"error":"bad b"}');
    await tick();
    assert.deepEqual(f.calls[2].body.map((s) => s.id), [b.id]);
    f.respond(2, 400, '{"error":"bad b"}');
    await tick();
    assert.match(warnings.at(-1), /rejected a "initialized" statement as invalid; dropped: .*bad b/);
    assert.deepEqual(f.calls[3].body.map((s) => s.id), [c.id]);
    f.respond(3);
    await tick();
    assert.equal(q.pending, 0);
  });

  test("the final flush sends what is waiting at once, with keepalive, and closes the queue", async () => {
    const f = scriptedFetch();
    const q = createStatementQueue({ endpoint, auth: "Basic abc", fetch: f.fetch, warn: () => {} });
    const [a, b, c, d] = make(4);
    q.send(a, b);
    q.send(c);
    assert.equal(f.calls.length, 1);
    q.flush({ final: true });
    assert.equal(f.calls.length, 2, "does not wait for the request in flight");
    assert.deepEqual(f.calls[1].body.map((s) => s.id), [c.id]);
    assert.equal(f.calls[1].init.keepalive, true);
    q.send(d);
    q.flush();
    assert.equal(f.calls.length, 2, "nothing after the final flush");
  });

  test("requests stay under the keepalive limit", async () => {
    const f = scriptedFetch();
    const q = createStatementQueue({ endpoint, auth: "Basic abc", fetch: f.fetch, warn: () => {} });
    const big = (i) => answeredStatement(record({ item: `item-${i}`, stem: "x".repeat(400), options: Array.from({ length: 10 }, () => "y ".repeat(150)) }), ctx);
    q.send(big(0));
    q.send(...Array.from({ length: 40 }, (_, i) => big(i + 1)));
    f.respond(0);
    await tick();
    assert.ok(f.calls[1].init.body.length <= KEEPALIVE_LIMIT, `${f.calls[1].init.body.length} bytes`);
    assert.ok(f.calls[1].body.length > 1 && f.calls[1].body.length < 40, "a batch, but not all of it");
  });
});

describe("trackers against the test LRS", () => {
  let lrs;
  before(async () => {
    lrs = await startLrs();
  }, { timeout: HOOK_TIMEOUT });
  after(() => lrs?.close(), { timeout: HOOK_TIMEOUT });

  const page = (href) => {
    const url = new URL(href);
    return { location: { href: url.href, search: url.search }, fetch: globalThis.fetch };
  };
  const options = (win, extra = {}) => ({
    window: win,
    masteryScore: null,
    mode: "practice",
    banks: BANKS,
    lrsEndpoint: null,
    lrsAuth: null,
    lrsActor: null,
    activityId: null,
    ...extra,
  });
  const result = (scaled, masteryScore = null) => ({ scaled, masteryScore, passed: masteryScore === null ? null : scaled >= masteryScore, report: {}, durationMs: 61_000 });
  const ofRegistration = (registration) => lrs.statements().filter((s) => s.context?.registration === registration);
  const terminatedIn = (registration, count = 1) => () => ofRegistration(registration).filter((s) => s.verb.id.endsWith("/terminated")).length >= count;

  describe("plain xAPI", () => {
    const xapiOptions = (extra) => options(page("http://127.0.0.1:9/quiz/page.html?x=1#top"), { lrsEndpoint: lrs.endpoint.slice(0, -1), lrsAuth: lrs.authHeader, lrsActor: JSON.stringify(MBOX), ...extra });

    test("missing or bad attributes are named", async () => {
      for (const [extra, message] of [
        [{ lrsEndpoint: null }, /^lrs-endpoint: missing/],
        [{ lrsEndpoint: "ftp://lrs.example/" }, /^lrs-endpoint: "ftp:\/\/lrs.example\/" is not an http\(s\) URL/],
        [{ lrsAuth: "" }, /^lrs-auth: missing/],
        [{ lrsActor: null }, /^lrs-actor: missing/],
        [{ lrsActor: '{"name":"Ana"}' }, /^lrs-actor: needs exactly one of/],
        [{ activityId: "not an iri" }, /^activity-id: "not an iri" is not an absolute IRI/],
        [{ lrsEndpoint: "http://127.0.0.1:9/xapi/" }, /^lrs-endpoint: no LRS answers at http:\/\/127.0.0.1:9\/xapi\/about/],
      ]) {
        await assert.rejects(openXapiTracker(xapiOptions(extra)), (e) => e instanceof TrackerUnavailable && message.test(e.message), JSON.stringify(extra));
      }
    });

    test("answered per answer, then completed and passed/failed only with a pass mark; valid xAPI", async () => {
      const activityId = `https://quiz.example/${crypto.randomUUID()}`;
      const tracker = await openXapiTracker(xapiOptions({ activityId }));
      assert.deepEqual([tracker.kind, tracker.resumeState, tracker.masteryScore, tracker.launchMode], ["xapi", null, null, "normal"]);
      // An LRS only receives statements: the browser keeps the progress, per learner as written.
      assert.deepEqual(tracker.capabilities, { ownsAttempt: false, reopensInNewPage: true });
      assert.equal(tracker.learner, `${JSON.stringify(MBOX)}|${activityId}|${lrs.endpoint.slice(0, -1)}`);
      tracker.started();
      tracker.progress("ignored");
      tracker.answered(record({ sequence: 1 }));
      tracker.answered(record({ item: "cyb-threat-02", chosen: [1, 4], correct: true, sequence: 2 }));
      tracker.completed(result(0.5));
      tracker.completed(result(0.9, 0.7));
      tracker.completed(result(0.6, 0.7));
      tracker.terminate();
      tracker.answered(record({ item: "after-terminate" }));
      const mine = () => lrs.statements().filter((s) => s.object.id.startsWith(activityId));
      await lrs.waitFor(() => mine().length === 7, { what: "7 statements" });
      const list = mine();
      assert.deepEqual(verbs(list), ["answered", "answered", "completed", "completed", "passed", "completed", "failed"]);
      assert.deepEqual(validateStatements(list), []);
      assert.equal(list[2].result.score.scaled, 0.5, "completed carries the score");
      assert.equal(list.every((s) => s.version === "1.0.3" && s.authority), true, "stored by the LRS");
    });

    test("activity-id defaults to the page URL without query or fragment", async () => {
      const tracker = await openXapiTracker(xapiOptions({ activityId: null }));
      const tag = crypto.randomUUID();
      tracker.answered(record({ item: tag }));
      const [s] = await lrs.waitFor(() => {
        const found = lrs.statements().filter((x) => x.object.id.endsWith(tag));
        return found.length ? found : null;
      });
      assert.equal(s.object.id, `http://127.0.0.1:9/quiz/page.html/banks/cybersecurity/items/${tag}`);
      tracker.terminate();
    });

    test("bad credentials: 401, a console warning, the answers kept and retried", async (t) => {
      const warn = t.mock.method(console, "warn", () => {});
      const tracker = await openXapiTracker(xapiOptions({ lrsAuth: "Basic bm9wZTpub3Bl" }));
      const before = lrs.requests.length;
      tracker.answered(record({ item: "one" }));
      await until(() => warn.mock.callCount() === 1, "the first warning");
      tracker.answered(record({ item: "two" }));
      await until(() => warn.mock.callCount() === 2, "the second warning");
      const posts = lrs.requests.slice(before).filter((r) => r.path === "/xapi/statements");
      assert.deepEqual(posts.map((r) => r.status), [401, 401]);
      assert.deepEqual(JSON.parse(posts[1].body).map((s) => s.object.id.split("/").pop()), ["one", "two"], "the first answer is retried with the second");
      assert.match(warn.mock.calls[0].arguments[0], /not stored yet \(HTTP 401/);
      tracker.terminate();
    });
  });

  describe("cmi5", () => {
    const activityId = "https://lms.example/activities/au-cyber";

    async function launchAu(launchOptions = {}, extra = {}) {
      const registration = launchOptions.registration ?? crypto.randomUUID();
      const launch = lrs.launch({ actor: ACCOUNT, registration, activityId, ...launchOptions });
      const win = page(`http://127.0.0.1:9/e2e/cmi5-au.html?${new URLSearchParams(launch.params)}`);
      const tracker = await openCmi5Tracker(options(win, extra));
      return { tracker, registration, launch, win };
    }
    const rules = (registration, extra = {}) => ({ cmi5: { activityId, registration, masteryScore: null, launchMode: "Normal", actor: ACCOUNT, ...extra } });

    test("each missing launch parameter is named; a used fetch URL is refused", async () => {
      const launch = lrs.launch({ actor: ACCOUNT, registration: crypto.randomUUID(), activityId });
      for (const name of ["endpoint", "fetch", "actor", "registration", "activityId"]) {
        const params = new URLSearchParams(launch.params);
        params.delete(name);
        await assert.rejects(openCmi5Tracker(options(page(`http://127.0.0.1:9/au.html?${params}`))), { name: "TrackerUnavailable", message: `cmi5: the launch URL has no "${name}" parameter` });
      }
      assert.equal(lrs.fetchCallsFor(launch.key), 0, "nothing is fetched before the parameters are checked");
      const win = page(`http://127.0.0.1:9/au.html?${new URLSearchParams(launch.params)}`);
      const tracker = await openCmi5Tracker(options(win));
      tracker.terminate();
      await assert.rejects(openCmi5Tracker(options(win)), { name: "TrackerUnavailable", message: "cmi5: the fetch URL refused a token: error 1 (already in use)" });
      assert.equal(lrs.fetchCallsFor(launch.key), 2);
    });

    test("no LMS.LaunchData: unavailable", async () => {
      const params = new URLSearchParams({ ...lrs.launch({ actor: ACCOUNT, registration: crypto.randomUUID(), activityId }).params, activityId: "https://lms.example/other" });
      await assert.rejects(openCmi5Tracker(options(page(`http://127.0.0.1:9/au.html?${params}`))), { message: "cmi5: reading LMS.LaunchData answered HTTP 404" });
    });

    test("a passing session: one fetch, initialized … answered … completed, passed … terminated, with the cmi5 context", async () => {
      lrs.setAgentProfile(ACCOUNT, "cmi5LearnerPreferences", { languagePreference: "en-US,fr", audioPreference: "off" });
      const { tracker, registration, launch } = await launchAu({ masteryScore: 0.7, returnURL: "https://lms.example/back" });
      assert.equal(lrs.fetchCallsFor(launch.key), 1);
      assert.deepEqual([tracker.kind, tracker.launchMode, tracker.masteryScore, tracker.resumeState], ["cmi5", "normal", 0.7, null]);
      // The LMS keeps the attempt, and its one token allows one session per launch.
      assert.deepEqual([tracker.capabilities, tracker.learner], [{ ownsAttempt: true, reopensInNewPage: false }, null]);
      assert.equal(tracker.returnURL, "https://lms.example/back");
      assert.equal(tracker.languagePreference, "en-US,fr");
      tracker.started();
      tracker.progress("saved-1");
      tracker.answered(record({ sequence: 1, correct: true, chosen: [1, 4] }));
      tracker.progress("saved-2");
      tracker.completed(result(0.8, 0.7));
      tracker.commit();
      tracker.terminate();
      tracker.terminate();
      await lrs.waitFor(terminatedIn(registration));
      const list = ofRegistration(registration);
      assert.deepEqual(verbs(list), ["initialized", "answered", "completed", "passed", "terminated"]);
      assert.deepEqual(validateStatements(list, rules(registration, { masteryScore: 0.7 })), []);
      for (const s of list) {
        assert.equal(s.context.extensions[SESSION_ID], launch.sessionId, "the LMS's session id");
        assert.deepEqual(s.context.contextActivities.grouping.at(0), { objectType: "Activity", id: "https://skillcat.example/au/cybersecurity" }, "the template's grouping first");
      }
      const categories = list.map((s) => (s.context.contextActivities.category ?? []).map((c) => c.id));
      assert.deepEqual(categories, [[CMI5_CATEGORY], [], [CMI5_CATEGORY, MOVEON_CATEGORY], [CMI5_CATEGORY, MOVEON_CATEGORY], [CMI5_CATEGORY]]);
      assert.equal(list[1].object.id, `${activityId}/banks/cybersecurity/items/cyb-threat-01`);
      assert.equal(list[1].timestamp, list[0].timestamp, "an answer from before the session is stamped with the session's start");
      assert.equal(list[3].context.extensions[MASTERY_SCORE], 0.7);
      assert.equal(list[2].result.score, undefined, "no score on completed");
      assert.match(list[4].result.duration, /^PT/);
      assert.equal(lrs.fetchCallsFor(launch.key), 1, "still one fetch");
      const saved = await lrs.waitFor(() => lrs.stateDocument({ activityId, actor: ACCOUNT, registration }, suspendStateId(activityId)));
      assert.deepEqual(JSON.parse(saved), { saved: "saved-2", completed: true, passed: true });
    });

    test("a failing session sends failed, never passed; without any pass mark, neither", async () => {
      const failing = await launchAu({ masteryScore: 0.7 });
      failing.tracker.completed(result(0.2, 0.7));
      failing.tracker.terminate();
      await lrs.waitFor(terminatedIn(failing.registration));
      assert.deepEqual(verbs(ofRegistration(failing.registration)), ["initialized", "completed", "failed", "terminated"]);
      assert.deepEqual(validateStatements(ofRegistration(failing.registration), rules(failing.registration, { masteryScore: 0.7 })), []);

      const none = await launchAu({});
      assert.equal(none.tracker.masteryScore, null);
      none.tracker.completed(result(0.9));
      none.tracker.terminate();
      await lrs.waitFor(terminatedIn(none.registration));
      assert.deepEqual(verbs(ofRegistration(none.registration)), ["initialized", "completed", "terminated"]);

      const element = await launchAu({});
      element.tracker.completed(result(0.9, 0.8));
      element.tracker.terminate();
      await lrs.waitFor(terminatedIn(element.registration));
      const list = ofRegistration(element.registration);
      assert.deepEqual(verbs(list), ["initialized", "completed", "passed", "terminated"], "the element's mastery-score when the LMS sets none");
      assert.equal(list[2].context.extensions[MASTERY_SCORE], undefined, "the masteryscore extension is for the LMS's value only");
      assert.deepEqual(validateStatements(list, rules(element.registration)), []);
    });

    for (const mode of ["Review", "Browse"]) {
      test(`launchMode ${mode}: initialized and terminated only; nothing saved`, async () => {
        const { tracker, registration } = await launchAu({ launchMode: mode, masteryScore: 0.5 });
        assert.equal(tracker.launchMode, mode.toLowerCase());
        tracker.started();
        tracker.progress("browse-state");
        tracker.answered(record());
        tracker.completed(result(0.9, 0.5));
        tracker.terminate();
        await lrs.waitFor(terminatedIn(registration));
        assert.deepEqual(verbs(ofRegistration(registration)), ["initialized", "terminated"]);
        assert.deepEqual(validateStatements(ofRegistration(registration), rules(registration, { launchMode: mode, masteryScore: 0.5 })), []);
        assert.equal(lrs.stateDocument({ activityId, actor: ACCOUNT, registration }, suspendStateId(activityId)), undefined);
      });
    }

    test("a relaunch resumes the saved attempt and never repeats completed or passed, nor fails after passed", async () => {
      const first = await launchAu({ masteryScore: 0.6 });
      first.tracker.progress("attempt-1");
      first.tracker.completed(result(0.9, 0.6));
      first.tracker.terminate();
      await lrs.waitFor(terminatedIn(first.registration));
      await lrs.waitFor(() => lrs.stateDocument({ activityId, actor: ACCOUNT, registration: first.registration }, suspendStateId(activityId))?.includes('"passed":true'));

      const second = await launchAu({ masteryScore: 0.6, registration: first.registration });
      assert.equal(second.tracker.resumeState, "attempt-1");
      second.tracker.completed(result(0.1, 0.6));
      second.tracker.terminate();
      await lrs.waitFor(terminatedIn(first.registration, 2));
      const list = ofRegistration(first.registration);
      assert.deepEqual(verbs(list), ["initialized", "completed", "passed", "terminated", "initialized", "terminated"]);
      assert.deepEqual(validateStatements(list, rules(first.registration, { masteryScore: 0.6 })), []);
    });

    test("failed, then passed in a later session of the same registration", async () => {
      const first = await launchAu({ masteryScore: 0.6 });
      first.tracker.completed(result(0.3, 0.6));
      first.tracker.terminate();
      await lrs.waitFor(terminatedIn(first.registration));
      await lrs.waitFor(() => lrs.stateDocument({ activityId, actor: ACCOUNT, registration: first.registration }, suspendStateId(activityId))?.includes('"completed":true'));
      const second = await launchAu({ masteryScore: 0.6, registration: first.registration });
      second.tracker.completed(result(0.8, 0.6));
      second.tracker.terminate();
      await lrs.waitFor(terminatedIn(first.registration, 2));
      const list = ofRegistration(first.registration);
      assert.deepEqual(verbs(list), ["initialized", "completed", "failed", "terminated", "initialized", "passed", "terminated"]);
      assert.deepEqual(validateStatements(list, rules(first.registration, { masteryScore: 0.6 })), []);
    });
  });
});
