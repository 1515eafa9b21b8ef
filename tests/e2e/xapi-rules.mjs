// A validator for statement lists: the xAPI 1.0.3 rules a program can check (xAPI-Data.md §2.2,
// §2.4, §4) and, with `cmi5`, the AU rules of cmi5 (cmi5_spec.md §7.1, §9, §10; criteria 11–12
// of /work/shared/reference/lms-formats-a11y.md §8c). It returns violations as strings
// ("[3] result.score.scaled: …", the index in the list given) instead of throwing, so a test
// can show all of them at once, and tests/www/xapi-rules.test.mjs can prove each rule fires.
//
// validateStatements(statements, {
//   cmi5: { activityId, registration, masteryScore, launchMode, actor } | undefined,
// }) → string[]
//
// Ordering rules use the timestamps (cmi5 §9.3: "the order is determined by the value of the
// timestamp property"), the list order breaking ties; sessions are told apart by the sessionid
// extension, so one list may hold several launches of one registration.
//
// Every statement also goes through Learning Locker's maintained validator
// (@learninglocker/xapi-validation, the one its LRS runs); its findings are reported as
// "[3] result.score.scaled: @learninglocker/xapi-validation TypeWarning (Scaled)".

import learningLocker from "@learninglocker/xapi-validation";

/** The maintained validator: a statement → its warnings ({ path, name, typeName? }). */
const maintainedValidator = learningLocker.default ?? learningLocker;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const IRI = /^[A-Za-z][A-Za-z0-9+.-]*:[^\s<>"{}|\\^`]+$/;
const LANGUAGE_TAG = /^[A-Za-z]{2,8}(-[A-Za-z0-9]{1,8})*$/;
const TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;
const DURATION = /^P(?!$)(\d+(\.\d+)?Y)?(\d+(\.\d+)?M)?(\d+(\.\d+)?D)?(T(?=\d)(\d+(\.\d+)?H)?(\d+(\.\d+)?M)?(\d+(\.\d+)?S)?)?$|^P\d+(\.\d+)?W$/;
const STATEMENT_KEYS = ["id", "actor", "verb", "object", "result", "context", "timestamp", "stored", "authority", "version", "attachments"];
const IFIS = ["mbox", "mbox_sha1sum", "openid", "account"];
const INTERACTION_TYPES = ["true-false", "choice", "fill-in", "long-fill-in", "matching", "performance", "sequencing", "likert", "numeric", "other"];
const COMPONENT_LISTS = { choice: ["choices"], sequencing: ["choices"], likert: ["scale"], matching: ["source", "target"], performance: ["steps"] };
const CONTEXT_ACTIVITY_KEYS = ["parent", "grouping", "category", "other"];

export const ADL_VERB = (name) => `http://adlnet.gov/expapi/verbs/${name}`;
const CMI5 = "https://w3id.org/xapi/cmi5/context";
export const CMI5_CATEGORY = `${CMI5}/categories/cmi5`;
export const MOVEON_CATEGORY = `${CMI5}/categories/moveon`;
export const SESSION_ID = `${CMI5}/extensions/sessionid`;
export const MASTERY_SCORE = `${CMI5}/extensions/masteryscore`;
const DEFINED_VERBS = ["initialized", "completed", "passed", "failed", "terminated"].map(ADL_VERB);

const isObject = (v) => v !== null && typeof v === "object" && !Array.isArray(v);
const verbName = (s) => String(s?.verb?.id ?? "").split("/").pop();

/** @returns {string[]} violations; empty when the list passes every rule checked. */
export function validateStatements(statements, { cmi5 } = {}) {
  const out = [];
  if (!Array.isArray(statements)) return ["statements: not an array"];
  statements.forEach((s, i) => {
    checkStatement(s, (path, message) => out.push(`[${i}] ${path}: ${message}`));
    for (const warning of maintainedValidator(s)) {
      const path = warning.path.slice(1).join(".") || "statement";
      out.push(`[${i}] ${path}: @learninglocker/xapi-validation ${warning.name}${warning.typeName ? ` (${warning.typeName})` : ""}`);
    }
  });
  if (cmi5) checkCmi5(statements, cmi5, out);
  return out;
}

function checkStatement(s, bad) {
  if (!isObject(s)) return bad("statement", "not a JSON object");
  findNulls(s, "", bad);
  for (const key of Object.keys(s)) if (!STATEMENT_KEYS.includes(key)) bad(key, "not a statement property");
  if (s.id !== undefined && !(typeof s.id === "string" && UUID.test(s.id))) bad("id", `${JSON.stringify(s.id)} is not a UUID`);
  for (const key of ["actor", "verb", "object"]) if (s[key] === undefined) bad(key, "missing");
  if (s.actor !== undefined) checkAgent(s.actor, "actor", bad);
  if (s.verb !== undefined) {
    if (!isObject(s.verb)) bad("verb", "not an object");
    else {
      checkIri(s.verb.id, "verb.id", bad);
      if (s.verb.display !== undefined) checkLanguageMap(s.verb.display, "verb.display", bad);
    }
  }
  if (s.object !== undefined) checkObject(s.object, bad);
  if (s.result !== undefined) checkResult(s.result, s.object?.definition, bad);
  if (s.context !== undefined) checkContext(s.context, s.object, bad);
  if (s.timestamp !== undefined) checkTimestamp(s.timestamp, "timestamp", bad);
  if (s.stored !== undefined) checkTimestamp(s.stored, "stored", bad);
  if (s.version !== undefined && !/^1\.0(\.\d+)?$/.test(String(s.version))) bad("version", `${JSON.stringify(s.version)} is not 1.0.x`);
}

function findNulls(value, path, bad) {
  if (value === null) return bad(path || "statement", "null is not allowed outside extensions");
  if (typeof value !== "object") return;
  for (const [key, child] of Object.entries(value)) {
    if (key === "extensions") continue;
    findNulls(child, path ? `${path}.${key}` : key, bad);
  }
}

function checkIri(value, path, bad) {
  if (!(typeof value === "string" && IRI.test(value))) bad(path, `${JSON.stringify(value)} is not an absolute IRI`);
}

function checkLanguageMap(map, path, bad) {
  if (!isObject(map)) return bad(path, "not a language map");
  for (const [tag, text] of Object.entries(map)) {
    if (!LANGUAGE_TAG.test(tag)) bad(path, `"${tag}" is not an RFC 5646 language tag`);
    if (typeof text !== "string") bad(`${path}.${tag}`, "not a string");
  }
}

function checkTimestamp(value, path, bad) {
  if (!(typeof value === "string" && TIMESTAMP.test(value) && !Number.isNaN(Date.parse(value))) || /-00:00$/.test(value)) {
    bad(path, `${JSON.stringify(value)} is not an ISO 8601 timestamp with a time zone`);
  }
}

function checkExtensions(map, path, bad) {
  if (!isObject(map)) return bad(path, "not an object");
  for (const key of Object.keys(map)) if (!IRI.test(key)) bad(path, `key "${key}" is not an absolute IRI`);
}

function checkAgent(agent, path, bad) {
  if (!isObject(agent)) return bad(path, "not an object");
  if (agent.objectType !== undefined && agent.objectType !== "Agent" && agent.objectType !== "Group") {
    return bad(`${path}.objectType`, `${JSON.stringify(agent.objectType)} is not Agent or Group`);
  }
  const ifis = IFIS.filter((k) => agent[k] !== undefined);
  if (agent.objectType !== "Group" && ifis.length !== 1) bad(path, `needs exactly one inverse functional identifier, has ${ifis.length ? ifis.join(", ") : "none"}`);
  if (agent.objectType === "Group" && ifis.length > 1) bad(path, "a group has at most one inverse functional identifier");
  if (agent.mbox !== undefined && !/^mailto:[^@\s]+@[^@\s]+$/.test(agent.mbox)) bad(`${path}.mbox`, `${JSON.stringify(agent.mbox)} is not a mailto IRI`);
  if (agent.mbox_sha1sum !== undefined && !/^[0-9a-f]{40}$/i.test(agent.mbox_sha1sum)) bad(`${path}.mbox_sha1sum`, "not 40 hex digits");
  if (agent.openid !== undefined) checkIri(agent.openid, `${path}.openid`, bad);
  if (agent.account !== undefined) {
    if (!isObject(agent.account)) bad(`${path}.account`, "not an object");
    else {
      checkIri(agent.account.homePage, `${path}.account.homePage`, bad);
      if (typeof agent.account.name !== "string" || !agent.account.name) bad(`${path}.account.name`, "missing");
    }
  }
}

function checkObject(object, bad) {
  if (!isObject(object)) return bad("object", "not an object");
  const type = object.objectType ?? "Activity";
  if (type !== "Activity") return; // the quiz only sends Activities; other kinds are not checked
  checkIri(object.id, "object.id", bad);
  const d = object.definition;
  if (d === undefined) return;
  if (!isObject(d)) return bad("object.definition", "not an object");
  if (d.name !== undefined) checkLanguageMap(d.name, "object.definition.name", bad);
  if (d.description !== undefined) checkLanguageMap(d.description, "object.definition.description", bad);
  if (d.type !== undefined) checkIri(d.type, "object.definition.type", bad);
  if (d.extensions !== undefined) checkExtensions(d.extensions, "object.definition.extensions", bad);
  const interactive = ["interactionType", "correctResponsesPattern", "choices", "scale", "source", "target", "steps"].some((k) => d[k] !== undefined);
  if (!interactive) return;
  if (!INTERACTION_TYPES.includes(d.interactionType)) return bad("object.definition.interactionType", `${JSON.stringify(d.interactionType)} is not an interaction type`);
  const allowed = COMPONENT_LISTS[d.interactionType] ?? [];
  for (const list of ["choices", "scale", "source", "target", "steps"]) {
    if (d[list] === undefined) continue;
    const path = `object.definition.${list}`;
    if (!allowed.includes(list)) bad(path, `not allowed for interactionType ${d.interactionType}`);
    if (!Array.isArray(d[list])) {
      bad(path, "not an array");
      continue;
    }
    const ids = d[list].map((c) => c?.id);
    d[list].forEach((c, j) => {
      if (typeof c?.id !== "string" || !c.id) bad(`${path}[${j}].id`, "missing");
      else if (/\s/.test(c.id)) bad(`${path}[${j}].id`, "contains whitespace");
      if (c?.description !== undefined) checkLanguageMap(c.description, `${path}[${j}].description`, bad);
    });
    if (new Set(ids).size !== ids.length) bad(path, "component ids are not distinct");
  }
  if (d.correctResponsesPattern !== undefined) {
    if (!Array.isArray(d.correctResponsesPattern) || d.correctResponsesPattern.some((p) => typeof p !== "string")) {
      bad("object.definition.correctResponsesPattern", "not an array of strings");
    } else {
      d.correctResponsesPattern.forEach((p, j) => checkResponse(p, d, `object.definition.correctResponsesPattern[${j}]`, bad));
    }
  }
}

/** The response formats of xAPI-Data.md §2.4.4.1 for the types the quiz uses. */
function checkResponse(response, d, path, bad) {
  if (d.interactionType === "true-false" && response !== "true" && response !== "false") {
    bad(path, `${JSON.stringify(response)} is not "true" or "false"`);
  }
  if (d.interactionType === "choice" || d.interactionType === "sequencing") {
    const items = response.split("[,]");
    if (items.some((x) => x === "" || /\s/.test(x))) bad(path, `${JSON.stringify(response)} is not a list of ids delimited by [,]`);
    else if (Array.isArray(d.choices)) {
      const known = new Set(d.choices.map((c) => c?.id));
      const unknown = items.filter((x) => !known.has(x));
      if (unknown.length) bad(path, `ids ${unknown.join(", ")} are not among the choices`);
      if (d.interactionType === "choice" && new Set(items).size !== items.length) bad(path, "repeats an id");
    }
  }
}

function checkResult(result, definition, bad) {
  if (!isObject(result)) return bad("result", "not an object");
  for (const key of ["success", "completion"]) {
    if (result[key] !== undefined && typeof result[key] !== "boolean") bad(`result.${key}`, "not a boolean");
  }
  if (result.response !== undefined) {
    if (typeof result.response !== "string") bad("result.response", "not a string");
    else if (definition?.interactionType) checkResponse(result.response, definition, "result.response", bad);
  }
  if (result.duration !== undefined && !(typeof result.duration === "string" && DURATION.test(result.duration))) {
    bad("result.duration", `${JSON.stringify(result.duration)} is not an ISO 8601 duration`);
  }
  if (result.extensions !== undefined) checkExtensions(result.extensions, "result.extensions", bad);
  const score = result.score;
  if (score === undefined) return;
  if (!isObject(score)) return bad("result.score", "not an object");
  for (const key of ["scaled", "raw", "min", "max"]) {
    if (score[key] !== undefined && !(typeof score[key] === "number" && Number.isFinite(score[key]))) bad(`result.score.${key}`, "not a number");
  }
  if (typeof score.scaled === "number" && (score.scaled < -1 || score.scaled > 1)) bad("result.score.scaled", `${score.scaled} is outside [-1, 1]`);
  if (typeof score.min === "number" && typeof score.max === "number" && !(score.min < score.max)) bad("result.score", `min ${score.min} is not below max ${score.max}`);
  if (typeof score.raw === "number") {
    if (typeof score.min === "number" && score.raw < score.min) bad("result.score.raw", `${score.raw} is below min ${score.min}`);
    if (typeof score.max === "number" && score.raw > score.max) bad("result.score.raw", `${score.raw} is above max ${score.max}`);
  }
}

function checkContext(context, object, bad) {
  if (!isObject(context)) return bad("context", "not an object");
  if (context.registration !== undefined && !(typeof context.registration === "string" && UUID.test(context.registration))) {
    bad("context.registration", `${JSON.stringify(context.registration)} is not a UUID`);
  }
  if (context.instructor !== undefined) checkAgent(context.instructor, "context.instructor", bad);
  for (const key of ["revision", "platform"]) {
    if (context[key] !== undefined && (object?.objectType ?? "Activity") !== "Activity") bad(`context.${key}`, "only allowed when the object is an Activity");
  }
  if (context.language !== undefined && !LANGUAGE_TAG.test(context.language)) bad("context.language", "not an RFC 5646 language tag");
  if (context.extensions !== undefined) checkExtensions(context.extensions, "context.extensions", bad);
  const lists = context.contextActivities;
  if (lists === undefined) return;
  if (!isObject(lists)) return bad("context.contextActivities", "not an object");
  for (const [key, list] of Object.entries(lists)) {
    if (!CONTEXT_ACTIVITY_KEYS.includes(key)) bad(`context.contextActivities.${key}`, "not parent, grouping, category or other");
    [list].flat().forEach((a, j) => {
      if (!isObject(a)) return bad(`context.contextActivities.${key}[${j}]`, "not an Activity");
      if (a.objectType !== undefined && a.objectType !== "Activity") bad(`context.contextActivities.${key}[${j}].objectType`, "not Activity");
      checkIri(a.id, `context.contextActivities.${key}[${j}].id`, bad);
    });
  }
}

const categoryIds = (s) => [s.context?.contextActivities?.category ?? []].flat().map((a) => a?.id);

/** cmi5 AU rules over one registration's statements. */
function checkCmi5(statements, { activityId, registration, masteryScore = null, launchMode = "Normal", actor = null }, out) {
  const bad = (i, path, message) => out.push(`[${i}] ${path}: ${message}`);
  const all = statements.map((s, i) => ({ s, i, t: Date.parse(s?.timestamp) })).filter(({ s }) => isObject(s));
  const sorted = [...all].sort((a, b) => (a.t - b.t) || (a.i - b.i));
  const firstRegistration = registration ?? all[0]?.s.context?.registration;
  const defined = (s) => categoryIds(s).includes(CMI5_CATEGORY);

  for (const { s, i } of all) {
    const verb = verbName(s);
    const extensions = s.context?.extensions ?? {};
    if (typeof extensions[SESSION_ID] !== "string" || !extensions[SESSION_ID]) bad(i, "context.extensions", "no cmi5 sessionid extension");
    if (s.context?.registration !== firstRegistration) bad(i, "context.registration", `${JSON.stringify(s.context?.registration)} is not the launch registration ${firstRegistration}`);
    if (actor && JSON.stringify(ifiOf(s.actor)) !== JSON.stringify(ifiOf(actor))) bad(i, "actor", "is not the launch actor");
    const looksDefined = DEFINED_VERBS.includes(s.verb?.id) && s.object?.id === activityId;
    if (defined(s) && !DEFINED_VERBS.includes(s.verb?.id)) bad(i, "context.contextActivities.category", `the cmi5 category on a "${verb}" statement, which cmi5 does not define`);
    if (defined(s) && s.object?.id !== activityId) bad(i, "object.id", `a cmi5 defined statement must have the launch activityId ${activityId} as object`);
    if (looksDefined && !defined(s)) bad(i, "context.contextActivities.category", `"${verb}" about the AU without the cmi5 category`);
    const judging = s.result?.success !== undefined || s.result?.completion !== undefined;
    const moveOn = categoryIds(s).includes(MOVEON_CATEGORY);
    if (defined(s) && judging && !moveOn) bad(i, "context.contextActivities.category", `"${verb}" sets success or completion without the moveon category`);
    if (moveOn && !(defined(s) && judging)) bad(i, "context.contextActivities.category", `the moveon category on a statement that is not a cmi5 defined one setting success or completion`);
    if (!defined(s)) continue;
    if (s.actor?.objectType !== "Agent" || !isObject(s.actor?.account)) bad(i, "actor", "a cmi5 defined statement needs an Agent with an account");
    const r = s.result ?? {};
    if (r.score !== undefined && verb !== "passed" && verb !== "failed") bad(i, "result.score", `not allowed on "${verb}" (only passed and failed)`);
    if (verb === "passed" && r.success !== true) bad(i, "result.success", "must be true on passed");
    if (verb === "failed" && r.success !== false) bad(i, "result.success", "must be false on failed");
    if (r.success !== undefined && verb !== "passed" && verb !== "failed") bad(i, "result.success", `not allowed on "${verb}"`);
    if (verb === "completed" && r.completion !== true) bad(i, "result.completion", "must be true on completed");
    if (r.completion !== undefined && verb !== "completed") bad(i, "result.completion", `not allowed on "${verb}"`);
    if (["completed", "passed", "failed", "terminated"].includes(verb) && r.duration === undefined) bad(i, "result.duration", `required on "${verb}"`);
    if (verb === "passed" || verb === "failed") {
      const scaled = r.score?.scaled;
      if (scaled !== undefined && !(scaled >= 0 && scaled <= 1)) bad(i, "result.score.scaled", `${scaled} is outside 0..1`);
      if (r.score?.raw !== undefined && !Number.isInteger(r.score.raw)) bad(i, "result.score.raw", "not an integer");
      if (masteryScore !== null && scaled !== undefined) {
        if (verb === "passed" && scaled < masteryScore) bad(i, "result.score.scaled", `${scaled} is below the masteryScore ${masteryScore} on passed`);
        if (verb === "failed" && scaled >= masteryScore) bad(i, "result.score.scaled", `${scaled} reaches the masteryScore ${masteryScore} on failed`);
      }
      if (masteryScore !== null && s.context?.extensions?.[MASTERY_SCORE] !== masteryScore) bad(i, "context.extensions", `passed/failed must carry the masteryscore extension ${masteryScore}`);
      if (launchMode !== "Normal") bad(i, "verb", `"${verb}" in launchMode ${launchMode}`);
    }
    if (verb === "completed" && launchMode !== "Normal") bad(i, "verb", `"completed" in launchMode ${launchMode}`);
  }

  // Per session: initialized first, terminated last (with duration), no duplicate defined verb,
  // at most one of passed/failed.
  const sessions = new Map();
  for (const entry of sorted) {
    const id = entry.s.context?.extensions?.[SESSION_ID];
    if (!sessions.has(id)) sessions.set(id, []);
    sessions.get(id).push(entry);
  }
  for (const [id, list] of sessions) {
    const first = list[0];
    const last = list.at(-1);
    if (verbName(first.s) !== "initialized" || !defined(first.s)) bad(first.i, "verb", `session ${id} starts with "${verbName(first.s)}", not initialized`);
    if (verbName(last.s) !== "terminated" || !defined(last.s)) bad(last.i, "verb", `session ${id} ends with "${verbName(last.s)}", not terminated`);
    const seen = new Map();
    for (const { s, i } of list.filter(({ s }) => defined(s))) {
      const verb = verbName(s);
      if (seen.has(verb)) bad(i, "verb", `"${verb}" again in session ${id} (first at [${seen.get(verb)}])`);
      else seen.set(verb, i);
    }
    if (seen.has("passed") && seen.has("failed")) bad(seen.get("failed"), "verb", `both passed and failed in session ${id}`);
  }

  // Per registration: one completed, one passed, no failed after passed.
  let completed = null;
  let passed = null;
  for (const { s, i } of sorted.filter(({ s }) => defined(s))) {
    const verb = verbName(s);
    if (verb === "completed") {
      if (completed !== null) bad(i, "verb", `a second completed in the registration (first at [${completed}])`);
      completed ??= i;
    }
    if (verb === "passed") {
      if (passed !== null) bad(i, "verb", `a second passed in the registration (first at [${passed}])`);
      passed ??= i;
    }
    if (verb === "failed" && passed !== null) bad(i, "verb", `failed after passed (at [${passed}])`);
  }
}

function ifiOf(agent) {
  const key = IFIS.find((k) => agent?.[k] !== undefined);
  return key ? { [key]: agent[key] } : null;
}
