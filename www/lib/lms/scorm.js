// The SCORM 1.2 and SCORM 2004 (4th edition) runtime: the quiz as a SCO talking to the LMS's
// API object. Both versions share one flow; `DIALECTS` holds everything that differs (method
// names, data-model paths, vocabularies, formats). Rules followed, from the SCORM run-time
// specifications and from what breaks in real LMSs (see the README's LMS section):
// - the API is looked for in the parent frames, then in the opener; a cross-origin frame on
//   the way throws a SecurityError, which is caught;
// - exactly one Initialize and one Terminate/LMSFinish; nothing is called after it;
// - only values valid for the version are written, and GetLastError is checked after each;
// - nothing about pass or fail is written until the test is finished, so opening and closing
//   the quiz never marks it passed or failed;
// - the page commits when it is hidden and terminates on `pagehide`: `unload` is unreliable
//   (and blocked by some LMS frames), and SCORM 2004's Terminate commits by itself, which
//   matters because some LMSs reject a Commit during page dismissal;
// - outside the "normal" launch mode (browse, review) nothing is written.

import { choiceIds, isoDuration, plainText } from "./interaction.js";
import { decodeSuspendData, encodeSuspendData } from "./suspend.js";
import { TrackerUnavailable } from "./tracker.js";

/** The ADL sample's bound on parent hops, against pathological frame chains. */
const MAX_HOPS = 500;

const pad = (n, width = 2) => String(n).padStart(width, "0");

/** SCORM 1.2 CMITimespan, `HHHH:MM:SS.SS` (hours up to 9999). */
export function timespan12(ms) {
  const centis = Math.min(Math.max(0, Math.round(ms / 10)), 9999 * 360000 + 359999);
  const h = Math.floor(centis / 360000);
  const m = Math.floor(centis / 6000) % 60;
  const s = Math.floor(centis / 100) % 60;
  return `${pad(h, 4)}:${pad(m)}:${pad(s)}.${pad(centis % 100)}`;
}

/** SCORM 1.2 CMITime of day, `HH:MM:SS`, local time. */
const timeOfDay12 = (date) => `${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}`;

/**
 * SCORM 2004 time (second,10,0) in UTC, `YYYY-MM-DDThh:mm:ss.ssZ`: the format allows a time
 * zone designator only after fractional seconds, of at most two digits.
 */
export const timestamp2004 = (date) => `${date.toISOString().slice(0, 22)}Z`;

const DIALECTS = {
  scorm12: {
    name: "SCORM 1.2",
    api: "API",
    calls: { init: "LMSInitialize", get: "LMSGetValue", set: "LMSSetValue", commit: "LMSCommit", finish: "LMSFinish", error: "LMSGetLastError", errorString: "LMSGetErrorString" },
    entry: "cmi.core.entry",
    mode: "cmi.core.lesson_mode",
    suspendData: "cmi.suspend_data",
    suspendLimit: 4096,
    exit: "cmi.core.exit",
    sessionTime: "cmi.core.session_time",
    timespan: timespan12,
    /** 1.2 has no scaled passing score; mastery_score is 0..100. */
    mastery: (get) => percent(get("cmi.student_data.mastery_score")),
    begin(get, set) {
      const status = get("cmi.core.lesson_status");
      if (status === "not attempted" || status === "") set("cmi.core.lesson_status", "incomplete");
    },
    ended: (get) => ["passed", "failed", "completed"].includes(get("cmi.core.lesson_status")),
    finish(set, { scaled, passed }) {
      set("cmi.core.score.min", "0");
      set("cmi.core.score.max", "100");
      set("cmi.core.score.raw", String(Math.round(scaled * 100)));
      set("cmi.core.lesson_status", passed === null ? "completed" : passed ? "passed" : "failed");
    },
    exitValue: (suspend) => (suspend ? "suspend" : ""),
    interaction(set, n, record, latencyMs) {
      const at = `cmi.interactions.${n}.`;
      const { type, ids } = choiceIds(record);
      // 1.2 choice responses are single characters joined by commas; true-false is t or f.
      const response = (indices) => indices.map((i) => (type === "true-false" ? ids[i][0] : ids[i])).join(",");
      set(`${at}id`, `${record.domain}.${record.item}`);
      set(`${at}type`, type);
      set(`${at}weighting`, record.scored ? "1" : "0");
      set(`${at}time`, timeOfDay12(record.answeredAt));
      if (latencyMs !== null) set(`${at}latency`, timespan12(latencyMs));
      set(`${at}student_response`, response(record.chosen));
      set(`${at}result`, record.correct ? "correct" : "wrong");
      if (record.key) set(`${at}correct_responses.0.pattern`, response(record.key));
    },
  },
  scorm2004: {
    name: "SCORM 2004",
    api: "API_1484_11",
    calls: { init: "Initialize", get: "GetValue", set: "SetValue", commit: "Commit", finish: "Terminate", error: "GetLastError", errorString: "GetErrorString" },
    entry: "cmi.entry",
    mode: "cmi.mode",
    suspendData: "cmi.suspend_data",
    suspendLimit: 64000,
    exit: "cmi.exit",
    sessionTime: "cmi.session_time",
    timespan: isoDuration,
    mastery: (get) => {
      const value = Number.parseFloat(get("cmi.scaled_passing_score"));
      return Number.isFinite(value) && value >= 0 && value <= 1 ? value : null;
    },
    begin(get, set) {
      const status = get("cmi.completion_status");
      if (status === "not attempted" || status === "unknown" || status === "") set("cmi.completion_status", "incomplete");
    },
    ended: (get) => get("cmi.completion_status") === "completed" || ["passed", "failed"].includes(get("cmi.success_status")),
    finish(set, { scaled, passed }) {
      set("cmi.score.min", "0");
      set("cmi.score.max", "100");
      set("cmi.score.raw", String(Math.round(scaled * 100)));
      set("cmi.score.scaled", String(scaled));
      set("cmi.progress_measure", "1");
      set("cmi.completion_status", "completed");
      if (passed !== null) set("cmi.success_status", passed ? "passed" : "failed");
    },
    exitValue: (suspend) => (suspend ? "suspend" : "normal"),
    interaction(set, n, record, latencyMs, language) {
      const at = `cmi.interactions.${n}.`;
      const { type, ids } = choiceIds(record);
      // 2004 joins choice identifiers with the [,] delimiter; true-false is "true" or "false".
      const response = (indices) => indices.map((i) => ids[i]).join("[,]");
      // long_identifier_type should be a URI: a URN in our own namespace.
      set(`${at}id`, `urn:skillcat:${record.domain}:${record.item}`);
      set(`${at}type`, type);
      set(`${at}description`, localizedString(plainText(record.stem, 250), language, 250));
      set(`${at}weighting`, record.scored ? "1" : "0");
      set(`${at}timestamp`, timestamp2004(record.answeredAt));
      if (latencyMs !== null) set(`${at}latency`, isoDuration(latencyMs));
      set(`${at}learner_response`, response(record.chosen));
      set(`${at}result`, record.correct ? "correct" : "incorrect");
      if (record.key) set(`${at}correct_responses.0.pattern`, response(record.key));
    },
  },
};

/**
 * A SCORM 2004 localized_string_type of at most `max` characters as the LMS counts them (UTF-16
 * code units): the language delimiter first, which also keeps a text that starts with "{" from
 * being read as one.
 */
function localizedString(text, language, max) {
  const prefix = `{lang=${/^[A-Za-z]{1,8}(-[A-Za-z0-9]{1,8})*$/.test(language ?? "") ? language : "en"}}`;
  let body = text;
  if (prefix.length + body.length > max) {
    const chars = [...body];
    while (chars.length && prefix.length + chars.join("").length + 1 > max) chars.pop();
    body = `${chars.join("")}…`;
  }
  return prefix + body;
}

/** A 0..100 CMIDecimal as 0..1, or null when empty or out of range. */
function percent(text) {
  const value = Number.parseFloat(text);
  return Number.isFinite(value) && value >= 0 && value <= 100 ? value / 100 : null;
}

/**
 * The LMS's API object named `name`: this window and its parents, then the opener and its
 * parents. Cross-origin windows throw on property access; they are skipped, never fatal.
 * @param {Window} start
 * @param {string} name "API" or "API_1484_11"
 */
export function findApi(start, name) {
  const climb = (win) => {
    for (let hops = 0; win && hops <= MAX_HOPS; hops += 1) {
      try {
        const api = win[name];
        if (api && typeof api === "object") return api;
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
  const call = (method, ...args) => {
    try {
      return String(api[d.calls[method]](...args));
    } catch (error) {
      console.warn(`skillcat: ${d.name} ${d.calls[method]} threw: ${error.message}`);
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
  const languages = new Map((options.banks ?? []).map((bank) => [bank.id, bank.language]));
  let live = true;
  let attempted = false;
  /** `completed` was reported in this session. */
  let finished = false;
  /** The test is finished, here or in an earlier session. */
  let over = false;
  /** The state outgrew suspend_data (warned once). */
  let tooLong = false;
  let interactions = null;

  const get = (element) => (live ? call("get", element) : "");
  const set = (element, value) => {
    if (!live) return false;
    const ok = call("set", element, value) === "true";
    const problem = lastError();
    if (!ok || problem) console.warn(`skillcat: ${d.name} SetValue("${element}", "${value}") failed: ${problem ?? "no error code"}`);
    return ok && !problem;
  };

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
      console.warn(`skillcat: ${d.name} ${d.suspendData} cannot be read (${error.message}); starting a new attempt`);
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
  }

  return {
    kind,
    resumeState,
    masteryScore: d.mastery(get),
    launchMode,
    started() {
      attempted = true;
    },
    progress(saved, { finished: done = false } = {}) {
      if (!recording || !live) return;
      attempted = true;
      // A finished attempt reopened is not suspended again.
      if (done) over = true;
      const text = encodeSuspendData(saved, options.itemIndex);
      if (text.length > d.suspendLimit) {
        // An older, shorter state would resume the learner at a past question: clear it.
        if (!tooLong) console.warn(`skillcat: ${d.name} ${d.suspendData} would need ${text.length} characters (limit ${d.suspendLimit}); progress is no longer saved in the LMS`);
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
      const latency = record.shownAt ? record.answeredAt - record.shownAt : null;
      d.interaction(set, interactions, record, latency, languages.get(record.domain));
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
        set(d.exit, d.exitValue(attempted && !finished && !over));
        set(d.sessionTime, d.timespan(Date.now() - openedAt));
      }
      live = false;
      // Terminate/LMSFinish persists what was set; no Commit during page dismissal.
      try {
        api[d.calls.finish]("");
      } catch (error) {
        console.warn(`skillcat: ${d.name} ${d.calls.finish} threw: ${error.message}`);
      }
    },
  };
}
