// One attempt at a loaded quiz, apart from its screens: the engine's session, where its progress
// is saved (the browser's storage, or memory beside an LMS that keeps the attempt), what the LMS
// or LRS is told and when, the results kept for progress over time, and the `detail` of the
// events the element raises. The element (skillcat-quiz.js) asks it for the next question,
// hands it the learner's answers and renders what it returns.

import { clearHistory, readHistory, recordResults } from "./history.js";
import { attemptScore, passes } from "./lms/score.js";
import { answerRecord } from "./lms/tracker.js";
import { PRETEST_ITEMS, sessionConfig, settingsVariant } from "./settings.js";
import { digest, sessionKey, staleKeys } from "./storage.js";

/**
 * @typedef {import("../pkg/skillcat.js").Session} Session
 * @typedef {import("../pkg/skillcat.js").ItemView} Item
 * @typedef {import("../pkg/skillcat.js").Feedback} Feedback
 * @typedef {import("../pkg/skillcat.js").Report} Report
 * @typedef {import("../pkg/skillcat.js").ReviewEntry} ReviewEntry
 * @typedef {{ score: number, masteryScore: number | null, passed: boolean | null }} Outcome
 * @typedef {import("../skillcat-quiz.d.ts").SkillcatCompletedDetail} CompletedDetail
 * @typedef {import("../skillcat-quiz.d.ts").XapiStatement} XapiStatement
 * @typedef {{ restoreFailed: string } | { banksUpdated: string }} RestoreProblem  the engine's
 *   message, or the banks' new versions ("cybersecurity.json version 2025.2, …")
 */

function randomSeed() {
  return globalThis.crypto.getRandomValues(new Uint32Array(1))[0];
}

export class Attempt {
  #quiz;
  #settings;
  #connection;
  #store;
  #key;
  /** Whose progress this browser keeps: a digest naming the LRS's learner, or null (storage.js). */
  #scope;
  #onStorageRefused;
  /** @type {Session | null} */
  #session = null;
  #completedSent = false;
  /** When each item of this page's session was shown, for answer latencies. */
  #shownAt = new Map();
  /** When each answer was given in this page (assessment answers are recorded at the end). */
  #answeredAt = new Map();
  /** @type {Outcome | null} score and pass or fail of the finished test, for the results */
  #outcome = null;

  /**
   * @param {import("./quiz.js").LoadedQuiz} quiz
   * @param {import("./settings.js").Settings} settings
   * @param {import("./lms/connection.js").TrackerConnection} connection
   * @param {{ onStorageRefused: () => void }} handlers `onStorageRefused`: a write made the
   *   browser refuse storage; progress lives in this page only from now on
   */
  constructor(quiz, settings, connection, { onStorageRefused }) {
    this.#quiz = quiz;
    this.#settings = settings;
    this.#connection = connection;
    this.#onStorageRefused = onStorageRefused;
    this.#store = connection.store();
    const learner = connection.tracker?.learner;
    this.#scope = learner ? digest(learner) : null;
    this.#key = sessionKey(this.#keySettings());
  }

  /** The engine's session, or null before Start (and once dropped). */
  get session() {
    return this.#session;
  }

  /** False when the browser refuses storage: progress will not survive a reload. */
  get persistent() {
    return this.#store.persistent;
  }

  /** @returns {Outcome | null} */
  get outcome() {
    return this.#outcome;
  }

  /**
   * The `skillcat:ready` detail, once restore() has run.
   * @returns {import("../skillcat-quiz.d.ts").SkillcatReadyDetail}
   */
  readyDetail() {
    const { meta, profile } = this.#quiz;
    const { mode, maxItems } = this.#settings;
    return {
      banks: [...meta.values()].map(({ id, title, version, language, file }) => ({ id, title, version, language, file })),
      mode,
      maxItems,
      expectedLength: this.#session ? this.#session.maxLength : this.expectedLength(),
      resumed: this.#session !== null,
      persistent: this.#store.persistent,
      profile: profile && { id: profile.id, title: profile.title, version: profile.version },
    };
  }

  /** The most questions a new test can have: the scored maximum plus pretest items, per domain. */
  expectedLength() {
    let total = 0;
    for (const bank of this.#quiz.meta.values()) total += this.#settings.maxItems + Math.min(PRETEST_ITEMS, bank.pretest);
    return total;
  }

  /**
   * Continues the saved attempt (this browser's, or the LMS's at launch), if any. Returns why
   * saved progress could not be used, or null. Progress saved for older versions of the banks
   * is removed (outside an LMS, which keeps its own).
   * @returns {RestoreProblem | null}
   */
  restore() {
    const owned = this.#connection.ownsAttempt;
    const launchState = owned ? this.#connection.takeLaunchState() : null;
    const saved = this.#store.get(this.#key) ?? launchState;
    if (saved) {
      try {
        this.#session = this.#quiz.engine.Session.restore(this.#quiz.banks, saved);
      } catch (error) {
        return { restoreFailed: /** @type {Error} */ (error).message };
      }
    } else if (!owned) {
      const stale = staleKeys(this.#store.keys(), this.#keySettings());
      if (stale.length) {
        for (const key of stale) {
          this.#store.remove(key);
          this.#store.remove(feedbackKey(key));
        }
        return { banksUpdated: [...this.#quiz.meta.values()].map((b) => `${b.file} version ${b.version}`).join(", ") };
      }
    }
    return null;
  }

  /** A new test; throws the engine's error when the settings make no valid session. */
  start() {
    this.drop();
    const { engine, banks, profile } = this.#quiz;
    this.#session = new engine.Session(banks, sessionConfig(this.#settings, this.#settings.seed ?? randomSeed(), profile));
    this.#connection.tracker?.started();
  }

  /** Frees the session: the attempt is over in this page (a reload, Start over). */
  drop() {
    this.#session?.free();
    this.#session = null;
    this.#completedSent = false;
    this.#shownAt.clear();
    this.#answeredAt.clear();
    this.#outcome = null;
  }

  /** Forgets the saved progress (Start over). */
  clearSaved() {
    this.#store.remove(this.#key);
    this.#store.remove(feedbackKey(this.#key));
  }

  /**
   * The next question, saved as the one on screen, or null when the test is over.
   * @returns {Item | null}
   */
  next() {
    const session = /** @type {Session} */ (this.#session);
    const item = session.next() ?? null;
    if (!item) return null;
    if (!this.#shownAt.has(item.id)) this.#shownAt.set(item.id, new Date());
    this.#persist();
    return item;
  }

  /**
   * The `skillcat:progress` detail of the question `item` on screen.
   * @param {Item} item
   * @returns {import("../skillcat-quiz.d.ts").SkillcatProgressDetail}
   */
  progressDetail(item) {
    const answered = /** @type {Session} */ (this.#session).answered;
    const statement = this.#statement({ kind: "progressed", progress: answered / item.maxLength });
    return { item: item.id, domain: item.domain, position: item.position, answered, maxLength: item.maxLength, statement };
  }

  /**
   * Records the answer `chosen` to `item`: saved at once, sent to the LMS or LRS at once in
   * practice mode (assessment mode sends every answer at the end). Throws the engine's error
   * when it refuses the answer; the session is then unchanged.
   * @param {Item} item
   * @param {number[]} chosen
   * @returns {{ feedback: Feedback, detail: import("../skillcat-quiz.d.ts").SkillcatAnsweredDetail }} the feedback, and
   *   the `skillcat:answered` detail
   */
  answer(item, chosen) {
    const session = /** @type {Session} */ (this.#session);
    const feedback = session.answer(item.id, chosen);
    const practice = this.#settings.mode === "practice";
    const answeredAt = new Date();
    this.#answeredAt.set(item.id, answeredAt);
    const entry = session.report().review.find((e) => e.item === item.id);
    const record = entry ? this.#answerRecord(entry, session.answered, answeredAt) : null;
    if (practice && record) this.#connection.tracker?.answered(record);
    this.#persist();
    const detail = {
      item: item.id,
      domain: item.domain,
      topic: item.topic,
      type: item.type,
      answer: feedback.chosen,
      ...(practice ? { correct: feedback.correct } : {}),
      estimates: session.estimates(),
      position: item.position,
      answered: session.answered,
      maxLength: session.maxLength,
      finished: feedback.finished,
      statement: record ? this.#statement({ kind: "answered", record }) : null,
    };
    return { feedback, detail };
  }

  /**
   * Keeps which answer's practice feedback is on screen (`itemId`), or that none is (null), so
   * that a reload shows that feedback again.
   * @param {string | null} itemId
   */
  keepFeedback(itemId) {
    const key = feedbackKey(this.#key);
    this.#write(() => (itemId === null ? this.#store.remove(key) : this.#store.set(key, itemId)));
  }

  /**
   * The practice feedback the learner was reading when the page went away, rebuilt from the
   * review; null when there is none to show.
   * @returns {{ item: Item, feedback: Feedback } | null}
   */
  savedFeedback() {
    const session = /** @type {Session} */ (this.#session);
    const shown = this.#store.get(feedbackKey(this.#key));
    const entry = session.report().review.at(-1);
    if (!shown || entry?.item !== shown || entry.key === undefined) return null;
    const { item: id, domain, topic, type, stem, options, correct, key, chosen, optionFeedback, explanation, references } = entry;
    // Only what the feedback screen reads of an item.
    const item = /** @type {Item} */ ({ id, domain, topic, type, stem, options: options.map((text) => ({ text })) });
    const feedback = { correct, key, chosen, optionFeedback, explanation, references, finished: session.isFinished };
    return { item, feedback: /** @type {Feedback} */ (feedback) };
  }

  /**
   * The test is over: its score and verdict, reported once to the LMS or LRS (not for a
   * finished test reopened, which was reported when it ended). Returns the report and, the
   * first time, the detail of skillcat:completed for the caller to raise after rendering.
   * @param {{ resumed: boolean }} options
   * @returns {{ report: Report, detail: CompletedDetail | null }}
   */
  complete({ resumed }) {
    const session = /** @type {Session} */ (this.#session);
    const tracker = this.#connection.tracker;
    const report = session.report();
    const masteryScore = tracker?.masteryScore ?? this.#settings.masteryScore;
    const score = attemptScore(report);
    const passed = passes(score, masteryScore);
    this.#outcome = { score, masteryScore, passed };
    let detail = null;
    if (!this.#completedSent) {
      this.#completedSent = true;
      // Outside an LMS the browser keeps the learner's results for the progress over time.
      const versions = new Map([...this.#quiz.meta].map(([id, meta]) => [id, meta.version]));
      if (!resumed && !this.#connection.ownsAttempt)
        this.#write(() => recordResults(this.#store, report, { scope: this.#scope, versions }));
      if (!resumed && tracker) {
        if (this.#settings.mode === "assessment") {
          const now = new Date();
          report.review.forEach((entry, i) => {
            tracker.answered(this.#answerRecord(entry, i + 1, this.#answeredAt.get(entry.item) ?? now));
          });
        }
        tracker.completed({ scaled: score, masteryScore, passed, report, durationMs: this.#connection.durationMs });
      }
      const statement = this.#statement({ kind: "completed", score, passed, report });
      detail = { report, mode: this.#settings.mode, resumed, score, masteryScore, passed, statement };
    }
    this.#persist();
    return { report, detail };
  }

  /** This learner's results over time, kept in this browser (history.js). */
  history() {
    return readHistory(this.#store, this.#scope);
  }

  /** Forgets this learner's results over time. */
  clearHistory() {
    this.#write(() => clearHistory(this.#store, this.#scope));
  }

  #keySettings() {
    const { mode, maxItems, seed } = this.#settings;
    const banks = [...this.#quiz.meta.values()];
    return { banks, mode, maxItems, seed, scope: this.#scope, variant: settingsVariant(this.#settings) };
  }

  /** Saves the session, in the browser (or memory) and in the LMS. */
  #persist() {
    if (!this.#session) return;
    const saved = this.#session.save();
    this.#write(() => this.#store.set(this.#key, saved));
    this.#connection.tracker?.progress(saved);
  }

  /**
   * One change to the store; says so when it is the one that made the browser refuse storage.
   * @param {() => unknown} change
   */
  #write(change) {
    const wasPersistent = this.#store.persistent;
    change();
    if (wasPersistent && !this.#store.persistent) this.#onStorageRefused();
  }

  /**
   * The xAPI statement for an event's `statement` (lms/xapi-statements.js, eventStatement).
   * @param {import("./lms/xapi-statements.js").EventValue} event
   * @returns {XapiStatement | null}
   */
  #statement(event) {
    if (!this.#quiz.xapi) return null;
    const ctx = {
      activityId: this.#settings.lrs.activityId ?? `${location.origin}${location.pathname}`,
      banks: [...this.#quiz.meta.values()].map(({ id, title, language }) => ({ id, title, language })),
    };
    return this.#quiz.xapi.eventStatement(event, ctx, { verdicts: this.#settings.mode === "practice" });
  }

  /**
   * One answer as trackers record it (lms/tracker.js, AnswerRecord).
   * @param {ReviewEntry} entry
   * @param {number} sequence
   * @param {Date} answeredAt
   */
  #answerRecord(entry, sequence, answeredAt) {
    const shownAt = this.#shownAt.get(entry.item) ?? null;
    return answerRecord(entry, { sequence, shownAt, answeredAt, withKey: this.#settings.mode === "practice" });
  }
}

/**
 * Where the id of the item whose feedback is on screen is kept, beside the saved session `key`.
 * @param {string} key
 */
function feedbackKey(key) {
  return `${key}|feedback`;
}
