// How sure a result is, in words (www/lib/levels.js with the English strings): the headline is
// hedged by the probability of the most likely level and never presents a level as certain.

import assert from "node:assert/strict";
import { test } from "node:test";

import { describeLevel, rankLevels } from "../../www/lib/levels.js";
import { en } from "../../www/lib/strings.js";

const NAMES = ["Foundation", "Practitioner", "Advanced", "Expert"];
const domain = (...probabilities) => ({
  level: "Advanced",
  levelProbabilities: NAMES.map((name, i) => ({ name, probability: probabilities[i] })),
});

test("the issue's example reads as written, levels under half a percent left out", () => {
  const level = describeLevel(domain(0.001, 0.21, 0.64, 0.149), en);
  assert.equal(level.odds, "Advanced: 64% likely; Practitioner 21%, Expert 15%.");
  assert.equal(level.certainty, "probable");
  assert.equal(level.headline, "Probably Advanced (64%), possibly Practitioner");
  assert.deepEqual(level.named, ["Practitioner", "Advanced"], "both levels named, in the bank's order");
  assert.equal(level.top, "Advanced");
});

test("one level is named alone only from 80% on, and never as certain", () => {
  const likely = describeLevel(domain(0, 0.05, 0.84, 0.11), en);
  assert.equal(likely.certainty, "likely");
  assert.equal(likely.headline, "Most likely Advanced (84%)");
  assert.deepEqual(likely.named, ["Advanced"]);
  const almost = describeLevel(domain(0, 0.0004, 0.9992, 0.0004), en);
  assert.equal(almost.headline, "Most likely Advanced (over 99%)");
  assert.equal(almost.odds, "Advanced: over 99% likely.");
  const edge = describeLevel(domain(0, 0.2001, 0.7999, 0), en);
  assert.equal(edge.certainty, "probable", "79.99% is not yet 80%");
});

test("below 50% the headline says the result lies between the two most likely levels", () => {
  const level = describeLevel(domain(0.05, 0.44, 0.38, 0.13), en);
  assert.equal(level.certainty, "unclear");
  assert.equal(level.headline, "Between Practitioner and Advanced: not clear yet");
  assert.deepEqual(level.named, ["Practitioner", "Advanced"]);
  assert.equal(level.odds, "Practitioner: 44% likely; Advanced 38%, Expert 13%, Foundation 5%.");
});

test("ties keep the bank's order, and a report without probabilities falls back to its level", () => {
  assert.deepEqual(rankLevels(domain(0.25, 0.25, 0.25, 0.25).levelProbabilities).map((l) => l.name), NAMES);
  const bare = describeLevel({ level: "Expert" }, en);
  assert.deepEqual([bare.certainty, bare.headline, bare.odds, bare.named], ["none", "Expert", "", ["Expert"]]);
  assert.equal(describeLevel({ level: null }, en).headline, en.noLevel);
});
