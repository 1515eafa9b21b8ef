// Benchmark, not a test (`make bench-browser`): how long a learner waits in Debian's headless
// Chromium, on the demo page served by www/serve.mjs from 127.0.0.1 (no network latency):
//   navigation → intro ready   from the start of navigation to the quiz's intro screen being
//                              shown (container visible, data-state="intro": the module, the
//                              WebAssembly engine and the bank files loaded and validated);
//   Start → first question     from the click on Start to the first question being shown;
//   navigation → first question  the sum of the two (the learner's own pause before clicking
//                              is left out).
// Times are taken inside the page with performance.now() (0 = navigation start), at the DOM
// mutation that shows the screen. Each run uses a new browser context (empty cache, no saved
// progress). Prints the median, minimum and maximum of 10 runs per configuration, and where
// the time to the intro goes (from the page's Navigation and Resource Timing entries).
// With `--release` (`make bench-release`) the demo page is the release folder's
// (dist/skillcat-<version>/, `make dist`), served as it is by a plain static server.

import { join } from "node:path";
import { performance } from "node:perf_hooks";

import { startServer } from "../../www/serve.mjs";
import { demoUrl, launchBrowser, waitForState } from "../e2e/support.mjs";
import { built, ROOT, serveFolder, VERSION } from "../release/support.mjs";

const releaseFolder = () => built(join(ROOT, "dist", `skillcat-${VERSION}`), "make dist");

const RUNS = 10;
const CONFIGS = [
  { label: "1 bank (cybersecurity), max 20", banks: ["cybersecurity"] },
  { label: "2 banks (cybersecurity, regulation), max 20", banks: ["cybersecurity", "regulation"] },
  {
    label: "all 7 banks, max 20",
    banks: ["cybersecurity", "regulation", "genai-ml", "cloud", "data-governance", "interoperability", "secure-dev"],
  },
];

/** Installed before any page script: notes when the quiz first shows each screen. */
function recordScreens() {
  window.__shown = {};
  const watchQuiz = (quiz) => {
    const container = quiz.shadowRoot?.querySelector('[part~="container"]');
    if (!container) return false;
    const note = () => {
      const state = container.dataset.state;
      if (state && !container.hidden && !(state in window.__shown)) window.__shown[state] = performance.now();
    };
    new MutationObserver(note).observe(container, { attributes: true, attributeFilter: ["data-state", "hidden"] });
    note();
    return true;
  };
  const pageObserver = new MutationObserver(() => {
    const quiz = document.querySelector("skillcat-quiz");
    if (quiz && watchQuiz(quiz)) pageObserver.disconnect();
  });
  pageObserver.observe(document, { childList: true, subtree: true });
  document.addEventListener(
    "click",
    (event) => {
      if (event.composedPath().some((el) => el.dataset?.action === "start")) window.__shown.startClick ??= performance.now();
    },
    true,
  );
}

function stats(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length / 2;
  const median = sorted.length % 2 ? sorted[Math.floor(mid)] : (sorted[mid - 1] + sorted[mid]) / 2;
  return { median, min: sorted[0], max: sorted.at(-1) };
}

const ms = (value) => `${value.toFixed(0).padStart(5)} ms`;

const release = process.argv.includes("--release");
const server = release ? await serveFolder(releaseFolder(), { csp: true }) : await startServer({ port: 0 });
const browser = await launchBrowser();
try {
  const what = release ? `the release folder ${releaseFolder()}` : "www/serve.mjs";
  console.log(`Chromium ${browser.version()}, ${RUNS} runs per configuration, demo page on ${server.url} (${what})`);
  for (const config of CONFIGS) {
    const intro = [];
    const start = [];
    const total = [];
    const wall = [];
    const parts = { "DOMContentLoaded": [], ".wasm response end": [], "last bank response end": [] };
    for (let run = 0; run < RUNS; run += 1) {
      const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
      const page = await context.newPage();
      await page.addInitScript(recordScreens);
      const t0 = performance.now();
      await page.goto(demoUrl(server, { banks: config.banks, mode: "practice", max: 20 }));
      await waitForState(page, ["intro"]);
      await page.locator('skillcat-quiz [data-action="start"]').click();
      await waitForState(page, ["question"]);
      wall.push(performance.now() - t0);
      const shown = await page.evaluate(() => window.__shown);
      if (!(shown.intro > 0 && shown.startClick > 0 && shown.question > shown.startClick)) {
        throw new Error(`run ${run + 1}: incomplete timings ${JSON.stringify(shown)}`);
      }
      const timing = await page.evaluate(() => {
        const resources = performance.getEntriesByType("resource");
        return {
          dcl: performance.getEntriesByType("navigation")[0].domContentLoadedEventEnd,
          wasm: resources.find((r) => r.name.endsWith(".wasm"))?.responseEnd ?? NaN,
          banks: Math.max(...resources.filter((r) => r.name.includes("/quizbanks/")).map((r) => r.responseEnd)),
        };
      });
      parts["DOMContentLoaded"].push(timing.dcl);
      parts[".wasm response end"].push(timing.wasm);
      parts["last bank response end"].push(timing.banks);
      intro.push(shown.intro);
      start.push(shown.question - shown.startClick);
      total.push(shown.intro + (shown.question - shown.startClick));
      await context.close();
    }
    console.log(`\n${config.label}`);
    for (const [name, values] of [
      ...Object.entries(parts).map(([name, values]) => [`  ${name}`, values]),
      ["navigation → intro ready", intro],
      ["Start → first question", start],
      ["navigation → first question", total],
      ["(wall clock incl. automation)", wall],
    ]) {
      const { median, min, max } = stats(values);
      console.log(`  ${name.padEnd(30)} median ${ms(median)}   min ${ms(min)}   max ${ms(max)}`);
    }
  }
} finally {
  await browser.close();
  await server.close();
}
