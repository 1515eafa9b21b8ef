// Joint sessions at the JavaScript boundary: Profile.fromJson with the native messages, a
// profile passed to `new Session` (its correlations among the session's banks become the
// session's own, kept in the saved state), the adaptive order and levelCertainty.

import assert from "node:assert/strict";
import { join } from "node:path";
import { test } from "node:test";

import {
  Profile,
  Session,
  choice,
  fixtures,
  jsonFiles,
  read,
  sessionBank,
  throwsMessage,
} from "./support.mjs";

const profiles = join(fixtures, "profiles");
const validProfile = () =>
  Profile.fromJson(JSON.parse(read(join(profiles, "valid", "health-it.json"))), "health-it.json");
const banks = () => [sessionBank("bank.json"), sessionBank("second.json")];

test("Profile.fromJson reads a valid profile", () => {
  const profile = validProfile();
  assert.equal(profile.id, "health-it");
  assert.equal(profile.version, "test-1");
  assert.match(profile.source, /not a measurement/);
  assert.deepEqual(profile.domains, ["sample", "second", "cloud"]);
  assert.deepEqual(profile.correlations[0], [1, 0.6, 0.5]);
  assert.deepEqual(profile.correlationsFor(["second", "elsewhere", "sample"]), [
    [1, 0, 0.6],
    [0, 1, 0],
    [0.6, 0, 1],
  ]);
  throwsMessage(
    () => profile.correlationsFor("sample"),
    'correlationsFor: `domains` must be an array of bank ids, found "sample"',
  );
});

test("every malformed profile fixture throws its exact native message", () => {
  let checked = 0;
  for (const { name, path } of jsonFiles(join(profiles, "invalid"))) {
    let parsed;
    try {
      parsed = JSON.parse(read(path));
    } catch {
      continue; // JSON.parse reports these before the engine sees anything.
    }
    throwsMessage(() => Profile.fromJson(parsed, name), read(path.replace(/\.json$/, ".expected")).trimEnd());
    checked += 1;
  }
  assert.ok(checked >= 13, `only ${checked} fixtures checked`);
  throwsMessage(
    () => Profile.fromJson([1, 2]),
    "invalid profile (1 problem)\nprofile: expected an object, found an array",
  );
});

test("a profile makes the session joint, and its saved state restores without the profile", () => {
  const profile = validProfile();
  const config = { seed: 8, profile, order: "adaptive", stop: { maxItems: 10, minItems: 3, levelCertainty: 0.8 } };
  const session = new Session(banks(), config);
  for (let i = 0; i < 6; i += 1) {
    const item = session.next();
    session.answer(item.id, choice(item));
  }
  const pending = session.next();
  const saved = session.save();
  const state = JSON.parse(saved);
  assert.equal(state.format, "skillcat-session/2");
  assert.deepEqual(state.config.correlations, profile.correlationsFor(["sample", "second"]));
  assert.equal(state.config.order, "adaptive");
  assert.equal(state.config.stop.levelCertainty, 0.8);

  const restored = Session.restore(banks(), saved);
  assert.deepEqual(restored.next(), pending);
  assert.deepEqual(restored.estimates(), session.estimates());
  assert.equal(restored.save(), saved);

  // The same correlations given directly make the same session.
  const direct = new Session(banks(), { ...config, profile: undefined, correlations: state.config.correlations });
  for (let i = 0; i < 6; i += 1) {
    const item = direct.next();
    direct.answer(item.id, choice(item));
  }
  assert.deepEqual(direct.next(), pending);

  const steps = session.log().filter((step) => !step.pretest);
  assert.ok(steps.every((step) => step.domainValues.length >= 1));
  for (const step of steps) {
    const best = Math.max(...step.domainValues.map((v) => v.value));
    assert.equal(step.domainValues.find((v) => v.domain === step.domain).value, best);
  }
});

test("answers in one domain move a correlated domain's estimate and level probabilities", () => {
  const run = (profile) => {
    const session = new Session(banks(), { seed: 2, order: "blocked", profile, pretestItems: 0 });
    for (let i = 0; i < 8; i += 1) {
      const item = session.next();
      session.recordScore(item.id, true);
    }
    return session.estimates()[1];
  };
  const [alone, joint] = [run(null), run(validProfile())];
  assert.equal(joint.answered, 0);
  assert.ok(Math.abs(alone.theta) < 1e-12, `theta ${alone.theta}`);
  assert.ok(joint.theta > 0.4, `theta ${joint.theta}`);
  const total = joint.levelProbabilities.reduce((sum, level) => sum + level.probability, 0);
  assert.ok(Math.abs(total - 1) < 1e-12);
  assert.ok(joint.levelProbabilities[0].probability < alone.levelProbabilities[0].probability);
});

test("bad joint settings throw native messages naming the place", () => {
  throwsMessage(
    () => new Session(banks(), { profile: { id: "health-it" } }),
    "invalid config: profile: expected a Profile (from Profile.fromJson), found a value of type object",
  );
  throwsMessage(
    () => new Session(banks(), { profile: validProfile(), correlations: [[1, 0], [0, 1]] }),
    "invalid config: profile: give a profile or correlations, not both",
  );
  throwsMessage(
    () => new Session(banks(), { correlations: [[1, 0.5], [0.4, 1]] }),
    "invalid config: correlations[1][0] (second, sample): 0.4 differs from correlations[0][1] (0.5); the matrix must be symmetric",
  );
  throwsMessage(
    () => new Session(banks(), { order: "joint" }),
    "invalid config: unknown variant `joint`, expected one of `roundRobin`, `blocked`, `adaptive`",
  );
  throwsMessage(
    () => new Session(banks(), { stop: { levelCertainty: 1.5 } }),
    "invalid config: stop.levelCertainty: must be above 0 and at most 1",
  );
  const freed = validProfile();
  freed.free();
  throwsMessage(
    () => new Session(banks(), { profile: freed }),
    /^invalid config: profile: expected a Profile \(from Profile\.fromJson\)/,
  );
});
