// The npm package (`make npm-package` → target/npm/skillcat-<version>.tgz), as a user gets it:
// its files (and no development file), its package.json, its TypeScript declarations compiled by
// tsc against typed use, the engine imported in Node through the exports map, and the element
// loaded by a plain <script type="module"> from a static server in Chromium. The tarball is
// installed with `npm install --offline`: nothing of skillcat comes from a registry.

import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";

import parseSpdx from "spdx-expression-parse";

import { listFiles } from "../../release/build.mjs";
import { SETTING_ATTRIBUTES } from "../../www/lib/settings.js";
import { HOOK_TIMEOUT, launchBrowser, problems, watch } from "../e2e/support.mjs";
import { answerFirstQuestion, built, ROOT, serveFolder, TARBALL, TSC, unpackTarball, VERSION } from "./support.mjs";

let work;
let project;
let browser;

before(() => {
  work = mkdtempSync(join(tmpdir(), "skillcat-npm-"));
  project = join(work, "app");
  cpSync(join(ROOT, "tests", "release", "types"), project, { recursive: true });
  writeFileSync(join(project, "package.json"), '{ "name": "app", "private": true, "type": "module" }\n');
  execFileSync("npm", ["install", "--offline", "--no-audit", "--no-fund", "--ignore-scripts", built(TARBALL, "make npm-package")], {
    cwd: project,
    stdio: ["ignore", "ignore", "pipe"],
  });
}, { timeout: HOOK_TIMEOUT });

after(async () => {
  await browser?.close();
  if (work) rmSync(work, { recursive: true, force: true });
}, { timeout: HOOK_TIMEOUT });

const installed = () => join(project, "node_modules", "skillcat");
const manifest = () => JSON.parse(readFileSync(join(installed(), "package.json"), "utf8"));

/** Files that are for developing skillcat, never for its users. */
const DEV_FILE = /(^|\/)(tests?|src|target|node_modules|\.[^/]+)(\/|$)|\.test\.|\.spec\.|\.rs$|\.toml$|\.lock$|\.map$|(^|\/)serve\.mjs$|(^|\/)Makefile$|(^|\/)pkg\/(package\.json|README\.md)$/;

test("the tarball holds the element, its modules, the engine, the types, the banks and the licences, and no development file", () => {
  const listed = execFileSync("tar", ["-tzf", TARBALL], { encoding: "utf8" }).trim().split("\n");
  assert.ok(listed.every((path) => path.startsWith("package/")), "npm's layout: every file under package/");
  const files = listed.map((path) => path.slice("package/".length)).sort();
  assert.deepEqual(
    files.filter((file) => DEV_FILE.test(file)),
    [],
    "development files in the tarball",
  );
  const banks = readdirJson(join(ROOT, "quizbanks"));
  const expected = [
    "LICENSE-APACHE",
    "LICENSE-MIT",
    "README.md",
    ...listFiles(join(ROOT, "www", "lib")).map((file) => `lib/${file}`),
    "node.d.ts",
    "node.js",
    "package.json",
    "pkg/skillcat.d.ts",
    "pkg/skillcat.js",
    "pkg/skillcat_bg.wasm",
    "pkg/skillcat_bg.wasm.d.ts",
    "quizbanks/LICENSE",
    ...banks.map((name) => `quizbanks/${name}`),
    "skillcat-quiz.css",
    "skillcat-quiz.d.ts",
    "skillcat-quiz.js",
  ].sort();
  assert.deepEqual(files, expected);
  assert.ok(banks.includes("index.json") && banks.includes("schema.json") && banks.includes("cybersecurity.json"), banks.join(", "));
  // The engine is the browser build that `make wasm` checked against its size budget.
  assert.deepEqual(readFileSync(join(installed(), "pkg", "skillcat_bg.wasm")), readFileSync(join(ROOT, "www", "pkg", "skillcat_bg.wasm")));
});

function readdirJson(dir) {
  return listFiles(dir).filter((name) => !name.includes("/") && name.endsWith(".json"));
}

test("package.json names, versions and licenses the package, and every export, type and side effect is a shipped file", () => {
  const pkg = manifest();
  const cargo = readFileSync(join(ROOT, "Cargo.toml"), "utf8");
  assert.equal(pkg.name, "skillcat");
  assert.equal(pkg.version, VERSION);
  assert.match(cargo, new RegExp(`^version = "${VERSION.replaceAll(".", "\\.")}"$`, "m"));
  assert.equal(pkg.type, "module");
  assert.equal(pkg["//"], undefined, "no template comment");
  // The code's licence and, since the banks ship in the package, theirs: a valid SPDX expression.
  assert.deepEqual(parseSpdx(pkg.license), {
    left: { left: { license: "MIT" }, conjunction: "or", right: { license: "Apache-2.0" } },
    conjunction: "and",
    right: { license: "CC-BY-4.0" },
  });
  assert.match(cargo, /^license = "MIT OR Apache-2\.0"$/m);

  const shipped = new Set(listFiles(installed()));
  const targets = [];
  const walk = (value, where) => {
    if (typeof value === "string") targets.push([where, value]);
    else for (const [key, inner] of Object.entries(value)) walk(inner, `${where} ${key}`);
  };
  walk(pkg.exports, "exports");
  assert.deepEqual(
    Object.keys(pkg.exports).sort(),
    [".", "./banks/*", "./engine", "./engine.wasm", "./node", "./package.json", "./schema.json", "./skillcat-quiz.css", "./skillcat-quiz.js"],
  );
  for (const [where, target] of [...targets, ["types", pkg.types]]) {
    const file = target.replace(/^\.\//, "");
    if (file.includes("*")) {
      const prefix = file.slice(0, file.indexOf("*"));
      assert.ok([...shipped].some((f) => f.startsWith(prefix)), `${where}: nothing matches ${target}`);
    } else {
      assert.ok(shipped.has(file), `${where}: ${target} is not in the package`);
    }
  }
  assert.equal(pkg.exports["."].types, pkg.types);
  assert.equal(pkg.exports["./node"].default, undefined, "skillcat/node only under the node condition");

  // The element module registers <skillcat-quiz>: it has a side effect and says so. No other
  // shipped module registers anything, so bundlers may drop the unused ones.
  assert.deepEqual(pkg.sideEffects, ["./skillcat-quiz.js"]);
  const defines = [...shipped].filter((f) => f.endsWith(".js") && /customElements\.define\(/.test(readFileSync(join(installed(), f), "utf8")));
  assert.deepEqual(defines, ["skillcat-quiz.js"]);
  for (const file of pkg.files) {
    const prefix = file.replace(/\*.*$/, "");
    assert.ok([...shipped].some((f) => f.startsWith(prefix)), `files: ${file} matches nothing`);
  }
});

test("the element's declarations name exactly its attributes and its events", () => {
  const types = readFileSync(join(installed(), "skillcat-quiz.d.ts"), "utf8");
  const block = (name) => types.slice(types.indexOf(`export interface ${name} {`), types.indexOf("\n}\n", types.indexOf(`export interface ${name} {`)));
  const declaredAttributes = [...block("SkillcatQuizAttributes").matchAll(/^ {2}"?([a-z-]+)"?\??:/gm)].map((m) => m[1]).sort();
  assert.deepEqual(declaredAttributes, [...SETTING_ATTRIBUTES, "theme"].sort());
  const declaredEvents = [...block("SkillcatQuizEventMap").matchAll(/^ {2}"(skillcat:[a-z-]+)":/gm)].map((m) => m[1]).sort();
  const element = readFileSync(join(installed(), "skillcat-quiz.js"), "utf8");
  const emitted = [...new Set([...element.matchAll(/#emit\("(skillcat:[a-z-]+)"/g)].map((m) => m[1]))].sort();
  assert.ok(emitted.length >= 5, emitted.join(", "));
  assert.deepEqual(declaredEvents, emitted);
});

test("tsc compiles typed use of the element, the engine and the Node entry against the installed package", () => {
  for (const config of ["tsconfig.browser.json", "tsconfig.node.json"]) {
    try {
      execFileSync(TSC, ["-p", config], { cwd: project, encoding: "utf8" });
    } catch (error) {
      assert.fail(`tsc -p ${config}:\n${error.stdout}${error.stderr}`);
    }
  }
});

test("the engine runs in Node from `skillcat/node`: every bundled bank loads and a test scored on the server finishes", () => {
  const script = `
    import { createRequire } from "node:module";
    import { readFileSync } from "node:fs";
    import { Bank, Session } from "skillcat/node";
    const require = createRequire(import.meta.url);
    const read = (specifier) => JSON.parse(readFileSync(require.resolve(specifier), "utf8"));
    const catalog = read("skillcat/banks/index.json");
    const schema = read("skillcat/schema.json");
    const banks = catalog.banks.map((entry) => Bank.fromJson(read("skillcat/banks/" + entry.file), entry.file));
    // A simulee who answers right exactly the items easier than the middle: scored elsewhere.
    const run = (right) => {
      const session = new Session([banks[0]], { mode: "assessment", seed: 11, stop: { maxItems: 12, se: null } });
      let n = 0;
      for (let item = session.next(); item; item = session.next()) session.recordScore(item.id, right(n++));
      return { n, report: session.report() };
    };
    const high = run(() => true);
    const low = run(() => false);
    console.log(JSON.stringify({
      schema: schema.$schema,
      catalog: catalog.banks.map((e) => [e.id, e.items]),
      loaded: banks.map((b) => [b.id, b.itemCount]),
      n: [high.n, low.n],
      finished: [high.report.finished, low.report.finished],
      theta: [high.report.domains[0].theta, low.report.domains[0].theta],
    }));
  `;
  const out = JSON.parse(execFileSync("node", ["--input-type=module", "-e", script], { cwd: project, encoding: "utf8" }));
  assert.equal(out.schema, "https://json-schema.org/draft/2020-12/schema");
  assert.deepEqual(out.loaded, out.catalog, "every bank of the catalog loads, with the item count the catalog gives");
  assert.ok(out.loaded.length >= 7);
  assert.deepEqual(out.n, [12, 12], "fixed length 12");
  assert.deepEqual(out.finished, [true, true]);
  assert.ok(out.theta[0] > 1.5 && out.theta[1] < -1.5, `all right → high θ, all wrong → low θ: ${out.theta}`);
});

test("a plain page loads the element with <script type=module> from the installed package, under a strict CSP, and banks=\"*\" takes every catalog bank", async () => {
  // What a site without a bundler writes (no inline script: the page runs under the strict CSP).
  writeFileSync(
    join(project, "index.html"),
    `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>A plain page</title>
  <link rel="icon" href="favicon.svg">
  <script type="module" src="node_modules/skillcat/skillcat-quiz.js"></script>
</head>
<body>
  <skillcat-quiz banks="*" max-items="5" seed="3"></skillcat-quiz>
</body>
</html>
`,
  );
  writeFileSync(join(project, "favicon.svg"), '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 1 1"/>\n');
  const server = await serveFolder(project, { csp: true });
  browser ??= await launchBrowser();
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    const log = await watch(page);
    await page.goto(`${server.url}index.html`);
    const catalog = JSON.parse(readFileSync(join(installed(), "quizbanks", "index.json"), "utf8"));
    const { detail } = await answerFirstQuestion(page);
    const ready = await page.evaluate(() => window.__skillcatEvents.find((e) => e.type === "skillcat:ready").detail);
    assert.deepEqual(
      ready.banks.map((b) => b.id),
      catalog.banks.map((e) => e.id),
      "banks=\"*\": every bank of the catalog, in its order",
    );
    assert.ok(catalog.banks.some((e) => e.id === detail.domain));
    assert.deepEqual(problems(log), []);
    assert.ok(server.requests.includes("/node_modules/skillcat/pkg/skillcat_bg.wasm"), "the engine came from the package");
    assert.ok(server.requests.includes("/node_modules/skillcat/quizbanks/index.json"), "the catalog came from the package");
  } finally {
    await context.close();
    await server.close();
  }
});
