// <skillcat-quiz>: an adaptive skill check in one custom element. Load it with
//   <script type="module" src="…/skillcat-quiz.js"></script>
//   <skillcat-quiz banks="cybersecurity,regulation" max-items="20" mode="practice"></skillcat-quiz>
//
// Its attributes, its events (CustomEvent, bubbling and composed) and each event's `detail` are
// declared and documented once, in skillcat-quiz.d.ts; tsc checks every event this module raises
// against it (#emit). Changing any attribute reloads the quiz. Without the LMS that `lms` names,
// the quiz runs on its own, says that progress is not recorded and raises
// skillcat:lms-unavailable. skillcat:progress, :answered and :completed carry `statement`, the
// xAPI statement an LRS would get, without actor, id and timestamp (null if
// lib/lms/xapi-statements.js could not load).
//
// Method: startOver() clears the saved progress and shows the first screen (not in an LMS
// attempt, which the learner retakes by relaunching it from the LMS).
//
// Styling (custom properties --skillcat-*, ::part()) and the stable hooks for themes and tests
// (parts and data attributes inside the open shadow root): documented on SkillcatQuiz in
// skillcat-quiz.d.ts.

import { Attempt } from "./lib/attempt.js";
import { TrackerConnection } from "./lib/lms/connection.js";
import { freeQuiz, loadQuiz } from "./lib/quiz.js";
import { feedbackScreen } from "./lib/screens/feedback.js";
import { QuizFrame } from "./lib/screens/frame.js";
import { introScreen } from "./lib/screens/intro.js";
import { progressSection } from "./lib/screens/progress.js";
import { questionScreen } from "./lib/screens/question.js";
import { resultsScreen } from "./lib/screens/results.js";
import { reviewScreen } from "./lib/screens/review.js";
import { endedScreen, errorScreen, loadingScreen } from "./lib/screens/status.js";
import { readSettings, SETTING_ATTRIBUTES } from "./lib/settings.js";
import { en } from "./lib/strings.js";

/**
 * @typedef {import("./pkg/skillcat.js").ItemView} Item
 * @typedef {import("./pkg/skillcat.js").Feedback} Feedback
 * @typedef {import("./pkg/skillcat.js").Report} Report
 * @typedef {import("./skillcat-quiz.d.ts").SkillcatQuizEventMap} SkillcatQuizEventMap
 * @typedef {import("./lib/lms/tracker.js").TrackerKind} TrackerKind
 * @typedef {import("./lib/settings.js").Settings} Settings
 */

const STYLESHEET = new URL("skillcat-quiz.css", import.meta.url);

export class SkillcatQuiz extends HTMLElement {
  static observedAttributes = SETTING_ATTRIBUTES;

  #t = en;
  #frame;
  #generation = 0;
  #reloadQueued = false;
  /** @type {AbortController | null} */
  #abort = null;
  #loaded = false;
  #loading = false;

  /** @type {import("./lib/settings.js").Settings | null} */
  #settings = null;
  /** @type {import("./lib/quiz.js").LoadedQuiz | null} the engine, banks and profile of the settings */
  #quiz = null;
  /** @type {Attempt | null} the attempt at #quiz (lib/attempt.js) */
  #attempt = null;
  /** The LMS or LRS attempts are recorded in (lib/lms/connection.js); it outlives reloads. */
  #connection = new TrackerConnection({ onEnded: () => this.#showEnded() });

  constructor() {
    super();
    this.#frame = new QuizFrame(this.attachShadow({ mode: "open" }), STYLESHEET, this.#t);
  }

  connectedCallback() {
    if (!this.#loaded) {
      this.#loaded = true;
      this.#load();
    }
  }

  disconnectedCallback() {
    // A load still in flight is dropped; connecting the element again starts it anew. A loaded
    // quiz keeps its state when it is moved in the page.
    if (this.#loading) {
      this.#abort?.abort();
      this.#generation += 1;
      this.#loading = false;
      this.#loaded = false;
    }
  }

  /**
   * @param {string} _name
   * @param {string | null} previous
   * @param {string | null} value
   */
  attributeChangedCallback(_name, previous, value) {
    if (!this.#loaded || previous === value || this.#reloadQueued) return;
    this.#reloadQueued = true;
    queueMicrotask(() => {
      this.#reloadQueued = false;
      this.#load();
    });
  }

  /** Clears the saved progress and shows the first screen. */
  startOver() {
    if (!this.#attempt || this.#connection.ownsAttempt) return;
    this.#attempt.clearSaved();
    this.#attempt.drop();
    this.#frame.clearNotices("resumed", "stale", "runtime-error");
    this.#showIntro({ focus: true });
  }

  // ---- loading ------------------------------------------------------------------------------

  async #load() {
    const generation = ++this.#generation;
    this.#loading = true;
    this.#abort?.abort();
    this.#abort = new AbortController();
    const { signal } = this.#abort;
    this.#attempt?.drop();
    this.#attempt = null;
    this.#frame.clearNotices();
    this.#show(loadingScreen({ t: this.#t }), { toolbar: false });

    let settings;
    let quiz;
    try {
      settings = readSettings(this);
    } catch (error) {
      this.#loading = false;
      this.#fail(error, "settings");
      return;
    }
    try {
      quiz = await loadQuiz(settings, signal);
    } catch (error) {
      if (generation !== this.#generation || /** @type {Error} */ (error).name === "AbortError") return;
      this.#loading = false;
      this.#fail(error, "load");
      return;
    }
    this.#loading = false;
    if (this.#quiz) freeQuiz(this.#quiz);
    this.#quiz = quiz;
    this.#settings = settings;
    const banks = [...quiz.meta.values()];
    this.#frame.lang = banks[0].language;

    let tracker = null;
    try {
      tracker = await this.#connection.open(settings, banks);
    } catch (error) {
      const { message } = /** @type {Error} */ (error);
      this.#frame.notice("lms-unavailable", this.#t.lmsUnavailable(message));
      this.#emit("skillcat:lms-unavailable", { lms: /** @type {TrackerKind} */ (settings.lms), message });
    }
    if (generation !== this.#generation) return;
    const attempt = new Attempt(quiz, settings, this.#connection, {
      onStorageRefused: () => this.#frame.notice("memory-only", this.#t.memoryOnly),
    });
    this.#attempt = attempt;
    if (!attempt.persistent && !this.#connection.ownsAttempt) this.#frame.notice("memory-only", this.#t.memoryOnly);
    if (tracker && tracker.launchMode !== "normal") this.#frame.notice("lms-review", this.#t.lmsNotRecording(tracker.launchMode));
    const problem = attempt.restore();
    const t = this.#t;
    const restoreProblem =
      problem && ("restoreFailed" in problem ? t.restoreFailed(problem.restoreFailed) : t.banksUpdated(problem.banksUpdated));

    const session = attempt.session;
    this.#emit("skillcat:ready", attempt.readyDetail());

    const saved = session && settings.mode === "practice" ? attempt.savedFeedback() : null;
    if (!session) {
      this.#showIntro({ focus: false, restoreProblem });
    } else if (saved) {
      // back on the feedback the learner was reading
      this.#frame.notice("resumed", this.#t.resumed(session.answered));
      this.#showFeedback(saved.item, saved.feedback, { focus: false, resumed: true });
    } else if (session.isFinished) {
      this.#finish({ focus: false, resumed: true });
    } else {
      if (session.answered > 0) this.#frame.notice("resumed", this.#t.resumed(session.answered));
      this.#showQuestion({ focus: false });
    }
  }

  /**
   * @param {unknown} error
   * @param {"settings" | "load"} phase
   */
  #fail(error, phase) {
    const { message, file = null, bank = null } = /** @type {{ message?: string, file?: string | null, bank?: string | null }} */ (error);
    const text = String(message ?? error);
    this.#show(errorScreen(text, phase, { t: this.#t, onRetry: () => this.#load() }), { toolbar: false });
    this.#emit("skillcat:error", { message: text, file, bank, phase });
  }

  // ---- the test -----------------------------------------------------------------------------

  #start() {
    const attempt = /** @type {Attempt} */ (this.#attempt);
    this.#frame.clearNotices("resumed", "stale", "runtime-error");
    try {
      attempt.start();
    } catch (error) {
      this.#fail(error, "settings");
      return;
    }
    this.#showQuestion({ focus: true });
  }

  /** @param {{ focus: boolean }} options */
  #showQuestion({ focus }) {
    const attempt = /** @type {Attempt} */ (this.#attempt);
    const item = attempt.next();
    if (!item) {
      this.#finish({ focus, resumed: false });
      return;
    }
    const bank = this.#bank(item.domain);
    const handlers = {
      onSubmit: (/** @type {number[]} */ chosen) => this.#submit(item, chosen),
      announce: (/** @type {string} */ text) => this.#frame.announce(text),
    };
    this.#show(questionScreen(item, { bank, t: this.#t }, handlers), { focus });
    this.#frame.announce(this.#t.questionHeading(item.position, item.maxLength));
    this.#emit("skillcat:progress", attempt.progressDetail(item));
  }

  /**
   * @param {Item} item
   * @param {number[]} chosen
   */
  #submit(item, chosen) {
    const attempt = /** @type {Attempt} */ (this.#attempt);
    let answered;
    try {
      answered = attempt.answer(item, chosen);
    } catch (error) {
      // Not expected from the shell's own input; the session is unchanged and stays usable.
      const { message } = /** @type {Error} */ (error);
      this.#frame.notice("runtime-error", message);
      this.#emit("skillcat:error", { message, file: null, bank: item.domain, phase: "answer" });
      this.#showQuestion({ focus: true });
      return;
    }
    const { feedback, detail } = answered;
    this.#frame.clearNotices("resumed", "runtime-error");
    const session = attempt.session;
    this.#emit("skillcat:answered", detail);
    if (this.#attempt?.session !== session) return; // a listener started over or changed the quiz
    if (this.#settings?.mode === "practice") {
      // The test is over with its last answer, whether or not the learner reaches the results
      // (a reload or an LMS exit during this feedback must not lose the completion).
      const done = feedback.finished ? attempt.complete({ resumed: false }) : null;
      attempt.keepFeedback(item.id);
      this.#showFeedback(item, feedback, { focus: true, resumed: false });
      if (done?.detail) this.#emit("skillcat:completed", done.detail);
    } else {
      this.#frame.announce(this.#t.saved);
      if (feedback.finished) this.#finish({ focus: true, resumed: false });
      else this.#showQuestion({ focus: true });
    }
  }

  /**
   * Practice feedback on the answer to `item`, with Next (or See your results).
   * @param {Item} item
   * @param {Feedback} feedback
   * @param {{ focus: boolean, resumed: boolean }} options
   */
  #showFeedback(item, feedback, { focus, resumed }) {
    const next = () => {
      this.#attempt?.keepFeedback(null);
      this.#frame.clearNotices("resumed");
      if (feedback.finished) this.#finish({ focus: true, resumed });
      else this.#showQuestion({ focus: true });
    };
    this.#show(feedbackScreen(item, feedback, { bank: this.#bank(item.domain), t: this.#t }, { onNext: next }), { focus });
    this.#frame.announce(feedback.correct ? this.#t.correct : this.#t.incorrect);
  }

  /** @param {{ focus: boolean, resumed: boolean }} options */
  #finish({ focus, resumed }) {
    const { report, detail } = /** @type {Attempt} */ (this.#attempt).complete({ resumed });
    this.#showResults(report, { focus });
    this.#frame.announce(this.#t.resultsHeading);
    // Raised once the results are on screen: a listener may start over or remove the quiz.
    if (detail) this.#emit("skillcat:completed", detail);
  }

  /**
   * @param {Report} report
   * @param {{ focus: boolean }} options
   */
  #showResults(report, { focus }) {
    const attempt = /** @type {Attempt} */ (this.#attempt);
    // The engine sends keys in assessment mode only once the test is finished.
    const canReview = report.review.length > 0 && (report.finished || this.#settings?.mode === "practice");
    const ctx = { banks: this.#meta(), t: this.#t };
    const onClear = () => {
      attempt.clearHistory();
      this.#showResults(report, { focus: true });
      this.#frame.announce(this.#t.historyCleared);
    };
    const progress = this.#connection.ownsAttempt ? null : progressSection(attempt.history(), { ...ctx, report }, { onClear });
    const onReview = canReview ? () => this.#showReview() : null;
    this.#show(resultsScreen(report, ctx, { onReview, extra: progress }, attempt.outcome), { focus });
  }

  #showReview() {
    const session = /** @type {import("./pkg/skillcat.js").Session} */ (this.#attempt?.session);
    const onBack = () => this.#showResults(session.report(), { focus: true });
    this.#show(reviewScreen(session.report(), { banks: this.#meta(), t: this.#t }, { onBack, backLabel: this.#t.backToResults }), {
      focus: true,
    });
  }

  /** @param {{ focus: boolean, restoreProblem?: string | null }} options */
  #showIntro({ focus, restoreProblem = null }) {
    const { profile } = /** @type {import("./lib/quiz.js").LoadedQuiz} */ (this.#quiz);
    const banks = [...this.#meta().values()];
    const maxLength = /** @type {Attempt} */ (this.#attempt).expectedLength();
    this.#show(
      introScreen(
        { banks, settings: /** @type {Settings} */ (this.#settings), profile, maxLength, t: this.#t },
        { onStart: () => this.#start(), restoreProblem },
      ),
      { focus, toolbar: false },
    );
  }

  /**
   * Back from the back/forward cache after an LMS session ended (lib/lms/connection.js): the
   * LMS cannot reopen it from the page, so say so instead of running a quiz nobody records.
   */
  #showEnded() {
    this.#attempt?.drop();
    this.#frame.clearNotices();
    this.#show(endedScreen({ t: this.#t }), { focus: true, toolbar: false });
  }

  // ---- rendering helpers --------------------------------------------------------------------

  #meta() {
    return /** @type {import("./lib/quiz.js").LoadedQuiz} */ (this.#quiz).meta;
  }

  /** @param {string} id */
  #bank(id) {
    return /** @type {import("./lib/engine.js").BankMeta} */ (this.#meta().get(id));
  }

  /**
   * Puts `node` on show. The toolbar offers Start over where `toolbar` (not in an LMS attempt),
   * and "Return to the course" on every screen when the LMS gave a return URL.
   * @param {HTMLElement} node
   * @param {{ focus?: boolean, toolbar?: boolean }} [options]
   */
  #show(node, { focus = false, toolbar = true } = {}) {
    const connection = this.#connection;
    const onStartOver = toolbar && !connection.ownsAttempt ? () => this.startOver() : null;
    const onReturn = connection.returnUrl() ? () => connection.returnToCourse() : null;
    this.#frame.show(node, { focus, onStartOver, onReturn });
  }

  /**
   * Raises one of the element's events, with the detail skillcat-quiz.d.ts declares for it.
   * @template {keyof SkillcatQuizEventMap} K
   * @param {K} type
   * @param {SkillcatQuizEventMap[K]["detail"]} detail
   */
  #emit(type, detail) {
    this.dispatchEvent(new CustomEvent(type, { detail, bubbles: true, composed: true }));
  }
}

if (!customElements.get("skillcat-quiz")) customElements.define("skillcat-quiz", SkillcatQuiz);
