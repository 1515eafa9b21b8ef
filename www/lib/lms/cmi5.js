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
const LAUNCH_PARAMETERS = ["endpoint", "fetch", "actor", "registration", "activityId"];
const LAUNCH_MODES = { Normal: "normal", Browse: "browse", Review: "review" };
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The State API id of the AU's own document: the saved attempt and what was already sent. */
export function suspendStateId(activityId) {
  return `${activityId.replace(/\/+$/, "")}/skillcat/suspend`;
}

/** Reads the five launch parameters; throws TrackerUnavailable naming the first one missing. */
export function launchParameters(search) {
  const query = new URLSearchParams(search);
  const values = {};
  for (const name of LAUNCH_PARAMETERS) {
    const value = query.get(name);
    if (value === null || value.trim() === "") throw new TrackerUnavailable(`cmi5: the launch URL has no "${name}" parameter`);
    values[name] = value.trim();
  }
  if (!UUID.test(values.registration)) throw new TrackerUnavailable(`cmi5: the launch URL's "registration" is not a UUID`);
  if (!isAbsoluteIri(values.activityId)) throw new TrackerUnavailable(`cmi5: the launch URL's "activityId" is not an absolute IRI`);
  return values;
}

/** A copy of `list` (an Activity, an array of them, or nothing) as an array. */
const activities = (list) => (list === undefined || list === null ? [] : [list].flat());

/**
 * The context of one statement: LaunchData's contextTemplate, never overwritten, plus the
 * registration, the session id, the statement's own context activities and extensions, and the
 * cmi5 categories where they belong (`defined`, `moveOn`).
 */
export function cmi5Context(template, own, { registration, sessionId, defined, moveOn, masteryScore = null }) {
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

  const reach = async (what, request) => {
    try {
      return await request();
    } catch (error) {
      throw new TrackerUnavailable(`cmi5: ${what} failed (${error.message}); the LMS must allow CORS from this page`, { cause: error });
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
  const stateParams = (stateId) => ({ stateId, activityId: launch.activityId, agent, registration: launch.registration });
  const launchDataResponse = await reach("reading LMS.LaunchData", () =>
    xapiRequest(lrs, "activities/state", { params: stateParams("LMS.LaunchData") }),
  );
  if (!launchDataResponse.ok) throw new TrackerUnavailable(`cmi5: reading LMS.LaunchData answered HTTP ${launchDataResponse.status}`);
  const launchData = await json(launchDataResponse, "LMS.LaunchData");
  const launchMode = LAUNCH_MODES[launchData.launchMode];
  if (!launchMode)
    throw new TrackerUnavailable(`cmi5: LMS.LaunchData has launchMode "${launchData.launchMode}"; expected Normal, Browse or Review`);
  const template = launchData.contextTemplate && typeof launchData.contextTemplate === "object" ? launchData.contextTemplate : {};
  // A number by the spec; some LMSs write it as a numeric string.
  let lmsMastery = launchData.masteryScore ?? null;
  if (typeof lmsMastery === "string" && lmsMastery.trim() !== "" && Number.isFinite(Number(lmsMastery))) lmsMastery = Number(lmsMastery);
  if (lmsMastery !== null && !(typeof lmsMastery === "number" && lmsMastery >= 0 && lmsMastery <= 1)) {
    console.warn(`skillcat cmi5: ignoring LMS.LaunchData masteryScore ${JSON.stringify(lmsMastery)} (not a number from 0 to 1)`);
    lmsMastery = null;
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
  const send = (statement, { defined, masteryScore = null } = {}) => {
    const moveOn = statement.result?.success !== undefined || statement.result?.completion !== undefined;
    statement.context = cmi5Context(template, statement.context, {
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
      .catch((error) => console.warn(`skillcat cmi5: saving the attempt failed (${error.message})`))
      .finally(() => {
        writing = false;
        if (dirty && !ended) write();
      });
  };

  let ended = false;
  let judgedThisSession = false;
  const live =
    (fn) =>
    (...args) =>
      ended ? undefined : fn(...args);
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
    moveOn: launchData.moveOn ?? null,
    languagePreference,
    started: live(() => {}),
    progress: live((saved) => {
      doc.saved = saved;
      write();
    }),
    answered: live((record) => {
      if (!normal) return;
      // An answer given in an earlier session (assessment mode reports them all at the end)
      // is stamped with this session's start: cmi5 orders by timestamp, and allowed
      // statements must fall between initialized and terminated (§7.1.3, §9.3).
      const statement = answeredStatement(record, ctx);
      if (statement.timestamp < initialized.timestamp) statement.timestamp = initialized.timestamp;
      send(statement, { defined: false });
    }),
    completed: live((result) => {
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
