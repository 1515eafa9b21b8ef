// The skill profile a quiz of several domains uses: how the domains' abilities correlate
// (quizbanks/profile.json; its format is in src/engine/profile.rs), so that answers in one domain
// inform the others and the test needs fewer questions for the same precision.
//
// Where it comes from: the `profile` attribute's URL, else profile.json in the banks' folder.
// No file there (404) means no profile: the domains are estimated separately, as without one,
// and nothing is shown (a page that named the file gets a console warning). Anything else that
// goes wrong (the server fails, not JSON, a field the engine refuses) is a LoadError naming the
// file and, from the engine, the field.

import { LoadError } from "./engine.js";

/**
 * Fetches the profile; null when there is none (404).
 * @param {URL} url
 * @param {{ signal?: AbortSignal, named?: boolean }} [options] `named`: the page set `profile`
 * @returns {Promise<{ file: string, url: URL, json: unknown } | null>} `json` as parsed, for the engine to check
 */
export async function fetchProfile(url, { signal, named = false } = {}) {
  const file = decodeURIComponent(url.pathname.split("/").pop() || "profile.json");
  let response;
  try {
    response = await fetch(url, { signal, credentials: "same-origin" });
  } catch (error) {
    if (/** @type {Error} */ (error).name === "AbortError") throw error;
    throw new LoadError(`${file}: could not be fetched from ${url.href} (${/** @type {Error} */ (error).message})`, { file, cause: error });
  }
  if (response.status === 404) {
    if (named) console.warn(`skillcat: profile ${url.href} was not found; the domains are estimated separately`);
    return null;
  }
  if (!response.ok) {
    throw new LoadError(`${file}: the server answered ${response.status} ${response.statusText} for ${url.href}`.trim(), { file });
  }
  try {
    return { file, url, json: await response.json() };
  } catch (error) {
    if (/** @type {Error} */ (error).name === "AbortError") throw error;
    throw new LoadError(`${file}: not valid JSON (${/** @type {Error} */ (error).message})`, { file, cause: error });
  }
}

/**
 * Validates a fetched profile with the engine, whose message names the file, the field and, for
 * a correlation, the pair (`profile.json: correlations[2][5] (cybersecurity, secure-dev): …`).
 * @param {import("./engine.js").Engine["Profile"]} Profile the engine's class
 * @param {{ file: string, json: unknown }} fetched from `fetchProfile`: JSON as parsed, which the engine checks
 */
export function validateProfile(Profile, { file, json }) {
  try {
    return Profile.fromJson(/** @type {import("../pkg/skillcat.js").ProfileJson} */ (json), file);
  } catch (error) {
    throw new LoadError(/** @type {Error} */ (error).message, { file, cause: error });
  }
}
