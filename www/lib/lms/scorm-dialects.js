// What differs between SCORM 1.2 and SCORM 2004 (4th edition): method names, data-model paths,
// vocabularies and formats, one entry per version. The flow that uses them, the same for both,
// is in scorm.js.
//
// Interactions are written compactly: some LMS runtimes (Moodle's SCORM 2004 player) send the
// whole data model, every interaction included, on each Commit and on Terminate, and fall back
// to a beacon of at most 64 KiB while the page is being dismissed. An interaction is its id,
// type, weighting, time, latency, response, result and (practice mode) the correct response:
// about 400 bytes as Moodle sends it, so the longest default test (140 answers) fits. The
// question text (2004's optional `description`) is left out: the id names the bank and item.
// `skillcat package` bounds the same writes (src/authoring/package/state_size.rs) and warns when a test
// may outgrow the limit.

import { choiceIds, isoDuration } from "./interaction.js";

const pad = (/** @type {number} */ n, width = 2) => String(n).padStart(width, "0");

/**
 * SCORM 1.2 CMITimespan, `HHHH:MM:SS.SS` (hours up to 9999).
 * @param {number} ms
 */
export function timespan12(ms) {
  const centis = Math.min(Math.max(0, Math.round(ms / 10)), 9999 * 360000 + 359999);
  const h = Math.floor(centis / 360000);
  const m = Math.floor(centis / 6000) % 60;
  const s = Math.floor(centis / 100) % 60;
  return `${pad(h, 4)}:${pad(m)}:${pad(s)}.${pad(centis % 100)}`;
}

/** SCORM 1.2 CMITime of day, `HH:MM:SS`, local time. */
const timeOfDay12 = (/** @type {Date} */ date) => `${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}`;

/**
 * SCORM 2004 time (second,10,0) in UTC, `YYYY-MM-DDThh:mm:ss.ssZ`: the format allows a time
 * zone designator only after fractional seconds, of at most two digits.
 */
export const timestamp2004 = (/** @type {Date} */ date) => `${date.toISOString().slice(0, 22)}Z`;

/**
 * A 0..100 CMIDecimal as 0..1, or null when empty or out of range.
 * @param {string} text
 */
function percent(text) {
  const value = Number.parseFloat(text);
  return Number.isFinite(value) && value >= 0 && value <= 100 ? value / 100 : null;
}

/**
 * @typedef {object} Dialect
 * @property {string} name          for messages
 * @property {string} api           the API object's name on the LMS window
 * @property {Record<"init" | "get" | "set" | "commit" | "finish" | "error" | "errorString", string>} calls
 * @property {string} entry         `ab-initio`, `resume` or "" at launch
 * @property {string} mode          the launch mode: normal, browse or review
 * @property {string} suspendData
 * @property {number} suspendLimit  characters
 * @property {string} exit
 * @property {string} endExit       the exit that ends an attempt with nothing to keep
 * @property {string} sessionTime
 * @property {(ms: number) => string} timespan
 * @property {(get: Get) => number | null} mastery  the LMS's pass mark, 0..1
 * @property {(get: Get, set: Set) => void} begin   a new or resumed attempt in normal mode
 * @property {(get: Get, set: Set) => boolean} browse a browse launch; true when it wrote something
 * @property {(get: Get) => boolean} ended     the LMS holds the attempt as finished
 * @property {(set: Set, result: { scaled: number, passed: boolean | null }) => void} finish
 * @property {(set: Set, n: number, record: import("./tracker.js").AnswerRecord, latencyMs: number | null) => void} interaction
 */

/**
 * @typedef {(element: string) => string} Get    reads a data-model element
 * @typedef {(element: string, value: string) => boolean} Set  writes one; false when the LMS refused
 */

/** @type {Record<"scorm12" | "scorm2004", Dialect>} */
export const DIALECTS = {
  scorm12: {
    name: "SCORM 1.2",
    api: "API",
    calls: {
      init: "LMSInitialize",
      get: "LMSGetValue",
      set: "LMSSetValue",
      commit: "LMSCommit",
      finish: "LMSFinish",
      error: "LMSGetLastError",
      errorString: "LMSGetErrorString",
    },
    entry: "cmi.core.entry",
    mode: "cmi.core.lesson_mode",
    suspendData: "cmi.suspend_data",
    suspendLimit: 4096,
    exit: "cmi.core.exit",
    endExit: "",
    sessionTime: "cmi.core.session_time",
    timespan: timespan12,
    /** 1.2 has no scaled passing score; mastery_score is 0..100. */
    mastery: (get) => percent(get("cmi.student_data.mastery_score")),
    begin(get, set) {
      const status = get("cmi.core.lesson_status");
      if (status === "not attempted" || status === "") set("cmi.core.lesson_status", "incomplete");
    },
    // An LMS that finds `not attempted` at LMSFinish may turn it into `completed` (Moodle does,
    // with a grade of 0): a browse launch says `browsed`, which the vocabulary has for this.
    browse(get, set) {
      const status = get("cmi.core.lesson_status");
      return (status === "not attempted" || status === "") && set("cmi.core.lesson_status", "browsed");
    },
    ended: (get) => ["passed", "failed", "completed"].includes(get("cmi.core.lesson_status")),
    finish(set, { scaled, passed }) {
      set("cmi.core.score.min", "0");
      set("cmi.core.score.max", "100");
      set("cmi.core.score.raw", String(Math.round(scaled * 100)));
      set("cmi.core.lesson_status", passed === null ? "completed" : passed ? "passed" : "failed");
    },
    interaction(set, n, record, latencyMs) {
      const at = `cmi.interactions.${n}.`;
      const { type, ids } = choiceIds(record);
      // 1.2 choice responses are single characters joined by commas; true-false is t or f.
      const response = (/** @type {number[]} */ indices) => indices.map((i) => (type === "true-false" ? ids[i][0] : ids[i])).join(",");
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
    calls: {
      init: "Initialize",
      get: "GetValue",
      set: "SetValue",
      commit: "Commit",
      finish: "Terminate",
      error: "GetLastError",
      errorString: "GetErrorString",
    },
    entry: "cmi.entry",
    mode: "cmi.mode",
    suspendData: "cmi.suspend_data",
    suspendLimit: 64000,
    exit: "cmi.exit",
    endExit: "normal",
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
    // 2004's vocabularies have no "browsed"; a browse launch writes nothing.
    browse: () => false,
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
    interaction(set, n, record, latencyMs) {
      const at = `cmi.interactions.${n}.`;
      const { type, ids } = choiceIds(record);
      // 2004 joins choice identifiers with the [,] delimiter; true-false is "true" or "false".
      const response = (/** @type {number[]} */ indices) => indices.map((i) => ids[i]).join("[,]");
      // long_identifier_type is recommended to be a URI; `<bank>.<item>` (as in 1.2) is a
      // relative one, 17 bytes shorter per answer than a URN once an LMS form-encodes it.
      set(`${at}id`, `${record.domain}.${record.item}`);
      set(`${at}type`, type);
      set(`${at}weighting`, record.scored ? "1" : "0");
      set(`${at}timestamp`, timestamp2004(record.answeredAt));
      if (latencyMs !== null) set(`${at}latency`, isoDuration(latencyMs));
      set(`${at}learner_response`, response(record.chosen));
      set(`${at}result`, record.correct ? "correct" : "incorrect");
      if (record.key) set(`${at}correct_responses.0.pattern`, response(record.key));
    },
  },
};
