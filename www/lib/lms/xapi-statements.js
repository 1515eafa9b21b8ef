// xAPI 1.0.3 statements, as both LRS trackers send them (xapi.js, cmi5.js) and as the element's
// events carry them (`statement`): pure builders, a record in and a JSON object out, so Node
// tests check every field and the calibrate command can rely on the shape it reads
// (src/authoring/calibrate/xapi.rs): object.id ends in `/banks/<bank>/items/<item>`, `result.success`,
// an actor with one identifier. Also the checks of what a page or an LMS hands in to build them
// from: the learner (an Agent) and IRIs.

import { choiceIds, isoDuration, plainText } from "./interaction.js";
import { TrackerUnavailable } from "./tracker.js";

/**
 * @typedef {import("../../skillcat-quiz.d.ts").XapiStatement} Statement
 * @typedef {NonNullable<Statement["result"]>} Result
 * @typedef {Statement["object"]} StatementObject
 * @typedef {Record<string, unknown>} Agent an xAPI Agent, checked by parseAgent
 * @typedef {import("./tracker.js").AnswerRecord} AnswerRecord
 * @typedef {Pick<import("../../pkg/skillcat.js").Report, "domains">} ReportDomains
 */

/**
 * What every statement of one tracker (or of the element's events) shares.
 * @typedef {object} StatementContext
 * @property {string} activityId    the quiz's IRI (cmi5: the AU's)
 * @property {Agent} [actor]        the learner; the events' statements have none
 * @property {{ id: string, title?: string, language?: string }[]} [banks]
 * @property {string} [language]    the language when no bank names one
 * @property {string} [registration] cmi5's registration
 * @property {boolean} [describeQuiz] false: the quiz object without a definition (cmi5)
 */

const ADL = "http://adlnet.gov/expapi";
export const VERBS = Object.freeze(
  Object.fromEntries(
    ["answered", "completed", "passed", "failed", "initialized", "terminated", "progressed"].map((name) => [
      name,
      { id: `${ADL}/verbs/${name}`, display: { "en-US": name } },
    ]),
  ),
);
export const INTERACTION = `${ADL}/activities/cmi.interaction`;
export const ASSESSMENT = `${ADL}/activities/assessment`;
/**
 * Result extension: false for an unscored pretest item (its answer is recorded to calibrate the
 * item but does not count). A URN, so it stays the same on every deployment.
 */
export const EXT_SCORED = "urn:skillcat:xapi:extension:scored";
/**
 * Result extension of `completed`: per domain (bank id), the probability of each of the bank's
 * levels in the bank's order, as the report gives them (4 decimals):
 * `{ "cloud": [{ "name": "Foundation", "probability": 0.0123 }, …], … }`.
 */
export const EXT_LEVEL_PROBABILITIES = "urn:skillcat:xapi:extension:level-probabilities";

/**
 * The EXT_LEVEL_PROBABILITIES value of a report, or null when it has no probabilities.
 * @param {ReportDomains | null | undefined} report
 */
export function levelProbabilitiesExtension(report) {
  const domains = (report?.domains ?? []).filter((d) => Array.isArray(d.levelProbabilities) && d.levelProbabilities.length);
  if (domains.length === 0) return null;
  return Object.fromEntries(
    domains.map((d) => [
      d.domain,
      d.levelProbabilities.map(({ name, probability }) => ({ name, probability: Math.round(probability * 10_000) / 10_000 })),
    ]),
  );
}

const NAME_CHARS = 120;
const DESCRIPTION_CHARS = 500;
const CHOICE_CHARS = 200;

/** @type {readonly string[]} */
const IFIS = ["mbox", "mbox_sha1sum", "openid", "account"];
const LANGUAGE_TAG = /^[A-Za-z]{2,8}(-[A-Za-z0-9]{1,8})*$/;

/** A v4 UUID; crypto.randomUUID needs a secure context, getRandomValues does not. */
export function uuid() {
  const c = globalThis.crypto;
  if (typeof c.randomUUID === "function") return c.randomUUID();
  const b = c.getRandomValues(new Uint8Array(16));
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  const hex = [...b].map((x) => x.toString(16).padStart(2, "0")).join("");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/**
 * @param {StatementContext} ctx
 * @param {string | null} domain
 */
function languageOf(ctx, domain) {
  const bank = ctx.banks?.find((b) => b.id === domain) ?? ctx.banks?.[0];
  const tag = bank?.language ?? ctx.language;
  return typeof tag === "string" && LANGUAGE_TAG.test(tag) ? tag : "und";
}

/** @param {string} iri */
function trimSlash(iri) {
  return iri.replace(/\/+$/, "");
}

/**
 * The IRI of one bank (`<activityId>/banks/<bank>`), the parent of its items.
 * @param {string} activityId
 * @param {string} bank
 */
export function bankIri(activityId, bank) {
  return `${trimSlash(activityId)}/banks/${encodeURIComponent(bank)}`;
}

/**
 * The IRI of one item, the shape the calibrate command reads.
 * @param {string} activityId
 * @param {string} bank
 * @param {string} item
 */
export function itemIri(activityId, bank, item) {
  return `${bankIri(activityId, bank)}/items/${encodeURIComponent(item)}`;
}

/**
 * @param {StatementContext} ctx
 * @param {keyof typeof VERBS} verb
 * @param {StatementObject} object
 * @param {{ result?: Result, context?: Record<string, unknown>, at?: Date }} [options]
 * @returns {Statement}
 */
function statement(ctx, verb, object, { result, context, at = new Date() } = {}) {
  // Copies: statements are plain data that callers may extend (cmi5 adds to the context).
  /** @type {Statement} */
  const s = { id: uuid(), actor: structuredClone(ctx.actor), verb: structuredClone(VERBS[verb]), object, timestamp: at.toISOString() };
  if (result) s.result = result;
  const c = { ...(ctx.registration ? { registration: ctx.registration } : {}), ...context };
  if (Object.keys(c).length) s.context = c;
  return s;
}

/**
 * The quiz (or the cmi5 AU) as a statement object.
 * @param {StatementContext} ctx
 */
function quizObject(ctx) {
  /** @type {StatementObject} */
  const object = { objectType: "Activity", id: ctx.activityId };
  if (ctx.describeQuiz !== false && ctx.banks?.length) {
    const lang = languageOf(ctx, null);
    object.definition = { type: ASSESSMENT, name: { [lang]: ctx.banks.map((b) => b.title || b.id).join(", ") } };
  }
  return object;
}

/**
 * `answered`: one answer as a cmi.interaction. `record` is an AnswerRecord (tracker.js). Choice
 * ids are "a", "b", …; true/false items whose options read True/False become `true-false` with
 * the response "true" or "false" (other two-option wordings stay `choice`). The correct
 * response is recorded only when `record.key` is given (not in assessment mode).
 * @param {AnswerRecord} record
 * @param {StatementContext} ctx
 */
export function answeredStatement(record, ctx) {
  const lang = languageOf(ctx, record.domain);
  const { type, ids } = choiceIds(record);
  const pattern = (/** @type {number[]} */ indices) => indices.map((i) => ids[i]).join("[,]");
  /** @type {Record<string, unknown>} */
  const definition = {
    type: INTERACTION,
    name: { [lang]: plainText(record.stem, NAME_CHARS) },
    description: { [lang]: plainText(record.stem, DESCRIPTION_CHARS) },
    interactionType: type,
  };
  if (record.key !== null && record.key !== undefined) definition.correctResponsesPattern = [pattern(record.key)];
  if (type === "choice") {
    definition.choices = record.options.map((text, i) => ({ id: ids[i], description: { [lang]: plainText(text, CHOICE_CHARS) } }));
  }
  const score = record.correct ? 1 : 0;
  /** @type {Result} */
  const result = {
    ...(Array.isArray(record.chosen) ? { response: pattern(record.chosen) } : {}),
    success: record.correct,
    score: { scaled: score, raw: score, min: 0, max: 1 },
    extensions: { [EXT_SCORED]: record.scored },
  };
  const answeredAt = record.answeredAt instanceof Date ? record.answeredAt : new Date(record.answeredAt);
  if (record.shownAt) result.duration = isoDuration(answeredAt.getTime() - new Date(record.shownAt).getTime());
  const bank = ctx.banks?.find((b) => b.id === record.domain);
  /** @type {StatementObject} */
  const group = { objectType: "Activity", id: bankIri(ctx.activityId, record.domain) };
  if (bank?.title) group.definition = { name: { [lang]: bank.title } };
  return statement(
    ctx,
    "answered",
    { objectType: "Activity", id: itemIri(ctx.activityId, record.domain, record.item), definition },
    {
      result,
      at: answeredAt,
      context: { contextActivities: { parent: [{ objectType: "Activity", id: ctx.activityId }], grouping: [group] } },
    },
  );
}

/** cmi5's result extension for progress, a whole percent; meaningful in plain xAPI too. */
export const EXT_PROGRESS = "https://w3id.org/xapi/cmi5/result/extensions/progress";

/**
 * @typedef {{ kind: "answered", record: AnswerRecord } | { kind: "progressed", progress: number }
 *   | { kind: "completed", score: number, passed: boolean | null, report: ReportDomains }} EventValue
 */

/**
 * The statement a host page gets in the element's `skillcat:answered` (`kind` "answered", value
 * an AnswerRecord), `skillcat:progress` ("progressed", value { progress } from 0 to 1) and
 * `skillcat:completed` (`kind` "completed", value { score, passed, report }) events,
 * to forward to its own LRS: without actor, id and timestamp, which the host adds. Without
 * `verdicts` (assessment mode) an answer carries no success and no score.
 * @param {EventValue} event the kind of statement and what it is built from
 * @param {StatementContext} ctx
 * @param {{ verdicts: boolean }} options
 * @returns {Statement}
 */
export function eventStatement(event, ctx, { verdicts }) {
  let s;
  if (event.kind === "answered") {
    s = answeredStatement(event.record, ctx);
    if (!verdicts && s.result) {
      delete s.result.success;
      delete s.result.score;
    }
  } else if (event.kind === "progressed") {
    s = statement(ctx, "progressed", quizObject(ctx), { result: { extensions: { [EXT_PROGRESS]: Math.round(event.progress * 100) } } });
  } else {
    s = completedStatement(ctx, { durationMs: 0, scaled: event.score, report: event.report });
    if (s.result) {
      delete s.result.duration;
      if (event.passed !== null) s.result.success = event.passed;
    }
  }
  delete s.id;
  delete s.timestamp;
  return s;
}

/**
 * @param {StatementContext} ctx
 * @param {{ at?: Date }} [options]
 */
export function initializedStatement(ctx, { at } = {}) {
  return statement(ctx, "initialized", quizObject(ctx), { at });
}

/**
 * `terminated` with the session's duration.
 * @param {StatementContext} ctx
 * @param {{ durationMs: number, at?: Date }} options
 */
export function terminatedStatement(ctx, { durationMs, at }) {
  return statement(ctx, "terminated", quizObject(ctx), { at, result: { duration: isoDuration(durationMs) } });
}

/**
 * `completed`: completion and duration; with `scaled`, the score too (plain xAPI only: cmi5
 * forbids it); with a `report`, its level probabilities as a result extension.
 * @param {StatementContext} ctx
 * @param {{ durationMs: number, scaled?: number | null, at?: Date, report?: ReportDomains | null }} options
 */
export function completedStatement(ctx, { durationMs, scaled = null, at, report = null }) {
  /** @type {Result} */
  const result = { completion: true, duration: isoDuration(durationMs) };
  if (scaled !== null) result.score = scoreOf(scaled);
  const levels = levelProbabilitiesExtension(report);
  if (levels) result.extensions = { [EXT_LEVEL_PROBABILITIES]: levels };
  return statement(ctx, "completed", quizObject(ctx), { at, result });
}

/**
 * @typedef {{ scaled: number, durationMs: number, at?: Date }} Judgement
 */

/**
 * @param {StatementContext} ctx
 * @param {Judgement} options
 */
export function passedStatement(ctx, options) {
  return judged(ctx, "passed", options);
}

/**
 * @param {StatementContext} ctx
 * @param {Judgement} options
 */
export function failedStatement(ctx, options) {
  return judged(ctx, "failed", options);
}

/**
 * @param {StatementContext} ctx
 * @param {"passed" | "failed"} verb
 * @param {Judgement} options
 */
function judged(ctx, verb, { scaled, durationMs, at }) {
  const result = { success: verb === "passed", score: scoreOf(scaled), duration: isoDuration(durationMs) };
  return statement(ctx, verb, quizObject(ctx), { at, result });
}

/**
 * 0..1 (clamped, 4 decimals) with an integer raw score out of 100, as cmi5 requires.
 * @param {number} scaled
 */
function scoreOf(scaled) {
  const s = Math.min(1, Math.max(0, Math.round(Number(scaled) * 10_000) / 10_000 || 0));
  return { scaled: s, raw: Math.round(s * 100), min: 0, max: 100 };
}

/**
 * Checks an xAPI Agent (JSON text or object) and returns it; throws TrackerUnavailable naming
 * `attribute` when it is not an Agent with exactly one inverse functional identifier.
 * @param {unknown} value
 * @param {string} attribute
 * @returns {Agent}
 */
export function parseAgent(value, attribute) {
  /** @type {any} JSON as the page wrote it, checked field by field below */
  let agent = value;
  if (typeof value === "string") {
    try {
      agent = JSON.parse(value);
    } catch {
      throw new TrackerUnavailable(
        `${attribute}: not JSON; expected an xAPI Agent such as {"objectType":"Agent","mbox":"mailto:ana@example.org"}`,
      );
    }
  }
  if (!agent || typeof agent !== "object" || Array.isArray(agent))
    throw new TrackerUnavailable(`${attribute}: not a JSON object (an xAPI Agent)`);
  if (agent.objectType !== undefined && agent.objectType !== "Agent")
    throw new TrackerUnavailable(`${attribute}: objectType must be "Agent"`);
  const present = IFIS.filter((k) => agent[k] !== undefined);
  if (present.length !== 1) {
    throw new TrackerUnavailable(
      `${attribute}: needs exactly one of ${IFIS.join(", ")} to identify the learner, found ${present.length ? present.join(", ") : "none"}`,
    );
  }
  const bad = (/** @type {string} */ why) => new TrackerUnavailable(`${attribute}: ${why}`);
  if (present[0] === "mbox" && !/^mailto:[^@\s]+@[^@\s]+$/.test(agent.mbox)) throw bad(`mbox must be "mailto:<address>"`);
  if (present[0] === "mbox_sha1sum" && !/^[0-9a-f]{40}$/i.test(agent.mbox_sha1sum)) throw bad("mbox_sha1sum must be 40 hex digits");
  if (present[0] === "openid" && !isAbsoluteIri(agent.openid)) throw bad("openid must be an absolute URI");
  if (present[0] === "account") {
    const { homePage, name } = agent.account ?? {};
    if (!isAbsoluteIri(homePage) || typeof name !== "string" || !name) throw bad("account needs a homePage URL and a name");
  }
  return { objectType: "Agent", ...agent };
}

/**
 * @param {unknown} value
 * @returns {value is string}
 */
export function isAbsoluteIri(value) {
  return typeof value === "string" && /^[A-Za-z][A-Za-z0-9+.-]*:[^\s<>"{}|\\^`]+$/.test(value);
}
