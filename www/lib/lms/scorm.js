// The SCORM 1.2 and SCORM 2004 (4th edition) runtime: the quiz as a SCO talking to the LMS's
// API object. Both versions share one flow; `DIALECTS` (scorm-dialects.js) holds everything
// that differs. Rules followed, from the SCORM run-time specifications and from what breaks in
// real LMSs (see the README's sections on LMSs):
// - the API is looked for in the parent frames, then in the opener; a cross-origin frame on
//   the way throws a SecurityError, which is caught;
// - exactly one Initialize and one Terminate/LMSFinish; nothing is called after it;
// - only values valid for the version are written, and GetLastError is checked after each;
// - nothing about pass or fail is written until the test is finished, so opening and closing
//   the quiz never marks it passed or failed;
// - the resume state reaches the LMS while the page is alive: `exit = "suspend"`, the saved
//   session in suspend_data and a Commit as soon as the first question shows and after every
//   answer. What is set only at the end (the session time) can be lost with the last request of
//   a dismissed page (Moodle's 2004 player sends it as a beacon, refused over 64 KiB); the
//   attempt cannot;
// - exit stays "suspend" once the test is finished. SCORM 2004 RTE 4.2.8 lets an LMS hand back
//   no data after any other exit (a new attempt, ab-initio; Moodle's 2004 player does exactly
//   this), and the learner would see a new test instead of the results. The cost: the SCO never
//   ends its own attempt, so a retake is the LMS's to start (Moodle: "Start a new attempt" or
//   "Force new attempt"); Moodle shows the attempt completed/passed, reopens it in review mode,
//   and shows its "suspended" icon only for attempts that are not complete;
// - the page commits when it is hidden and terminates on `pagehide`: `unload` is unreliable
//   (and blocked by some LMS frames), and SCORM 2004's Terminate commits by itself, which
//   matters because some LMSs reject a Commit during page dismissal;
// - in the "browse" launch mode (an LMS's Preview) the only value written is SCORM 1.2's
//   status `browsed`, and only over `not attempted`; in "review" nothing is written.

import { DIALECTS } from "./scorm-dialects.js";
import { decodeSuspendData, encodeSuspendData } from "./suspend.js";
import { TrackerUnavailable } from "./tracker.js";

/** The ADL sample's bound on parent hops, against pathological frame chains. */
const MAX_HOPS = 500;

/**
 * The LMS's API object: SCORM's calls by name (LMSInitialize, GetValue, …), every argument and
 * result a string.
 * @typedef {Record<string, (...args: string[]) => unknown>} ScormApi
 */

/**
 * The LMS's API object named `name`: this window and its parents, then the opener and its
 * parents. Cross-origin windows throw on property access; they are skipped, never fatal.
 * @param {Window} start
 * @param {string} name "API" or "API_1484_11"
 * @returns {ScormApi | null}
 */
export function findApi(start, name) {
  /** @param {Window | null} win */
  const climb = (win) => {
    for (let hops = 0; win && hops <= MAX_HOPS; hops += 1) {
      try {
        const api = /** @type {Record<string, unknown>} */ (/** @type {unknown} */ (win))[name];
        if (api && typeof api === "object") return /** @type {ScormApi} */ (api);
      } catch {
        // a cross-origin frame: keep climbing
      }
      let parent = null;
      try {
        parent = win.parent;
      } catch {
        return null;
      }
      if (!parent || parent === win) return null;
      win = parent;
    }
    return null;
  };
  const found = climb(start);
  if (found) return found;
  try {
    return start.opener ? climb(start.opener) : null;
  } catch {
    return null;
  }
}

/**
 * Connects to the SCORM LMS: finds the API, initializes, reads the launch data.
 * @param {"scorm12" | "scorm2004"} kind
 * @param {import("./tracker.js").TrackerOptions & { itemIndex: { ids: string[], positions: Map<string, number> } }} options
 * @returns {import("./tracker.js").Tracker}
 */
export function openScormTracker(kind, options) {
  const d = DIALECTS[kind];
  const api = findApi(options.window, d.api);
  if (!api) {
    throw new TrackerUnavailable(`${d.name}: no LMS was found (no window.${d.api} in this page, its parent frames or its opener)`);
  }
  /**
   * @param {keyof import("./scorm-dialects.js").Dialect["calls"]} method
   * @param {...string} args
   */
  const call = (method, ...args) => {
    try {
      return String(api[d.calls[method]](...args));
    } catch (error) {
      console.warn(`skillcat: ${d.name} ${d.calls[method]} threw: ${/** @type {Error} */ (error).message}`);
      return "false";
    }
  };
  const lastError = () => {
    const code = call("error");
    return code === "0" || code === "" ? null : `${code} ${call("errorString", code)}`.trim();
  };

  if (call("init", "") !== "true") {
    throw new TrackerUnavailable(`${d.name}: the LMS refused to start the session (${lastError() ?? "no error code"})`);
  }
  const openedAt = Date.now();
  let live = true;
  /** This LMS attempt holds a test (started here or in an earlier session). */
  let attempted = false;
  /** `completed` was reported in this session. */
  let finished = false;
  /** The state outgrew suspend_data (warned once). */
  let tooLong = false;
  /** @type {number | null} the interactions in the LMS, read at the first answer */
  let interactions = null;
  /** @type {string | null} The exit value last written, so it is written once, not with every answer. */
  let exitWritten = null;

  const get = (/** @type {string} */ element) => (live ? call("get", element) : "");
  const set = (/** @type {string} */ element, /** @type {string} */ value) => {
    if (!live) return false;
    const ok = call("set", element, value) === "true";
    const problem = lastError();
    if (!ok || problem) console.warn(`skillcat: ${d.name} SetValue("${element}", "${value}") failed: ${problem ?? "no error code"}`);
    return ok && !problem;
  };
  const writeExit = (/** @type {string} */ value) => {
    if (exitWritten !== value && set(d.exit, value)) exitWritten = value;
  };

  /** @type {"normal" | "browse" | "review"} */
  let launchMode = (() => {
    const mode = get(d.mode);
    return mode === "browse" || mode === "review" ? mode : "normal";
  })();

  let resumeState = null;
  const entry = get(d.entry);
  const suspended = get(d.suspendData);
  if (entry !== "ab-initio" && suspended) {
    try {
      resumeState = decodeSuspendData(suspended, options.itemIndex);
    } catch (error) {
      console.warn(`skillcat: ${d.name} ${d.suspendData} cannot be read (${/** @type {Error} */ (error).message}); starting a new attempt`);
    }
  }
  // An attempt the LMS holds as finished, with no state to show it (an LMS that relaunches
  // the same attempt, or a state too large to keep): a second run must not overwrite its
  // result, so this launch only reviews.
  if (launchMode === "normal" && resumeState === null && d.ended(get)) launchMode = "review";
  const recording = launchMode === "normal";
  if (recording) {
    d.begin(get, set);
    attempted = resumeState !== null;
  } else if (launchMode === "browse" && d.browse(get, set)) {
    call("commit", "");
  }

  return {
    kind,
    /** The LMS keeps the attempt; Initialize is allowed once per launch. */
    capabilities: { ownsAttempt: true, reopensInNewPage: false },
    learner: null,
    resumeState,
    masteryScore: d.mastery(get),
    launchMode,
    started() {
      attempted = true;
    },
    progress(saved) {
      if (!recording || !live) return;
      attempted = true;
      // Suspended from the first question on, and still after the end (see the top comment).
      writeExit("suspend");
      const text = encodeSuspendData(saved, options.itemIndex);
      if (text.length > d.suspendLimit) {
        // An older, shorter state would resume the learner at a past question: clear it.
        if (!tooLong)
          console.warn(
            `skillcat: ${d.name} ${d.suspendData} would need ${text.length} characters (limit ${d.suspendLimit}); progress is no longer saved in the LMS`,
          );
        tooLong = true;
        set(d.suspendData, "");
      } else {
        set(d.suspendData, text);
      }
      call("commit", "");
    },
    answered(record) {
      if (!recording || !live || finished) return;
      if (interactions === null) {
        const count = Number.parseInt(get("cmi.interactions._count"), 10);
        interactions = Number.isInteger(count) && count >= 0 ? count : 0;
      }
      const latency = record.shownAt ? record.answeredAt.getTime() - record.shownAt.getTime() : null;
      d.interaction(set, interactions, record, latency);
      interactions += 1;
    },
    completed(result) {
      if (!recording || !live || finished) return;
      finished = true;
      d.finish(set, result);
      call("commit", "");
    },
    commit() {
      if (live) call("commit", "");
    },
    terminate() {
      if (!live) return;
      if (recording) {
        writeExit(attempted ? "suspend" : d.endExit);
        set(d.sessionTime, d.timespan(Date.now() - openedAt));
      }
      live = false;
      // Terminate/LMSFinish persists what was set; no Commit during page dismissal.
      try {
        api[d.calls.finish]("");
      } catch (error) {
        console.warn(`skillcat: ${d.name} ${d.calls.finish} threw: ${/** @type {Error} */ (error).message}`);
      }
    },
  };
}
