// The iframe embed (www/frame.html + frame.js, host side www/skillcat-resizer.js) across three
// origins on 127.0.0.1: A serves the host page (fixtures/iframe-host.html, under its own strict
// CSP), B serves www/ through serve.mjs with the strict CSP (the quiz frame and the resizer), C
// serves an "attacker" page framed next to the quiz. Checks:
// - the iframe grows from the default 150px to fit the intro, and fits again after Start;
// - forged resize/event messages are ignored when they come from C, from the host itself, or
//   from a B window that is not the data-skillcat iframe;
// - the frame answers a hello only from its parent, and only from a host-origin when given;
// - the element's events reach the host as events on the iframe; no CSP violation anywhere;
// - bad heights are ignored or capped; an iframe added later is found; a second copy of the
//   resizer changes nothing; a bank-base on another origin is dropped by the frame.
// "Ignored" is proved, not slept on: the test waits until the host has received the forged
// message (the resizer hears it in the same dispatch), or, on the frame's side, until the frame
// has heard the hello and then a marker it posts afterwards has arrived (same-source messages
// keep their order, so any answer would have come first).

import assert from "node:assert/strict";
import { createReadStream } from "node:fs";
import { createServer } from "node:http";
import { extname } from "node:path";
import { after, before, test } from "node:test";

import { CSP, resolvePath, startServer } from "../../www/serve.mjs";
import { act, answerByMouse, currentQuestion, FIXTURES, HOOK_TIMEOUT, launchBrowser, problems, waitForState, watch } from "./support.mjs";

const TYPES = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
};
const DEFAULT_HEIGHT = 150; // an iframe's height before the resizer sets one
const FORGED = { context: "skillcat", action: "resize", height: 4321 };
const HELLO = { context: "skillcat", action: "hello" };

/** Serves tests/e2e/fixtures/ at / on 127.0.0.1, HTML with the policy `policy()` returns. */
async function startFixtureServer(policy) {
  const server = createServer(async (req, res) => {
    if (req.url === "/favicon.ico") return void res.writeHead(204).end(); // the browser asks; no 404 noise
    const found = await resolvePath(req.url.split(/[?#]/)[0], { www: FIXTURES, quizbanks: FIXTURES });
    if (!found || found.redirect) {
      res.writeHead(404, { "Content-Type": "text/plain; charset=utf-8" }).end("Not found\n");
      return;
    }
    const ext = extname(found.file);
    const headers = { "Content-Type": TYPES[ext] ?? "application/octet-stream", "Cache-Control": "no-store" };
    if (ext === ".html") headers["Content-Security-Policy"] = policy();
    res.writeHead(200, headers);
    createReadStream(found.file).pipe(res);
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address();
  return {
    origin: `http://127.0.0.1:${port}`,
    close: () => new Promise((done) => (server.closeAllConnections(), server.close(() => done()))),
  };
}

let browser;
let hostServer; // origin A
let quizServer; // origin B
let attackerServer; // origin C
let A;
let B;
let C;

before(async () => {
  quizServer = await startServer({ port: 0, csp: true });
  B = quizServer.url.replace(/\/$/, "");
  // The host's own strict policy: scripts from itself and the quiz server, frames from B and C.
  // (A function: C is known only once its server runs.)
  const hostPolicy = () => `${CSP.replace("script-src 'self'", `script-src 'self' ${B}`)}; frame-src ${B} ${C}`;
  hostServer = await startFixtureServer(hostPolicy);
  attackerServer = await startFixtureServer(() => CSP);
  A = hostServer.origin;
  C = attackerServer.origin;
  browser = await launchBrowser();
}, { timeout: HOOK_TIMEOUT });

after(async () => {
  await browser?.close();
  await Promise.all([hostServer?.close(), quizServer?.close(), attackerServer?.close()]);
}, { timeout: HOOK_TIMEOUT });

/**
 * Opens the host page built from `params` (an object or [name, value] pairs) in a new context
 * that records CSP violations in every frame; waits for the quiz's intro when there is a frame.
 */
async function openHost(t, params) {
  const context = await browser.newContext({ viewport: { width: 900, height: 700 } });
  t.after(() => context.close());
  await context.addInitScript(() => {
    window.__violations = [];
    document.addEventListener(
      "securitypolicyviolation",
      (e) => window.__violations.push(`${e.effectiveDirective} blocked ${e.blockedURI || "(inline)"}`),
      true,
    );
  });
  const page = await context.newPage();
  const log = await watch(page);
  const response = await page.goto(`${A}/iframe-host.html?${new URLSearchParams(params)}`);
  assert.match(response.headers()["content-security-policy"], /frame-src/, "the host runs under its own strict policy");
  if (!new URLSearchParams(params).has("frame")) return { page, log };
  return { page, log, quiz: await quizIn(page) };
}

async function quizIn(page) {
  const quiz = await (await page.locator("#quiz").elementHandle()).contentFrame();
  assert.equal(await waitForState(quiz, ["intro", "error"]), "intro", "the quiz loads in the frame");
  return quiz;
}

function frameUrl(params) {
  return `${B}/frame.html?${new URLSearchParams({ banks: "cybersecurity", "max-items": "5", seed: "7", ...params })}`;
}

/** Waits until the iframe (seen from inside) is as tall as its document, taller than the default, and not `not`. */
async function waitForFit(quiz, not = null) {
  const handle = await quiz.waitForFunction(({ not, min }) => {
    const content = document.documentElement.getBoundingClientRect().height;
    const { scrollHeight } = document.documentElement;
    const fits = Math.abs(innerHeight - content) <= 1 && scrollHeight <= innerHeight + 1;
    return fits && innerHeight > min && innerHeight !== not && { height: innerHeight, scrollHeight };
  }, { not, min: DEFAULT_HEIGHT });
  return handle.jsonValue();
}

const iframeHeight = (page) => page.locator("#quiz").evaluate((f) => f.getBoundingClientRect().height);
const messagesFrom = (page, from) => page.evaluate((from) => window.__messages.filter((m) => m.from === from), from);

/** Waits until the host has received `data` (equal as JSON) from the window named `from`. */
async function waitForMessage(page, from, data) {
  await page.waitForFunction(
    ({ from, data }) => window.__messages.some((m) => m.from === from && JSON.stringify(m.data) === JSON.stringify(data)),
    { from, data },
  );
}

/** Proves the frame heard a hello sent by `send()` and answered nothing (see the header). */
async function assertNoAnswer(page, quiz, send) {
  await quiz.evaluate(() => {
    window.__hellos = 0;
    window.addEventListener("message", (e) => (window.__hellos += e.data?.action === "hello" ? 1 : 0));
  });
  await send();
  await quiz.waitForFunction(() => window.__hellos >= 1);
  await quiz.evaluate(() => window.parent.postMessage({ marker: true }, "*"));
  await waitForMessage(page, "quiz", { marker: true });
  assert.deepEqual(await messagesFrom(page, "quiz"), [{ origin: B, from: "quiz", data: { marker: true } }], "nothing but the marker");
  assert.equal(await iframeHeight(page), DEFAULT_HEIGHT);
}

test("the resizer fits the iframe, forwards events, and ignores forged messages", { timeout: 90_000 }, async (t) => {
  const { page, quiz, log } = await openHost(t, {
    frame: frameUrl({ "host-origin": `${C}, ${A}` }),
    resizer: `${B}/skillcat-resizer.js`,
    attacker: `${C}/iframe-attacker.html`,
    decoy: frameUrl({}),
  });

  const intro = await waitForFit(quiz);
  assert.ok(Math.abs(intro.scrollHeight - intro.height) <= 1, "the frame's document fits without scrolling");
  assert.equal(await iframeHeight(page), intro.height, "the host sized the iframe");

  await page.waitForFunction(() => window.__events.some((e) => e.type === "skillcat:ready"));
  const ready = (await page.evaluate(() => window.__events)).filter((e) => e.type === "skillcat:ready");
  assert.deepEqual(ready.map((e) => [e.target, e.detail.banks[0].id]), [["quiz", "cybersecurity"]], "ready, once, on the iframe");
  assert.ok((await messagesFrom(page, "quiz")).every((m) => m.origin === B), "the frame's messages come from its origin");

  // Forgeries: from the third origin, from the host page itself, from a B window that is not the quiz.
  const attacker = await (await page.locator("#attacker").elementHandle()).contentFrame();
  await attacker.waitForFunction(() => typeof window.forge === "function");
  await attacker.evaluate(() => window.forge({ context: "skillcat", action: "event", type: "skillcat:completed", detail: {} }));
  await attacker.evaluate((m) => window.forge(m), FORGED); // after the event: waiting for it covers both
  await waitForMessage(page, "attacker", FORGED);
  await page.evaluate((m) => window.postMessage(m, "*"), FORGED);
  await waitForMessage(page, "self", FORGED);
  const decoy = await (await page.locator("#decoy").elementHandle()).contentFrame();
  await decoy.waitForLoadState();
  await decoy.evaluate((m) => window.parent.postMessage(m, "*"), FORGED);
  await waitForMessage(page, "decoy", FORGED);
  assert.equal(await iframeHeight(page), intro.height, "no forged resize took effect");
  assert.deepEqual(await page.evaluate(() => window.__events.map((e) => e.type)), ["skillcat:ready"], "no forged event");

  // Start: the question screen has another height, and the iframe follows.
  await act(quiz, "start");
  await waitForState(quiz, "question");
  const question = await waitForFit(quiz, intro.height);
  assert.equal(await iframeHeight(page), question.height);
  const { item } = await currentQuestion(quiz);
  await answerByMouse(quiz);
  await page.waitForFunction(() => window.__events.some((e) => e.type === "skillcat:answered"));
  const answered = (await page.evaluate(() => window.__events)).find((e) => e.type === "skillcat:answered");
  assert.equal(answered.detail.item, item, "the answered event's detail arrives intact");
  await waitForState(quiz, "feedback");
  const feedback = await waitForFit(quiz, question.height);
  assert.equal(await iframeHeight(page), feedback.height);

  // Heights the resizer refuses, caps or rounds up, posted by the frame's own window (none that
  // would make the frame scroll: its width, and so its height, would change and report itself).
  const post = (data) => quiz.evaluate(({ data, A }) => window.parent.postMessage(data, A), { data, A });
  for (const height of [Number.NaN, -5, "900", null, Infinity]) await post({ ...FORGED, height });
  await page.evaluate(() => document.getElementById("quiz").addEventListener("click", () => (window.__clicked = true)));
  await post({ context: "skillcat", action: "event", type: "click", detail: {} });
  await post({ marker: "bad" });
  await waitForMessage(page, "quiz", { marker: "bad" });
  assert.equal(await iframeHeight(page), feedback.height, "NaN, negative, non-number and infinite heights are ignored");
  assert.equal(await page.evaluate(() => window.__clicked), undefined, "only skillcat:* events are re-dispatched");
  await post({ ...FORGED, height: 1e9 });
  await page.waitForFunction(() => document.getElementById("quiz").style.height === "30000px");
  await post({ ...FORGED, height: feedback.height - 0.4 });
  await page.waitForFunction((h) => document.getElementById("quiz").style.height === `${h}px`, feedback.height);

  for (const frame of [page.mainFrame(), quiz]) {
    assert.deepEqual(await frame.evaluate(() => window.__violations), [], `no CSP violation in ${frame.url()}`);
  }
  assert.deepEqual(problems(log), [], "no console errors, page errors or failed requests");
  // The recording works in the frame: an inline script there is refused and reported.
  await quiz.evaluate(() => document.head.append(Object.assign(document.createElement("script"), { textContent: "1" })));
  await quiz.waitForFunction(() => window.__violations.length === 1);

  // The right window with the wrong origin: the quiz's iframe navigated to the third origin.
  await quiz.evaluate((url) => location.assign(url), `${C}/iframe-attacker.html`);
  await quiz.waitForURL(`${C}/iframe-attacker.html`);
  await quiz.waitForFunction(() => typeof window.forge === "function");
  await quiz.evaluate((m) => window.forge(m), FORGED);
  await waitForMessage(page, "quiz", FORGED);
  assert.equal(await iframeHeight(page), feedback.height, "a message from the iframe's window but not its origin is ignored");
});

test("the frame ignores a hello from an origin not in host-origin", { timeout: 60_000 }, async (t) => {
  const { page, quiz } = await openHost(t, { frame: frameUrl({ "host-origin": C }), resizer: `${B}/skillcat-resizer.js` });
  // The resizer said hello on load; say it once more, now that the frame is surely listening.
  await assertNoAnswer(page, quiz, () =>
    page.evaluate(({ m, B }) => document.getElementById("quiz").contentWindow.postMessage(m, B), { m: HELLO, B }),
  );
  assert.deepEqual(await page.evaluate(() => window.__events), [], "no event forwarded");
});

test("the frame ignores a hello from a window that is not its parent", { timeout: 60_000 }, async (t) => {
  const { page, quiz } = await openHost(t, { frame: frameUrl({}), sibling: "" });
  const sibling = await (await page.locator("#sibling").elementHandle()).contentFrame();
  // A window of the parent's own origin, so a wrongly accepted hello would be answered to the host.
  await assertNoAnswer(page, quiz, () =>
    sibling.evaluate(({ m, B }) => window.parent.document.getElementById("quiz").contentWindow.postMessage(m, B), { m: HELLO, B }),
  );
  // The same hello from the parent is answered: the height, then the ready event kept until now.
  await page.evaluate(({ m, B }) => document.getElementById("quiz").contentWindow.postMessage(m, B), { m: HELLO, B });
  await page.waitForFunction(() => window.__messages.filter((m) => m.from === "quiz").length >= 3);
  const [, resize, ready] = await messagesFrom(page, "quiz");
  assert.equal(resize.data.action, "resize");
  assert.ok(resize.data.height > DEFAULT_HEIGHT, `height ${resize.data.height}`);
  assert.deepEqual([ready.data.action, ready.data.type], ["event", "skillcat:ready"]);
});

test("the resizer finds an iframe added later, and loading it twice changes nothing", { timeout: 60_000 }, async (t) => {
  const resizer = `${B}/skillcat-resizer.js`;
  const { page } = await openHost(t, [["resizer", resizer], ["resizer", resizer]]);
  await page.waitForFunction(() => window.__resizersRun === 2);
  await page.evaluate((src) => window.addFrame("quiz", src, "Skill check", true), frameUrl({}));
  const quiz = await quizIn(page);
  const fit = await waitForFit(quiz);
  assert.equal(await iframeHeight(page), fit.height);
  await page.waitForFunction(() => window.__events.some((e) => e.type === "skillcat:ready"));
  assert.deepEqual(await page.evaluate(() => window.__events.map((e) => e.type)), ["skillcat:ready"], "each event once");
});

test("the frame drops a bank-base on another origin: a link cannot choose whose questions it shows", { timeout: 60_000 }, async (t) => {
  // Followed, the banks would come from C (and the strict CSP would refuse them: an error screen).
  const { page, quiz, log } = await openHost(t, { frame: frameUrl({ "bank-base": `${C}/` }) });
  assert.equal(await quiz.evaluate(() => document.querySelector("skillcat-quiz").hasAttribute("bank-base")), false);
  assert.ok(log.warnings.some((text) => text.includes("bank-base")), "the frame says why on the console");
  assert.deepEqual(await page.evaluate(() => window.__violations), []);
});
