// The npm package in a bundler project: the Vite app in tests/release/vite-app/ (Vite from its own
// lock file, `make test-release` installs it) installs the packed tarball with
// `npm install --offline` (nothing of skillcat from a registry), `vite build`s, and its build,
// served by a plain static server under the strict CSP, runs the quiz in Chromium to an answered
// question. Vite must have followed the element to its engine, .wasm and stylesheet: they are
// served from the build's assets/, nothing from node_modules.

import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";

import { HOOK_TIMEOUT, launchBrowser, problems, watch } from "../e2e/support.mjs";
import { answerFirstQuestion, built, ROOT, serveFolder, TARBALL } from "./support.mjs";

const APP = join(ROOT, "tests", "release", "vite-app");
let out;
let server;
let browser;

before(() => {
  assert.ok(
    existsSync(join(APP, "node_modules", "vite")),
    "tests/release/vite-app/node_modules is missing: run `make test-release` (it runs npm ci there)",
  );
  // A fresh copy of the package each time: the same version with other contents would be
  // "up to date" for npm.
  rmSync(join(APP, "node_modules", "skillcat"), { recursive: true, force: true });
  rmSync(join(APP, "public"), { recursive: true, force: true });
  const npm = (args) => execFileSync("npm", args, { cwd: APP, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
  npm(["install", "--offline", "--no-save", "--no-audit", "--no-fund", "--ignore-scripts", built(TARBALL, "make npm-package")]);
  out = mkdtempSync(join(tmpdir(), "skillcat-vite-"));
  // `npm run build` runs the app's prebuild (copies the banks into public/), then `vite build`.
  npm(["run", "build", "--", "--outDir", out, "--emptyOutDir", "--logLevel", "warn"]);
}, { timeout: HOOK_TIMEOUT });

after(async () => {
  await browser?.close();
  await server?.close();
  if (out) rmSync(out, { recursive: true, force: true });
}, { timeout: HOOK_TIMEOUT });

test("vite build emits the engine, its .wasm and the stylesheet as hashed assets, and leaves the banks as files", () => {
  const assets = readdirSync(join(out, "assets"));
  assert.ok(assets.some((f) => /^skillcat_bg-[\w-]+\.wasm$/.test(f)), assets.join(", "));
  assert.ok(assets.some((f) => /^skillcat-quiz-[\w-]+\.css$/.test(f)), assets.join(", "));
  assert.ok(existsSync(join(out, "quizbanks", "cybersecurity.json")), "the banks are copied into the build");
  // The element's default bank folder stays a folder fetched at run time: Vite did not turn it
  // into an inlined file (it once inlined quizbanks/index.json as a data: URL).
  for (const file of assets.filter((f) => f.endsWith(".js"))) {
    assert.doesNotMatch(readFileSync(join(out, "assets", file), "utf8"), /data:application\/json/, file);
  }
});

test("the built Vite app runs the quiz in Chromium to an answered question, under the strict CSP", async () => {
  server = await serveFolder(out, { csp: true });
  browser = await launchBrowser();
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    const log = await watch(page);
    await page.goto(`${server.url}index.html`);
    const { question, detail } = await answerFirstQuestion(page);
    assert.ok(["cybersecurity", "regulation"].includes(detail.domain));
    // The app's own listener, wired through the package's module, saw the answer too.
    await page.waitForFunction((item) => document.getElementById("last-event").textContent.includes(item), question.item);
    assert.deepEqual(problems(log), []);
    const wasm = server.requests.filter((path) => path.endsWith(".wasm"));
    assert.equal(wasm.length, 1);
    assert.match(wasm[0], /^\/assets\/skillcat_bg-[\w-]+\.wasm$/);
    assert.deepEqual(server.requests.filter((path) => path.includes("node_modules")), []);
    assert.ok(server.requests.includes("/quizbanks/cybersecurity.json"));
  } finally {
    await context.close();
  }
});
