// Types of the <skillcat-quiz> custom element (skillcat-quiz.js): its attributes, its events and
// their `detail`. Importing the module registers the element; afterwards
// `document.createElement("skillcat-quiz")` and `querySelector("skillcat-quiz")` are typed, and so
// are listeners: `quiz.addEventListener("skillcat:completed", (e) => e.detail.report.domains)`.
// The engine's own types (Report, DomainEstimate, …) come from pkg/skillcat.d.ts.

import type { DomainEstimate, ItemType, Report } from "./pkg/skillcat.js";

/** The element's attributes; every value is a string, as in HTML. Changing one reloads the quiz. */
export interface SkillcatQuizAttributes {
  /**
   * Comma-separated bank ids, each fetched as `<bank-base><id>.json`; or `"*"`: every bank that
   * the catalog `<bank-base>index.json` lists (written by `skillcat catalog`). Required.
   */
  banks: string;
  /** Most scored questions per domain, 1–200 (default 20); a domain may stop earlier. */
  "max-items"?: string;
  /**
   * A domain ends once one level is at least this likely: a number above 0.5 and below 1
   * (default 0.8), or `off`.
   */
  "level-certainty"?: string;
  /**
   * The skill profile's URL (how the domains correlate; default `<bank-base>profile.json`, where
   * none is fine), or `none` to estimate the domains separately.
   */
  profile?: string;
  /** `practice` (feedback after each answer, the default) or `assessment`. */
  mode?: "practice" | "assessment";
  /** A whole number: the same seed and answers give the same test (default: random). */
  seed?: string;
  /** The folder of the bank files (default: `quizbanks/` next to the module). */
  "bank-base"?: string;
  /**
   * `light` or `dark` (default: the reader's `prefers-color-scheme`); `light` when the page sets a
   * light `--skillcat-bg`.
   */
  theme?: "light" | "dark";
  /** Pass mark, 0–100; an LMS's own mastery score wins over it. */
  "mastery-score"?: string;
  /**
   * Where the attempt is recorded: an LMS (SCORM, cmi5) or an LRS (xAPI). When it cannot be
   * reached, the quiz runs on its own, says so and raises `skillcat:lms-unavailable`.
   */
  lms?: "scorm12" | "scorm2004" | "cmi5" | "xapi";
  /** For `lms="xapi"`: the LRS's xAPI base URL. */
  "lrs-endpoint"?: string;
  /** For `lms="xapi"`: the whole `Authorization` header value. */
  "lrs-auth"?: string;
  /** For `lms="xapi"`: the learner as an xAPI Agent, in JSON. */
  "lrs-actor"?: string;
  /** For `lms="xapi"`: the quiz's activity IRI (default: the page's URL). */
  "activity-id"?: string;
}

/** The xAPI 1.0.3 statement an LRS would get for the event, without actor, id and timestamp. */
export interface XapiStatement {
  verb: { id: string; display?: Record<string, string> };
  object: { objectType?: "Activity"; id: string; definition?: Record<string, unknown> };
  result?: {
    success?: boolean;
    completion?: boolean;
    response?: string;
    score?: { scaled?: number; raw?: number; min?: number; max?: number };
    duration?: string;
    extensions?: Record<string, unknown>;
  };
  context?: Record<string, unknown>;
  [key: string]: unknown;
}

/** A bank as the events describe it. */
export interface SkillcatBankInfo {
  id: string;
  title: string;
  version: string;
  /** A BCP 47 language tag. */
  language: string;
  /** The file it was read from, `<id>.json`. */
  file: string;
}

/** `skillcat:ready`: the banks are loaded and the first screen is shown. */
export interface SkillcatReadyDetail {
  banks: SkillcatBankInfo[];
  mode: "practice" | "assessment";
  maxItems: number;
  /** The most questions the test can have. */
  expectedLength: number;
  /** A saved session was picked up. */
  resumed: boolean;
  /** Progress is kept across reloads (false: in memory only). */
  persistent: boolean;
  /** The skill profile a new test uses to link its domains, or null (separate domains). */
  profile: { id: string; title: string; version: string } | null;
}

/** `skillcat:progress`: a question is shown. */
export interface SkillcatProgressDetail {
  item: string;
  /** The bank id. */
  domain: string;
  /** Counts from 1. */
  position: number;
  answered: number;
  /** The most `position` can reach. */
  maxLength: number;
  statement: XapiStatement | null;
}

/** `skillcat:answered`: an answer was scored and saved. */
export interface SkillcatAnsweredDetail {
  item: string;
  domain: string;
  topic: string;
  type: ItemType;
  /** The chosen option indices, from 0. */
  answer: number[];
  /** Practice mode only: assessment mode reveals nothing before the end. */
  correct?: boolean;
  estimates: DomainEstimate[];
  position: number;
  answered: number;
  maxLength: number;
  finished: boolean;
  statement: XapiStatement | null;
}

/** `skillcat:completed`: the test is over (or a finished test was reloaded: `resumed`). */
export interface SkillcatCompletedDetail {
  report: Report;
  mode: "practice" | "assessment";
  resumed: boolean;
  /** Φ(θ̂) averaged over the domains, 0..1 (lib/lms/score.js). */
  score: number;
  /** The pass mark, 0..1, or null without one. */
  masteryScore: number | null;
  /** Null without a pass mark. */
  passed: boolean | null;
  /**
   * `completed`; with the report's level probabilities as the result extension
   * `urn:skillcat:xapi:extension:level-probabilities`: `{ [bank]: [{ name, probability }] }`.
   */
  statement: XapiStatement | null;
}

/** `skillcat:error`: a setting, a file or an answer failed; `message` names the place. */
export interface SkillcatErrorDetail {
  message: string;
  /** The file that failed (`cybersecurity.json`, `index.json`, `pkg/skillcat.js`), or null. */
  file: string | null;
  bank: string | null;
  phase: "settings" | "load" | "answer";
}

/** `skillcat:lms-unavailable`: the `lms` named could not be reached; the quiz runs on its own. */
export interface SkillcatLmsUnavailableDetail {
  lms: NonNullable<SkillcatQuizAttributes["lms"]>;
  message: string;
}

/** Every event the element raises (CustomEvent, bubbling and composed). */
export interface SkillcatQuizEventMap {
  "skillcat:ready": CustomEvent<SkillcatReadyDetail>;
  "skillcat:progress": CustomEvent<SkillcatProgressDetail>;
  "skillcat:answered": CustomEvent<SkillcatAnsweredDetail>;
  "skillcat:completed": CustomEvent<SkillcatCompletedDetail>;
  "skillcat:error": CustomEvent<SkillcatErrorDetail>;
  "skillcat:lms-unavailable": CustomEvent<SkillcatLmsUnavailableDetail>;
}

/**
 * `<skillcat-quiz>`: an adaptive skill check.
 *
 * Styling: skillcat-quiz.css inside the shadow root; custom properties --skillcat-accent,
 * --skillcat-accent-fg, --skillcat-bg, --skillcat-fg, --skillcat-muted, --skillcat-border,
 * --skillcat-surface, --skillcat-correct, --skillcat-incorrect, --skillcat-focus,
 * --skillcat-radius, --skillcat-font, --skillcat-font-size, --skillcat-max-width.
 *
 * Stable hooks for themes and tests (all inside the open shadow root):
 *   part="container" (root, data-state=<current screen name>), part="status" (role=status live
 *   region, present from the start), part="notices" > part="notice <name>" with
 *   data-notice="memory-only" | "resumed" | "runtime-error" | "lms-unavailable" |
 *   "lms-review" (opened in an LMS to browse or review: nothing is recorded), part="main", part="toolbar"
 *   (Start over, with an inline confirmation: part="confirm").
 *   Screens: part="screen <name>" with data-screen="loading" | "error" | "intro" | "question" |
 *   "feedback" | "results" | "review" | "ended" (an LMS session ended, the page came back from
 *   the back/forward cache); the element that takes focus carries data-focus.
 *   part="heading" (screen heading), "button" (every button) plus its name, which is also its
 *   data-action: start, submit, next, review, back, jump, start-over, confirm-start-over,
 *   cancel-start-over, clear-history, confirm-clear-history, cancel-clear-history, retry;
 *   part="primary" marks the main action.
 *   Intro: part="domains" > "domain" (data-domain), "facts", "restore-problem" (saved progress
 *   that no longer fits the banks).
 *   Question: data-item=<id>, data-position; part="progress" (the heading), "progress-bar",
 *   "item-label", "stem", "form", "options" (fieldset, data-type), "legend", "option" (label,
 *   data-option-index), "option-input", "error".
 *   Feedback / review: data-correct="true" | "false"; part="verdict verdict-correct" |
 *   "verdict verdict-incorrect", "option-results" > "option-result" (+ "option-key",
 *   "option-chosen"; data-key, data-chosen, data-option-index), "mark", "option-feedback",
 *   "explanation", "references", "link"; review items part="review-item" data-item.
 *   Results: part="domain-result" data-domain, "level" (data-level: the most likely level,
 *   data-certainty="likely" | "probable" | "unclear" | "none"), "level-odds", "level-meaning",
 *   "share", "stop-reason", "chart" (figure, data-domain) > "chart-svg" (role=img, data-theta),
 *   "chart-details", "chart-table"; "topics strengths", "topics gaps", "topics-unjudged",
 *   "topic-details", "topic-table"; outside an LMS "progress-over-time" > "trend" (data-domain)
 *   > "trend-svg", "trend-table", and the clear-history button (asks first).
 *   Review: part="review-nav" (jump buttons data-domain, back), "review-domain" data-domain.
 *   Error screen: part="error-message", "error-details".
 */
export declare class SkillcatQuiz extends HTMLElement {
  static readonly observedAttributes: string[];
  /** Clears the saved progress and shows the first screen (not inside an LMS attempt). */
  startOver(): void;
  addEventListener<K extends keyof SkillcatQuizEventMap>(
    type: K,
    listener: (this: SkillcatQuiz, event: SkillcatQuizEventMap[K]) => unknown,
    options?: boolean | AddEventListenerOptions,
  ): void;
  addEventListener(type: string, listener: EventListenerOrEventListenerObject, options?: boolean | AddEventListenerOptions): void;
  removeEventListener<K extends keyof SkillcatQuizEventMap>(
    type: K,
    listener: (this: SkillcatQuiz, event: SkillcatQuizEventMap[K]) => unknown,
    options?: boolean | EventListenerOptions,
  ): void;
  removeEventListener(type: string, listener: EventListenerOrEventListenerObject, options?: boolean | EventListenerOptions): void;
}

declare global {
  interface HTMLElementTagNameMap {
    "skillcat-quiz": SkillcatQuiz;
  }
  // The events bubble out of the element (composed), so a page can listen on `document`.
  interface DocumentEventMap extends SkillcatQuizEventMap {}
  interface HTMLElementEventMap extends SkillcatQuizEventMap {}
}
