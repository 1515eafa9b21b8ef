// A small xAPI 1.0.3 client for both LRS trackers (xapi.js, cmi5.js): requests with the version
// and Authorization headers, and the ordered statement queue.
//
// The queue sends statements in order, one request in flight, so the LRS stores them in the
// order they happened; a failed request stays queued and is retried on the next send or
// commit, never dropped silently (a console warning says what happened). Every request uses
// `keepalive` and stays under 60 kB, because the last ones leave from `pagehide`, where the
// browser cancels ordinary requests and forbids synchronous XHR.

import { TrackerUnavailable } from "./tracker.js";

export const XAPI_VERSION = "1.0.3";

/**
 * @typedef {import("../../skillcat-quiz.d.ts").XapiStatement} Statement
 * @typedef {{ endpoint: string, auth: string | null, fetch: typeof globalThis.fetch }} Lrs where and as whom to send
 */
/** Requests above this many bytes would break the browser's 64 KiB keepalive budget. */
export const KEEPALIVE_LIMIT = 60_000;

/**
 * One request to an xAPI resource (`path` under the endpoint, `params` as query string) with the
 * version and Authorization headers. Resolves to the Response; rejects on network errors.
 * @param {Lrs} lrs
 * @param {string} path
 * @param {{ method?: string, params?: Record<string, string | null | undefined>, body?: string, contentType?: string,
 *   keepalive?: boolean }} [options]
 * @returns {Promise<Response>}
 */
export function xapiRequest(lrs, path, { method = "GET", params, body, contentType = "application/json", keepalive = false } = {}) {
  const url = new URL(path, lrs.endpoint);
  for (const [k, v] of Object.entries(params ?? {})) if (v !== null && v !== undefined) url.searchParams.set(k, v);
  /** @type {Record<string, string>} */
  const headers = { "X-Experience-API-Version": XAPI_VERSION };
  if (lrs.auth) headers.Authorization = lrs.auth;
  if (body !== undefined) headers["Content-Type"] = contentType;
  return lrs.fetch(url.href, { method, headers, body, keepalive, cache: "no-store", credentials: "omit" });
}

const bytes = (/** @type {string} */ text) => new TextEncoder().encode(text).length;

/**
 * The ordered statement queue of one tracker: `send(...statements)` queues and starts sending;
 * `flush()` retries what is left (commit); `flush({ final: true })` sends everything now, even
 * with a request in flight (pagehide: the page will not live to see the answer), and closes the
 * queue. Failures (network, 401, 5xx) keep the statements for the next attempt; a statement the
 * LRS rejects as invalid (400) is dropped after a warning, since resending cannot help.
 * @param {Lrs & { warn?: (message: string) => void }} options
 */
export function createStatementQueue({ endpoint, auth, fetch, warn = (message) => console.warn(message) }) {
  const lrs = { endpoint, auth, fetch };
  /** @type {Statement[]} */
  const pending = []; // the first `flying.count` are in the request in flight
  const flying = { count: 0, bytes: 0 };
  let oneByOne = false;
  let closed = false;
  /** Statements arrived while a request was in flight: they are owed one attempt of their own. */
  let arrivedInFlight = false;

  /**
   * The longest run of statements from `from` that fits one request.
   * @param {number} from
   */
  function batch(from) {
    let size = 2;
    let end = from;
    while (end < pending.length) {
      const next = bytes(JSON.stringify(pending[end])) + 1;
      if (end > from && (oneByOne || size + next > KEEPALIVE_LIMIT)) break;
      size += next;
      end += 1;
    }
    return pending.slice(from, end);
  }

  /**
   * @param {Statement[]} statements
   * @param {boolean} keepalive
   * @returns {Promise<string | null>} null once stored, else the LRS's reason for a 400
   */
  async function post(statements, keepalive) {
    const response = await xapiRequest(lrs, "statements", { method: "POST", body: JSON.stringify(statements), keepalive });
    if (response.ok || response.status === 409) return null; // 409: already stored under that id
    const detail = (await response.text().catch(() => "")).replace(/\s+/g, " ").slice(0, 300);
    if (response.status === 400) return detail;
    throw new Error(`HTTP ${response.status} ${detail}`.trim());
  }

  async function pump() {
    if (flying.count || closed || !pending.length) return;
    const taken = batch(0);
    flying.count = taken.length;
    flying.bytes = bytes(JSON.stringify(taken));
    let rejected;
    try {
      rejected = await post(taken, flying.bytes <= KEEPALIVE_LIMIT);
    } catch (error) {
      flying.count = 0;
      warn(
        `skillcat xAPI: ${taken.length} statement(s) not stored yet (${/** @type {Error} */ (error).message}); kept, retried on the next send`,
      );
      if (arrivedInFlight) {
        arrivedInFlight = false;
        pump();
      }
      return;
    }
    arrivedInFlight = false;
    flying.count = 0;
    if (rejected !== null && taken.length > 1) {
      oneByOne = true; // find the invalid one: send one statement at a time from now on
    } else {
      pending.splice(0, taken.length);
      if (rejected !== null) warn(`skillcat xAPI: the LRS rejected a "${verbName(taken[0])}" statement as invalid; dropped: ${rejected}`);
    }
    pump();
  }

  return {
    get pending() {
      return pending.length;
    },
    /** @param {...Statement} statements */
    send(...statements) {
      if (closed) return;
      pending.push(...statements);
      if (flying.count) arrivedInFlight = true;
      pump();
    },
    flush({ final = false } = {}) {
      if (closed) return;
      if (!final) return void pump();
      closed = true;
      // What is not in flight leaves now, in order. The browser allows 64 KiB of keepalive
      // bodies at once; beyond that, requests go without keepalive, as a last try.
      let budget = KEEPALIVE_LIMIT - flying.bytes;
      for (let from = flying.count; from < pending.length; ) {
        const taken = batch(from);
        from += taken.length;
        const size = bytes(JSON.stringify(taken));
        const keepalive = size <= budget;
        if (keepalive) budget -= size;
        post(taken, keepalive)
          .then((rejected) => rejected !== null && warn(`skillcat xAPI: the LRS rejected statements at page exit: ${rejected}`))
          .catch((/** @type {Error} */ error) => warn(`skillcat xAPI: ${taken.length} statement(s) lost at page exit (${error.message})`));
      }
    },
  };
}

/** @param {Statement | undefined} s */
function verbName(s) {
  return s?.verb?.id?.split("/").pop() ?? "?";
}

/**
 * `lrs-endpoint` as an absolute URL ending in "/".
 * @param {unknown} value
 * @param {string | undefined} base
 */
export function endpointUrl(value, base, attribute = "lrs-endpoint") {
  if (!value || !String(value).trim()) throw new TrackerUnavailable(`${attribute}: missing; give the LRS's xAPI endpoint URL`);
  let url;
  try {
    url = new URL(String(value).trim(), base);
  } catch {
    throw new TrackerUnavailable(`${attribute}: "${value}" is not a URL`);
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") throw new TrackerUnavailable(`${attribute}: "${value}" is not an http(s) URL`);
  if (!url.pathname.endsWith("/")) url.pathname += "/";
  return url.href;
}

/**
 * The window's fetch, bound (an unbound window.fetch throws "Illegal invocation").
 * @param {Window | undefined} win
 * @returns {typeof globalThis.fetch}
 */
export function fetchOf(win) {
  const f = win?.fetch ?? globalThis.fetch;
  return f.bind(win?.fetch ? win : globalThis);
}
