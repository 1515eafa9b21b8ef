// Builds LMS packages with the real `skillcat package` command and serves them the way an LMS
// does: the zip unpacked into a folder on a web server, next to the LMS's own pages. Used by
// the SCORM and cmi5 browser tests.

import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

import { unzipSync } from "fflate";

import { startServer } from "../../www/serve.mjs";

export const ROOT = fileURLToPath(new URL("../../", import.meta.url));

/** One bank's file, parsed: the tests answer right or wrong from its keys. */
export function bankJson(id) {
  return JSON.parse(readFileSync(join(ROOT, "quizbanks", `${id}.json`), "utf8"));
}

/**
 * Runs `skillcat package` (built by cargo when needed) and returns the zip's entries.
 * @param {string[]} args the arguments after `package`, without `-o`
 * @returns {Record<string, Uint8Array>}
 */
export function buildPackage(args) {
  const dir = mkdtempSync(join(tmpdir(), "skillcat-package-"));
  const zip = join(dir, "package.zip");
  try {
    // SKILLCAT_BIN names a binary already built (e.g. target/release/skillcat); by default
    // cargo builds or reuses the debug one.
    const [command, ...prefix] = process.env.SKILLCAT_BIN
      ? [process.env.SKILLCAT_BIN]
      : ["cargo", "run", "--quiet", "--locked", "--bin", "skillcat", "--"];
    execFileSync(command, [...prefix, "package", ...args, "-o", zip], {
      cwd: ROOT,
      stdio: ["ignore", "pipe", "inherit"],
    });
    return unzipSync(readFileSync(zip));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Serves `files` (zip entries) under /package/ and each folder of `extra` (`{ "/lms/": dir }`)
 * from one temporary folder, on 127.0.0.1, with `headers` on every response.
 */
export async function servePackage(files, { extra = {}, headers = {} } = {}) {
  const dir = mkdtempSync(join(tmpdir(), "skillcat-lms-"));
  for (const [name, bytes] of Object.entries(files)) {
    assert.ok(!name.startsWith("/") && !name.split("/").includes(".."), `zip entry ${name} stays inside the package`);
    const path = join(dir, "package", name);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, bytes);
  }
  for (const [mount, source] of Object.entries(extra)) cpSync(source, join(dir, mount), { recursive: true });
  const server = await startServer({ port: 0, roots: { www: dir, quizbanks: join(dir, "no-quizbanks") }, headers });
  return {
    url: server.url,
    dir,
    close: async () => {
      await server.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
