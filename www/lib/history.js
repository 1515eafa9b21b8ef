// Progress over time: each learner's completed results per domain, kept in this browser (not
// in an LMS, which keeps its own record), so the results screen can show how a level changed.
//
// One storage entry per learner scope (the browser, or the learner an LRS names):
//   skillcat:history:v1[:<scope>] → { "version": 1, "domains": { "<bank id>": [Result, …] } }
//   Result: { at (ms since 1970), bankVersion, theta, se, level, levelProbabilities, answered }
// The newest MAX_RESULTS results per domain are kept. Whatever cannot be read (not JSON, another
// shape, a result with a missing or non-finite number) is skipped, never thrown: a corrupted
// entry costs the history, never the quiz. A history written by a newer version of the shell
// (a higher `version`) is neither read nor overwritten.

export const HISTORY_VERSION = 1;
/** Results kept per domain: about 200 characters each, 7 domains × 20 stay under 30 KB. */
export const MAX_RESULTS = 20;
const PREFIX = "skillcat:history:v1";

/**
 * A stored result, as the shell uses it.
 * @typedef {{ at: number, bankVersion: string | null, theta: number, se: number, level: string | null,
 *   levelProbabilities: import("../pkg/skillcat.js").LevelProbability[], answered: number }} Result
 * @typedef {ReturnType<typeof import("./storage.js").createStore>} Store
 */

/**
 * The storage key of one learner's history (`scope`: a digest naming the learner, or null).
 * @param {string | null} [scope]
 */
export function historyKey(scope = null) {
  return scope ? `${PREFIX}:${scope}` : PREFIX;
}

/**
 * @param {unknown} value
 * @returns {value is number}
 */
const finite = (value) => typeof value === "number" && Number.isFinite(value);

/**
 * A stored result as the shell uses it, or null when it is not one.
 * @param {unknown} value
 * @returns {Result | null}
 */
function readResult(value) {
  if (!value || typeof value !== "object") return null;
  const { at, bankVersion, theta, se, level, levelProbabilities, answered } = /** @type {Record<string, unknown>} */ (value);
  if (!finite(at) || !finite(theta) || !finite(se) || se < 0 || !finite(answered) || !Number.isInteger(answered) || answered < 0)
    return null;
  const probabilities = Array.isArray(levelProbabilities)
    ? levelProbabilities.filter((l) => l && typeof l.name === "string" && finite(l.probability) && l.probability >= 0 && l.probability <= 1)
    : [];
  return {
    at,
    bankVersion: typeof bankVersion === "string" ? bankVersion : null,
    theta,
    se,
    level: typeof level === "string" ? level : null,
    levelProbabilities: probabilities.map(({ name, probability }) => ({ name, probability })),
    answered,
  };
}

/**
 * The stored history: `{ domains: Map<bank id, Result[]> (oldest first), newer }`; `newer` is
 * true when a newer shell wrote it (then it is left alone).
 * @param {Pick<Store, "get">} store lib/storage.js
 * @param {string | null} [scope]
 * @returns {{ domains: Map<string, Result[]>, newer: boolean }}
 */
export function readHistory(store, scope = null) {
  /** @type {{ domains: Map<string, Result[]>, newer: boolean }} */
  const empty = { domains: new Map(), newer: false };
  let data;
  try {
    data = JSON.parse(store.get(historyKey(scope)) ?? "null");
  } catch {
    return empty;
  }
  if (!data || typeof data !== "object" || !Number.isInteger(data.version)) return empty;
  if (data.version > HISTORY_VERSION) return { ...empty, newer: true };
  if (data.version !== HISTORY_VERSION || !data.domains || typeof data.domains !== "object") return empty;
  const domains = new Map();
  for (const [id, results] of Object.entries(data.domains)) {
    if (!Array.isArray(results)) continue;
    const valid = results
      .map(readResult)
      .filter((r) => r !== null)
      .sort((a, b) => a.at - b.at);
    if (valid.length) domains.set(id, valid.slice(-MAX_RESULTS));
  }
  return { domains, newer: false };
}

/**
 * Adds a finished test's results, one per domain with answers, and keeps the newest
 * MAX_RESULTS per domain. Returns false when nothing was written (an unfinished report, or a
 * history from a newer shell).
 * @param {Pick<Store, "get" | "set">} store
 * @param {Pick<import("../pkg/skillcat.js").Report, "finished" | "domains">} report the engine's report
 * @param {{ scope?: string | null, at?: number, versions?: Map<string, string> }} [options]
 *   `versions`: bank id → bank version
 */
export function recordResults(store, report, { scope = null, at = Date.now(), versions = new Map() } = {}) {
  if (!report.finished) return false;
  const history = readHistory(store, scope);
  if (history.newer) return false;
  for (const domain of report.domains) {
    if (domain.answered === 0) continue;
    const result = readResult({
      at,
      bankVersion: versions.get(domain.domain) ?? null,
      theta: domain.theta,
      se: domain.se,
      level: domain.level,
      levelProbabilities: domain.levelProbabilities,
      answered: domain.answered,
    });
    if (!result) continue;
    const results = [...(history.domains.get(domain.domain) ?? []), result];
    history.domains.set(domain.domain, results.slice(-MAX_RESULTS));
  }
  const data = { version: HISTORY_VERSION, domains: Object.fromEntries(history.domains) };
  store.set(historyKey(scope), JSON.stringify(data));
  return true;
}

/**
 * Forgets every stored result of this learner.
 * @param {Pick<Store, "remove">} store
 * @param {string | null} [scope]
 */
export function clearHistory(store, scope = null) {
  store.remove(historyKey(scope));
}
