// xAPI 1.0.3 statements, as both LRS trackers send them (xapi.js, cmi5.js) and as the element's
// events carry them (`statement`): pure builders, a record in and a JSON object out, so Node
// tests check every field and the calibrate command can rely on the shape it reads
// (src/calibrate/xapi.rs): object.id ends in `/banks/<bank>/items/<item>`, `result.success`,
// an actor with one identifier. Also the checks of what a page or an LMS hands in to build them
// from: the learner (an Agent) and IRIs.

import { choiceIds, isoDuration, plainText } from "./interaction.js";
import { TrackerUnavailable } from "./tracker.js";

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

/** The EXT_LEVEL_PROBABILITIES value of a report, or null when it has no probabilities. */
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

function languageOf(ctx, domain) {
  const bank = ctx.banks?.find((b) => b.id === domain) ?? ctx.banks?.[0];
  const tag = bank?.language ?? ctx.language;
  return typeof tag === "string" && LANGUAGE_TAG.test(tag) ? tag : "und";
}

function trimSlash(iri) {
  return iri.replace(/\/+$/, "");
}

/** The IRI of one bank (`<activityId>/banks/<bank>`), the parent of its items. */
export function bankIri(activityId, bank) {
  return `${trimSlash(activityId)}/banks/${encodeURIComponent(bank)}`;
}

/** The IRI of one item, the shape the calibrate command reads. */
export function itemIri(activityId, bank, item) {
  return `${bankIri(activityId, bank)}/items/${encodeURIComponent(item)}`;
}

function statement(ctx, verb, object, { result, context, at = new Date() } = {}) {
  // Copies: statements are plain data that callers may extend (cmi5 adds to the context).
  const s = { id: uuid(), actor: structuredClone(ctx.actor), verb: structuredClone(VERBS[verb]), object, timestamp: at.toISOString() };
  if (result) s.result = result;
  const c = { ...(ctx.registration ? { registration: ctx.registration } : {}), ...context };
  if (Object.keys(c).length) s.context = c;
  return s;
}

/** The quiz (or the cmi5 AU) as a statement object. */
function quizObject(ctx) {
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
 */
export function answeredStatement(record, ctx) {
  const lang = languageOf(ctx, record.domain);
  const { type, ids } = choiceIds(record);
  const pattern = (indices) => indices.map((i) => ids[i]).join("[,]");
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
  const result = {
    ...(Array.isArray(record.chosen) ? { response: pattern(record.chosen) } : {}),
    success: record.correct,
    score: { scaled: score, raw: score, min: 0, max: 1 },
    extensions: { [EXT_SCORED]: record.scored },
  };
  const answeredAt = record.answeredAt instanceof Date ? record.answeredAt : new Date(record.answeredAt);
  if (record.shownAt) result.duration = isoDuration(answeredAt - new Date(record.shownAt));
  const bank = ctx.banks?.find((b) => b.id === record.domain);
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
 * The statement a host page gets in the element's `skillcat:answered` (`kind` "answered", value
 * an AnswerRecord), `skillcat:progress` ("progressed", value { progress } from 0 to 1) and
 * `skillcat:completed` (`kind` "completed", value { score, passed, report }) events,
 * to forward to its own LRS: without actor, id and timestamp, which the host adds. Without
 * `verdicts` (assessment mode) an answer carries no success and no score.
 */
export function eventStatement(kind, value, ctx, { verdicts }) {
  let s;
  if (kind === "answered") {
    s = answeredStatement(value, ctx);
    if (!verdicts) {
      delete s.result.success;
      delete s.result.score;
    }
  } else if (kind === "progressed") {
    s = statement(ctx, "progressed", quizObject(ctx), { result: { extensions: { [EXT_PROGRESS]: Math.round(value.progress * 100) } } });
  } else {
    s = completedStatement(ctx, { durationMs: 0, scaled: value.score, report: value.report });
    delete s.result.duration;
    if (value.passed !== null) s.result.success = value.passed;
  }
  delete s.id;
  delete s.timestamp;
  return s;
}

export function initializedStatement(ctx, { at } = {}) {
  return statement(ctx, "initialized", quizObject(ctx), { at });
}

/** `terminated` with the session's duration. */
export function terminatedStatement(ctx, { durationMs, at } = {}) {
  return statement(ctx, "terminated", quizObject(ctx), { at, result: { duration: isoDuration(durationMs) } });
}

/**
 * `completed`: completion and duration; with `scaled`, the score too (plain xAPI only: cmi5
 * forbids it); with a `report`, its level probabilities as a result extension.
 */
export function completedStatement(ctx, { durationMs, scaled = null, at, report = null } = {}) {
  const result = { completion: true, duration: isoDuration(durationMs) };
  if (scaled !== null) result.score = scoreOf(scaled);
  const levels = levelProbabilitiesExtension(report);
  if (levels) result.extensions = { [EXT_LEVEL_PROBABILITIES]: levels };
  return statement(ctx, "completed", quizObject(ctx), { at, result });
}

export function passedStatement(ctx, options) {
  return judged(ctx, "passed", options);
}

export function failedStatement(ctx, options) {
  return judged(ctx, "failed", options);
}

function judged(ctx, verb, { scaled, durationMs, at }) {
  const result = { success: verb === "passed", score: scoreOf(scaled), duration: isoDuration(durationMs) };
  return statement(ctx, verb, quizObject(ctx), { at, result });
}

/** 0..1 (clamped, 4 decimals) with an integer raw score out of 100, as cmi5 requires. */
function scoreOf(scaled) {
  const s = Math.min(1, Math.max(0, Math.round(Number(scaled) * 10_000) / 10_000 || 0));
  return { scaled: s, raw: Math.round(s * 100), min: 0, max: 100 };
}

/**
 * Checks an xAPI Agent (JSON text or object) and returns it; throws TrackerUnavailable naming
 * `attribute` when it is not an Agent with exactly one inverse functional identifier.
 */
export function parseAgent(value, attribute) {
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
  const bad = (why) => new TrackerUnavailable(`${attribute}: ${why}`);
  if (present[0] === "mbox" && !/^mailto:[^@\s]+@[^@\s]+$/.test(agent.mbox)) throw bad(`mbox must be "mailto:<address>"`);
  if (present[0] === "mbox_sha1sum" && !/^[0-9a-f]{40}$/i.test(agent.mbox_sha1sum)) throw bad("mbox_sha1sum must be 40 hex digits");
  if (present[0] === "openid" && !isAbsoluteIri(agent.openid)) throw bad("openid must be an absolute URI");
  if (present[0] === "account") {
    const { homePage, name } = agent.account ?? {};
    if (!isAbsoluteIri(homePage) || typeof name !== "string" || !name) throw bad("account needs a homePage URL and a name");
  }
  return { objectType: "Agent", ...agent };
}

export function isAbsoluteIri(value) {
  return typeof value === "string" && /^[A-Za-z][A-Za-z0-9+.-]*:[^\s<>"{}|\\^`]+$/.test(value);
}
