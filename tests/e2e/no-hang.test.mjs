// No browser test file hangs when its browser fails to start: tests/e2e/cmi5.test.mjs (which
// starts Chromium, the real LRS and the LMS side together) runs in a child `node --test`, the
// way `make test-e2e` runs it, with SKILLCAT_CHROMIUM pointing at
// - an executable that does not exist: the file fails at once, naming it and the fix;
// - an executable that starts but never answers (a stand-in that sleeps): the bounded launch
//   (SKILLCAT_LAUNCH_TIMEOUT, shortened here) gives up and the file fails, naming the bound.
// Either way the child must exit non-zero within CHILD_BOUND, having closed what it started (the
// real LRS's process among them); otherwise it is killed and the test fails.

import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";

import { ROOT } from "./packages.mjs";
import { HOOK_TIMEOUT } from "./support.mjs";

/** How long the failing file may take to end: its hooks start and stop the real LRS. */
const CHILD_BOUND = 60_000;

let dir;

before(() => {
  dir = mkdtempSync(join(tmpdir(), "skillcat-no-hang-"));
}, { timeout: HOOK_TIMEOUT });

after(() => rmSync(dir, { recursive: true, force: true }), { timeout: HOOK_TIMEOUT });

/** Runs one test file in a child `node --test` with `env` added; resolves { code, output, ms, hung }. */
function runFile(file, env) {
  const started = Date.now();
  const childEnv = { ...process.env, ...env };
  delete childEnv.NODE_TEST_CONTEXT; // set by the parent runner; the child must run as its own
  const child = spawn(process.execPath, ["--test", file], { cwd: ROOT, env: childEnv, detached: true, stdio: ["ignore", "pipe", "pipe"] });
  const output = [];
  child.stdout.on("data", (chunk) => output.push(chunk));
  child.stderr.on("data", (chunk) => output.push(chunk));
  return new Promise((resolve) => {
    let hung = false;
    const timer = setTimeout(() => {
      hung = true;
      process.kill(-child.pid, "SIGKILL"); // the runner and the file's process it started
    }, CHILD_BOUND);
    child.once("close", (code) => {
      clearTimeout(timer);
      resolve({ code, hung, ms: Date.now() - started, output: Buffer.concat(output).toString() });
    });
  });
}

test("a missing Chromium: the cmi5 file fails at once and names it", { timeout: CHILD_BOUND + 30_000 }, async () => {
  const missing = join(dir, "no-such-chromium");
  const run = await runFile("tests/e2e/cmi5.test.mjs", { SKILLCAT_CHROMIUM: missing });
  assert.equal(run.hung, false, `the file was still running after ${CHILD_BOUND} ms:\n${run.output.slice(-3000)}`);
  assert.notEqual(run.code, 0, run.output.slice(-3000));
  assert.ok(run.output.includes(`${missing} is missing: run \`make chromium\``), run.output.slice(-3000));
});

test("a Chromium that never answers: the launch gives up within its bound and the file fails", { timeout: CHILD_BOUND + 30_000 }, async () => {
  const silent = join(dir, "silent-chromium");
  writeFileSync(silent, "#!/bin/sh\nexec sleep 120\n"); // ends by itself even if left behind
  chmodSync(silent, 0o755);
  const run = await runFile("tests/e2e/cmi5.test.mjs", { SKILLCAT_CHROMIUM: silent, SKILLCAT_LAUNCH_TIMEOUT: "3000" });
  assert.equal(run.hung, false, `the file was still running after ${CHILD_BOUND} ms:\n${run.output.slice(-3000)}`);
  assert.notEqual(run.code, 0, run.output.slice(-3000));
  assert.ok(run.output.includes(`Chromium (${silent}) did not start within 3000 ms`), run.output.slice(-3000));
});
