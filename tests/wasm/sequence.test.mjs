// The same seed and answers give the same test in WebAssembly as natively: the scenarios of
// tests/fixtures/sessions/sequence.json (written and checked by tests/native_sequence.rs) are
// played through the wasm build and must give the same items, saved states and estimates.

import assert from "node:assert/strict";
import { join } from "node:path";
import { test } from "node:test";

import { Session, choice, fixtures, read, sessionBank } from "./support.mjs";

/** Estimates may differ in the last bits between platforms' `exp` and `ln` (as natively). */
const TOLERANCE = 1e-12;

const golden = JSON.parse(read(join(fixtures, "sessions", "sequence.json")));

function play({ banks, config, respond, saveAfter }) {
  const load = () => banks.map(sessionBank);
  let session = new Session(load(), config);
  const items = [];
  let saved;
  for (let item = session.next(); item; item = session.next()) {
    if (items.length === saveAfter && saved === undefined) {
      saved = session.save();
      session = Session.restore(load(), saved);
      continue;
    }
    if (respond === "answer") {
      session.answer(item.id, choice(item));
    } else {
      session.recordScore(item.id, item.position % 3 !== 0);
    }
    items.push(item.id);
  }
  return { items, saved, estimates: session.estimates() };
}

test("the golden file has scenarios to play", () => {
  assert.ok(golden.scenarios.length >= 4);
});

for (const scenario of golden.scenarios) {
  test(`wasm plays "${scenario.name}" as native Rust does`, () => {
    const played = play(scenario);
    assert.deepEqual(played.items, scenario.items);
    assert.equal(played.saved, scenario.saved, "save() gives the native save_json text");
    assert.equal(played.estimates.length, scenario.estimates.length);
    played.estimates.forEach((estimate, d) => {
      const expected = scenario.estimates[d];
      assert.equal(estimate.domain, expected.domain);
      assert.equal(estimate.level, expected.level);
      assert.equal(estimate.answered, expected.answered);
      assert.ok(Math.abs(estimate.theta - expected.theta) <= TOLERANCE, `theta ${estimate.theta}`);
      assert.ok(Math.abs(estimate.se - expected.se) <= TOLERANCE, `se ${estimate.se}`);
      assert.deepEqual(
        estimate.levelProbabilities.map((level) => level.name),
        expected.levelProbabilities.map((level) => level.name),
      );
      estimate.levelProbabilities.forEach(({ probability }, l) => {
        const native = expected.levelProbabilities[l].probability;
        assert.ok(Math.abs(probability - native) <= TOLERANCE, `level ${l}: ${probability}`);
      });
    });
  });

  test(`a native saved state of "${scenario.name}" restores in wasm and goes on the same way`, () => {
    const session = Session.restore(scenario.banks.map(sessionBank), scenario.saved);
    const rest = [];
    for (let item = session.next(); item; item = session.next()) {
      if (scenario.respond === "answer") session.answer(item.id, choice(item));
      else session.recordScore(item.id, item.position % 3 !== 0);
      rest.push(item.id);
    }
    assert.deepEqual(rest, scenario.items.slice(scenario.saveAfter));
  });
}
