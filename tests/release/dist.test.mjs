// The release zip (`make dist` → dist/skillcat-<version>.zip), as an administrator uses it:
// unpacked, copied to a plain static web server (Node's http module here, with the MIME types
// and the strict CSP of README-deploy.md), and opened in Chromium. The demo lists the domains from
// the catalog with their descriptions and sizes, and a learner takes a quiz to an answered
// question; the two example pages load their quizzes; nothing is missing and nothing is a
// development file.

import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { after, before, test } from "node:test";

import { unzipSync } from "fflate";

import { listFiles } from "../../release/build.mjs";
import { HOOK_TIMEOUT, launchBrowser, problems, SCREEN_TIMEOUT, waitForState, watch } from "../e2e/support.mjs";
import { answerFirstQuestion, built, serveFolder, VERSION, ZIP } from "./support.mjs";

const NAME = `skillcat-${VERSION}`;
let work;
let folder;
let server;
let browser;

before(async () => {
  work = mkdtempSync(join(tmpdir(), "skillcat-dist-"));
  const entries = unzipSync(readFileSync(built(ZIP, "make dist")));
  for (const [path, bytes] of Object.entries(entries)) {
    if (path.endsWith("/")) continue;
    mkdirSync(dirname(join(work, path)), { recursive: true });
    writeFileSync(join(work, path), bytes);
  }
  folder = join(work, NAME);
  server = await serveFolder(folder, { csp: true });
  browser = await launchBrowser();
}, { timeout: HOOK_TIMEOUT });

after(async () => {
  await browser?.close();
  await server?.close();
  if (work) rmSync(work, { recursive: true, force: true });
}, { timeout: HOOK_TIMEOUT });

const read = (file) => readFileSync(join(folder, file), "utf8");

test("the zip holds one folder with the element, the engine, the banks and their catalog, the pages, the deploy guide and the licences", () => {
  const files = listFiles(work);
  assert.ok(files.every((f) => f.startsWith(`${NAME}/`)), "everything inside skillcat-<version>/");
  const inside = listFiles(folder);
  for (const file of [
    "README-deploy.md", "LICENSE-MIT", "LICENSE-APACHE", "index.html", "demo.js", "skillcat-quiz.js", "skillcat-quiz.css",
    "skillcat-quiz.d.ts", "lib/engine.js", "pkg/skillcat.js", "pkg/skillcat_bg.wasm", "quizbanks/index.json",
    "quizbanks/schema.json", "quizbanks/LICENSE", "intranet-example.html", "iframe-example.html", "frame.html",
    "skillcat-resizer.js",
  ]) {
    assert.ok(inside.includes(file), `${file} is missing`);
  }
  const dev = /(^|\/)(tests?|src|target|node_modules|\.[^/]+)(\/|$)|\.test\.|\.rs$|(^|\/)serve\.mjs$|(^|\/)package\.css$|(^|\/)pkg\/(package\.json|README\.md)$/;
  assert.deepEqual(inside.filter((f) => dev.test(f)), [], "development files in the release");
  const catalog = JSON.parse(read("quizbanks/index.json"));
  for (const entry of catalog.banks) assert.ok(inside.includes(`quizbanks/${entry.file}`), `${entry.file} is missing`);

  // Every page's local scripts, styles, icons and frames are in the folder.
  for (const page of inside.filter((f) => f.endsWith(".html"))) {
    for (const [, ref] of read(page).matchAll(/\s(?:src|href)="([^"#?]+)[^"]*"/g)) {
      if (/^[a-z]+:/.test(ref) || ref.startsWith("//")) continue;
      assert.ok(inside.includes(ref.replace(/^\.\//, "")), `${page} refers to ${ref}, which is not in the release`);
    }
  }
});

test("the demo lists every catalog bank for learners, and a learner takes a quiz from the release folder to an answered question", async () => {
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    const log = await watch(page);
    await page.goto(`${server.url}index.html`);
    const catalog = JSON.parse(read("quizbanks/index.json"));
    await page.locator('input[name="bank"]').first().waitFor();
    const listed = await page.evaluate(() =>
      [...document.querySelectorAll("#domain-list li")].map((li) => ({
        id: li.dataset.bank,
        label: li.querySelector("label").textContent.trim(),
        about: li.querySelector(".domain-about").textContent,
        facts: li.querySelector(".domain-facts").textContent,
        describedBy: li.querySelector("input").getAttribute("aria-describedby"),
      })),
    );
    assert.equal(listed.length, catalog.banks.length);
    for (const entry of catalog.banks) {
      const shown = listed.find((l) => l.id === entry.id);
      assert.ok(shown, `${entry.id} is not listed`);
      assert.equal(shown.label, entry.title);
      assert.equal(shown.about, entry.description);
      assert.equal(shown.facts, `${entry.active_items} questions · English`);
      assert.equal(shown.describedBy, `domain-${entry.id}-about domain-${entry.id}-facts`);
    }
    await page.locator('input[name="bank"][value="interoperability"]').check();
    await page.getByRole("button", { name: "Start the quiz" }).click();
    const { detail } = await answerFirstQuestion(page);
    assert.equal(detail.domain, "interoperability");
    assert.deepEqual(problems(log), []);
    assert.equal(new URL(page.url()).searchParams.get("banks"), "interoperability");
  } finally {
    await context.close();
  }
});

test("the intranet and iframe examples load their quizzes from the release folder", async () => {
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    const log = await watch(page);
    await page.goto(`${server.url}intranet-example.html`);
    assert.equal(await waitForState(page, ["intro", "error"]), "intro");
    await page.goto(`${server.url}iframe-example.html`);
    const frame = page.frameLocator("iframe[data-skillcat]");
    await frame.locator('skillcat-quiz [data-screen="intro"]').waitFor({ timeout: SCREEN_TIMEOUT });
    assert.deepEqual(problems(log), []);
  } finally {
    await context.close();
  }
});
