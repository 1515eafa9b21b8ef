// Shared pieces of the browser tests (and of tests/bench/first-question.mjs): the Chromium
// launcher, a test server, and helpers that read the quiz's stable hooks (the container's
// `data-state`, `data-focus`, `part` and `data-action` names; see the comment block at the top of
// www/skillcat-quiz.js). Every wait is a web-first wait on a condition, never a fixed sleep.

import assert from "node:assert/strict";
import { createReadStream, existsSync } from "node:fs";
import { createServer, request as httpRequest } from "node:http";
import { extname } from "node:path";
import { fileURLToPath } from "node:url";

import { chromium } from "playwright-core";

import { CSP, resolvePath, startServer } from "../../www/serve.mjs";

/**
 * The Chromium the tests drive: Debian's, or the executable SKILLCAT_CHROMIUM names (the Makefile
 * honours it too; tests/e2e/no-hang.test.mjs points it at a missing or a silent executable).
 */
export const CHROMIUM = process.env.SKILLCAT_CHROMIUM || "/usr/bin/chromium";
/**
 * How long Chromium may take to start before the launch fails (about 1 s on an idle machine);
 * SKILLCAT_LAUNCH_TIMEOUT (ms) shortens it for the test that proves the bound.
 */
export const LAUNCH_TIMEOUT = Number(process.env.SKILLCAT_LAUNCH_TIMEOUT) || 30_000;
/**
 * The bound on every before/after hook of the browser and Node tests: starting or stopping
 * Chromium, a web server or an LRS, building packages with an already built `skillcat`.
 */
export const HOOK_TIMEOUT = 120_000;
export const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];
export const PKG = fileURLToPath(new URL("../../www/pkg/skillcat.js", import.meta.url));
export const FIXTURES = fileURLToPath(new URL("./fixtures/", import.meta.url));
export const SCREENSHOTS = fileURLToPath(new URL("./screenshots/", import.meta.url));
export const AXE = fileURLToPath(new URL("../node_modules/axe-core/axe.min.js", import.meta.url));
export { CSP };

/** Most Tab presses allowed to reach a control; a focus trap or a lost focus fails fast. */
export const MAX_TABS = 60;
/** How long a screen may take to appear. */
export const SCREEN_TIMEOUT = 15_000;
/** The shadow root's container, as a selector string used inside page functions. */
const CONTAINER = '[part~="container"]';

/**
 * Launches Chromium headless, after checking that it and www/pkg exist; fails within
 * LAUNCH_TIMEOUT, naming the executable, when the browser does not start.
 */
export async function launchBrowser() {
  assert.ok(existsSync(PKG), `${PKG} is missing: run \`make www-pkg\` first`);
  assert.ok(existsSync(CHROMIUM), `${CHROMIUM} is missing: run \`make chromium\` (as root it runs apt-get install chromium)`);
  try {
    return await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, headless: true, timeout: LAUNCH_TIMEOUT });
  } catch (error) {
    throw new Error(`Chromium (${CHROMIUM}) did not start within ${LAUNCH_TIMEOUT} ms: ${error.message.split("\n")[0]}`, { cause: error });
  }
}

/**
 * Runs the start functions together and returns what they resolve to, in order. When one fails,
 * the others that started are closed (each result has `close()`) before its error is thrown, so
 * a failed start leaves no server or browser that would keep the test process alive.
 * @template T
 * @param {Array<() => Promise<T>>} starts
 * @returns {Promise<T[]>}
 */
export async function startAll(starts) {
  const settled = await Promise.allSettled(starts.map((start) => start()));
  const failed = settled.find((s) => s.status === "rejected");
  if (!failed) return settled.map((s) => s.value);
  await Promise.allSettled(settled.filter((s) => s.status === "fulfilled").map((s) => s.value.close()));
  throw failed.reason;
}

const FIXTURE_TYPES = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json; charset=utf-8",
};

/**
 * Starts www/serve.mjs on port 0 with the given options, behind a small front server (also on
 * port 0) that adds one folder: `/e2e/` serves tests/e2e/fixtures/ (the host page and the
 * fixture banks, with the same strict CSP on HTML when `csp` is set). Every other request is
 * passed through to serve.mjs unchanged, so www/ and quizbanks/ are served exactly as in the
 * demo.
 * @param {{ csp?: boolean, wasmMime?: string }} [options]
 */
export async function startTestServer({ csp = false, wasmMime } = {}) {
  const backend = await startServer({ port: 0, csp, ...(wasmMime ? { wasmMime } : {}) });
  const front = createServer(async (req, res) => {
    const raw = req.url.split(/[?#]/)[0];
    if (raw === "/e2e" || raw.startsWith("/e2e/")) {
      const found = await resolvePath(raw.slice("/e2e".length) || "/", { www: FIXTURES, quizbanks: FIXTURES });
      if (!found || found.redirect) {
        res.writeHead(404, { "Content-Type": "text/plain; charset=utf-8", "Cache-Control": "no-store" });
        res.end("Not found\n");
        return;
      }
      const ext = extname(found.file).toLowerCase();
      const headers = {
        "Content-Type": FIXTURE_TYPES[ext] ?? "application/octet-stream",
        "Content-Length": found.size,
        "Cache-Control": "no-store",
        "X-Content-Type-Options": "nosniff",
      };
      if (csp && ext === ".html") headers["Content-Security-Policy"] = CSP;
      res.writeHead(200, headers);
      createReadStream(found.file).pipe(res);
      return;
    }
    const forward = httpRequest(
      { host: "127.0.0.1", port: backend.port, path: req.url, method: req.method, headers: req.headers },
      (answer) => {
        res.writeHead(answer.statusCode, answer.headers);
        answer.pipe(res);
      },
    );
    forward.on("error", () => res.destroy());
    req.pipe(forward);
  });
  await new Promise((resolve, reject) => {
    front.once("error", reject);
    front.listen(0, "127.0.0.1", resolve);
  });
  const port = front.address().port;
  return {
    url: `http://127.0.0.1:${port}/`,
    port,
    backend,
    close: async () => {
      front.closeAllConnections?.();
      await new Promise((done) => front.close(() => done()));
      await backend.close();
    },
  };
}

/** The demo page with a quiz already chosen (demo.js reads ?banks=…&mode=…&max=…). */
export function demoUrl(server, { banks, mode = "practice", max = 5 }) {
  return `${server.url}index.html?${new URLSearchParams({ banks: banks.join(","), mode, max: String(max) })}`;
}

/** The minimal host page (fixtures/host.html): every quiz attribute from the query string. */
export function hostUrl(server, attrs) {
  return `${server.url}e2e/host.html?${new URLSearchParams(attrs)}`;
}

/**
 * Records what a page reports: console errors and warnings, page errors, HTTP failures, dialogs,
 * and the quiz's events (in `window.__skillcatEvents`, reset on every load).
 */
export async function watch(page) {
  const log = { errors: [], warnings: [], pageErrors: [], httpFailures: [], dialogs: [], console: [] };
  page.on("console", (message) => {
    log.console.push({ type: message.type(), text: message.text() });
    if (message.type() === "error") log.errors.push(message.text());
    if (message.type() === "warning") log.warnings.push(message.text());
  });
  page.on("pageerror", (error) => log.pageErrors.push(error.message));
  page.on("response", (response) => {
    if (response.status() >= 400) log.httpFailures.push(`HTTP ${response.status()} for ${response.url()}`);
  });
  page.on("dialog", async (dialog) => {
    log.dialogs.push(`${dialog.type()}: ${dialog.message()}`);
    await dialog.dismiss().catch(() => {});
  });
  await page.addInitScript(() => {
    window.__skillcatEvents = [];
    for (const type of ["skillcat:ready", "skillcat:answered", "skillcat:completed", "skillcat:error"]) {
      document.addEventListener(type, (event) => window.__skillcatEvents.push({ type, detail: event.detail }));
    }
  });
  return log;
}

/** The problems a clean run must not have: console errors, page errors, failed requests. */
export function problems(log) {
  return [
    ...log.errors.map((text) => `console error: ${text}`),
    ...log.pageErrors.map((text) => `page error: ${text}`),
    ...log.httpFailures,
  ];
}

export function events(page, type) {
  return page.evaluate((wanted) => window.__skillcatEvents.filter((e) => !wanted || e.type === wanted), type ?? null);
}

/** What has keyboard focus, looking through shadow roots. */
export function activeElement(page) {
  return page.evaluate(() => {
    let el = document.activeElement;
    while (el?.shadowRoot?.activeElement) el = el.shadowRoot.activeElement;
    if (!el) return null;
    return {
      tag: el.localName,
      id: el.id || null,
      type: el.getAttribute("type"),
      value: "value" in el ? String(el.value) : null,
      checked: "checked" in el ? el.checked : null,
      action: el.dataset?.action ?? null,
      part: el.getAttribute("part"),
      focusTarget: el.hasAttribute("data-focus"),
      screen: el.closest("[data-screen]")?.dataset.screen ?? null,
      text: (el.textContent ?? "").trim().replace(/\s+/g, " ").slice(0, 200),
    };
  });
}

/** Presses Tab until `wanted(active)` holds, and returns the focused element's description. */
export async function tabTo(page, wanted, what) {
  for (let i = 0; i < MAX_TABS; i += 1) {
    await page.keyboard.press("Tab");
    const active = await activeElement(page);
    if (active && wanted(active)) return active;
  }
  assert.fail(`Tab never reached ${what} within ${MAX_TABS} presses`);
}

/** The quiz's current screen: `data-state` on its container (null before it exists). */
export function quizState(page) {
  return page.evaluate(
    (sel) => document.querySelector("skillcat-quiz")?.shadowRoot?.querySelector(sel)?.dataset.state ?? null,
    CONTAINER,
  );
}

/**
 * Waits until the quiz shows one of `names` (its container visible, the screen in place) and
 * returns the name. With `notItem`, a question screen counts only when its `data-item` differs
 * (a new question, not the one still on screen).
 */
export async function waitForState(page, names, { notItem = null, timeout = SCREEN_TIMEOUT } = {}) {
  const handle = await page.waitForFunction(
    ({ sel, wanted, notItem }) => {
      const container = document.querySelector("skillcat-quiz")?.shadowRoot?.querySelector(sel);
      if (!container || container.hidden || !wanted.includes(container.dataset.state)) return false;
      const screen = container.querySelector(`[data-screen="${container.dataset.state}"]`);
      if (!screen) return false;
      if (notItem !== null && container.dataset.state === "question" && screen.dataset.item === notItem) return false;
      return container.dataset.state;
    },
    { sel: CONTAINER, wanted: [names].flat(), notItem },
    { timeout },
  );
  return handle.jsonValue();
}

/** The question on screen: item id, position, domain (from the item label), option type/count. */
export function currentQuestion(page) {
  return page.evaluate(() => {
    const root = document.querySelector("skillcat-quiz").shadowRoot;
    const screen = root.querySelector('[data-screen="question"]');
    if (!screen) return null;
    return {
      item: screen.dataset.item,
      position: Number(screen.dataset.position),
      heading: screen.querySelector('[part~="heading"]').textContent.trim(),
      label: screen.querySelector('[part~="item-label"]').textContent.trim(),
      type: screen.querySelector('[part~="options"]').dataset.type,
      options: screen.querySelectorAll('[part~="option-input"]').length,
    };
  });
}

/**
 * Answers the question on screen with the keyboard alone and returns the chosen indices:
 * Tab to the first option; for radios, ArrowDown `shift` times (each press moves and selects);
 * for checkboxes, Space on the first, then Tab and Space on the next ones (`shift + 1` boxes).
 * Asserts that choosing never submits, then Tabs to Submit and presses Enter.
 */
export async function answerByKeyboard(page, { shift = 1 } = {}) {
  const first = await tabTo(page, (a) => a.tag === "input" && a.screen === "question", "the first option");
  const { options } = await currentQuestion(page);
  let chosen;
  if (first.type === "radio") {
    // Tab lands on the first radio without checking it; Space checks it, arrows move and check.
    await page.keyboard.press("Space");
    assert.equal((await activeElement(page)).checked, true, "Space checks the focused radio");
    const steps = shift % options;
    for (let i = 0; i < steps; i += 1) await page.keyboard.press("ArrowDown");
    const now = await activeElement(page);
    assert.equal(now.value, String(steps), "arrow keys move within the radio group");
    assert.equal(now.checked, true, "an arrow key selects within the radio group");
    chosen = [steps];
  } else {
    assert.equal(first.type, "checkbox");
    chosen = [];
    const boxes = Math.min(options, (shift % options) + 1);
    for (let i = 0; i < boxes; i += 1) {
      if (i > 0) await tabTo(page, (a) => a.tag === "input" && a.value === String(i), `checkbox ${i}`);
      await page.keyboard.press("Space");
      assert.equal((await activeElement(page)).checked, true, "Space checks a checkbox");
      chosen.push(i);
    }
  }
  assert.equal(await quizState(page), "question", "choosing an option never submits");
  await tabTo(page, (a) => a.action === "submit", "the Submit button");
  await page.keyboard.press("Enter");
  return chosen;
}

/**
 * Answers the question on screen with the mouse (faster; for tests about something else):
 * checks option `pick % options` (for checkboxes also the next one) and clicks Submit.
 */
export async function answerByMouse(page, pick = 0) {
  const q = await currentQuestion(page);
  const quiz = page.locator("skillcat-quiz");
  const chosen = q.type === "multiple" ? [...new Set([pick % q.options, (pick + 1) % q.options])].sort() : [pick % q.options];
  for (const i of chosen) await quiz.locator(`[part~="option-input"][data-option-index="${i}"]`).check();
  await quiz.locator('[data-action="submit"]').click();
  return chosen;
}

/** Clicks a `data-action` button of the quiz. */
export async function act(page, action) {
  await page.locator(`skillcat-quiz [data-action="${action}"]`).click();
}

/**
 * Walks a practice or assessment quiz to the results with the mouse, starting on a question
 * screen; returns the answers given ({ item, chosen }) in order.
 */
export async function finishByMouse(page, { mode = "practice", limit = 60 } = {}) {
  const answers = [];
  let state = await waitForState(page, ["question", "results"]);
  while (state === "question") {
    assert.ok(answers.length < limit, "the test ends");
    const q = await currentQuestion(page);
    answers.push({ item: q.item, chosen: await answerByMouse(page, answers.length) });
    if (mode === "practice") {
      await waitForState(page, "feedback");
      await act(page, "next");
    }
    state = await waitForState(page, ["question", "results"], { notItem: q.item });
  }
  return answers;
}

/**
 * The review screen's entries in the order they were asked (the review groups them by domain;
 * `data-position` is their place in the test): item id, chosen indices, key indices, correctness.
 */
export function reviewEntries(page) {
  return page.evaluate(() => {
    const root = document.querySelector("skillcat-quiz").shadowRoot;
    const items = [...root.querySelectorAll('[part~="review-item"]')];
    items.sort((a, b) => Number(a.dataset.position) - Number(b.dataset.position));
    return items.map((li) => {
      const results = [...li.querySelectorAll('[part~="option-result"]')];
      return {
        item: li.dataset.item,
        correct: li.dataset.correct ?? null,
        chosen: results.filter((r) => r.dataset.chosen === "true").map((r) => Number(r.dataset.optionIndex)),
        key: results.filter((r) => r.dataset.key === "true").map((r) => Number(r.dataset.optionIndex)),
        keyAttrs: results.filter((r) => r.hasAttribute("data-key")).length,
        keyMarks: li.querySelectorAll('[part~="mark-key"]').length,
      };
    });
  });
}

/** Emulates a colour scheme (light or dark) for prefers-color-scheme. */
export async function colorScheme(page, scheme) {
  await page.emulateMedia({ colorScheme: scheme });
  await page.waitForFunction((s) => matchMedia(`(prefers-color-scheme: ${s})`).matches, scheme);
}

/** Runs axe on the whole page; returns violations by impact and whether it saw the shadow root. */
export async function audit(page) {
  if (!(await page.evaluate(() => typeof window.axe === "object"))) await page.addScriptTag({ path: AXE });
  return page.evaluate(async () => {
    const results = await window.axe.run(document, { resultTypes: ["violations"] });
    const shadowTargets = (list) => list.some((rule) => rule.nodes.some((node) => node.target.some((t) => Array.isArray(t))));
    return {
      violations: results.violations.map((v) => ({
        id: v.id,
        impact: v.impact,
        help: v.help,
        nodes: v.nodes.map((n) => ({ target: JSON.stringify(n.target), summary: n.failureSummary?.split("\n").slice(0, 3).join(" ") })),
      })),
      sawShadow: shadowTargets(results.passes) || shadowTargets(results.violations),
    };
  });
}
