// Where an attempt is recorded besides the page: an LMS through SCORM 1.2 or 2004, an LMS
// through cmi5, or a learning record store (LRS) through plain xAPI. The element picks one with
// its `lms` attribute and talks to it only through the `Tracker` shape below, so each standard
// lives in one module and the element knows none of their vocabularies.
//
// Lifetime of a tracker, as the element drives it:
//   open…()            once, after the banks have loaded; throws TrackerUnavailable when the
//                      LMS/LRS cannot be reached (the quiz then runs standalone and says so)
//   started()          the learner pressed Start on a new attempt
//   progress(saved)    after the first question is shown, after every answer and when the
//                      results show: the engine's saved state (`session.save()`), to resume a
//                      suspended attempt or show a finished one again
//   answered(record)   one answer, with its correctness: right after it in practice mode; in
//                      assessment mode all answers at the end, because the engine releases
//                      correctness only then
//   completed(result)  once, when the test finishes (never for a finished test reopened)
//   commit()           the page was hidden (visibilitychange): push what is buffered
//   terminate()        the page is going away (pagehide), or the learner chose to return to
//                      the LMS: end the session; further calls do nothing. Removing the
//                      element does not end it (an element may be moved within the page).
//   returnURL          optional: where the LMS wants the learner sent after the attempt (cmi5)
//   capabilities       what the element must know of the standard (TrackerCapabilities below)

/**
 * @typedef {object} AnswerRecord
 * @property {string} item        item id (unique within its bank)
 * @property {string} domain      bank id
 * @property {string} topic       topic id within the bank
 * @property {"single" | "multiple" | "true_false"} type
 * @property {string} stem        the question as written in the bank (Markdown)
 * @property {string[]} options   option texts, in bank order
 * @property {number[]} chosen    chosen option indices (0-based, ascending)
 * @property {number[] | null} key right option indices; null in assessment mode, where the
 *                                 correct response must not be recorded
 * @property {boolean} correct
 * @property {boolean} scored     false for an unscored pretest item
 * @property {number} sequence    1-based order of the answer in the attempt
 * @property {Date | null} shownAt when the question appeared (null after a reload)
 * @property {Date} answeredAt
 */

/**
 * @typedef {object} CompletionResult
 * @property {number} scaled          the attempt's score, 0..1 with two decimals (see score.js)
 * @property {number | null} masteryScore the pass mark, 0..1, or null when there is none
 * @property {boolean | null} passed  null when there is no pass mark
 * @property {import("../../pkg/skillcat.js").Report} report the engine's report
 * @property {number} durationMs      time spent in this page's session (not the whole attempt)
 */

/**
 * What the element needs to know about where an attempt is recorded; each tracker declares its
 * own, so the element never asks which standard it talks to.
 * @typedef {object} TrackerCapabilities
 * @property {boolean} ownsAttempt  the LMS keeps the attempt: it resumes it (`resumeState`) and
 *   owns retakes, so the page keeps progress only in memory, offers no Start over and shows no
 *   progress over time (SCORM, cmi5). False: it only receives records, and progress lives in the
 *   browser as without it (an LRS)
 * @property {boolean} reopensInNewPage  a new page opens a new session, so a page that comes
 *   back from the back/forward cache after its session ended simply reloads (an LRS). False:
 *   the launch had its one session (SCORM's one Initialize, cmi5's one token), and the page says
 *   that the session ended
 */

/**
 * @typedef {object} Tracker
 * @property {TrackerKind} kind
 * @property {TrackerCapabilities} capabilities
 * @property {string | null} learner      who the progress this browser keeps belongs to, as
 *                                        text, when the tracker names a learner and the browser
 *                                        keeps progress (an LRS's actor); else null
 * @property {string | null} resumeState  a saved session to continue, or null for a new attempt
 * @property {number | null} masteryScore the LMS's pass mark (0..1), which wins over the
 *                                        element's `mastery-score`; null when the LMS sets none
 * @property {"normal" | "browse" | "review"} launchMode nothing is scored outside "normal"
 * @property {() => void} started
 * @property {(saved: string) => void} progress
 * @property {(record: AnswerRecord) => void} answered
 * @property {(result: CompletionResult) => void} completed
 * @property {() => void} commit
 * @property {() => void} terminate
 * @property {string | null} [returnURL]  where the LMS wants the learner sent afterwards (cmi5)
 */

/**
 * @typedef {object} TrackerOptions
 * @property {number | null} masteryScore   from the `mastery-score` attribute, 0..1
 * @property {"practice" | "assessment"} mode
 * @property {{ id: string, title: string, version: string, language: string }[]} banks
 * @property {string | null} lrsEndpoint    `lrs-endpoint` (xapi)
 * @property {string | null} lrsAuth        `lrs-auth`: the Authorization header value (xapi)
 * @property {string | null} lrsActor       `lrs-actor`: the learner as an xAPI Agent, JSON (xapi)
 * @property {string | null} activityId     `activity-id`: the IRI of the quiz (xapi)
 * @property {Window} window                the page's window (launch parameters, API discovery)
 * @property {{ ids: string[], positions: Map<string, number> }} itemIndex every item id of the
 *                                          session's banks, in order (suspend.js)
 */

/** The LMS or LRS named by the `lms` attribute is not there; `message` says what is missing. */
export class TrackerUnavailable extends Error {
  /**
   * @param {string} message
   * @param {ErrorOptions} [options]
   */
  constructor(message, options) {
    super(message, options);
    this.name = "TrackerUnavailable";
  }
}

/** @typedef {"scorm12" | "scorm2004" | "cmi5" | "xapi"} TrackerKind */

/** @type {readonly TrackerKind[]} */
export const TRACKER_KINDS = ["scorm12", "scorm2004", "cmi5", "xapi"];

/**
 * @param {string} text
 * @returns {text is TrackerKind}
 */
export function isTrackerKind(text) {
  return /** @type {readonly string[]} */ (TRACKER_KINDS).includes(text);
}

/**
 * Connects to the LMS or LRS of `kind`. The modules load on demand, so a page without an LMS
 * fetches none of them.
 * @param {string} kind one of TRACKER_KINDS
 * @param {TrackerOptions} options
 * @returns {Promise<Tracker>}
 */
export async function openTracker(kind, options) {
  switch (kind) {
    case "scorm12":
    case "scorm2004":
      return (await import("./scorm.js")).openScormTracker(kind, options);
    case "cmi5":
      return (await import("./cmi5.js")).openCmi5Tracker(options);
    case "xapi":
      return (await import("./xapi.js")).openXapiTracker(options);
    default:
      throw new TrackerUnavailable(`lms: "${kind}" is not supported; use one of ${TRACKER_KINDS.join(", ")}`);
  }
}

/**
 * `text` as an absolute http(s) URL, or null: an LMS's return URL is followed only when it
 * cannot run script (`javascript:`) or point at local data.
 * @param {string | null | undefined} text
 * @param {string} base
 */
export function webUrl(text, base) {
  if (!text) return null;
  try {
    const url = new URL(text, base);
    return url.protocol === "https:" || url.protocol === "http:" ? url.href : null;
  } catch {
    return null;
  }
}

/**
 * An AnswerRecord from an entry of the engine's review (`session.report().review`). The key is
 * left out unless `withKey` (practice mode): assessment mode never records it.
 * @param {import("../../pkg/skillcat.js").ReviewEntry} entry
 * @param {{ sequence: number, shownAt: Date | null, answeredAt: Date, withKey: boolean }} options
 * @returns {AnswerRecord}
 */
export function answerRecord(entry, { sequence, shownAt, answeredAt, withKey }) {
  const { item, domain, topic, type, stem, options, chosen, correct, scored } = entry;
  return {
    item,
    domain,
    topic,
    type,
    stem,
    options,
    // An answer given in a session is in its review with the choices and the verdict.
    chosen: /** @type {number[]} */ (chosen),
    key: withKey ? (entry.key ?? null) : null,
    correct: /** @type {boolean} */ (correct),
    scored,
    sequence,
    shownAt,
    answeredAt,
  };
}
