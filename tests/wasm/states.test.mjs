// Session.save and Session.restore at the JavaScript boundary: corrupted saved states give the
// native messages, and a save/restore round trip through a string continues exactly.

import assert from "node:assert/strict";
import { join } from "node:path";
import { test } from "node:test";

import {
  Session,
  choice,
  fixtures,
  jsonFiles,
  read,
  sessionBank,
  throwsMessage,
} from "./support.mjs";

/** Natively the message quotes serde_json's parse error; here the JavaScript one. */
const PARSE_PREFIX = "cannot restore saved session: not valid JSON: ";

test("every corrupted saved state throws its exact native message", () => {
  const bank = sessionBank("bank.json");
  let checked = 0;
  for (const { name, path } of jsonFiles(join(fixtures, "sessions", "states"))) {
    const expected = read(path.replace(/\.json$/, ".expected")).trimEnd();
    const text = read(path);
    if (name === "01-truncated.json") {
      assert.ok(expected.startsWith(PARSE_PREFIX), expected);
      const error = throwsMessage(() => Session.restore([bank], text), /^cannot restore saved/);
      assert.ok(error.message.startsWith(PARSE_PREFIX), error.message);
      assert.ok(error.message.length > PARSE_PREFIX.length, "the parser's own words follow");
    } else {
      throwsMessage(() => Session.restore([bank], text), expected);
    }
    checked += 1;
  }
  assert.ok(checked >= 10, `only ${checked} states checked`);
  // The bank is still usable for a fresh session.
  assert.ok(new Session([bank]).next());
});

test("restore reports a missing saved state instead of parsing `null`", () => {
  const bank = sessionBank("bank.json");
  // What localStorage.getItem gives for a key never written.
  throwsMessage(
    () => Session.restore([bank], null),
    "cannot restore saved session: expected the text that save() returned, found null",
  );
  throwsMessage(
    () => Session.restore([bank], { format: "skillcat-session/1" }),
    "cannot restore saved session: expected the text that save() returned, found a value of type object",
  );
  throwsMessage(
    () => Session.restore([bank], "null"),
    "cannot restore saved session: does not match the saved-session format: invalid type: null, expected struct SavedState",
  );
});

test("a session saved to a string and restored continues at the same pending item", () => {
  const banks = () => [sessionBank("bank.json"), sessionBank("second.json")];
  const config = { seed: 21, stop: { maxItems: 6, se: null } };
  const original = new Session(banks(), config);
  for (let i = 0; i < 5; i += 1) {
    const item = original.next();
    original.answer(item.id, choice(item));
  }
  const pending = original.next();
  const saved = original.save();
  assert.equal(typeof saved, "string");
  assert.equal(JSON.parse(saved).pending, pending.id);

  const restored = Session.restore(banks(), saved);
  assert.deepEqual(restored.next(), pending, "a reload shows the same question");
  assert.equal(restored.save(), saved);
  assert.equal(restored.answered, original.answered);
  assert.equal(restored.maxLength, original.maxLength);
  assert.deepEqual(restored.log(), original.log());
  assert.deepEqual(restored.estimates(), original.estimates());

  for (let item = original.next(); item; item = original.next()) {
    assert.deepEqual(restored.next(), item);
    assert.deepEqual(restored.answer(item.id, choice(item)), original.answer(item.id, choice(item)));
  }
  assert.equal(restored.next(), null);
  assert.equal(restored.isFinished, true);
  assert.deepEqual(restored.report(), original.report());
});
