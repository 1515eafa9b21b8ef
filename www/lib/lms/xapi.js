// The plain xAPI tracker (`lms="xapi"`): a page outside any LMS reporting to a learning record
// store. It sends `answered` per answer, then `completed` (with the score) and, when there is a
// pass mark, `passed` or `failed`. It sends no `initialized`/`terminated`: outside cmi5 nothing
// reads them, and a page session is not an attempt. The statements come from
// xapi-statements.js, the requests from lrs-client.js; cmi5.js builds on the same two.

import { createStatementQueue, endpointUrl, fetchOf, xapiRequest } from "./lrs-client.js";
import { TrackerUnavailable } from "./tracker.js";
import { answeredStatement, completedStatement, failedStatement, isAbsoluteIri, parseAgent, passedStatement } from "./xapi-statements.js";

/**
 * `lms="xapi"`: statements straight to an LRS. Needs `lrs-endpoint`, `lrs-auth` (the whole
 * Authorization header value) and `lrs-actor` (an Agent, JSON); `activity-id` defaults to the
 * page URL without query and fragment. Checks that the LRS answers (GET about) before use.
 * @param {import("./tracker.js").TrackerOptions} options
 * @returns {Promise<import("./tracker.js").Tracker>}
 */
export async function openXapiTracker(options) {
  const win = options.window;
  const here = win?.location?.href;
  const endpoint = endpointUrl(options.lrsEndpoint, here);
  if (!options.lrsAuth || !String(options.lrsAuth).trim()) {
    throw new TrackerUnavailable('lrs-auth: missing; give the Authorization header value, e.g. "Basic <base64 of key:secret>"');
  }
  if (options.lrsActor === null || options.lrsActor === undefined || !String(options.lrsActor).trim()) {
    throw new TrackerUnavailable(
      'lrs-actor: missing; give the learner as an xAPI Agent, e.g. {"objectType":"Agent","mbox":"mailto:ana@example.org"}',
    );
  }
  const actor = parseAgent(options.lrsActor, "lrs-actor");
  let activityId = options.activityId;
  if (!activityId) {
    const page = new URL(here);
    activityId = `${page.origin}${page.pathname}`;
  }
  if (!isAbsoluteIri(activityId)) throw new TrackerUnavailable(`activity-id: "${activityId}" is not an absolute IRI`);
  const lrs = { endpoint, auth: String(options.lrsAuth).trim(), fetch: fetchOf(win) };
  try {
    const about = await xapiRequest(lrs, "about");
    if (!about.ok && about.status !== 401 && about.status !== 403) throw new Error(`HTTP ${about.status}`);
  } catch (error) {
    throw new TrackerUnavailable(
      `lrs-endpoint: no LRS answers at ${endpoint}about (${/** @type {Error} */ (error).message}); check the URL and that the LRS allows CORS from this page`,
      { cause: error },
    );
  }

  const ctx = { actor, activityId, banks: options.banks ?? [] };
  const queue = createStatementQueue(lrs);
  let ended = false;
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
  return {
    kind: "xapi",
    /** An LRS only receives statements, from any page: progress stays in the browser. */
    capabilities: { ownsAttempt: false, reopensInNewPage: true },
    // The attributes as written, so the browser keeps each learner's progress apart.
    learner: `${options.lrsActor}|${options.activityId}|${options.lrsEndpoint}`,
    resumeState: null,
    masteryScore: null,
    launchMode: "normal",
    started: live(() => {}),
    progress: live(() => {}),
    answered: live((/** @type {import("./tracker.js").AnswerRecord} */ record) => queue.send(answeredStatement(record, ctx))),
    completed: live((/** @type {import("./tracker.js").CompletionResult} */ result) => {
      const at = new Date();
      const scaled = result.scaled;
      const statements = [completedStatement(ctx, { durationMs: result.durationMs, scaled, at, report: result.report })];
      if (result.masteryScore !== null && result.masteryScore !== undefined) {
        // The element's verdict (score.js compares whole hundredths), so page and LRS agree.
        const passed = typeof result.passed === "boolean" ? result.passed : scaled >= result.masteryScore;
        const build = passed ? passedStatement : failedStatement;
        statements.push(build(ctx, { scaled, durationMs: result.durationMs, at }));
      }
      queue.send(...statements);
    }),
    commit: live(() => queue.flush()),
    terminate: live(() => {
      ended = true;
      queue.flush({ final: true });
    }),
  };
}
