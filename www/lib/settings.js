// The element's attributes, read and checked in one place: each problem becomes a LoadError
// naming the attribute, shown on the quiz's error screen and in `skillcat:error`.

import { ALL_BANKS, bankIds, LoadError } from "./engine.js";
import { isTrackerKind, TRACKER_KINDS } from "./lms/tracker.js";

/**
 * Where the banks are when `bank-base` is not set: quizbanks/ next to skillcat-quiz.js. The
 * module URL is named apart on purpose: bundlers rewrite `new URL("…", import.meta.url)` into an
 * emitted file (Vite turned this folder into its index.json), while the banks are data fetched
 * at run time. In a bundled app the folder is then quizbanks/ beside the app's chunks' folder.
 */
const MODULE_URL = import.meta.url;
const DEFAULT_BANK_BASE = new URL("../quizbanks/", MODULE_URL);
const MAX_ITEMS_LIMIT = 200;
/** A domain ends once one level is at least this likely (`level-certainty`, "off" to disable). */
export const DEFAULT_LEVEL_CERTAINTY = 0.8;
/** The engine's default minimum length, lowered for shorter tests so the config stays valid. */
const MIN_ITEMS = 5;
/** At most this many unscored pretest items per domain (the engine's default, made explicit). */
export const PRETEST_ITEMS = 2;

/**
 * The element's settings, as readSettings checked them.
 * @typedef {object} Settings
 * @property {string[] | typeof ALL_BANKS} ids  the bank ids, or every bank of the catalog
 * @property {"practice" | "assessment"} mode
 * @property {number} maxItems
 * @property {number | null} seed
 * @property {URL} base                the banks' folder
 * @property {number | null} masteryScore  the pass mark, 0..1
 * @property {import("./lms/tracker.js").TrackerKind | null} lms
 * @property {{ lrsEndpoint: string | null, lrsAuth: string | null, lrsActor: string | null, activityId: string | null }} lrs
 * @property {number | null} levelCertainty  null: "off"
 * @property {URL | null} profile
 * @property {boolean} customProfile   the page named the profile (or "none")
 */

/** The attributes a quiz is configured by; changing one reloads it. */
export const SETTING_ATTRIBUTES = [
  "banks",
  "max-items",
  "mode",
  "seed",
  "bank-base",
  "mastery-score",
  "lms",
  "lrs-endpoint",
  "lrs-auth",
  "lrs-actor",
  "activity-id",
  "level-certainty",
  "profile",
];

/**
 * Reads and checks the element's attributes; throws a LoadError naming the attribute.
 * @param {Element} element
 * @returns {Settings}
 */
export function readSettings(element) {
  const ids = bankIds(element.getAttribute("banks"));
  const mode = (element.getAttribute("mode") ?? "practice").trim() || "practice";
  if (mode !== "practice" && mode !== "assessment") {
    throw new LoadError(`mode: "${mode}" is not a mode; use "practice" or "assessment"`);
  }
  const maxText = element.getAttribute("max-items");
  const maxItems = maxText === null || maxText.trim() === "" ? 20 : Number(maxText);
  if (!Number.isInteger(maxItems) || maxItems < 1 || maxItems > MAX_ITEMS_LIMIT) {
    throw new LoadError(`max-items: "${maxText}" is not a whole number from 1 to ${MAX_ITEMS_LIMIT}`);
  }
  const seedText = element.getAttribute("seed");
  let seed = null;
  if (seedText !== null && seedText.trim() !== "") {
    seed = Number(seedText);
    if (!Number.isSafeInteger(seed) || seed < 0) {
      throw new LoadError(`seed: "${seedText}" is not a whole number from 0 to ${Number.MAX_SAFE_INTEGER}`);
    }
  }
  const masteryText = element.getAttribute("mastery-score");
  let masteryScore = null;
  if (masteryText !== null && masteryText.trim() !== "") {
    masteryScore = Number(masteryText);
    if (!Number.isFinite(masteryScore) || masteryScore < 0 || masteryScore > 100) {
      throw new LoadError(`mastery-score: "${masteryText}" is not a number from 0 to 100`);
    }
    masteryScore /= 100;
  }
  const lms = element.getAttribute("lms")?.trim() || null;
  if (lms !== null && !isTrackerKind(lms)) {
    throw new LoadError(`lms: "${lms}" is not supported; use one of ${TRACKER_KINDS.join(", ")}`);
  }
  const text = (/** @type {string} */ name) => element.getAttribute(name)?.trim() || null;
  const lrs = {
    lrsEndpoint: text("lrs-endpoint"),
    lrsAuth: text("lrs-auth"),
    lrsActor: text("lrs-actor"),
    activityId: text("activity-id"),
  };
  let base;
  const baseText = element.getAttribute("bank-base");
  try {
    base = baseText ? new URL(baseText.endsWith("/") ? baseText : `${baseText}/`, document.baseURI) : DEFAULT_BANK_BASE;
  } catch {
    throw new LoadError(`bank-base: "${baseText}" is not a URL`);
  }
  const certaintyText = text("level-certainty");
  /** @type {number | null} */
  let levelCertainty = DEFAULT_LEVEL_CERTAINTY;
  if (certaintyText === "off") {
    levelCertainty = null;
  } else if (certaintyText !== null) {
    levelCertainty = Number(certaintyText);
    if (!(levelCertainty > 0.5 && levelCertainty < 1)) {
      throw new LoadError(`level-certainty: "${certaintyText}" is not a probability above 0.5 and below 1, or "off"`);
    }
  }
  const profileText = text("profile");
  let profile = null;
  try {
    profile = profileText === "none" ? null : new URL(profileText ?? "profile.json", profileText ? document.baseURI : base);
  } catch {
    throw new LoadError(`profile: "${profileText}" is not a URL or "none"`);
  }
  // A profile links domains: a quiz of one bank neither needs nor fetches it.
  if (ids !== ALL_BANKS && ids.length < 2) profile = null;
  return { ids, mode, maxItems, seed, base, masteryScore, lms, lrs, levelCertainty, profile, customProfile: profileText !== null };
}

/**
 * The settings beyond banks, mode, length and seed that change the test, when they differ from
 * the defaults, for the saved progress's key (so a page that changes them starts afresh): null
 * with the defaults, so progress saved before these settings existed still resumes.
 * @param {Pick<Settings, "levelCertainty" | "profile" | "customProfile">} settings
 */
export function settingsVariant({ levelCertainty, profile, customProfile }) {
  const parts = [];
  if (levelCertainty !== DEFAULT_LEVEL_CERTAINTY) parts.push(`certainty=${levelCertainty ?? "off"}`);
  if (customProfile) parts.push(`profile=${profile ? encodeURIComponent(profile.href) : "none"}`);
  return parts.length ? parts.join("|") : null;
}

/**
 * The engine's session config for these settings (a new test; a resumed one keeps its own).
 * With a profile the domains are one joint test: the profile's correlations link them and the
 * next question comes from the domain where it helps the whole profile most (`adaptive`).
 * @param {Pick<Settings, "mode" | "maxItems" | "levelCertainty">} settings
 * @param {number} seed
 * @param {import("../pkg/skillcat.js").Profile | null} [profile] the engine's Profile (lib/profile.js), for two or more banks
 * @returns {import("../pkg/skillcat.js").SessionConfig}
 */
export function sessionConfig({ mode, maxItems, levelCertainty }, seed, profile = null) {
  /** @type {import("../pkg/skillcat.js").StopRule} */
  const stop = { maxItems, minItems: Math.min(MIN_ITEMS, maxItems) };
  if (levelCertainty !== null) stop.levelCertainty = levelCertainty;
  /** @type {import("../pkg/skillcat.js").SessionConfig} */
  const config = { mode, seed, stop, pretestItems: PRETEST_ITEMS };
  return profile ? { ...config, profile, order: "adaptive" } : config;
}
