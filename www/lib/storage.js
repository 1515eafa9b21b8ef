// Where a session's progress lives between page loads. localStorage when the browser allows it;
// when it throws (storage disabled, a sandboxed or third-party iframe, quota exceeded) the quiz
// keeps going in memory and `persistent` turns false so the shell can say that progress will
// not survive a reload.

const PREFIX = "skillcat:v1:";

/**
 * The storage key of one quiz configuration: the banks' ids and versions, in order, the mode,
 * the per-domain maximum, the seed (when the page fixed one) and the learner's scope (when the
 * page names its learner, as xAPI does: two learners on one browser never share progress) and
 * the settings that differ from their defaults (`variant`, lib/settings.js). A bank with a new
 * version gets a new key, so an old saved state is never offered for it.
 * @param {{ banks: { id: string, version: string }[], mode: string, maxItems: number, seed?: number | null,
 *   scope?: string | null, variant?: string | null }} settings
 */
export function sessionKey({ banks, mode, maxItems, seed = null, scope = null, variant = null }) {
  const parts = banks.map((b) => `${encodeURIComponent(b.id)}@${encodeURIComponent(b.version)}`);
  const extra = `${seed === null ? "" : `|seed=${seed}`}${scope === null ? "" : `|for=${scope}`}${variant === null ? "" : `|${variant}`}`;
  return `${PREFIX}${parts.join(",")}|${mode}|${maxItems}${extra}`;
}

/**
 * A short, stable digest of a text (FNV-1a, 32 bits, hex): keys name a learner without
 * storing who it is in plain text.
 * @param {string} text
 */
export function digest(text) {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i += 1) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash.toString(16).padStart(8, "0");
}

/**
 * Keys of the same quiz (same banks in the same order, mode, length and seed) saved under other
 * bank versions: progress that a new bank version made unusable.
 * @param {string[]} keys every key in the store
 * @param {Parameters<typeof sessionKey>[0]} settings
 */
export function staleKeys(keys, settings) {
  const current = sessionKey(settings);
  const unversioned = (/** @type {string} */ key) => key.replace(/@[^,|]*/g, "@");
  return keys.filter((key) => key.startsWith(PREFIX) && key !== current && unversioned(key) === unversioned(current));
}

/**
 * A small key-value store over localStorage that falls back to memory instead of throwing.
 * @param {() => Storage | null} [open] how to reach the storage (tests pass a fake)
 */
export function createStore(open = () => globalThis.localStorage) {
  /** @type {Map<string, string>} */
  const memory = new Map();
  /** @type {Storage | null} */
  let backend = null;
  /** @type {unknown} */
  let problem = null;
  try {
    backend = open();
    if (!backend) throw new Error("localStorage is not available");
    const probe = `${PREFIX}probe`;
    backend.setItem(probe, "1");
    backend.removeItem(probe);
  } catch (error) {
    backend = null;
    problem = error;
  }

  const fallBack = (/** @type {unknown} */ error) => {
    // Everything set in this page is already in `memory`; from now on it stays there only.
    backend = null;
    problem = error;
  };

  return {
    /** False once the browser refused storage: progress lives only in this page. */
    get persistent() {
      return backend !== null;
    },
    /** Why storage is not used (the error the browser threw), or null. */
    get problem() {
      return problem;
    },
    /**
     * @param {string} key
     * @returns {string | null}
     */
    get(key) {
      if (backend) {
        try {
          return backend.getItem(key);
        } catch (error) {
          fallBack(error);
        }
      }
      return memory.get(key) ?? null;
    },
    /**
     * @param {string} key
     * @param {string} value
     */
    set(key, value) {
      memory.set(key, value);
      if (backend) {
        try {
          backend.setItem(key, value);
        } catch (error) {
          fallBack(error);
        }
      }
      return backend !== null;
    },
    /** Every key, or only those of this page's memory when storage is not used. */
    keys() {
      if (backend) {
        try {
          const keys = [];
          for (let i = 0; i < backend.length; i += 1) keys.push(backend.key(i));
          return keys.filter((key) => key !== null);
        } catch (error) {
          fallBack(error);
        }
      }
      return [...memory.keys()];
    },
    /** @param {string} key */
    remove(key) {
      memory.delete(key);
      if (backend) {
        try {
          backend.removeItem(key);
        } catch (error) {
          fallBack(error);
        }
      }
    },
  };
}
