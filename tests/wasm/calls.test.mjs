// Bad calls at the JavaScript boundary throw an Error with the native message (or, for what
// only JavaScript can get wrong, a message in the same style), never trap, and leave the
// session usable.

import assert from "node:assert/strict";
import { test } from "node:test";

import { Session, choice, sessionBank, throwsMessage } from "./support.mjs";

const bank = sessionBank("bank.json");
const start = (config = { seed: 4 }) => new Session([bank], config);

test("answering anything but the current item is refused and changes nothing", () => {
  const session = start();
  const item = session.next();
  const before = session.save();
  throwsMessage(
    () => session.answer("basics-99", [0]),
    `answer: item \`basics-99\` is not the current item (\`${item.id}\`)`,
  );
  throwsMessage(
    () => session.recordScore("basics-99", true),
    `answer: item \`basics-99\` is not the current item (\`${item.id}\`)`,
  );
  assert.equal(session.save(), before);
  assert.equal(session.answered, 0);
  assert.deepEqual(session.next(), item);
  assert.equal(session.answer(item.id, choice(item)).recorded, true);
});

test("answering before next() and after the end are refused", () => {
  const session = start({ seed: 4, stop: { maxItems: 1, minItems: 1 }, pretestItems: 0 });
  throwsMessage(
    () => session.answer("basics-01", [0]),
    "answer: item `basics-01`: no item is waiting for an answer; ask for the next item first",
  );
  const item = session.next();
  assert.equal(session.answer(item.id, [0]).finished, true);
  assert.equal(session.next(), null);
  assert.equal(session.isFinished, true);
  throwsMessage(
    () => session.answer(item.id, [0]),
    `answer: item \`${item.id}\`: the test is finished`,
  );
});

test("choices the item cannot take give the native messages", () => {
  const session = start();
  const item = session.next();
  const n = item.options.length;
  throwsMessage(
    () => session.answer(item.id, [n]),
    `answer to \`${item.id}\`: option ${n} but the item has ${n} options`,
  );
  throwsMessage(() => session.answer(item.id, []), `answer to \`${item.id}\`: choose at least one option`);
  throwsMessage(
    () => session.answer(item.id, [0, 0]),
    `answer to \`${item.id}\`: option 0 is chosen twice`,
  );
  assert.notEqual(item.type, "multiple");
  throwsMessage(
    () => session.answer(item.id, [0, 1]),
    `answer to \`${item.id}\`: this item takes exactly one option, got 2`,
  );
  assert.equal(session.answered, 0);
  assert.equal(session.answer(item.id, [0]).item, item.id);
});

test("arguments of the wrong JavaScript type are errors, not coercions or traps", () => {
  const session = start();
  const item = session.next();
  const id = item.id;
  const options = (found) => `answer to \`${id}\`: options must be an array of option indices, found ${found}`;
  throwsMessage(() => session.answer(id, 0), options("0"));
  throwsMessage(() => session.answer(id, "0"), options('"0"'));
  throwsMessage(() => session.answer(id, undefined), options("undefined"));
  throwsMessage(() => session.answer(id, new Uint32Array([0])), options("a value of type object"));
  const element = (i, found) => `answer to \`${id}\`: options[${i}] must be a whole number from 0, found ${found}`;
  throwsMessage(() => session.answer(id, [1.5]), element(0, "1.5"));
  throwsMessage(() => session.answer(id, [0, -1]), element(1, "-1"));
  throwsMessage(() => session.answer(id, ["1"]), element(0, '"1"'));
  throwsMessage(() => session.answer(id, [null]), element(0, "null"));
  throwsMessage(() => session.answer(id, [2 ** 32]), element(0, "4294967296"));
  throwsMessage(() => session.answer(id, [NaN]), element(0, "NaN"));
  throwsMessage(
    () => session.answer(id, new Array(2 ** 32 - 1)),
    `answer to \`${id}\`: 4294967295 options chosen, more than any item has`,
  );
  const throwing = new Proxy([0], {
    get(target, key) {
      if (key === "length") throw new Error("no length today");
      return target[key];
    },
  });
  throwsMessage(() => session.answer(id, throwing), `answer to \`${id}\`: options: no length today`);
  throwsMessage(() => new Session([bank, throwing]), "invalid config: banks[1]: expected a Bank (from Bank.fromJson), found an array");
  throwsMessage(() => new Session(throwing), "invalid config: banks: no length today");
  throwsMessage(
    () => session.answer(item, [0]),
    "answer: `itemId` must be a string, found a value of type object",
  );
  throwsMessage(() => session.answer(undefined, [0]), "answer: `itemId` must be a string, found undefined");
  throwsMessage(() => session.recordScore(7, true), "recordScore: `itemId` must be a string, found 7");
  throwsMessage(
    () => session.recordScore(id, "false"),
    'recordScore: `correct` must be true or false, found "false"',
  );
  throwsMessage(() => session.recordScore(id, 1), "recordScore: `correct` must be true or false, found 1");
  assert.equal(session.answered, 0);
  session.recordScore(id, false);
  assert.equal(session.answered, 1);
});

test("bad config values give the native messages", () => {
  const cases = [
    [{ stop: { maxItems: 0 } }, "invalid config: stop.maxItems: must be at least 1"],
    [{ stop: { maxItems: 5, minItems: 6 } }, "invalid config: stop.minItems: must not exceed maxItems"],
    [{ stop: { se: 0 } }, "invalid config: stop.se: must be a positive number"],
    [{ stop: { confidence: 1 } }, "invalid config: stop.confidence: must be between 0 and 1 (exclusive)"],
    [{ selection: { randomesque: 0 } }, "invalid config: selection.randomesque: must be at least 1"],
    [{ estimator: { gridPoints: 1 } }, "invalid config: estimator.gridPoints: must be at least 2"],
    [{ estimator: { minTheta: 2, maxTheta: 1 } }, "invalid config: estimator.minTheta: must be less than maxTheta"],
    [{ pretestItems: 101 }, "invalid config: pretestItems: must be at most 100"],
  ];
  for (const [config, message] of cases) throwsMessage(() => start(config), message);
});

test("unknown config fields and wrong types are rejected by name", () => {
  throwsMessage(
    () => start({ maxItems: 5 }),
    "invalid config: unknown field `maxItems`, expected one of `mode`, `seed`, `stop`, `selection`, `estimator`, `order`, `pretestItems`, `correlations`",
  );
  throwsMessage(
    () => start({ stop: { maxitems: 5 } }),
    "invalid config: unknown field `maxitems`, expected one of `maxItems`, `minItems`, `se`, `cut`, `confidence`, `levelCertainty`",
  );
  throwsMessage(
    () => start({ mode: "exam" }),
    "invalid config: unknown variant `exam`, expected `practice` or `assessment`",
  );
  throwsMessage(() => start({ seed: -1 }), "invalid config: invalid value: integer `-1`, expected u64");
  throwsMessage(() => start({ seed: 1.5 }), "invalid config: invalid type: floating point `1.5`, expected u64");
  throwsMessage(() => start({ seed: 2 ** 64 }), /^invalid config: invalid type: floating point `1\.8446744073709552e\+19`, expected u64$/);
  throwsMessage(() => start({ seed: 7n }), "invalid config: seed: a BigInt is not JSON data; use a number");
  throwsMessage(() => start({ stop: { maxItems: "5" } }), 'invalid config: invalid type: string "5", expected usize');
  throwsMessage(() => start(7), "invalid config: invalid type: integer `7`, expected struct SessionConfig");
  // Absent and undefined mean the defaults, as in JSON.
  assert.ok(start(undefined).next());
  assert.ok(start(null).next());
  assert.ok(start({ seed: undefined, stop: undefined }).next());
  assert.ok(new Session([bank]).next());
});

test("bad bank lists give the native messages", () => {
  throwsMessage(() => new Session([]), "invalid config: banks: at least one bank is needed");
  throwsMessage(
    () => new Session([bank, bank]),
    "invalid config: banks[1]: bank `sample` is given twice",
  );
  throwsMessage(
    () => new Session(bank),
    "invalid config: banks: expected an array of Bank objects, found a value of type object",
  );
  throwsMessage(
    () => new Session([{ id: "sample" }]),
    "invalid config: banks[0]: expected a Bank (from Bank.fromJson), found a value of type object",
  );
  throwsMessage(
    () => new Session([bank, "second.json"]),
    'invalid config: banks[1]: expected a Bank (from Bank.fromJson), found "second.json"',
  );
  assert.equal(bank.id, "sample", "the bank is untouched by the failed calls");
});

test("a session stays usable after every kind of error", () => {
  const session = start({ seed: 8, stop: { maxItems: 6, se: null } });
  let answered = 0;
  for (let item = session.next(); item; item = session.next()) {
    throwsMessage(() => session.answer(item.id, [99]), /but the item has/);
    throwsMessage(() => session.answer(item.id, "x"), /must be an array/);
    throwsMessage(() => session.answer("nope", [0]), /is not the current item/);
    throwsMessage(() => Session.restore([bank], "{"), /^cannot restore saved session: not valid JSON: /);
    session.answer(item.id, choice(item));
    answered += 1;
  }
  assert.equal(session.answered, answered);
  assert.equal(session.isFinished, true);
  assert.equal(session.report().finished, true);
});

test("results have the documented shapes", () => {
  const session = start({ seed: 2, mode: "assessment", stop: { maxItems: 3, minItems: 1, se: null } });
  const item = session.next();
  assert.deepEqual(Object.keys(item), ["id", "domain", "topic", "type", "stem", "options", "position", "maxLength"]);
  assert.equal(item.position, 1);
  assert.equal(item.maxLength, session.maxLength);
  const feedback = session.answer(item.id, choice(item));
  assert.deepEqual(feedback, { item: item.id, recorded: true, finished: false, chosen: choice(item) });
  const [estimate] = session.estimates();
  assert.deepEqual(Object.keys(estimate), ["domain", "theta", "se", "level", "answered", "levelProbabilities"]);
  assert.equal(estimate.answered, 1);
  const report = session.report();
  assert.equal(report.finished, false);
  assert.equal(report.review[0].correct, undefined, "assessment mode hides correctness");
  assert.equal(report.domains[0].stopReason, null);
  const [step] = session.log();
  assert.equal(step.item, item.id);
  assert.ok(step.candidates.length >= 1);
});
