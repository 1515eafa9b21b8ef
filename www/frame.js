// The iframe embed (frame.html): one <skillcat-quiz> filling the frame, for host pages whose CSP
// will not run our scripts or whose other scripts should not reach the quiz. The host loads
// skillcat-resizer.js, which sizes the iframe to fit; this is the frame's side of that protocol.
//
// Query string: the element's attributes (list below) pass through unchanged; the element checks
// them and shows its own errors. One exception: a bank-base or profile on another origin is dropped, since
// anyone can link to this page and a link must not make our origin show someone else's
// questions. (The LRS settings may point elsewhere: this server's CSP connect-src decides.)
// host-origin=<origin>[,<origin>…] restricts which host origins may say hello.
//
// Messages, all { context: "skillcat", action, … }:
//   host → frame  hello                  accepted only from window.parent (and only from a
//                                        host-origin when that is given); each one makes the
//                                        frame send its height again
//   frame → host  resize { height }      the document's height in CSS pixels, after a hello and
//                                        on every change
//   frame → host  event { type, detail } the element's events; those fired before the first
//                                        hello are kept and sent after it
// The frame posts only to the origin of the accepted hello, never to "*", and nothing before.

import "./skillcat-quiz.js";

const ATTRIBUTES = [
  "banks",
  "mode",
  "max-items",
  "seed",
  "theme",
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
const EVENTS = [
  "skillcat:ready",
  "skillcat:progress",
  "skillcat:answered",
  "skillcat:completed",
  "skillcat:error",
  "skillcat:lms-unavailable",
];
/** Events kept while no host has said hello yet; later ones are dropped. */
const QUEUE_LIMIT = 50;

const params = new URLSearchParams(location.search);
const quiz = document.createElement("skillcat-quiz");
for (const name of ATTRIBUTES) {
  const value = params.get(name);
  if (value === null) continue;
  if ((name === "bank-base" || (name === "profile" && value !== "none")) && foreign(value)) {
    console.warn(`skillcat frame: ${name} "${value}" is on another origin and is ignored`);
    continue;
  }
  quiz.setAttribute(name, value);
}
const theme = params.get("theme");
if (theme !== null) document.documentElement.dataset.theme = theme;

/** Origins allowed to say hello, or null for any (a malformed entry matches nothing). */
const allowed = params.get("host-origin")?.split(",").map(originOf) ?? null;
/** @type {string | null} the origin of the accepted hello */
let host = null;
let sentHeight = -1;
/** @type {{ action: "event", type: string, detail: unknown }[]} events raised before the hello */
const queue = [];

/** @param {string} text */
function originOf(text) {
  try {
    const { origin } = new URL(text.trim());
    return origin === "null" ? undefined : origin;
  } catch {
    return undefined;
  }
}

/**
 * Whether a URL is on another origin (an unparsable one is left to the element to report).
 * @param {string} url
 */
function foreign(url) {
  try {
    return new URL(url, location.href).origin !== location.origin;
  } catch {
    return false;
  }
}

/** @param {Record<string, unknown>} message */
function post(message) {
  if (host !== null) window.parent.postMessage({ context: "skillcat", ...message }, host);
}

function sendHeight() {
  const height = Math.ceil(document.documentElement.getBoundingClientRect().height);
  if (host === null || height === sentHeight) return;
  sentHeight = height;
  post({ action: "resize", height });
}

/**
 * A copy postMessage can carry: structured clone, else the JSON form, else null.
 * @param {unknown} detail
 */
function cloneable(detail) {
  try {
    return structuredClone(detail);
  } catch {
    try {
      return JSON.parse(JSON.stringify(detail ?? null));
    } catch {
      return null;
    }
  }
}

for (const type of EVENTS) {
  quiz.addEventListener(type, (event) => {
    const message = { action: /** @type {const} */ ("event"), type, detail: cloneable(/** @type {CustomEvent} */ (event).detail) };
    if (host !== null) post(message);
    else if (queue.length < QUEUE_LIMIT) queue.push(message);
  });
}

window.addEventListener("message", (event) => {
  if (window.parent === window || event.source !== window.parent) return;
  if (event.data?.context !== "skillcat" || event.data.action !== "hello") return;
  if (event.origin === "null" || (allowed && !allowed.includes(event.origin))) return;
  host = event.origin;
  sentHeight = -1;
  sendHeight();
  for (const message of queue.splice(0)) post(message);
});

new ResizeObserver(sendHeight).observe(document.documentElement);
/** @type {HTMLElement} */ (document.getElementById("quiz")).append(quiz);
