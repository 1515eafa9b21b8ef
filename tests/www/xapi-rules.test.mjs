// The statement validator (tests/e2e/xapi-rules.mjs) can fail: a valid cmi5 session, built with
// the real builders (www/lib/lms/xapi.js, cmi5.js), passes with zero violations, and each rule
// then catches one crafted defect, reported with the statement index and the field; so does the
// maintained validator (@learninglocker/xapi-validation) that validateStatements also runs.

import assert from "node:assert/strict";
import { test } from "node:test";

import { validateStatements } from "../e2e/xapi-rules.mjs";
import { CMI5_CATEGORY, cmi5Context, MASTERY_SCORE, MOVEON_CATEGORY, SESSION_ID } from "../../www/lib/lms/cmi5.js";
import {
  answeredStatement,
  completedStatement,
  failedStatement,
  initializedStatement,
  passedStatement,
  terminatedStatement,
} from "../../www/lib/lms/xapi-statements.js";

const ACTOR = { objectType: "Agent", account: { homePage: "https://lms.example", name: "1625378" } };
const ACTIVITY = "https://lms.example/activities/au-1";
const REGISTRATION = "7d1b5bfa-3a4c-4d8e-9b56-1c0f2f1e6a10";
const SESSION = "1f0c8a4e-5d6b-4c7a-8e9f-0a1b2c3d4e5f";
const OTHER_SESSION = "2a1d9b5f-6e7c-4d8b-9fa0-1b2c3d4e5f60";
const MASTERY = 0.7;
const TEMPLATE = {
  contextActivities: { grouping: [{ objectType: "Activity", id: "https://publisher.example/au/1" }] },
  extensions: { [SESSION_ID]: SESSION },
};
const ctx = { actor: ACTOR, activityId: ACTIVITY, describeQuiz: false, banks: [{ id: "cybersecurity", title: "Cyber", language: "en" }] };
const RULES = { cmi5: { activityId: ACTIVITY, registration: REGISTRATION, masteryScore: MASTERY, launchMode: "Normal", actor: ACTOR } };

function at(seconds) {
  return new Date(Date.UTC(2025, 2, 1, 10, 0, seconds));
}

function cmi5(statement, { defined = true, session = SESSION, masteryScore = null } = {}) {
  const moveOn = statement.result?.success !== undefined || statement.result?.completion !== undefined;
  const template = { ...TEMPLATE, extensions: { [SESSION_ID]: session } };
  statement.context = cmi5Context(template, statement.context, { registration: REGISTRATION, sessionId: session, defined, moveOn, masteryScore });
  return statement;
}

function answer(seconds, overrides = {}) {
  return {
    item: `cyb-${seconds}`,
    domain: "cybersecurity",
    topic: "threats",
    type: "single",
    stem: "Which one?",
    options: ["A", "B", "C"],
    chosen: [1],
    key: [1],
    correct: true,
    scored: true,
    sequence: seconds,
    shownAt: at(seconds - 1),
    answeredAt: at(seconds),
    ...overrides,
  };
}

/** initialized, 2 answers (one true/false), completed, passed, terminated. */
function session({ session: id = SESSION, start = 0 } = {}) {
  return [
    cmi5(initializedStatement(ctx, { at: at(start) }), { session: id }),
    cmi5(answeredStatement(answer(start + 1), ctx), { defined: false, session: id }),
    cmi5(answeredStatement(answer(start + 2, { type: "true_false", options: ["True", "False"], chosen: [0], key: [0] }), ctx), { defined: false, session: id }),
    cmi5(completedStatement(ctx, { durationMs: 3000, at: at(start + 3) }), { session: id }),
    cmi5(passedStatement(ctx, { scaled: 0.8, durationMs: 3000, at: at(start + 4) }), { session: id, masteryScore: MASTERY }),
    cmi5(terminatedStatement(ctx, { durationMs: 5000, at: at(start + 5) }), { session: id }),
  ];
}

const categories = (s) => s.context.contextActivities.category ?? [];

test("a valid cmi5 session, and one with a failed session before the passing one, have no violations", () => {
  assert.deepEqual(validateStatements(session(), RULES), []);
  const failedFirst = [
    cmi5(initializedStatement(ctx, { at: at(0) }), { session: OTHER_SESSION }),
    cmi5(failedStatement(ctx, { scaled: 0.2, durationMs: 1000, at: at(1) }), { session: OTHER_SESSION, masteryScore: MASTERY }),
    cmi5(terminatedStatement(ctx, { durationMs: 2000, at: at(2) }), { session: OTHER_SESSION }),
    ...session({ start: 10 }),
  ];
  assert.deepEqual(validateStatements(failedFirst, RULES), []);
  assert.deepEqual(validateStatements(session()), [], "and as plain xAPI");
});

const CASES = [
  // xAPI 1.0.3
  ["id is a UUID", (l) => (l[1].id = "42"), /^\[1\] id: "42" is not a UUID/],
  ["actor, verb and object are required", (l) => delete l[1].verb, /^\[1\] verb: missing/],
  ["no unknown statement properties", (l) => (l[1].score = 1), /^\[1\] score: not a statement property/],
  ["no nulls outside extensions", (l) => (l[1].result.response = null), /^\[1\] result\.response: null is not allowed/],
  ["actor has exactly one identifier", (l) => (l[1].actor = { ...ACTOR, mbox: "mailto:a@b.example" }), /^\[1\] actor: needs exactly one inverse functional identifier, has mbox, account/],
  ["actor has an identifier", (l) => (l[1].actor = { objectType: "Agent", name: "Ana" }), /^\[1\] actor: needs exactly one .* has none/],
  ["mbox is a mailto IRI", (l) => (l[1].actor = { mbox: "ana@example.org" }), /^\[1\] actor\.mbox: "ana@example.org" is not a mailto IRI/],
  ["verb.id is an absolute IRI", (l) => (l[1].verb.id = "answered"), /^\[1\] verb\.id: "answered" is not an absolute IRI/],
  ["object.id is an absolute IRI", (l) => (l[1].object.id = "banks/x/items/y"), /^\[1\] object\.id: .* is not an absolute IRI/],
  ["language map keys are language tags", (l) => (l[1].object.definition.name = { "english!": "x" }), /^\[1\] object\.definition\.name: "english!" is not an RFC 5646 language tag/],
  ["scaled is within [-1, 1]", (l) => (l[1].result.score.scaled = 1.5), /^\[1\] result\.score\.scaled: 1\.5 is outside \[-1, 1\]/],
  ["min is below max", (l) => (l[1].result.score.min = 1), /^\[1\] result\.score: min 1 is not below max 1/],
  ["raw is within [min, max]", (l) => (l[1].result.score.raw = 2), /^\[1\] result\.score\.raw: 2 is above max 1/],
  ["score values are numbers", (l) => (l[1].result.score.raw = "1"), /^\[1\] result\.score\.raw: not a number/],
  ["success is a boolean", (l) => (l[1].result.success = "true"), /^\[1\] result\.success: not a boolean/],
  ["duration is ISO 8601", (l) => (l[1].result.duration = "62.5 seconds"), /^\[1\] result\.duration: "62\.5 seconds" is not an ISO 8601 duration/],
  ["weeks do not combine", (l) => (l[1].result.duration = "P1W2D"), /^\[1\] result\.duration: "P1W2D"/],
  ["timestamp is ISO 8601 with a zone", (l) => (l[1].timestamp = "2025-03-01 10:00:01"), /^\[1\] timestamp: .* is not an ISO 8601 timestamp/],
  ["extension keys are IRIs", (l) => (l[1].result.extensions = { scored: true }), /^\[1\] result\.extensions: key "scored" is not an absolute IRI/],
  ["interactionType is known", (l) => (l[1].object.definition.interactionType = "multiple-choice"), /^\[1\] object\.definition\.interactionType: "multiple-choice" is not an interaction type/],
  ["correctResponsesPattern is an array of strings", (l) => (l[1].object.definition.correctResponsesPattern = "b"), /^\[1\] object\.definition\.correctResponsesPattern: not an array of strings/],
  ["choice ids are distinct", (l) => (l[1].object.definition.choices[2].id = "a"), /^\[1\] object\.definition\.choices: component ids are not distinct/],
  ["choice ids have no whitespace", (l) => (l[1].object.definition.choices[2].id = "c c"), /^\[1\] object\.definition\.choices\[2\]\.id: contains whitespace/],
  ["a choice response is ids delimited by [,]", (l) => (l[1].result.response = "a,c"), /^\[1\] result\.response: ids a,c are not among the choices/],
  ["a choice response has no empty ids", (l) => (l[1].result.response = "a[,]"), /^\[1\] result\.response: "a\[,\]" is not a list of ids delimited by \[,\]/],
  ["a choice pattern uses known ids", (l) => (l[1].object.definition.correctResponsesPattern = ["z"]), /^\[1\] object\.definition\.correctResponsesPattern\[0\]: ids z are not among the choices/],
  ["a true-false response is true or false", (l) => (l[2].result.response = "yes"), /^\[2\] result\.response: "yes" is not "true" or "false"/],
  ["true-false takes no choices", (l) => (l[2].object.definition.choices = [{ id: "a" }]), /^\[2\] object\.definition\.choices: not allowed for interactionType true-false/],
  ["registration is a UUID", (l) => (l[1].context.registration = "reg-1"), /^\[1\] context\.registration: "reg-1" is not a UUID/],
  ["contextActivities keys are parent, grouping, category, other", (l) => (l[1].context.contextActivities.siblings = [{ id: ACTIVITY }]), /^\[1\] context\.contextActivities\.siblings: not parent, grouping, category or other/],
  ["context activities have IRI ids", (l) => (l[1].context.contextActivities.parent[0].id = "au-1"), /^\[1\] context\.contextActivities\.parent\[0\]\.id: "au-1" is not an absolute IRI/],
  ["version is 1.0.x", (l) => (l[1].version = "2.0.0"), /^\[1\] version: "2\.0\.0" is not 1\.0\.x/],

  // cmi5
  ["initialized comes first", (l) => (l[1].timestamp = at(-1).toISOString()), /^\[1\] verb: session .* starts with "answered", not initialized/],
  ["terminated comes last", (l) => (l[4].timestamp = at(9).toISOString()), /^\[4\] verb: session .* ends with "passed", not terminated/],
  ["terminated carries a duration", (l) => delete l[5].result, /^\[5\] result\.duration: required on "terminated"/],
  ["completed carries a duration", (l) => delete l[3].result.duration, /^\[3\] result\.duration: required on "completed"/],
  ["initialized once per session", (l) => l.splice(1, 0, cmi5(initializedStatement(ctx, { at: at(0) }))), /^\[1\] verb: "initialized" again in session/],
  ["one completed per registration", (l) => l.push(...session({ session: OTHER_SESSION, start: 10 }).filter((s) => !s.verb.id.endsWith("passed"))), /verb: a second completed in the registration \(first at \[3\]\)/],
  ["one passed per registration", (l) => l.push(...session({ session: OTHER_SESSION, start: 10 }).filter((s) => !s.verb.id.endsWith("completed"))), /verb: a second passed in the registration \(first at \[4\]\)/],
  [
    "no failed after passed",
    (l) =>
      l.push(
        cmi5(initializedStatement(ctx, { at: at(10) }), { session: OTHER_SESSION }),
        cmi5(failedStatement(ctx, { scaled: 0.1, durationMs: 1, at: at(11) }), { session: OTHER_SESSION, masteryScore: MASTERY }),
        cmi5(terminatedStatement(ctx, { durationMs: 2, at: at(12) }), { session: OTHER_SESSION }),
      ),
    /^\[7\] verb: failed after passed \(at \[4\]\)/,
  ],
  ["not both passed and failed in a session", (l) => l.splice(5, 0, cmi5(failedStatement(ctx, { scaled: 0.1, durationMs: 1, at: at(4) }), { masteryScore: MASTERY })), /verb: both passed and failed in session/],
  ["scores only on passed and failed", (l) => (l[3].result.score = { scaled: 0.8 }), /^\[3\] result\.score: not allowed on "completed" \(only passed and failed\)/],
  ["scaled in 0..1 on passed", (l) => (l[4].result.score.scaled = -0.5), /^\[4\] result\.score\.scaled: -0\.5 is outside 0\.\.1/],
  ["raw is an integer on passed", (l) => (l[4].result.score.raw = 80.5), /^\[4\] result\.score\.raw: not an integer/],
  ["passed reaches the masteryScore", (l) => (l[4].result.score.scaled = 0.6), /^\[4\] result\.score\.scaled: 0\.6 is below the masteryScore 0\.7 on passed/],
  ["passed/failed carry the masteryscore extension", (l) => delete l[4].context.extensions[MASTERY_SCORE], /^\[4\] context\.extensions: passed\/failed must carry the masteryscore extension 0\.7/],
  ["success only on passed and failed", (l) => (l[3].result.success = true), /^\[3\] result\.success: not allowed on "completed"/],
  ["passed has success true", (l) => (l[4].result.success = false), /^\[4\] result\.success: must be true on passed/],
  ["the sessionid extension on every statement", (l) => delete l[1].context.extensions[SESSION_ID], /^\[1\] context\.extensions: no cmi5 sessionid extension/],
  ["the cmi5 category only on cmi5 defined statements", (l) => (l[1].context.contextActivities.category = [{ id: CMI5_CATEGORY }]), /^\[1\] context\.contextActivities\.category: the cmi5 category on a "answered" statement/],
  ["cmi5 defined statements carry the cmi5 category", (l) => (l[3].context.contextActivities.category = categories(l[3]).filter((c) => c.id !== CMI5_CATEGORY)), /^\[3\] context\.contextActivities\.category: "completed" about the AU without the cmi5 category/],
  ["the moveon category with success or completion", (l) => (l[4].context.contextActivities.category = categories(l[4]).filter((c) => c.id !== MOVEON_CATEGORY)), /^\[4\] context\.contextActivities\.category: "passed" sets success or completion without the moveon category/],
  ["no moveon category elsewhere", (l) => (l[0].context.contextActivities.category = [...categories(l[0]), { id: MOVEON_CATEGORY }]), /^\[0\] context\.contextActivities\.category: the moveon category on a statement/],
  ["the same registration everywhere", (l) => (l[2].context.registration = "0b0e7d6c-1a2b-4c3d-8e4f-5a6b7c8d9e0f"), /^\[2\] context\.registration: .* is not the launch registration/],
  ["the launch actor everywhere", (l) => (l[1].actor = { objectType: "Agent", account: { homePage: "https://lms.example", name: "other" } }), /^\[1\] actor: is not the launch actor/],
  ["cmi5 defined statements have the AU as object", (l) => (l[3].object.id = `${ACTIVITY}/other`), /^\[3\] object\.id: a cmi5 defined statement must have the launch activityId/],
  ["cmi5 defined statements have an account actor", (l) => (l[0].actor = { objectType: "Agent", mbox: "mailto:a@b.example" }), /^\[0\] actor: a cmi5 defined statement needs an Agent with an account/],
];

for (const [rule, mutate, expected] of CASES) {
  test(`catches: ${rule}`, () => {
    const list = session();
    mutate(list);
    const violations = validateStatements(list, RULES);
    assert.ok(violations.some((v) => expected.test(v)), `expected ${expected}, got:\n${violations.join("\n") || "(none)"}`);
  });
}

test("launchMode Review: completed, passed or failed are violations", () => {
  const violations = validateStatements(session(), { cmi5: { ...RULES.cmi5, launchMode: "Review" } });
  assert.ok(violations.includes('[3] verb: "completed" in launchMode Review'), violations.join("\n"));
  assert.ok(violations.includes('[4] verb: "passed" in launchMode Review'), violations.join("\n"));
  const quiet = session().filter((s) => /initialized|terminated/.test(s.verb.id));
  assert.deepEqual(validateStatements(quiet, { cmi5: { ...RULES.cmi5, launchMode: "Review" } }), []);
});

test("the maintained validator's findings are reported too, where the own rules see nothing", () => {
  const list = session();
  list[1].object.definition.moreInfo = "see the course page";
  list[2].context.statement = { objectType: "StatementRef", id: "42" };
  const violations = validateStatements(list, RULES);
  assert.deepEqual(violations, [
    "[1] object.definition.moreInfo: @learninglocker/xapi-validation TypeWarning (Internationalized Resource Identifier (IRI))",
    "[2] context.statement.id: @learninglocker/xapi-validation TypeWarning (Universal Unique Identifier (UUID))",
  ]);
});

test("not a list", () => {
  assert.deepEqual(validateStatements({}), ["statements: not an array"]);
});
