// Builds LMS packages with the real `skillcat package` command and serves them the way an LMS
// does: the zip unpacked into a folder on a web server, next to the LMS's own pages; and
// answers questions right or wrong from a bank's keys. Used by the SCORM, cmi5 and xAPI tests.

import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

import { unzipSync } from "fflate";

import { startServer } from "../../www/serve.mjs";
import { act, currentQuestion, waitForState } from "./support.mjs";

export const ROOT = fileURLToPath(new URL("../../", import.meta.url));

/**
 * Each item's key and option count in one bundled bank (item id → { key, options }): the LMS
 * tests answer right or wrong on purpose.
 */
export function bankKeys(id) {
  const bank = JSON.parse(readFileSync(join(ROOT, "quizbanks", `${id}.json`), "utf8"));
  return new Map(bank.items.map((item) => [item.id, { key: item.key, options: item.options.length, type: item.type }]));
}

/**
 * Answers the question on screen (in a page or a frame) right, with the bank's key, or wrong,
 * with the first option off the key; returns the item id.
 */
export async function answerWithKey(page, keys, right) {
  const q = await currentQuestion(page);
  const found = keys.get(q.item);
  assert.ok(found, `${q.item} is an item of the bank`);
  const chosen = right ? found.key : [[...Array(found.options).keys()].find((i) => !found.key.includes(i))];
  const quiz = page.locator("skillcat-quiz");
  for (const i of chosen) await quiz.locator(`[part~="option-input"][data-option-index="${i}"]`).check();
  await quiz.locator('[data-action="submit"]').click();
  return q.item;
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

/**
 * Answers with `answerWithKey` until the results or `count` answers, moving past the feedback
 * in practice mode; returns the items answered in order and the screen reached. A test that is
 * still going after `limit` answers fails.
 */
export async function answerUntilDone(page, keys, { right, mode = "practice", count = Infinity, limit = 60 }) {
  const items = [];
  let state = await waitForState(page, ["question", "results"]);
  while (state === "question" && items.length < count) {
    assert.ok(items.length < limit, `the test ends within ${limit} answers`);
    items.push(await answerWithKey(page, keys, right));
    if (mode === "practice") {
      assert.equal(await waitForState(page, ["feedback"]), "feedback");
      await act(page, "next");
    }
    state = await waitForState(page, ["question", "results"], { notItem: items.at(-1) });
  }
  return { items, state };
}
