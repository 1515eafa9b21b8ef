// The element's attributes, read and checked in one place: each problem becomes a LoadError
// naming the attribute, shown on the quiz's error screen and in `skillcat:error`.

import { bankIds, LoadError } from "./engine.js";
import { TRACKER_KINDS } from "./lms/tracker.js";

/**
 * Where the banks are when `bank-base` is not set: quizbanks/ next to skillcat-quiz.js. The
 * module URL is named apart on purpose: bundlers rewrite `new URL("…", import.meta.url)` into an
 * emitted file (Vite turned this folder into its index.json), while the banks are data fetched
 * at run time. In a bundled app the folder is then quizbanks/ beside the app's chunks' folder.
 */
const MODULE_URL = import.meta.url;
const DEFAULT_BANK_BASE = new URL("../quizbanks/", MODULE_URL);
const MAX_ITEMS_LIMIT = 200;

/** The attributes a quiz is configured by; changing one reloads it. */
export const SETTING_ATTRIBUTES = [
  "banks", "max-items", "mode", "seed", "bank-base", "mastery-score", "lms", "lrs-endpoint", "lrs-auth", "lrs-actor", "activity-id",
];

/**
 * Reads and checks the element's attributes; throws a LoadError naming the attribute.
 * @param {Element} element
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
  if (lms !== null && !TRACKER_KINDS.includes(lms)) {
    throw new LoadError(`lms: "${lms}" is not supported; use one of ${TRACKER_KINDS.join(", ")}`);
  }
  const text = (name) => element.getAttribute(name)?.trim() || null;
  const lrs = { lrsEndpoint: text("lrs-endpoint"), lrsAuth: text("lrs-auth"), lrsActor: text("lrs-actor"), activityId: text("activity-id") };
  let base;
  const baseText = element.getAttribute("bank-base");
  try {
    base = baseText ? new URL(baseText.endsWith("/") ? baseText : `${baseText}/`, document.baseURI) : DEFAULT_BANK_BASE;
  } catch {
    throw new LoadError(`bank-base: "${baseText}" is not a URL`);
  }
  return { ids, mode, maxItems, seed, base, masteryScore, lms, lrs };
}
