#!/usr/bin/env node
// Builds what users install without a Rust toolchain, from the prebuilt engine in www/pkg/
// (`make wasm`):
//   node release/build.mjs npm    the npm package: target/npm/package/, packed by `npm pack`
//                                 into target/npm/skillcat-<version>.tgz   (`make npm-package`)
//   node release/build.mjs dist   the release folder dist/skillcat-<version>/ and its zip
//                                 dist/skillcat-<version>.zip                 (`make dist`)
// The version is Cargo.toml's. Both copy the element from www/ as it is: the package and the
// folder keep www/'s layout (skillcat-quiz.js, lib/, pkg/, and quizbanks/ beside them), so the
// element finds its engine and its banks by the same relative URLs as in the repository.

import { execFileSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const WWW = join(ROOT, "www");
const PKG_FILES = ["skillcat.js", "skillcat.d.ts", "skillcat_bg.wasm", "skillcat_bg.wasm.d.ts"];
/** www/ files that are not for users: the development server and the LMS launch page's style. */
const WWW_DEV_FILES = new Set(["serve.mjs", "package.css", "pkg"]);
const LICENCES = ["LICENSE-MIT", "LICENSE-APACHE"];

/** The crate's version, from the [package] table of Cargo.toml. */
export function version() {
  const match = /^\[package\][^[]*?^version\s*=\s*"([^"]+)"/ms.exec(readFileSync(join(ROOT, "Cargo.toml"), "utf8"));
  if (!match) throw new Error("Cargo.toml: no version in [package]");
  return match[1];
}

function fail(message) {
  console.error(`release/build.mjs: ${message}`);
  process.exit(1);
}

/** The engine files of www/pkg/, checked to exist. */
function pkgFiles() {
  for (const file of PKG_FILES) {
    if (!existsSync(join(WWW, "pkg", file))) fail(`www/pkg/${file} is missing: run \`make wasm\` first`);
  }
  return PKG_FILES;
}

/** Copies the element, its modules and the engine from www/ into `out`. */
function copyElement(out) {
  for (const file of ["skillcat-quiz.js", "skillcat-quiz.css", "skillcat-quiz.d.ts"]) cpSync(join(WWW, file), join(out, file));
  cpSync(join(WWW, "lib"), join(out, "lib"), { recursive: true });
  mkdirSync(join(out, "pkg"));
  for (const file of pkgFiles()) cpSync(join(WWW, "pkg", file), join(out, "pkg", file));
}

/** Copies the banks, the catalog, the schema and the banks' licence into `out/quizbanks/`. */
function copyBanks(out, { guide }) {
  const from = join(ROOT, "quizbanks");
  mkdirSync(join(out, "quizbanks"));
  for (const name of readdirSync(from)) {
    if (name.endsWith(".json") || name === "LICENSE" || (guide && name === "README.md")) {
      cpSync(join(from, name), join(out, "quizbanks", name));
    }
  }
}

function fresh(dir) {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
}

/** Every file under `dir`, as paths relative to it with "/" separators, sorted. */
export function listFiles(dir) {
  const found = [];
  const walk = (at) => {
    for (const name of readdirSync(at)) {
      const path = join(at, name);
      if (statSync(path).isDirectory()) walk(path);
      else found.push(relative(dir, path).split("\\").join("/"));
    }
  };
  walk(dir);
  return found.sort();
}

function buildNpm() {
  const v = version();
  const out = join(ROOT, "target", "npm");
  const stage = join(out, "package");
  fresh(stage);
  copyElement(stage);
  copyBanks(stage, { guide: false });
  for (const file of ["node.js", "node.d.ts"]) cpSync(join(ROOT, "release", "npm", file), join(stage, file));
  cpSync(join(ROOT, "release", "npm", "README.md"), join(stage, "README.md"));
  for (const file of LICENCES) cpSync(join(ROOT, file), join(stage, file));
  const manifest = JSON.parse(readFileSync(join(ROOT, "release", "npm", "package.template.json"), "utf8"));
  delete manifest["//"];
  manifest.version = v;
  writeFileSync(join(stage, "package.json"), `${JSON.stringify(manifest, null, 2)}\n`);

  const tarball = join(out, `skillcat-${v}.tgz`);
  rmSync(tarball, { force: true });
  const packed = JSON.parse(
    execFileSync("npm", ["pack", stage, "--pack-destination", out, "--ignore-scripts", "--json"], {
      encoding: "utf8",
      stdio: ["ignore", "pipe", "inherit"],
    }),
  )[0];
  if (!existsSync(tarball)) fail(`npm pack wrote ${packed.filename}, expected ${relative(ROOT, tarball)}`);
  console.log(
    `${relative(ROOT, tarball)}: ${packed.size} bytes packed, ${packed.unpackedSize} unpacked, ${packed.entryCount} files`,
  );
}

function buildDist() {
  const v = version();
  const name = `skillcat-${v}`;
  const out = join(ROOT, "dist");
  const folder = join(out, name);
  fresh(folder);
  // Everything in www/ a site serves (the demo, the examples, the iframe embed), without the
  // development files; then the engine and the element's declarations.
  for (const entry of readdirSync(WWW)) {
    if (!WWW_DEV_FILES.has(entry) && !entry.startsWith(".")) cpSync(join(WWW, entry), join(folder, entry), { recursive: true });
  }
  mkdirSync(join(folder, "pkg"));
  for (const file of pkgFiles()) cpSync(join(WWW, "pkg", file), join(folder, "pkg", file));
  copyBanks(folder, { guide: true });
  cpSync(join(ROOT, "release", "README-deploy.md"), join(folder, "README-deploy.md"));
  for (const file of LICENCES) cpSync(join(ROOT, file), join(folder, file));

  // The zip, with the folder at its top. fflate is one of the npm dev dependencies (`make npm`).
  const { zipSync } = createRequire(join(ROOT, "tests", "package.json"))("fflate");
  const files = {};
  for (const file of listFiles(folder)) files[`${name}/${file}`] = readFileSync(join(folder, file));
  const zip = join(out, `${name}.zip`);
  writeFileSync(zip, zipSync(files, { level: 9 }));
  console.log(`${relative(ROOT, folder)}/: ${Object.keys(files).length} files; ${relative(ROOT, zip)}: ${statSync(zip).size} bytes`);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const what = process.argv[2];
  if (what === "npm") buildNpm();
  else if (what === "dist") buildDist();
  else fail(`usage: node release/build.mjs npm|dist (got ${what ?? "nothing"})`);
}
