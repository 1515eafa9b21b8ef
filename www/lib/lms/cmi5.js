// cmi5 (Quartz): the quiz as an assignable unit (AU), entirely in the browser. The LMS launches
// the page with endpoint, fetch, actor, registration and activityId in the query string; the AU
// trades the one-time fetch URL for a token, reads LMS.LaunchData from the State API, and talks
// xAPI (xapi-statements.js, lrs-client.js) with the rules cmi5 adds (AICC/CMI-5_Spec_Current cmi5_spec.md §7–§11).
//
// Why it looks like this:
// - The token is fetched exactly once (§8.2: a second POST is an error), before anything else.
// - Every statement starts from LaunchData's contextTemplate and only adds to it (§10: never
//   overwrite it); the session id comes from the template (the LMS's, §9.6.3.1), or a fresh
//   UUID when the LMS left it out.
// - "cmi5 defined" statements (initialized, completed, passed, failed, terminated) carry the
//   cmi5 category, the AU's activityId as object, and the moveon category when they set success
//   or completion; `answered` statements are "cmi5 allowed": no cmi5 category, object id
//   `<activityId>/banks/<bank>/items/<item>` (§7.1.3, §9.6.2).
// - Only launchMode Normal records anything judged: `answered`, `completed`, `passed`/`failed`.
//   Browse and Review send initialized and terminated only (§10: completion data MUST NOT be
//   recorded; answers given while browsing would also skew item calibration).
// - The attempt's saved state lives in the State API under `<activityId>/skillcat/suspend`,
//   per registration, so a relaunch resumes where the learner left off. The same document
//   remembers that completed/passed were sent, so a later session of the registration never
//   repeats them or sends failed after passed (§9.3).
// - `terminated` goes last with keepalive, and the tracker is dead afterwards. The AU does not
//   follow LaunchData's returnURL itself (the host page owns navigation): `tracker.returnURL`.

import { createStatementQueue, endpointUrl, fetchOf, KEEPALIVE_LIMIT, xapiRequest } from "./lrs-client.js";
import { TrackerUnavailable } from "./tracker.js";
import {
  answeredStatement,
  completedStatement,
  failedStatement,
  initializedStatement,
  isAbsoluteIri,
  parseAgent,
  passedStatement,
  terminatedStatement,
  uuid,
} from "./xapi-statements.js";

const W3ID = "https://w3id.org/xapi/cmi5/context";
export const CMI5_CATEGORY = `${W3ID}/categories/cmi5`;
export const MOVEON_CATEGORY = `${W3ID}/categories/moveon`;
export const SESSION_ID = `${W3ID}/extensions/sessionid`;
export const MASTERY_SCORE = `${W3ID}/extensions/masteryscore`;
/** @type {readonly (keyof LaunchParameters)[]} */
const LAUNCH_PARAMETERS = ["endpoint", "fetch", "actor", "registration", "activityId"];
/** @type {Record<string, "normal" | "browse" | "review">} */
const LAUNCH_MODES = { Normal: "normal", Browse: "browse", Review: "review" };

/**
 * @typedef {{ endpoint: string, fetch: string, actor: string, registration: string, activityId: string }} LaunchParameters
 * @typedef {{ registration?: string, contextActivities?: Record<string, unknown>, extensions?: Record<string, unknown>,
 *   [key: string]: unknown }} Context a statement's context, as LaunchData's contextTemplate gives it
 * @typedef {import("./xapi-statements.js").Statement} Statement
 */
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The State API id of the AU's own document: the saved attempt and what was already sent.
 * @param {string} activityId
 */
export function suspendStateId(activityId) {
  return `${activityId.replace(/\/+$/, "")}/skillcat/suspend`;
}

/**
 * Reads the five launch parameters; throws TrackerUnavailable naming the first one missing.
 * @param {string} search
 * @returns {LaunchParameters}
 */
export function launchParameters(search) {
  const query = new URLSearchParams(search);
  const values = /** @type {LaunchParameters} */ ({});
  for (const name of LAUNCH_PARAMETERS) {
    const value = query.get(name);
    if (value === null || value.trim() === "") throw new TrackerUnavailable(`cmi5: the launch URL has no "${name}" parameter`);
    values[name] = value.trim();
  }
  if (!UUID.test(values.registration)) throw new TrackerUnavailable(`cmi5: the launch URL's "registration" is not a UUID`);
  if (!isAbsoluteIri(values.activityId)) throw new TrackerUnavailable(`cmi5: the launch URL's "activityId" is not an absolute IRI`);
  return values;
}

/**
 * A copy of `list` (an Activity, an array of them, or nothing) as an array.
 * @param {unknown} list
 * @returns {{ id?: unknown, [key: string]: unknown }[]}
 */
const activities = (list) => (list === undefined || list === null ? [] : /** @type {{ id?: unknown }[]} */ ([list].flat()));

/**
 * The context of one statement: LaunchData's contextTemplate, never overwritten, plus the
 * registration, the session id, the statement's own context activities and extensions, and the
 * cmi5 categories where they belong (`defined`, `moveOn`).
 * @param {Context | null | undefined} template
 * @param {Context | null | undefined} own the statement's own context
 * @param {{ registration: string, sessionId: string, defined: boolean, moveOn: boolean, masteryScore?: number | null }} options
 * @returns {Context}
 */
export function cmi5Context(template, own, { registration, sessionId, defined, moveOn, masteryScore = null }) {
  /** @type {Context} */
  const context = structuredClone(template ?? {});
  context.registration ??= registration;
  const lists = { ...(context.contextActivities ?? {}) };
  for (const [key, list] of Object.entries(own?.contextActivities ?? {})) {
    const merged = activities(lists[key]);
    for (const activity of activities(list)) if (!merged.some((a) => a.id === activity.id)) merged.push(activity);
    lists[key] = merged;
  }
  // The cmi5 and moveon categories say what a statement is, so they follow the statement even
  // when a template carries them.
  const category = activities(lists.category).filter((a) => a.id !== CMI5_CATEGORY && a.id !== MOVEON_CATEGORY);
  if (defined) category.push({ objectType: "Activity", id: CMI5_CATEGORY });
  if (defined && moveOn) category.push({ objectType: "Activity", id: MOVEON_CATEGORY });
  if (category.length) lists.category = category;
  else delete lists.category;
  if (Object.keys(lists).length) context.contextActivities = lists;
  context.extensions = { ...(own?.extensions ?? {}), [SESSION_ID]: sessionId, ...(context.extensions ?? {}) };
  if (masteryScore !== null) context.extensions[MASTERY_SCORE] ??= masteryScore;
  return context;
}

/**
 * The JSON an LMS answered; each field used is checked where it is read.
 * @param {Response} response
 * @param {string} what
 * @returns {Promise<Record<string, unknown>>}
 */
async function json(response, what) {
  try {
    return await response.json();
  } catch (error) {
    throw new TrackerUnavailable(`cmi5: ${what} is not JSON`, { cause: error });
  }
}

/**
 * Opens the AU session: token, LaunchData, learner preferences, the saved attempt, then
 * `initialized`. Throws TrackerUnavailable with what went wrong.
 * @param {import("./tracker.js").TrackerOptions} options
 * @returns {Promise<import("./tracker.js").Tracker & { returnURL: string | null, moveOn: string | null, languagePreference: string | null }>}
 */
export async function openCmi5Tracker(options) {
  const win = options.window;
  const launch = launchParameters(win?.location?.search ?? "");
  const actor = parseAgent(launch.actor, "cmi5: the launch URL's actor");
  const endpoint = endpointUrl(launch.endpoint, win.location.href, "cmi5: the launch URL's endpoint");
  const fetch = fetchOf(win);
  const started = Date.now();

  /**
   * @param {string} what
   * @param {() => Promise<Response>} request
   */
  const reach = async (what, request) => {
    try {
      return await request();
    } catch (error) {
      throw new TrackerUnavailable(
        `cmi5: ${what} failed (${/** @type {Error} */ (error).message}); the LMS must allow CORS from this page`,
        { cause: error },
      );
    }
  };
  let fetchUrl;
  try {
    fetchUrl = new URL(launch.fetch, win.location.href).href;
  } catch {
    throw new TrackerUnavailable(`cmi5: the launch URL's "fetch" is not a URL`);
  }
  const tokenResponse = await reach("the POST to the fetch URL", () =>
    fetch(fetchUrl, { method: "POST", cache: "no-store", credentials: "omit" }),
  );
  if (!tokenResponse.ok) throw new TrackerUnavailable(`cmi5: the fetch URL answered HTTP ${tokenResponse.status}`);
  const token = await json(tokenResponse, "the fetch URL's answer");
  if (token["error-code"] !== undefined) {
    throw new TrackerUnavailable(
      `cmi5: the fetch URL refused a token: error ${token["error-code"]}${token["error-text"] ? ` (${token["error-text"]})` : ""}`,
    );
  }
  if (typeof token["auth-token"] !== "string" || !token["auth-token"])
    throw new TrackerUnavailable(`cmi5: the fetch URL's answer has no "auth-token"`);
  const lrs = { endpoint, auth: `Basic ${token["auth-token"]}`, fetch };

  const agent = JSON.stringify(actor);
  const stateParams = (/** @type {string} */ stateId) => ({
    stateId,
    activityId: launch.activityId,
    agent,
    registration: launch.registration,
  });
  const launchDataResponse = await reach("reading LMS.LaunchData", () =>
    xapiRequest(lrs, "activities/state", { params: stateParams("LMS.LaunchData") }),
  );
  if (!launchDataResponse.ok) throw new TrackerUnavailable(`cmi5: reading LMS.LaunchData answered HTTP ${launchDataResponse.status}`);
  const launchData = await json(launchDataResponse, "LMS.LaunchData");
  const launchMode = LAUNCH_MODES[String(launchData.launchMode)];
  if (!launchMode)
    throw new TrackerUnavailable(`cmi5: LMS.LaunchData has launchMode "${launchData.launchMode}"; expected Normal, Browse or Review`);
  /** @type {Context} */
  const template =
    launchData.contextTemplate && typeof launchData.contextTemplate === "object" ? /** @type {Context} */ (launchData.contextTemplate) : {};
  // A number by the spec; some LMSs write it as a numeric string.
  let given = launchData.masteryScore ?? null;
  if (typeof given === "string" && given.trim() !== "" && Number.isFinite(Number(given))) given = Number(given);
  /** @type {number | null} */
  let lmsMastery = null;
  if (typeof given === "number" && given >= 0 && given <= 1) lmsMastery = given;
  else if (given !== null) {
    console.warn(`skillcat cmi5: ignoring LMS.LaunchData masteryScore ${JSON.stringify(given)} (not a number from 0 to 1)`);
  }

  let languagePreference = null;
  const prefs = await reach("reading cmi5LearnerPreferences", () =>
    xapiRequest(lrs, "agents/profile", { params: { agent, profileId: "cmi5LearnerPreferences" } }),
  );
  if (prefs.ok) languagePreference = (await prefs.json().catch(() => ({}))).languagePreference ?? null;

  // The AU's own document: { saved, completed, passed } for this registration.
  const suspendId = suspendStateId(launch.activityId);
  const savedResponse = await reach("reading the saved attempt", () =>
    xapiRequest(lrs, "activities/state", { params: stateParams(suspendId) }),
  );
  /** @type {{ saved: string | null, completed: boolean, passed: boolean }} */
  let doc = { saved: null, completed: false, passed: false };
  if (savedResponse.ok) {
    const stored = await savedResponse.json().catch(() => null);
    if (stored && typeof stored === "object") doc = { ...doc, ...stored };
  } else if (savedResponse.status !== 404) {
    throw new TrackerUnavailable(`cmi5: reading the saved attempt answered HTTP ${savedResponse.status}`);
  }

  const sessionId = String(template.extensions?.[SESSION_ID] ?? uuid());
  const ctx = { actor, activityId: launch.activityId, describeQuiz: false, banks: options.banks ?? [] };
  const queue = createStatementQueue(lrs);
  const normal = launchMode === "normal";
  /**
   * @param {Statement} statement
   * @param {{ defined: boolean, masteryScore?: number | null }} options `defined`: a cmi5-defined statement
   */
  const send = (statement, { defined, masteryScore = null }) => {
    const moveOn = statement.result?.success !== undefined || statement.result?.completion !== undefined;
    statement.context = cmi5Context(template, /** @type {Context | undefined} */ (statement.context), {
      registration: launch.registration,
      sessionId,
      defined,
      moveOn,
      masteryScore,
    });
    queue.send(statement);
  };

  // The saved document is written in order, one PUT at a time, the latest value winning.
  let writing = false;
  let dirty = false;
  const write = (final = false) => {
    if (!normal) return;
    dirty = true;
    if (writing && !final) return;
    dirty = false;
    writing = true;
    const body = JSON.stringify(doc);
    xapiRequest(lrs, "activities/state", {
      method: "PUT",
      params: stateParams(suspendId),
      body,
      keepalive: body.length <= KEEPALIVE_LIMIT / 2,
    })
      .then((r) => r.ok || console.warn(`skillcat cmi5: saving the attempt answered HTTP ${r.status}`))
      .catch((/** @type {Error} */ error) => console.warn(`skillcat cmi5: saving the attempt failed (${error.message})`))
      .finally(() => {
        writing = false;
        if (dirty && !ended) write();
      });
  };

  let ended = false;
  let judgedThisSession = false;
  /**
   * The tracker's method `fn`, doing nothing once the session ended.
   * @template {unknown[]} A
   * @param {(...args: A) => void} fn
   * @returns {(...args: A) => void}
   */
  const live =
    (fn) =>
    (...args) => {
      if (!ended) fn(...args);
    };
  const initialized = initializedStatement(ctx);
  send(initialized, { defined: true });

  return {
    kind: "cmi5",
    /** The LMS keeps the attempt (State API); its fetch URL gives one token per launch. */
    capabilities: { ownsAttempt: true, reopensInNewPage: false },
    learner: null,
    resumeState: typeof doc.saved === "string" ? doc.saved : null,
    masteryScore: lmsMastery,
    launchMode,
    returnURL: typeof launchData.returnURL === "string" ? launchData.returnURL : null,
    moveOn: /** @type {string | null} */ (launchData.moveOn ?? null),
    languagePreference,
    started: live(() => {}),
    progress: live((/** @type {string} */ saved) => {
      doc.saved = saved;
      write();
    }),
    answered: live((/** @type {import("./tracker.js").AnswerRecord} */ record) => {
      if (!normal) return;
      // An answer given in an earlier session (assessment mode reports them all at the end)
      // is stamped with this session's start: cmi5 orders by timestamp, and allowed
      // statements must fall between initialized and terminated (§7.1.3, §9.3).
      const statement = answeredStatement(record, ctx);
      if (String(statement.timestamp) < String(initialized.timestamp)) statement.timestamp = initialized.timestamp;
      send(statement, { defined: false });
    }),
    completed: live((/** @type {import("./tracker.js").CompletionResult} */ result) => {
      if (!normal) return;
      const at = new Date();
      if (!doc.completed) {
        doc.completed = true;
        send(completedStatement(ctx, { durationMs: result.durationMs, at, report: result.report }), { defined: true });
      }
      // The element judged against this tracker's masteryScore when the LMS gave one
      // (score.js), so the page and the LMS agree; null means there is no pass mark.
      if (typeof result.passed === "boolean" && !judgedThisSession && !doc.passed) {
        judgedThisSession = true;
        const passed = result.passed;
        doc.passed = passed;
        const build = passed ? passedStatement : failedStatement;
        send(build(ctx, { scaled: result.scaled, durationMs: result.durationMs, at }), { defined: true, masteryScore: lmsMastery });
      }
      write();
    }),
    commit: live(() => queue.flush()),
    terminate: live(() => {
      ended = true;
      if (dirty) write(true); // the newest saved state, if the PUT in flight does not carry it
      send(terminatedStatement(ctx, { durationMs: Date.now() - started }), { defined: true });
      queue.flush({ final: true });
    }),
  };
}
