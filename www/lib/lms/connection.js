// The element's link to the LMS or LRS its `lms` attribute names, for as long as the page
// lives: SCORM allows one session per launch and cmi5 one token, so reloading the element (an
// attribute changed) keeps the tracker it has, and only the page going away ends it. Beside an
// LMS that owns the attempt the page keeps its progress in memory, here, across those reloads.
// The element learns what it must know through the tracker's capabilities (tracker.js), never
// by asking which standard it is.

import { createStore } from "../storage.js";
import { itemIndex } from "./suspend.js";
import { openTracker, webUrl } from "./tracker.js";

/** @typedef {import("./tracker.js").Tracker} Tracker */

export class TrackerConnection {
  /** @type {Tracker | null} */
  #tracker = null;
  #openedAt = 0;
  /** The page went away (pagehide) while a tracker was open: its session is over. */
  #ended = false;
  /** @type {ReturnType<typeof createStore> | null} the in-memory progress beside an LMS that owns the attempt */
  #memory = null;
  /** The LMS's state at launch has been offered to the quiz (takeLaunchState). */
  #launchStateOffered = false;
  #onEnded;

  /**
   * @param {{ onEnded: () => void }} handlers `onEnded`: the page came back from the back/forward
   *   cache after a session that cannot be reopened ended; nothing records the quiz any more
   */
  constructor({ onEnded }) {
    this.#onEnded = onEnded;
  }

  /** The open tracker, or null: the quiz runs on its own. */
  get tracker() {
    return this.#tracker;
  }

  /** True when an LMS holds the attempt: it resumes it and owns retakes (TrackerCapabilities). */
  get ownsAttempt() {
    return this.#tracker?.capabilities.ownsAttempt ?? false;
  }

  /** Time since the tracker opened: the session's duration in this page. */
  get durationMs() {
    return Date.now() - this.#openedAt;
  }

  /**
   * Opens the LMS or LRS `settings.lms` names, unless it is the one already open; ends one the
   * attribute no longer names. Resolves to null without `lms`; rejects with TrackerUnavailable
   * when it cannot be reached (the quiz then runs on its own).
   * @param {import("../settings.js").Settings} settings
   * @param {import("../engine.js").BankMeta[]} banks
   * @returns {Promise<Tracker | null>}
   */
  async open(settings, banks) {
    if (this.#tracker?.kind === settings.lms) return this.#tracker;
    if (this.#tracker) this.close();
    if (!settings.lms) return null;
    this.#tracker = await openTracker(settings.lms, {
      masteryScore: settings.masteryScore,
      mode: settings.mode,
      banks: banks.map(({ id, title, version, language }) => ({ id, title, version, language })),
      ...settings.lrs,
      window,
      itemIndex: itemIndex(banks),
    });
    this.#openedAt = Date.now();
    // pagehide, not unload: unload is unreliable and blocked in some LMS frames.
    window.addEventListener("pagehide", this.#pageHide);
    window.addEventListener("pageshow", this.#pageShow);
    document.addEventListener("visibilitychange", this.#visibility);
    return this.#tracker;
  }

  /** Ends the session with the LMS or LRS and forgets the progress kept beside it. */
  close() {
    this.#tracker?.terminate();
    window.removeEventListener("pagehide", this.#pageHide);
    window.removeEventListener("pageshow", this.#pageShow);
    document.removeEventListener("visibilitychange", this.#visibility);
    this.#tracker = null;
    this.#memory = null;
    this.#launchStateOffered = false;
  }

  /**
   * Where progress is saved: beside an LMS that owns the attempt, memory kept across reloads of
   * the element (a new LMS attempt must not pick up this browser's old progress); otherwise the
   * browser's storage, as without a tracker.
   */
  store() {
    if (!this.ownsAttempt) return createStore();
    this.#memory ??= createStore(() => null);
    return this.#memory;
  }

  /**
   * The LMS's saved attempt at launch, the first time only: it belongs to the settings of the
   * launch, never to settings changed later in the page. Null when there is none.
   * @returns {string | null}
   */
  takeLaunchState() {
    const state = this.#launchStateOffered ? null : (this.#tracker?.resumeState ?? null);
    this.#launchStateOffered = true;
    return state;
  }

  /** The LMS's return URL (cmi5), when it is an http(s) URL: never a `javascript:` one. */
  returnUrl() {
    return webUrl(this.#tracker?.returnURL, document.baseURI);
  }

  /** Ends the LMS session, then goes back to the LMS. */
  returnToCourse() {
    const url = this.returnUrl();
    if (!url) return;
    this.#tracker?.terminate();
    window.location.assign(url);
  }

  #pageHide = () => {
    this.#ended = this.#tracker !== null;
    this.#tracker?.terminate();
  };

  /** Back from the back/forward cache after the session ended: reload, or say it ended. */
  #pageShow = (/** @type {PageTransitionEvent} */ event) => {
    if (!event.persisted || !this.#ended) return;
    if (this.#tracker?.capabilities.reopensInNewPage) window.location.reload();
    else this.#onEnded();
  };

  #visibility = () => {
    if (document.visibilityState === "hidden") this.#tracker?.commit();
  };
}
