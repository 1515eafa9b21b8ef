// One quiz as the element's settings describe it, loaded: the engine, its banks checked by the
// engine, the skill profile linking them, and the builders of the events' xAPI `statement`,
// fetched together. Every failure is a LoadError naming the file (engine.js, profile.js).

import { fetchBanks, loadEngine, validateBank } from "./engine.js";
import { fetchProfile, validateProfile } from "./profile.js";

/**
 * @typedef {object} LoadedQuiz
 * @property {import("./engine.js").Engine} engine
 * @property {import("../pkg/skillcat.js").Bank[]} banks  the engine's banks, in the `banks` order
 * @property {Map<string, import("./engine.js").BankMeta>} meta  what the shell shows of each bank, by id
 * @property {import("../pkg/skillcat.js").Profile | null} profile  null: the domains are separate
 * @property {typeof import("./lms/xapi-statements.js") | null} xapi  null when it could not load:
 *   the events' `statement` is then null, and the quiz works without it
 */

/**
 * Loads the quiz `settings` names. Rejects with an AbortError once `signal` aborts (nothing is
 * left allocated in the engine), else with a LoadError.
 * @param {import("./settings.js").Settings} settings
 * @param {AbortSignal} signal
 * @returns {Promise<LoadedQuiz>}
 */
export async function loadQuiz(settings, signal) {
  const [engine, fetched, xapi, profileFile] = await Promise.all([
    loadEngine(),
    fetchBanks(settings.ids, settings.base, signal),
    import("./lms/xapi-statements.js").catch(() => null),
    settings.profile ? fetchProfile(settings.profile, { signal, named: settings.customProfile }) : null,
  ]);
  signal.throwIfAborted();
  /** @type {ReturnType<typeof validateBank>[]} */
  const validated = [];
  let profile = null;
  try {
    for (const f of fetched) validated.push(validateBank(engine.Bank, f));
    // A profile links several domains; one bank alone is tested as it always was.
    if (profileFile && fetched.length > 1) profile = validateProfile(engine.Profile, profileFile);
  } catch (error) {
    for (const v of validated) v.bank.free();
    throw error;
  }
  return {
    engine,
    banks: validated.map((v) => v.bank),
    meta: new Map(validated.map((v) => [v.meta.id, v.meta])),
    profile,
    xapi,
  };
}

/**
 * Frees what a loaded quiz holds in the engine.
 * @param {LoadedQuiz} quiz
 */
export function freeQuiz(quiz) {
  for (const bank of quiz.banks) bank.free();
  quiz.profile?.free();
}
