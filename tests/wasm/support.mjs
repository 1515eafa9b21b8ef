// Shared by the WebAssembly boundary tests: the Node.js build (`make wasm-node` writes it to
// target/wasm-node/), the fixtures, and an assertion that a call throws a JavaScript `Error`
// with an exact message and did not trap.

import assert from "node:assert/strict";
import { readFileSync, readdirSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

export const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
export const fixtures = join(root, "tests", "fixtures");

const require = createRequire(import.meta.url);
// The nodejs target is a CommonJS module that instantiates the .wasm synchronously.
export const { Bank, Profile, Session } = require(join(root, "target", "wasm-node", "skillcat.js"));

export const read = (path) => readFileSync(path, "utf8");

/** The `.json` files of a folder, sorted by name. */
export const jsonFiles = (dir) =>
  readdirSync(dir)
    .filter((name) => name.endsWith(".json"))
    .sort()
    .map((name) => ({ name, path: join(dir, name) }));

/** A bank of tests/fixtures/sessions/, loaded as the browser does: parsed, then validated. */
export const sessionBank = (name) =>
  Bank.fromJson(JSON.parse(read(join(fixtures, "sessions", name))), name);

/**
 * Asserts that `call` throws an `Error` (not a WebAssembly trap) whose message is `expected`
 * (a string, compared exactly) or matches it (a RegExp).
 */
export function throwsMessage(call, expected) {
  let thrown;
  try {
    call();
  } catch (error) {
    thrown = error;
  }
  assert.ok(thrown !== undefined, "expected the call to throw");
  assert.ok(!(thrown instanceof WebAssembly.RuntimeError), `trapped: ${thrown}`);
  assert.ok(thrown instanceof Error, `threw a non-Error: ${String(thrown)}`);
  if (expected instanceof RegExp) {
    assert.match(thrown.message, expected);
  } else {
    assert.equal(thrown.message, expected);
  }
  return thrown;
}

/**
 * The answering rule of tests/fixtures/sessions/sequence.json (see its `rule`): single and
 * true/false items take option (position − 1) mod n; multiple-response items [0, n − 1] at odd
 * positions and [1] at even ones.
 */
export function choice(item) {
  const n = item.options.length;
  if (item.type === "multiple") return item.position % 2 === 1 ? [0, n - 1] : [1];
  return [(item.position - 1) % n];
}
