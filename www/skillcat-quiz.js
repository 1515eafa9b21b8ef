// <skillcat-quiz>: an adaptive skill check in one custom element. Load it with
//   <script type="module" src="…/skillcat-quiz.js"></script>
//   <skillcat-quiz banks="cybersecurity,regulation" max-items="20" mode="practice"></skillcat-quiz>
//
// Attributes
//   banks      required; comma-separated bank ids, fetched as `<bank-base><id>.json`, or "*":
//              every bank the catalog `<bank-base>index.json` lists (`skillcat catalog`)
//   max-items  most scored questions per domain (1–200, default 20); a domain may stop earlier
//   level-certainty  a domain ends once one level is at least this likely (above 0.5 and below
//              1, default 0.8); "off": only max-items and the engine's SE rule end it
//   mode       "practice" (feedback after each answer, default) or "assessment" (results,
//              answers and explanations only at the end)
//   seed       optional whole number: the same seed and answers give the same test
//   bank-base  optional folder URL of the bank files (default: quizbanks/ next to this module)
//   profile    optional URL of the skill profile (how the domains correlate; default
//              <bank-base>profile.json, none there is fine); "none": the domains stay separate
//   theme      optional "light" or "dark" fixes the colour scheme (default: the reader's
//              prefers-color-scheme); use "light" when the page sets a light --skillcat-bg
//   mastery-score  optional pass mark, 0–100: the score (see lib/lms/score.js) at which the test
//              is passed; an LMS's own mastery score wins over it
//   lms        optional "scorm12", "scorm2004", "cmi5" or "xapi": record the attempt in an LMS
//              or a learning record store (lib/lms/). Without the LMS the quiz runs on its own,
//              says that progress is not recorded and raises skillcat:lms-unavailable
//   lrs-endpoint, lrs-auth, lrs-actor, activity-id   for lms="xapi": the LRS's xAPI base URL,
//              the Authorization header value, the learner as an xAPI Agent (JSON), the quiz's IRI
//   Changing any of these attributes reloads the quiz.
//
// Events (CustomEvent, bubbles, composed), `detail`:
//   skillcat:ready      { banks: [{ id, title, version, language, file }], mode, maxItems,
//                         expectedLength, resumed, persistent, profile: { id, title, version }
//                         or null (the profile a new test uses) }
//   skillcat:answered   { item, domain, topic, type, answer, correct (practice only), estimates,
//                         position, answered, maxLength, finished }
//   skillcat:completed  { report, mode, resumed }   (resumed: a finished test reloaded)
//   skillcat:error      { message, file, bank, phase: "settings" | "load" | "answer" }
//   skillcat:progress   { item, domain, position, answered, maxLength, statement }  (a question
//                       is shown; position counts from 1, maxLength is the most it can reach)
//   skillcat:lms-unavailable { lms, message }   (the `lms` named could not be reached)
//   skillcat:completed also carries `score` (0..1), `masteryScore` and `passed` (null without a
//   pass mark). progress, answered and completed carry `statement`: the xAPI statement an LRS would get,
//   without actor, id and timestamp (null if lib/lms/xapi-statements.js could not load).
//
// Method: startOver() clears the saved progress and shows the first screen (not in an LMS
// attempt, which the learner retakes by relaunching it from the LMS).
//
// Styling: skillcat-quiz.css inside the shadow root; custom properties --skillcat-accent,
// --skillcat-accent-fg, --skillcat-bg, --skillcat-fg, --skillcat-muted, --skillcat-border,
// --skillcat-surface, --skillcat-correct, --skillcat-incorrect, --skillcat-focus,
// --skillcat-radius, --skillcat-font, --skillcat-font-size, --skillcat-max-width.
//
// Stable hooks for themes and tests (all inside the open shadow root):
//   part="container" (root, data-state=<current screen name>), part="status" (role=status live
//   region, present from the start), part="notices" > part="notice <name>" with
//   data-notice="memory-only" | "resumed" | "runtime-error" | "lms-unavailable" |
//   "lms-review" (opened in an LMS to browse or review: nothing is recorded), part="main", part="toolbar"
//   (Start over, with an inline confirmation: part="confirm").
//   Screens: part="screen <name>" with data-screen="loading" | "error" | "intro" | "question" |
//   "feedback" | "results" | "review" | "ended" (an LMS session ended, the page came back from
//   the back/forward cache); the element that takes focus carries data-focus.
//   part="heading" (screen heading), "button" (every button) plus its name, which is also its
//   data-action: start, submit, next, review, back, jump, start-over, confirm-start-over,
//   cancel-start-over, clear-history, confirm-clear-history, cancel-clear-history, retry;
//   part="primary" marks the main action.
//   Intro: part="domains" > "domain" (data-domain), "facts", "restore-problem" (saved progress
//   that no longer fits the banks).
//   Question: data-item=<id>, data-position; part="progress" (the heading), "progress-bar",
//   "item-label", "stem", "form", "options" (fieldset, data-type), "legend", "option" (label,
//   data-option-index), "option-input", "error".
//   Feedback / review: data-correct="true" | "false"; part="verdict verdict-correct" |
//   "verdict verdict-incorrect", "option-results" > "option-result" (+ "option-key",
//   "option-chosen"; data-key, data-chosen, data-option-index), "mark", "option-feedback",
//   "explanation", "references", "link"; review items part="review-item" data-item.
//   Results: part="domain-result" data-domain, "level" (data-level: the most likely level,
//   data-certainty="likely" | "probable" | "unclear" | "none"), "level-odds", "level-meaning",
//   "share", "stop-reason", "chart" (figure, data-domain) > "chart-svg" (role=img, data-theta),
//   "chart-details", "chart-table"; "topics strengths", "topics gaps", "topics-unjudged",
//   "topic-details", "topic-table"; outside an LMS "progress-over-time" > "trend" (data-domain)
//   > "trend-svg", "trend-table", and the clear-history button (asks first).
//   Review: part="review-nav" (jump buttons data-domain, back), "review-domain" data-domain.
//   Error screen: part="error-message", "error-details".

import { append, h, replace } from "./lib/dom.js";
import { fetchBanks, loadEngine, validateBank } from "./lib/engine.js";
import { clearHistory, readHistory, recordResults } from "./lib/history.js";
import { attemptScore, passes } from "./lib/lms/score.js";
import { itemIndex } from "./lib/lms/suspend.js";
import { answerRecord, openTracker, webUrl } from "./lib/lms/tracker.js";
import { fetchProfile, validateProfile } from "./lib/profile.js";
import { feedbackScreen } from "./lib/screens/feedback.js";
import { introScreen } from "./lib/screens/intro.js";
import { askFirst, button, focusHeading, screen } from "./lib/screens/parts.js";
import { progressSection } from "./lib/screens/progress.js";
import { questionScreen } from "./lib/screens/question.js";
import { resultsScreen } from "./lib/screens/results.js";
import { reviewScreen } from "./lib/screens/review.js";
import { PRETEST_ITEMS, readSettings, SETTING_ATTRIBUTES, sessionConfig, settingsVariant } from "./lib/settings.js";
import { createStore, digest, sessionKey, staleKeys } from "./lib/storage.js";
import { en } from "./lib/strings.js";

const STYLESHEET = new URL("skillcat-quiz.css", import.meta.url);

function randomSeed() {
  return globalThis.crypto.getRandomValues(new Uint32Array(1))[0];
}

export class SkillcatQuiz extends HTMLElement {
  static observedAttributes = SETTING_ATTRIBUTES;

  #t = en;
  #container;
  #status;
  #notices;
  #main;
  #toolbar;
  #generation = 0;
  #reloadQueued = false;
  #abort = null;
  #loaded = false;
  #loading = false;

  #settings = null;
  #engine = null;
  #banks = [];
  /** Bank metadata by id: title, description, version, language, topics (Map id → title). */
  #meta = new Map();
  #store = null;
  #key = null;
  /** The engine's Profile linking the domains (lib/profile.js), or null: separate domains. */
  #profile = null;
  /** Whose progress this browser keeps: a digest naming the LRS's learner, or null (lib/storage.js). */
  #scope = null;
  #session = null;
  #completedSent = false;
  #announceTimer = 0;
  /** The LMS or LRS this attempt is recorded in (lib/lms/tracker.js), or null. */
  #tracker = null;
  #trackerOpenedAt = 0;
  /** The in-memory copy of progress kept beside the tracker, across reloads of the element. */
  #trackerStore = null;
  /** The LMS's state at launch has been offered to the quiz (see #load). */
  #launchStateOffered = false;
  /** When each item of this page's session was shown, for answer latencies. */
  #shownAt = new Map();
  /** When each answer was given in this page (assessment answers are recorded at the end). */
  #answeredAt = new Map();
  /** xAPI statement builders for the events' `statement`, loaded beside the engine. */
  #xapi = null;
  /** Score and pass or fail of the finished test, for the results screen. */
  #outcome = null;
  #trackerEnded = false;
  #pageHide = () => {
    this.#trackerEnded = this.#tracker !== null;
    this.#tracker?.terminate();
  };
  /**
   * Back from the back/forward cache after the session ended. An LRS takes statements from a new
   * page: reload. An LMS session cannot be reopened from the page (SCORM allows one Initialize,
   * cmi5 one token): say so instead of running a quiz nobody records.
   */
  #pageShow = (event) => {
    if (!event.persisted || !this.#trackerEnded) return;
    if (this.#tracker?.kind === "xapi") {
      window.location.reload();
      return;
    }
    this.#dropSession();
    this.#clearNotices();
    const t = this.#t;
    this.#show(
      screen("ended", { role: "alert" }, focusHeading(2, {}, t.sessionEnded), h("p", { part: "ended-message" }, t.sessionEndedHelp)),
      { focus: true, toolbar: false },
    );
  };
  #visibility = () => document.visibilityState === "hidden" && this.#tracker?.commit();

  constructor() {
    super();
    const root = this.attachShadow({ mode: "open" });
    const link = h("link", { rel: "stylesheet", href: STYLESHEET.href });
    this.#status = h("div", { role: "status", "aria-live": "polite", "aria-atomic": "true", class: "visually-hidden", part: "status" });
    this.#notices = h("div", { class: "notices", part: "notices" });
    this.#main = h("div", { class: "main", part: "main" });
    this.#toolbar = h("div", { class: "toolbar", part: "toolbar", hidden: true });
    // Hidden until the stylesheet has loaded (or failed), so nothing flashes unstyled. The
    // live region stays outside it: it must be in the accessibility tree from the start.
    this.#container = h("div", { class: "quiz", part: "container", hidden: true }, this.#notices, this.#main, this.#toolbar);
    const reveal = () => {
      this.#container.hidden = false;
    };
    link.addEventListener("load", reveal, { once: true });
    link.addEventListener("error", reveal, { once: true });
    root.append(link, this.#status, this.#container);
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
    if (!this.#store || !this.#key || this.#lmsOwnsAttempt()) return;
    this.#store.remove(this.#key);
    this.#store.remove(this.#feedbackKey());
    this.#dropSession();
    this.#clearNotices("resumed", "stale", "runtime-error");
    this.#showIntro({ focus: true });
  }

  // ---- loading ------------------------------------------------------------------------------

  async #load() {
    const generation = ++this.#generation;
    this.#loading = true;
    this.#abort?.abort();
    this.#abort = new AbortController();
    const { signal } = this.#abort;
    this.#dropSession();
    this.#clearNotices();
    this.#show(screen("loading", { "aria-busy": "true" }, h("p", { part: "loading" }, this.#t.loading)), { toolbar: false });

    let settings;
    try {
      settings = readSettings(this);
    } catch (error) {
      this.#loading = false;
      this.#fail(error, "settings");
      return;
    }
    let validated;
    let profile = null;
    try {
      const [engine, fetched, xapi, profileFile] = await Promise.all([
        loadEngine(),
        fetchBanks(settings.ids, settings.base, signal),
        // Only for the events' xAPI-shaped `statement`; the quiz works without it.
        import("./lib/lms/xapi-statements.js").catch(() => null),
        settings.profile ? fetchProfile(settings.profile, { signal, named: settings.customProfile }) : null,
      ]);
      if (generation !== this.#generation) return;
      this.#engine = engine;
      this.#xapi = xapi;
      validated = [];
      try {
        for (const f of fetched) validated.push(validateBank(engine.Bank, f));
        // A profile links several domains; one bank alone is tested as it always was.
        if (profileFile && fetched.length > 1) profile = validateProfile(engine.Profile, profileFile);
      } catch (error) {
        for (const v of validated) v.bank.free?.();
        throw error;
      }
    } catch (error) {
      if (generation !== this.#generation || error.name === "AbortError") return;
      this.#loading = false;
      this.#fail(error, "load");
      return;
    }
    this.#loading = false;

    for (const bank of this.#banks) bank.free?.();
    this.#profile?.free?.();
    this.#profile = profile;
    this.#settings = settings;
    this.#banks = validated.map((v) => v.bank);
    this.#meta = new Map(validated.map((v) => [v.meta.id, v.meta]));
    const banks = [...this.#meta.values()];
    this.#container.lang = banks[0].language;

    const tracker = await this.#connectTracker(settings, banks);
    if (generation !== this.#generation) return;
    // In an LMS (SCORM, cmi5) the attempt lives there: a new LMS attempt must not pick up this
    // browser's old progress, so the page keeps only an in-memory copy. An LRS (plain xAPI)
    // only receives statements; progress stays in the browser as without one.
    const lmsOwned = this.#lmsOwnsAttempt();
    if (lmsOwned) this.#trackerStore ??= createStore(() => null);
    this.#store = lmsOwned ? this.#trackerStore : createStore();
    // An LRS names its learner: progress kept in this browser belongs to that learner only.
    const scope =
      tracker?.kind === "xapi" ? digest(`${settings.lrs.lrsActor}|${settings.lrs.activityId}|${settings.lrs.lrsEndpoint}`) : null;
    this.#scope = scope;
    const keySettings = {
      banks,
      mode: settings.mode,
      maxItems: settings.maxItems,
      seed: settings.seed,
      scope,
      variant: settingsVariant(settings),
    };
    this.#key = sessionKey(keySettings);
    if (!this.#store.persistent && !lmsOwned) this.#notice("memory-only", this.#t.memoryOnly);
    if (tracker && tracker.launchMode !== "normal") this.#notice("lms-review", this.#t.lmsNotRecording(tracker.launchMode));

    let restoreProblem = null;
    // The LMS's saved state belongs to the settings of the launch: it is offered once, on the
    // first load, never to settings changed later in the page.
    let saved = this.#store.get(this.#key);
    if (lmsOwned && saved === null && !this.#launchStateOffered) saved = tracker.resumeState;
    if (lmsOwned) this.#launchStateOffered = true;
    if (saved) {
      try {
        this.#session = this.#engine.Session.restore(this.#banks, saved);
      } catch (error) {
        restoreProblem = this.#t.restoreFailed(error.message);
      }
    } else if (!lmsOwned) {
      const stale = staleKeys(this.#store.keys(), keySettings);
      if (stale.length) {
        restoreProblem = this.#t.banksUpdated(banks.map((b) => `${b.file} version ${b.version}`).join(", "));
        for (const key of stale) {
          this.#store.remove(key);
          this.#store.remove(this.#feedbackKey(key));
        }
      }
    }

    const resumed = this.#session !== null;
    this.#emit("skillcat:ready", {
      banks: banks.map(({ id, title, version, language, file }) => ({ id, title, version, language, file })),
      mode: settings.mode,
      maxItems: settings.maxItems,
      expectedLength: resumed ? this.#session.maxLength : this.#expectedLength(),
      resumed,
      persistent: this.#store.persistent,
      profile: profile && { id: profile.id, title: profile.title, version: profile.version },
    });

    if (!resumed) {
      this.#showIntro({ focus: false, restoreProblem });
    } else if (this.#settings.mode === "practice" && this.#showSavedFeedback()) {
      // back on the feedback the learner was reading
    } else if (this.#session.isFinished) {
      this.#finish({ focus: false, resumed: true });
    } else {
      const n = this.#session.answered;
      if (n > 0) this.#notice("resumed", this.#t.resumed(n));
      this.#showQuestion({ focus: false });
    }
  }

  /**
   * Opens the LMS or LRS named by `lms`, once per page: SCORM allows one session per launch, so
   * a reload of the element (an attribute changed) keeps the tracker it has. When it cannot be
   * reached the quiz runs on its own and says so.
   */
  async #connectTracker(settings, banks) {
    if (this.#tracker?.kind === settings.lms) return this.#tracker;
    if (this.#tracker) this.#closeTracker();
    if (!settings.lms) return null;
    try {
      this.#tracker = await openTracker(settings.lms, {
        masteryScore: settings.masteryScore,
        mode: settings.mode,
        banks: banks.map(({ id, title, version, language }) => ({ id, title, version, language })),
        ...settings.lrs,
        window,
        itemIndex: itemIndex(banks),
      });
    } catch (error) {
      this.#notice("lms-unavailable", this.#t.lmsUnavailable(error.message));
      this.#emit("skillcat:lms-unavailable", { lms: settings.lms, message: error.message });
      return null;
    }
    this.#trackerOpenedAt = Date.now();
    // pagehide, not unload: unload is unreliable and blocked in some LMS frames.
    window.addEventListener("pagehide", this.#pageHide);
    window.addEventListener("pageshow", this.#pageShow);
    document.addEventListener("visibilitychange", this.#visibility);
    return this.#tracker;
  }

  /** Ends the session with the LMS or LRS the `lms` attribute no longer names. */
  #closeTracker() {
    this.#tracker.terminate();
    window.removeEventListener("pagehide", this.#pageHide);
    window.removeEventListener("pageshow", this.#pageShow);
    document.removeEventListener("visibilitychange", this.#visibility);
    this.#tracker = null;
    this.#trackerStore = null;
    this.#launchStateOffered = false;
  }

  /** True when an LMS (SCORM, cmi5) holds the attempt: it resumes it and owns retakes. */
  #lmsOwnsAttempt() {
    return this.#tracker !== null && this.#tracker.kind !== "xapi";
  }

  #fail(error, phase) {
    const t = this.#t;
    const [first, ...details] = String(error.message ?? error).split("\n");
    this.#show(
      screen(
        "error",
        { role: "alert" },
        focusHeading(2, {}, phase === "settings" ? t.settingsFailed : t.loadFailed),
        h("p", { class: "error-message", part: "error-message" }, first),
        details.length
          ? h(
              "ul",
              { class: "error-details", part: "error-details" },
              details.map((d) => h("li", {}, d)),
            )
          : null,
        phase === "settings"
          ? null
          : h(
              "div",
              { class: "actions" },
              button("retry", t.retry, () => this.#load()),
            ),
      ),
      { toolbar: false },
    );
    this.#emit("skillcat:error", { message: String(error.message ?? error), file: error.file ?? null, bank: error.bank ?? null, phase });
  }

  // ---- the test -----------------------------------------------------------------------------

  /** The most questions a new test can have: the scored maximum plus pretest items, per domain. */
  #expectedLength() {
    let total = 0;
    for (const bank of this.#meta.values()) total += this.#settings.maxItems + Math.min(PRETEST_ITEMS, bank.pretest);
    return total;
  }

  #start() {
    this.#dropSession();
    this.#clearNotices("resumed", "stale", "runtime-error");
    try {
      this.#session = new this.#engine.Session(
        this.#banks,
        sessionConfig(this.#settings, this.#settings.seed ?? randomSeed(), this.#profile),
      );
    } catch (error) {
      this.#fail(error, "settings");
      return;
    }
    this.#tracker?.started();
    this.#showQuestion({ focus: true });
  }

  #showQuestion({ focus }) {
    const item = this.#session.next();
    if (!item) {
      this.#finish({ focus, resumed: false });
      return;
    }
    if (!this.#shownAt.has(item.id)) this.#shownAt.set(item.id, new Date());
    this.#persist();
    const bank = this.#meta.get(item.domain);
    this.#show(
      questionScreen(
        item,
        { bank, t: this.#t },
        {
          onSubmit: (chosen) => this.#submit(item, chosen),
          announce: (text) => this.#announce(text),
        },
      ),
      { focus },
    );
    this.#announce(this.#t.questionHeading(item.position, item.maxLength));
    const answered = this.#session.answered;
    this.#emit("skillcat:progress", {
      item: item.id,
      domain: item.domain,
      position: item.position,
      answered,
      maxLength: item.maxLength,
      statement: this.#statement("progressed", { progress: answered / item.maxLength }),
    });
  }

  #submit(item, chosen) {
    let feedback;
    try {
      feedback = this.#session.answer(item.id, chosen);
    } catch (error) {
      // Not expected from the shell's own input; the session is unchanged and stays usable.
      this.#notice("runtime-error", error.message);
      this.#emit("skillcat:error", { message: error.message, file: null, bank: item.domain, phase: "answer" });
      this.#showQuestion({ focus: true });
      return;
    }
    this.#clearNotices("resumed", "runtime-error");
    const session = this.#session;
    const practice = this.#settings.mode === "practice";
    const answeredAt = new Date();
    this.#answeredAt.set(item.id, answeredAt);
    const entry = this.#session.report().review.find((e) => e.item === item.id);
    const record = entry ? this.#answerRecord(entry, this.#session.answered, answeredAt) : null;
    // Practice mode knows the verdict now; assessment mode records every answer at the end.
    if (practice && record) this.#tracker?.answered(record);
    this.#persist();
    this.#emit("skillcat:answered", {
      item: item.id,
      domain: item.domain,
      topic: item.topic,
      type: item.type,
      answer: feedback.chosen,
      ...(practice ? { correct: feedback.correct } : {}),
      estimates: this.#session.estimates(),
      position: item.position,
      answered: this.#session.answered,
      maxLength: this.#session.maxLength,
      finished: feedback.finished,
      statement: record ? this.#statement("answered", record) : null,
    });
    if (this.#session !== session) return; // a listener started over or changed the quiz
    if (practice) {
      // The test is over with its last answer, whether or not the learner reaches the results
      // (a reload or an LMS exit during this feedback must not lose the completion).
      const done = feedback.finished ? this.#complete({ resumed: false }) : null;
      this.#write(() => this.#store.set(this.#feedbackKey(), item.id));
      this.#showFeedback(item, feedback, { focus: true, resumed: false });
      if (done?.event) this.#emit("skillcat:completed", done.event);
    } else {
      this.#announce(this.#t.saved);
      if (feedback.finished) this.#finish({ focus: true, resumed: false });
      else this.#showQuestion({ focus: true });
    }
  }

  /** Practice feedback on the answer to `item`, with Next (or See your results). */
  #showFeedback(item, feedback, { focus, resumed }) {
    const bank = this.#meta.get(item.domain);
    const next = () => {
      this.#write(() => this.#store.remove(this.#feedbackKey()));
      this.#clearNotices("resumed");
      if (feedback.finished) this.#finish({ focus: true, resumed });
      else this.#showQuestion({ focus: true });
    };
    this.#show(feedbackScreen(item, feedback, { bank, t: this.#t }, { onNext: next }), { focus });
    this.#announce(feedback.correct ? this.#t.correct : this.#t.incorrect);
  }

  /**
   * The feedback the learner was reading when the page went away (practice mode), rebuilt from
   * the review; false when there is none to show.
   */
  #showSavedFeedback() {
    const shown = this.#store.get(this.#feedbackKey());
    const entry = this.#session.report().review.at(-1);
    if (!shown || entry?.item !== shown || entry.key === undefined) return false;
    const item = {
      id: entry.item,
      domain: entry.domain,
      topic: entry.topic,
      type: entry.type,
      stem: entry.stem,
      options: entry.options.map((text) => ({ text })),
    };
    const { correct, key, chosen, optionFeedback, explanation, references } = entry;
    const feedback = { correct, key, chosen, optionFeedback, explanation, references, finished: this.#session.isFinished };
    this.#notice("resumed", this.#t.resumed(this.#session.answered));
    this.#showFeedback(item, feedback, { focus: false, resumed: true });
    return true;
  }

  /** Where the id of the item whose feedback is on screen is kept, beside the saved session `key`. */
  #feedbackKey(key = this.#key) {
    return `${key}|feedback`;
  }

  #finish({ focus, resumed }) {
    const { report, event } = this.#complete({ resumed });
    this.#showResults(report, { focus });
    this.#announce(this.#t.resultsHeading);
    // Raised once the results are on screen: a listener may start over or remove the quiz.
    if (event) this.#emit("skillcat:completed", event);
  }

  /**
   * The test is over: its score and verdict, reported once to the LMS or LRS (not for a
   * finished test reopened, which was reported when it ended). Returns the report and, the
   * first time, the detail of skillcat:completed for the caller to raise after rendering.
   */
  #complete({ resumed }) {
    const report = this.#session.report();
    const masteryScore = this.#tracker?.masteryScore ?? this.#settings.masteryScore;
    const score = attemptScore(report);
    const passed = passes(score, masteryScore);
    this.#outcome = { score, masteryScore, passed };
    let event = null;
    if (!this.#completedSent) {
      this.#completedSent = true;
      // Outside an LMS the browser keeps the learner's results for the progress over time.
      const versions = new Map([...this.#meta].map(([id, meta]) => [id, meta.version]));
      if (!resumed && !this.#lmsOwnsAttempt()) this.#write(() => recordResults(this.#store, report, { scope: this.#scope, versions }));
      if (!resumed && this.#tracker) {
        if (this.#settings.mode === "assessment") {
          const now = new Date();
          report.review.forEach((entry, i) => {
            this.#tracker.answered(this.#answerRecord(entry, i + 1, this.#answeredAt.get(entry.item) ?? now));
          });
        }
        this.#tracker.completed({ scaled: score, masteryScore, passed, report, durationMs: Date.now() - this.#trackerOpenedAt });
      }
      event = {
        report,
        mode: this.#settings.mode,
        resumed,
        score,
        masteryScore,
        passed,
        statement: this.#statement("completed", { score, passed, report }),
      };
    }
    this.#persist();
    return { report, event };
  }

  /** The xAPI statement for an event's `statement` (lib/lms/xapi-statements.js, eventStatement). */
  #statement(kind, value) {
    if (!this.#xapi) return null;
    const ctx = {
      activityId: this.#settings.lrs.activityId ?? `${location.origin}${location.pathname}`,
      banks: [...this.#meta.values()].map(({ id, title, language }) => ({ id, title, language })),
    };
    return this.#xapi.eventStatement(kind, value, ctx, { verdicts: this.#settings.mode === "practice" });
  }

  /** One answer as trackers record it (lib/lms/tracker.js, AnswerRecord). */
  #answerRecord(entry, sequence, answeredAt) {
    const shownAt = this.#shownAt.get(entry.item) ?? null;
    return answerRecord(entry, { sequence, shownAt, answeredAt, withKey: this.#settings.mode === "practice" });
  }

  #showResults(report, { focus }) {
    // The engine sends keys in assessment mode only once the test is finished.
    const canReview = report.review.length > 0 && (report.finished || this.#settings.mode === "practice");
    const ctx = { banks: this.#meta, t: this.#t };
    const onClear = () => {
      this.#write(() => clearHistory(this.#store, this.#scope));
      this.#showResults(report, { focus: true });
      this.#announce(this.#t.historyCleared);
    };
    const progress = this.#lmsOwnsAttempt()
      ? null
      : progressSection(readHistory(this.#store, this.#scope), { ...ctx, report }, { onClear });
    this.#show(resultsScreen(report, ctx, { onReview: canReview ? () => this.#showReview() : null, extra: progress }, this.#outcome), {
      focus,
    });
  }

  /** The LMS's return URL (cmi5), when it is an http(s) URL: never a `javascript:` one. */
  #returnUrl() {
    return webUrl(this.#tracker?.returnURL, document.baseURI);
  }

  /** Ends the LMS session, then goes back to the LMS. */
  #returnToCourse() {
    const url = this.#returnUrl();
    this.#tracker.terminate();
    window.location.assign(url);
  }

  #showReview() {
    const report = this.#session.report();
    this.#show(
      reviewScreen(
        report,
        { banks: this.#meta, t: this.#t },
        {
          onBack: () => this.#showResults(this.#session.report(), { focus: true }),
          backLabel: this.#t.backToResults,
        },
      ),
      { focus: true },
    );
  }

  #showIntro({ focus, restoreProblem = null }) {
    const banks = [...this.#meta.values()];
    this.#show(
      introScreen(
        { banks, settings: this.#settings, profile: this.#profile, maxLength: this.#expectedLength(), t: this.#t },
        { onStart: () => this.#start(), restoreProblem },
      ),
      { focus, toolbar: false },
    );
  }

  #dropSession() {
    this.#session?.free?.();
    this.#session = null;
    this.#completedSent = false;
    this.#shownAt.clear();
    this.#answeredAt.clear();
    this.#outcome = null;
  }

  #persist() {
    if (!this.#session || !this.#store) return;
    const saved = this.#session.save();
    this.#write(() => this.#store.set(this.#key, saved));
    this.#tracker?.progress(saved);
  }

  /** One change to the store; says so when it is the one that made the browser refuse storage. */
  #write(change) {
    const wasPersistent = this.#store.persistent;
    change();
    if (wasPersistent && !this.#store.persistent) this.#notice("memory-only", this.#t.memoryOnly);
  }

  // ---- rendering helpers --------------------------------------------------------------------

  #show(node, { focus = false, toolbar = true } = {}) {
    replace(this.#main, node);
    this.#container.dataset.state = node.dataset.screen;
    this.#renderToolbar(toolbar);
    if (focus) node.querySelector("[data-focus]")?.focus();
  }

  /**
   * The toolbar: Start over (not in an LMS attempt, asking first) on the screens that take it,
   * and "Return to the course" on every screen when the LMS gave a return URL.
   */
  #renderToolbar(visible) {
    const t = this.#t;
    const startOver = visible && !this.#lmsOwnsAttempt();
    const back = this.#returnUrl() ? button("return", t.returnToCourse, () => this.#returnToCourse()) : null;
    this.#toolbar.hidden = !startOver && !back;
    const ask = { name: "start-over", label: t.startOver, question: t.startOverConfirm, yes: t.confirmStartOver, no: t.cancel };
    replace(this.#toolbar, startOver ? askFirst(this.#toolbar, { ...ask, onYes: () => this.startOver() }) : null, back);
  }

  #notice(name, text) {
    this.#clearNotices(name);
    append(this.#notices, [h("p", { class: `notice notice-${name}`, part: `notice ${name}`, "data-notice": name }, text)]);
  }

  #clearNotices(...names) {
    for (const notice of [...this.#notices.children]) {
      if (names.length === 0 || names.includes(notice.dataset.notice)) notice.remove();
    }
  }

  /** Puts text in the live region; clearing first makes a repeated message speak again. */
  #announce(text) {
    clearTimeout(this.#announceTimer);
    this.#status.textContent = "";
    this.#announceTimer = setTimeout(() => {
      this.#status.textContent = text;
    }, 50);
  }

  #emit(type, detail) {
    this.dispatchEvent(new CustomEvent(type, { detail, bubbles: true, composed: true }));
  }
}

if (!customElements.get("skillcat-quiz")) customElements.define("skillcat-quiz", SkillcatQuiz);
