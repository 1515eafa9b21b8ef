// Level probabilities at the JavaScript boundary: every estimate and every domain of the report
// carries the posterior probability of each of the bank's levels, in the bank's order.

import assert from "node:assert/strict";
import { test } from "node:test";

import { Session, choice, sessionBank } from "./support.mjs";

test("estimates and the report give each level's probability in the bank's order", () => {
  const banks = [sessionBank("bank.json"), sessionBank("second.json")];
  const session = new Session(banks, { seed: 3, stop: { maxItems: 6, se: null } });
  let steps = 0;
  for (let item = session.next(); item; item = session.next()) {
    session.answer(item.id, choice(item));
    steps += 1;
    const estimates = session.estimates();
    const report = session.report();
    banks.forEach((bank, d) => {
      const names = bank.levels.map((level) => level.name);
      const { levelProbabilities } = estimates[d];
      assert.deepEqual(levelProbabilities.map((level) => level.name), names);
      assert.deepEqual(report.domains[d].levelProbabilities, levelProbabilities);
      const total = levelProbabilities.reduce((sum, level) => sum + level.probability, 0);
      assert.ok(Math.abs(total - 1) < 1e-12, `sums to ${total}`);
      assert.ok(levelProbabilities.every(({ probability }) => probability >= 0 && probability <= 1));
    });
  }
  assert.ok(steps >= 12);
});
