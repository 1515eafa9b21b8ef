// Bank.fromJson at the JavaScript boundary: every malformed bank gives exactly the native
// message, and whatever JavaScript hands over is an Error, never a trap.

import assert from "node:assert/strict";
import { join } from "node:path";
import { test } from "node:test";

import {
  Bank,
  Session,
  fixtures,
  jsonFiles,
  read,
  root,
  sessionBank,
  throwsMessage,
} from "./support.mjs";

/** The native `Display` of `Error::InvalidBank`: a header line, then one line per problem. */
const invalidBank = (problems) =>
  [`invalid bank (${problems.length} problem${problems.length === 1 ? "" : "s"})`, ...problems].join(
    "\n",
  );

/**
 * Fixtures whose only problems are in the currency metadata (`reviewed`, `watch`, `changelog`).
 * The WebAssembly build accepts those fields without checking or keeping them
 * (src/engine/bank/validate/currency.rs), so the learner's engine loads these banks.
 */
const CURRENCY_ONLY = new Set([
  "51-bad-dates.json",
  "52-changelog-duplicate-version.json",
  "53-changelog-not-newest-first.json",
  "54-changelog-and-watch-shape.json",
]);

test("every malformed bank fixture throws its exact native message", () => {
  const dir = join(fixtures, "banks", "invalid");
  let checked = 0;
  for (const { name, path } of jsonFiles(dir)) {
    let parsed;
    try {
      parsed = JSON.parse(read(path));
    } catch {
      continue; // The browser's JSON.parse reports these before the engine sees anything.
    }
    if (CURRENCY_ONLY.has(name)) continue;
    const problems = read(path.replace(/\.json$/, ".expected")).trimEnd().split("\n");
    throwsMessage(() => Bank.fromJson(parsed, name), invalidBank(problems));
    checked += 1;
  }
  assert.ok(checked >= 30, `only ${checked} fixtures checked`);
});

test("the currency metadata is accepted without being checked", () => {
  const dir = join(fixtures, "banks", "invalid");
  const names = jsonFiles(dir).map(({ name }) => name);
  for (const name of CURRENCY_ONLY) {
    assert.ok(names.includes(name), `${name} is not a fixture`);
    const parsed = JSON.parse(read(join(dir, name)));
    assert.equal(Bank.fromJson(parsed, name).itemCount, parsed.items.length, name);
  }
});

test("valid fixtures load and expose their fields", () => {
  for (const { name, path } of jsonFiles(join(fixtures, "banks", "valid"))) {
    const json = JSON.parse(read(path));
    const bank = Bank.fromJson(json, name);
    assert.equal(bank.id, json.id);
    assert.equal(bank.title, json.title);
    assert.equal(bank.description, json.description);
    assert.equal(bank.version, json.version);
    assert.equal(bank.language, json.language);
    assert.equal(bank.itemCount, json.items.length);
    assert.deepEqual(bank.topics, json.topics);
    assert.deepEqual(bank.levels, json.levels);
  }
});

test("the source defaults to `bank` in messages", () => {
  throwsMessage(() => Bank.fromJson([]), invalidBank(["bank: expected an object, found an array"]));
  throwsMessage(
    () => Bank.fromJson(undefined),
    invalidBank(["bank: expected an object, found null"]),
  );
});

test("values JSON cannot hold are treated as JSON.stringify treats them", () => {
  const json = JSON.parse(read(join(fixtures, "sessions", "bank.json")));
  // undefined, functions and symbols are left out of objects: here, optional fields.
  json.items[0].explanation = undefined;
  json.items[0].exposure = () => 1;
  json.items[0][Symbol("extra")] = 1;
  const bank = Bank.fromJson(json, "bank.json");
  assert.equal(bank.itemCount, json.items.length);
  // A non-finite number becomes null, which the validator names.
  json.items[0].exposure = NaN;
  throwsMessage(
    () => Bank.fromJson(json, "bank.json"),
    invalidBank(['bank.json: items[0] ("basics-01").exposure: expected a number, found null']),
  );
});

test("a BigInt, a cyclic object and a throwing getter are errors naming the place", () => {
  const json = JSON.parse(read(join(fixtures, "sessions", "bank.json")));
  json.items[1].exposure = 1n;
  throwsMessage(
    () => Bank.fromJson(json, "bank.json"),
    invalidBank(["bank.json: items[1].exposure: a BigInt is not JSON data; use a number"]),
  );
  delete json.items[1].exposure;

  const cyclic = { format: "skillcat-bank/1" };
  cyclic.self = cyclic;
  throwsMessage(
    () => Bank.fromJson(cyclic, "cyclic.json"),
    invalidBank([
      "cyclic.json: self.self.self.self.self.self.self.self… (120 levels deeper): nested more than 128 levels deep (or contains itself)",
    ]),
  );

  let deep = [];
  for (let i = 0; i < 100_000; i += 1) deep = [deep];
  throwsMessage(
    () => Bank.fromJson({ items: deep }, "deep.json"),
    invalidBank([
      "deep.json: items[0][0][0][0][0][0][0]… (120 levels deeper): nested more than 128 levels deep (or contains itself)",
    ]),
  );

  const getter = {};
  Object.defineProperty(getter, "id", {
    enumerable: true,
    get() {
      throw new Error("no id today");
    },
  });
  throwsMessage(() => Bank.fromJson(getter, "getter.json"), invalidBank(["getter.json: id: no id today"]));

  // The module is still healthy after all of these.
  assert.equal(Bank.fromJson(json, "bank.json").itemCount, json.items.length);
});

test("pathologically large input is an error, not an out-of-memory trap", () => {
  const sparse = [];
  sparse.length = 2 ** 32 - 1;
  throwsMessage(
    () => Bank.fromJson({ items: sparse }, "sparse.json"),
    invalidBank(["sparse.json: items: too large: more than 15000000 values"]),
  );
  let doubling = [1];
  for (let i = 0; i < 40; i += 1) doubling = [doubling, doubling];
  throwsMessage(
    () => Bank.fromJson({ items: doubling }, "doubling.json"),
    /^invalid bank \(1 problem\)\ndoubling\.json: items(\[[01]\]){7}… \(\d+ levels deeper\): too large: more than 1000000 values$/,
  );
  throwsMessage(
    () => Bank.fromJson({ title: "x".repeat(65 * 2 ** 20) }, "long.json"),
    invalidBank(["long.json: title: too large: more than 67108864 characters of text"]),
  );
  const huge = JSON.parse(read(join(fixtures, "banks", "valid", "minimal.json")));
  huge.title = "x".repeat(20_000_000);
  throwsMessage(
    () => Bank.fromJson(huge, "huge.json"),
    invalidBank(["huge.json: title: is 20000000 characters long; the most is 500"]),
  );
  const throwing = new Proxy([], {
    get(target, key) {
      if (key === "length") throw new Error("no length today");
      return target[key];
    },
  });
  throwsMessage(
    () => Bank.fromJson({ items: throwing }, "proxy.json"),
    invalidBank(["proxy.json: items: no length today"]),
  );
  assert.equal(sessionBank("bank.json").id, "sample");
});

test("every bundled bank loads", () => {
  const dir = join(root, "quizbanks");
  // Not banks: the schemas (schema.json, profile.schema.json), the catalog and the skill profile.
  const banks = jsonFiles(dir).filter(({ name }) => !name.endsWith("schema.json") && !["index.json", "profile.json"].includes(name));
  assert.ok(banks.length >= 1);
  for (const { name, path } of banks) {
    const json = JSON.parse(read(path));
    const bank = Bank.fromJson(json, name);
    assert.equal(bank.itemCount, json.items.length, name);
    assert.ok(new Session([bank], { seed: 1 }).next(), name);
  }
});

test("a bank passed to sessions stays usable, and a freed bank is an error", () => {
  const bank = sessionBank("bank.json");
  const first = new Session([bank], { seed: 1 });
  const second = new Session([bank, sessionBank("second.json")], { seed: 1 });
  assert.equal(first.next().id, first.next().id);
  assert.ok(second.next());
  assert.equal(bank.id, "sample");
  const restored = Session.restore([bank], first.save());
  assert.deepEqual(restored.next(), first.next());

  const gone = sessionBank("bank.json");
  gone.free();
  throwsMessage(
    () => new Session([gone]),
    "invalid config: banks[0]: expected a Bank (from Bank.fromJson), found a value of type object",
  );
  assert.ok(new Session([bank]).next());
});
