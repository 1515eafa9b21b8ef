// Loading: the WebAssembly engine (once per page) and the bank files. Every failure becomes a
// `LoadError` whose message names the file, so the shell can show it and put it in the
// `skillcat:error` event.

/**
 * The engine's classes, from the generated module (pkg/skillcat.d.ts).
 * @typedef {{ Bank: typeof import("../pkg/skillcat.js").Bank, Session: typeof import("../pkg/skillcat.js").Session,
 *   Profile: typeof import("../pkg/skillcat.js").Profile }} Engine
 * @typedef {ReturnType<typeof validateBank>["meta"]} BankMeta what the shell shows of a bank
 * @typedef {{ id: string, file: string, json: import("../pkg/skillcat.js").BankJson }} FetchedBank
 * @typedef {{ format: string, banks: { id: string, file: string, title: string, description: string, language: string,
 *   version: string, items: number, active_items: number }[] }} Catalog the bank catalog, index.json (`skillcat catalog`)
 */

const WASM = new URL("../pkg/skillcat_bg.wasm", import.meta.url);
const BANK_ID = /^[a-z0-9][a-z0-9-]*$/;

/** A load failure; `file` is the file that failed (a bank file or the engine). */
export class LoadError extends Error {
  /**
   * @param {string} message
   * @param {{ file?: string | null, bank?: string | null, cause?: unknown }} [options]
   */
  constructor(message, { file = null, bank = null, cause } = {}) {
    super(message, cause ? { cause } : undefined);
    this.name = "LoadError";
    this.file = file;
    this.bank = bank;
  }
}

/** @type {Promise<Engine> | null} */
let engine = null;

/**
 * The engine module (`Bank`, `Session`), initialised once however many quizzes the page has.
 * The import is dynamic so a missing or broken `pkg/` becomes a message instead of a module that
 * silently never defines the element. Its specifier, like the `.wasm`'s `new URL(…,
 * import.meta.url)` above, is a literal so that bundlers (Vite, Rollup, webpack) follow it and
 * emit the engine and its `.wasm`.
 * @returns {Promise<Engine>}
 */
export function loadEngine() {
  engine ??= (async () => {
    const [module, wasm] = await Promise.all([import("../pkg/skillcat.js").catch(namedFailure("pkg/skillcat.js")), fetchWasm()]);
    await module.default({ module_or_path: wasm }).catch(namedFailure("pkg/skillcat_bg.wasm"));
    return { Bank: module.Bank, Session: module.Session, Profile: module.Profile };
  })().catch((error) => {
    engine = null; // a later attempt (the Retry button) starts over
    throw error;
  });
  return engine;
}

/**
 * A rejection handler that turns any failure into a LoadError naming `file`.
 * @param {string} file
 * @returns {(error: Error) => never}
 */
const namedFailure = (file) => (error) => {
  throw error instanceof LoadError ? error : new LoadError(`${file.split("/").pop()}: ${error.message}`, { file, cause: error });
};

/**
 * The engine's `.wasm`, ready for wasm-bindgen's init: the response itself when the server sends
 * `application/wasm` (compiled while it downloads), else its bytes. An LMS's file server often
 * sends another type (Moodle's pluginfile.php, `application/octet-stream` or `text/html`), and
 * `WebAssembly.instantiateStreaming` refuses those; wasm-bindgen would then log a warning on
 * every launch before falling back to the bytes, which this skips.
 * @returns {Promise<Response | ArrayBuffer>}
 */
async function fetchWasm() {
  const file = "pkg/skillcat_bg.wasm";
  let response;
  try {
    response = await fetch(WASM, { credentials: "same-origin" });
  } catch (error) {
    throw new LoadError(`skillcat_bg.wasm: could not be fetched from ${WASM.href} (${/** @type {Error} */ (error).message})`, {
      file,
      cause: error,
    });
  }
  if (!response.ok) {
    throw new LoadError(`skillcat_bg.wasm: the server answered ${response.status} ${response.statusText} for ${WASM.href}`.trim(), {
      file,
    });
  }
  const type = (response.headers.get("Content-Type") ?? "").split(";")[0].trim().toLowerCase();
  if (type === "application/wasm" && typeof WebAssembly.instantiateStreaming === "function") return response;
  try {
    return await response.arrayBuffer();
  } catch (error) {
    throw new LoadError(`skillcat_bg.wasm: could not be read from ${WASM.href} (${/** @type {Error} */ (error).message})`, {
      file,
      cause: error,
    });
  }
}

/** `banks="*"`: every bank the catalog at `bank-base` lists. */
export const ALL_BANKS = "*";
/** The bank catalog's file in a bank folder (written by `skillcat catalog`). */
const CATALOG = "index.json";
const CATALOG_FORMAT = "skillcat-catalog/1";

/**
 * Splits and checks the `banks` attribute: the ids, or ALL_BANKS.
 * @param {string | null} attribute
 * @returns {string[] | typeof ALL_BANKS}
 */
export function bankIds(attribute) {
  if (String(attribute ?? "").trim() === ALL_BANKS) return ALL_BANKS;
  const ids = String(attribute ?? "")
    .split(",")
    .map((id) => id.trim())
    .filter(Boolean);
  if (ids.length === 0) throw new LoadError('banks: name at least one bank, as in banks="cybersecurity"');
  for (const id of ids) {
    if (!BANK_ID.test(id)) {
      throw new LoadError(`banks: "${id}" is not a bank id (lowercase letters, digits and "-")`, { bank: id });
    }
  }
  const twice = ids.find((id, i) => ids.indexOf(id) !== i);
  if (twice) throw new LoadError(`banks: "${twice}" is named twice`, { bank: twice });
  return ids;
}

/**
 * Fetches and parses one bank file. Network, HTTP and JSON problems name the file.
 * @param {string} id
 * @param {URL} base the folder holding `<id>.json`
 * @param {AbortSignal} [signal]
 * @returns {Promise<FetchedBank>}
 */
export async function fetchBank(id, base, signal) {
  const file = `${id}.json`;
  const { json } = await fetchJson(file, new URL(file, base), { signal, bank: id });
  // As parsed: Bank.fromJson (validateBank) checks every field and names the one that is wrong.
  return { id, file, json: /** @type {import("../pkg/skillcat.js").BankJson} */ (json) };
}

/**
 * Fetches and parses a JSON file; network, HTTP and JSON problems name `file`.
 * @param {string} file
 * @param {URL} url
 * @param {{ signal?: AbortSignal, bank: string | null }} options
 * @returns {Promise<{ file: string, json: unknown }>} `json` as parsed, for the caller to check
 */
async function fetchJson(file, url, { signal, bank }) {
  let response;
  try {
    response = await fetch(url, { signal, credentials: "same-origin" });
  } catch (error) {
    if (/** @type {Error} */ (error).name === "AbortError") throw error;
    throw new LoadError(`${file}: could not be fetched from ${url.href} (${/** @type {Error} */ (error).message})`, {
      file,
      bank,
      cause: error,
    });
  }
  if (!response.ok) {
    throw new LoadError(`${file}: the server answered ${response.status} ${response.statusText} for ${url.href}`.trim(), {
      file,
      bank,
    });
  }
  try {
    return { file, json: await response.json() };
  } catch (error) {
    if (/** @type {Error} */ (error).name === "AbortError") throw error;
    throw new LoadError(`${file}: not valid JSON (${/** @type {Error} */ (error).message})`, { file, bank, cause: error });
  }
}

/**
 * Fetches the bank catalog of a bank folder and checks its shape; every problem names the file.
 * @param {URL} base the folder holding `index.json`
 * @param {AbortSignal} [signal]
 * @returns {Promise<Catalog>}
 */
export async function fetchCatalog(base, signal) {
  const { json } = await fetchJson(CATALOG, new URL(CATALOG, base), { signal, bank: null });
  const catalog = /** @type {{ format?: unknown, banks?: unknown } | null} */ (json);
  const banks = catalog?.banks;
  if (catalog?.format !== CATALOG_FORMAT || !Array.isArray(banks)) {
    throw new LoadError(
      `${CATALOG}: not a bank catalog (format "${CATALOG_FORMAT}" with a "banks" list); write it with \`skillcat catalog\``,
      { file: CATALOG },
    );
  }
  if (banks.length === 0) throw new LoadError(`${CATALOG}: lists no bank`, { file: CATALOG });
  banks.forEach((entry, i) => {
    if (typeof entry?.id !== "string" || !BANK_ID.test(entry.id)) {
      throw new LoadError(`${CATALOG}: banks[${i}].id: ${JSON.stringify(entry?.id)} is not a bank id`, { file: CATALOG });
    }
  });
  return /** @type {Catalog} */ (catalog);
}

/**
 * Fetches the banks `ids` names (from bankIds), or with ALL_BANKS every bank of the catalog.
 * @param {string[] | typeof ALL_BANKS} ids
 * @param {URL} base
 * @param {AbortSignal} [signal]
 */
export async function fetchBanks(ids, base, signal) {
  const list = ids === ALL_BANKS ? (await fetchCatalog(base, signal)).banks.map((entry) => entry.id) : ids;
  return Promise.all(list.map((id) => fetchBank(id, base, signal)));
}

/**
 * Validates a fetched bank with the engine; the engine's message already names the file, the
 * item and the field. Returns the engine's `Bank` and the plain metadata the shell displays.
 * @param {Engine["Bank"]} Bank
 * @param {FetchedBank} fetched
 */
export function validateBank(Bank, { id, file, json }) {
  let bank;
  try {
    bank = Bank.fromJson(json, file);
  } catch (error) {
    throw new LoadError(/** @type {Error} */ (error).message, { file, bank: id, cause: error });
  }
  if (bank.id !== id) {
    const found = bank.id;
    bank.free?.();
    throw new LoadError(`${file}: the bank's id is "${found}", but it was requested as "${id}"`, { file, bank: id });
  }
  return {
    bank,
    meta: {
      id: bank.id,
      file,
      title: bank.title,
      description: bank.description,
      version: bank.version,
      language: bank.language,
      topics: new Map(bank.topics.map((t) => [t.id, t.title])),
      /** Level name → the bank's description of it (shown with the level on the results). */
      levels: new Map(bank.levels.map((l) => [l.name, l.description ?? null])),
      /** Every item id in bank order: the compact suspend data names items by position. */
      itemIds: json.items.map((item) => item.id),
      /** Pretest items, seeded unscored into a test on top of its scored maximum. */
      pretest: json.items.filter((item) => item.status === "pretest").length,
    },
  };
}
