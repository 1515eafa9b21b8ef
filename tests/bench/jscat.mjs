// Benchmark (not a test: it prints figures and asserts nothing; `make test` and CI never run it).
//
// skillcat's WebAssembly engine (the `nodejs` build in target/wasm-node/) against jsCAT
// (npm `@bdelab/jscat`), side by side in one Node process, on the same synthetic 3PL banks
// (500, 10,000 and 100,000 items; a ~ U(0.8, 2.2), b ~ U(−3, 3), c ~ U(0.1, 0.25), d = 1; D = 1)
// and the same answers (a simulee with θ = 0.5 and a seeded response stream). For each size it
// also times loading: `Bank.fromJson`, the first `new Session` (the bank's selection index is
// built by `Bank.fromJson`) and later ones, and the WebAssembly memory the bank takes, each
// size in a fresh Node process so that the memory figures are its own.
//
// One step = one select-next-item (maximum Fisher information, no exposure control, no content
// balancing) + one EAP update, taken after 10 answers. The figure is the median over many
// sessions (each with its own response stream) of that 11th step, for each engine, and the
// ratio jsCAT / skillcat.
//
// Same model in both engines:
// - jsCAT's item response function is c + (d − c) / (1 + exp(−a(θ − b))): D = 1, no 1.7
//   (lib/utils.js `itemResponseFunction`), the same as skillcat. Parameters are called
//   a, b, c, d ("symbolic") or discrimination, difficulty, guessing, slipping ("semantic").
// - jsCAT's Fisher information is the 3PL formula a²(Q/P)((P − c)/(1 − c))², which ignores d;
//   with d = 1 it equals skillcat's 4PL information.
// - jsCAT's EAP sums prior × likelihood over θ = minTheta, minTheta + 0.1, …, maxTheta with
//   no end weights; skillcat uses the trapezoid rule (½ weight at both ends) on `gridPoints`
//   points. Both here use 81 points on [−4, 4] (step 0.1) under N(0, 1); only the end
//   weights differ (at θ = ±4, where the prior density is 1.3e-4), which moves θ̂ by up to
//   about 1e-4 (the largest gap is printed) and, in these runs, never the item chosen.
// - jsCAT's SE is 1/√(test information at θ̂), skillcat's EAP SE the posterior SD; neither
//   enters maximum-information selection.
// - jsCAT starts at θ = `theta` (0 here) and skillcat at the prior's EAP (0), so the first
//   item is the most informative at θ = 0 in both.
//
// jsCAT is timed as its README uses it: `findNextItem(remaining)` (which deep-copies the
// stimuli by default) then `updateAbilityEstimate(item, answer)`; the figure with
// `deepCopy = false`, jsCAT's fastest path, is printed too. Each timed jsCAT session is put in
// the state of a timed skillcat session (the same 10 items and answers, replayed at once; the
// remaining stimuli by difficulty, as jsCAT leaves them), which is the state jsCAT reaches by
// itself when both engines choose alike: the lockstep runs check that they do, and the count
// of step-11 choices made alike is printed.
//
// Run with `make bench-js` (builds target/wasm-node/ and installs tests/node_modules first).
// Environment: BENCH_REPS scales the repetitions (default 1; e.g. 0.2 for a quick look);
// BENCH_SIZES picks sizes (e.g. "500,10000"); SKILLCAT_WASM_NODE names another nodejs build
// directory to time.

import { spawnSync } from "node:child_process";
import { createRequire } from "node:module";
import os from "node:os";
import { fileURLToPath } from "node:url";
import path from "node:path";

const require = createRequire(import.meta.url);
const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, "..", "..");

// SKILLCAT_WASM_NODE=dir times another nodejs build (e.g. one made with other optimisation
// settings) instead of target/wasm-node/.
const wasmDir = process.env.SKILLCAT_WASM_NODE ?? path.join(root, "target", "wasm-node");
const wasmPath = path.resolve(wasmDir, "skillcat.js");
let skillcat;
try {
  skillcat = require(wasmPath);
} catch (error) {
  console.error(`cannot load ${wasmPath} (run \`make wasm-node\` first): ${error.message}`);
  process.exit(1);
}
const { Bank, Session } = skillcat;
const { Cat } = require("@bdelab/jscat");
const jscatVersion = require("@bdelab/jscat/package.json").version;

// --- settings ---------------------------------------------------------------------------------

const SIZES = (process.env.BENCH_SIZES ?? "500,10000,100000").split(",").map(Number);
const TRUE_THETA = 0.5;
const ANSWERED_BEFORE = 10; // the timed step is the 11th
const SCALE = Number(process.env.BENCH_REPS ?? 1) > 0 ? Number(process.env.BENCH_REPS ?? 1) : 1;
// Repetitions (sessions) per size, after the warm-up ones, which are not counted.
const REPS = {
  skillcat: { 500: 3000, 10000: 1500, 100000: 1000 },
  jscat: { 500: 300, 10000: 30, 100000: 5 },
  jscatNoCopy: { 500: 300, 10000: 30, 100000: 5 },
};
// jsCAT takes about a second per step at 100,000 items: fewer lockstep runs there.
const AGREEMENT = { 500: [5, 20], 10000: [3, 20], 100000: [1, 10] };
// The figures (µs per step; ms to load).
const TARGET_STEP = { 500: 10, 10000: 25, 100000: 50 };
const TARGET_LOAD = { 100000: { fromJson: 1000, session: 50 } };
const WARMUP = { skillcat: 300, jscat: 30, jscatNoCopy: 30 };
const reps = (engine, size) => Math.max(5, Math.round(REPS[engine][size] * SCALE));
const warmup = (engine) => Math.max(2, Math.round(WARMUP[engine] * SCALE));

const GRID = { min: -4, max: 4, points: 81 }; // step 0.1, jsCAT's fixed EAP step

const SKILLCAT_CONFIG = {
  mode: "assessment",
  stop: { maxItems: 60, minItems: 1, se: null },
  selection: { criterion: "maxInfo", randomesque: 1, sympsonHetter: false, contentBalancing: false },
  estimator: {
    method: "eap",
    priorMean: 0,
    priorSd: 1,
    gridPoints: GRID.points,
    minTheta: GRID.min,
    maxTheta: GRID.max,
  },
  pretestItems: 0,
};

const JSCAT_CONFIG = {
  method: "EAP",
  itemSelect: "MFI",
  nStartItems: 0,
  theta: 0,
  minTheta: GRID.min,
  maxTheta: GRID.max,
  priorDist: "norm",
  priorPar: [0, 1],
  randomSeed: "bench",
};

// --- seeded numbers ---------------------------------------------------------------------------

/** mulberry32: a small seeded generator of uniforms in [0, 1). */
function generator(seed) {
  let state = (seed ^ 0x9e3779b9) >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The simulee's response stream for session `seed`: the k-th answer is correct when the k-th
 * uniform is below P(true θ) of whichever item the engine chose. */
function responses(seed) {
  const uniforms = generator(1_000_003 * (seed + 1));
  const us = Array.from({ length: 64 }, uniforms);
  return (k, params) => us[k] < prob(TRUE_THETA, params);
}

function prob(theta, { a, b, c, d }) {
  return c + (d - c) / (1 + Math.exp(-a * (theta - b)));
}

// --- the banks --------------------------------------------------------------------------------

/** The bank's items (parameters) and its JSON as `Bank.fromJson` takes it. */
function makeBankJson(size) {
  return makeItems(size).json;
}

function makeItems(size) {
  const uniform = generator(size);
  const items = [];
  for (let i = 0; i < size; i++) {
    const a = 0.8 + 1.4 * uniform();
    const b = -3 + 6 * uniform();
    const c = 0.1 + 0.15 * uniform();
    items.push({ id: `q${String(i).padStart(5, "0")}`, a, b, c, d: 1 });
  }
  const json = {
    format: "skillcat-bank/1",
    id: `bench${size}`,
    title: `Synthetic 3PL bank of ${size} items`,
    description: "Generated by tests/bench/jscat.mjs.",
    version: "1",
    language: "en",
    topics: [{ id: "t", title: "Topic" }],
    levels: [{ name: "All" }],
    items: items.map(({ id, a, b, c }) => ({
      id,
      topic: "t",
      type: "single",
      stem: `Synthetic item ${id}?`,
      options: [{ text: "A" }, { text: "B" }, { text: "C" }, { text: "D" }],
      key: [0],
      irt: { model: "3PL", a, b, c },
    })),
  };
  const byId = new Map(items.map((item) => [item.id, item]));
  // jsCAT's stimuli as its own `remainingStimuli` holds them: semantic keys, by difficulty.
  const stimuli = items
    .map(({ id, a, b, c, d }) => ({ id, discrimination: a, difficulty: b, guessing: c, slipping: d }))
    .sort((x, y) => x.difficulty - y.difficulty);
  return { size, items, byId, json, stimuli };
}

function makeBank(size) {
  const made = makeItems(size);
  return { ...made, bank: Bank.fromJson(made.json, `bench${size}.json`) };
}

// --- the engines ------------------------------------------------------------------------------

/** A skillcat session after `answered` answers: the items and answers given. */
function skillcatSession(bench, seed, answered) {
  const session = new Session([bench.bank], { ...SKILLCAT_CONFIG, seed });
  const answer = responses(seed);
  const history = [];
  for (let k = 0; k < answered; k++) {
    const item = session.next();
    const correct = answer(k, bench.byId.get(item.id));
    session.recordScore(item.id, correct);
    history.push({ id: item.id, correct });
  }
  return { session, answer, history };
}

/** A jsCAT Cat in the state of `history` (those items answered so), and its remaining stimuli. */
function jscatAfter(bench, history) {
  const cat = new Cat(JSCAT_CONFIG);
  if (history.length > 0) {
    const zetas = history.map(({ id }) => {
      const { a, b, c, d } = bench.byId.get(id);
      return { a, b, c, d };
    });
    cat.updateAbilityEstimate(
      zetas,
      history.map(({ correct }) => (correct ? 1 : 0)),
    );
  }
  const used = new Set(history.map(({ id }) => id));
  return { cat, remaining: bench.stimuli.filter(({ id }) => !used.has(id)) };
}

const theta = (session) => session.estimates()[0].theta;

// --- agreement --------------------------------------------------------------------------------

/** Runs both engines in lockstep, each answering by the same response stream, and compares
 * the items they choose and their estimates. */
function agreement(bench) {
  const [sessions, steps] = AGREEMENT[bench.size] ?? [3, 20];
  let agreed = 0;
  let compared = 0;
  let firstDivergence = null;
  let maxThetaGap = 0;
  const firstItems = [];
  for (let seed = 0; seed < sessions; seed++) {
    const session = new Session([bench.bank], { ...SKILLCAT_CONFIG, seed });
    const answer = responses(seed);
    const cat = new Cat(JSCAT_CONFIG);
    let remaining = bench.stimuli;
    const picks = [];
    for (let k = 0; k < steps; k++) {
      const ours = session.next();
      const { nextStimulus, remainingStimuli } = cat.findNextItem(remaining);
      remaining = remainingStimuli;
      compared++;
      if (ours.id === nextStimulus.id) agreed++;
      else if (firstDivergence === null) firstDivergence = { seed, step: k + 1, skillcat: ours.id, jscat: nextStimulus.id };
      picks.push(ours.id === nextStimulus.id ? ours.id : `${ours.id}≠${nextStimulus.id}`);
      session.recordScore(ours.id, answer(k, bench.byId.get(ours.id)));
      cat.updateAbilityEstimate(nextStimulus, answer(k, bench.byId.get(nextStimulus.id)) ? 1 : 0);
      maxThetaGap = Math.max(maxThetaGap, Math.abs(theta(session) - cat.theta));
    }
    session.free();
    if (seed === 0) firstItems.push(...picks.slice(0, 5));
  }
  return { agreed, compared, firstDivergence, maxThetaGap, firstItems, sessions, steps };
}

// --- timing -----------------------------------------------------------------------------------

const now = process.hrtime.bigint;
const micros = (ns) => Number(ns) / 1000;

/** Times step 11 of `count` skillcat sessions (after `skip` untimed warm-up sessions). */
function timeSkillcat(bench, count, skip, firstSeed) {
  const step = [];
  const select = [];
  const update = [];
  const states = [];
  for (let r = 0; r < skip + count; r++) {
    const seed = firstSeed + r;
    const { session, answer, history } = skillcatSession(bench, seed, ANSWERED_BEFORE);
    const t0 = now();
    const item = session.next();
    const t1 = now();
    const correct = answer(ANSWERED_BEFORE, bench.byId.get(item.id));
    const t2 = now();
    session.recordScore(item.id, correct);
    const t3 = now();
    // The wasm heap is invisible to the JS garbage collector's heuristics: a Session left to
    // its FinalizationRegistry keeps its memory (a copy of the bank) until a GC that may not
    // come before the heap runs out, so free it now.
    session.free();
    if (r < skip) continue;
    select.push(micros(t1 - t0));
    update.push(micros(t3 - t2));
    step.push(micros(t1 - t0 + (t3 - t2)));
    states.push({ seed, history, next: item.id });
  }
  return { step, select, update, states };
}

/** Times the same step-11 states in jsCAT; counts how often it picks skillcat's item. */
function timeJscat(bench, states, skip, deepCopy) {
  const step = [];
  const select = [];
  const update = [];
  let same = 0;
  for (let r = 0; r < skip + states.length; r++) {
    const state = states[r % states.length];
    const { cat, remaining } = jscatAfter(bench, state.history);
    const answer = responses(state.seed);
    const t0 = now();
    const { nextStimulus } = cat.findNextItem(remaining, "MFI", deepCopy);
    const t1 = now();
    const correct = answer(ANSWERED_BEFORE, bench.byId.get(nextStimulus.id)) ? 1 : 0;
    const t2 = now();
    cat.updateAbilityEstimate(nextStimulus, correct);
    const t3 = now();
    if (r < skip) continue;
    if (nextStimulus.id === state.next) same++;
    select.push(micros(t1 - t0));
    update.push(micros(t3 - t2));
    step.push(micros(t1 - t0 + (t3 - t2)));
  }
  return { step, select, update, same };
}

/** The cost of the JS boundary alone: `estimates()` (a small serde-wasm-bindgen conversion) and
 * `next()` called again on a pending item (no selection: the view conversion only). */
function timeBoundary(bench, count) {
  const { session } = skillcatSession(bench, 1, ANSWERED_BEFORE);
  session.next();
  const again = [];
  const estimates = [];
  const create = [];
  for (let r = 0; r < count; r++) {
    const t0 = now();
    session.next();
    const t1 = now();
    session.estimates();
    const t2 = now();
    const fresh = new Session([bench.bank], { ...SKILLCAT_CONFIG, seed: r });
    const t3 = now();
    fresh.free();
    again.push(micros(t1 - t0));
    estimates.push(micros(t2 - t1));
    create.push(micros(t3 - t2));
  }
  session.free();
  return { again, estimates, create };
}

function quantile(values, q) {
  const sorted = [...values].sort((x, y) => x - y);
  const at = (sorted.length - 1) * q;
  const lo = Math.floor(at);
  const hi = Math.ceil(at);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (at - lo);
}
const median = (values) => quantile(values, 0.5);

function fmt(us) {
  if (us >= 1000) return `${(us / 1000).toFixed(2)} ms`;
  return `${us.toFixed(us < 10 ? 2 : 1)} µs`;
}

function row(name, result) {
  const cells = [
    name.padEnd(26),
    String(result.step.length).padStart(5),
    fmt(median(result.step)).padStart(11),
    `${fmt(quantile(result.step, 0.1))}–${fmt(quantile(result.step, 0.9))}`.padStart(22),
    fmt(median(result.select)).padStart(11),
    fmt(median(result.update)).padStart(11),
  ];
  console.log(cells.join("  "));
}

// --- loading, each size in its own process ---------------------------------------------------

/** In a child process: loads one bank of `size` items and prints the times and memory as JSON. */
function loadChild(size) {
  const json = makeBankJson(size);
  global.gc?.();
  const before = process.memoryUsage();
  const t0 = performance.now();
  const bank = Bank.fromJson(json, `bench${size}.json`);
  const t1 = performance.now();
  const first = new Session([bank], { ...SKILLCAT_CONFIG, seed: 0 });
  const t2 = performance.now();
  first.free();
  const later = [];
  for (let seed = 1; seed <= 20; seed++) {
    const start = performance.now();
    new Session([bank], { ...SKILLCAT_CONFIG, seed }).free();
    later.push(performance.now() - start);
  }
  const after = process.memoryUsage();
  const mb = (bytes) => bytes / 2 ** 20;
  console.log(
    JSON.stringify({
      fromJson: t1 - t0,
      first: t2 - t1,
      later: median(later),
      // The WebAssembly memory is outside the JavaScript heap, in `external`.
      wasm: mb(after.external - before.external),
      rss: mb(after.rss - before.rss),
      text: mb(JSON.stringify(json).length),
    }),
  );
}

function loadTable() {
  console.log("== loading (each size in a fresh process) ==");
  console.log(
    ["items", "JSON", "fromJson", "first Session", "later Session", "wasm memory", "rss growth"]
      .map((h, i) => (i === 0 ? h.padEnd(8) : h.padStart(i === 1 ? 8 : 14)))
      .join("  "),
  );
  for (const size of SIZES) {
    const child = spawnSync(process.execPath, ["--expose-gc", fileURLToPath(import.meta.url), "--load", String(size)], {
      encoding: "utf8",
      env: process.env,
    });
    const line = child.stdout.trim().split("\n").pop();
    if (child.status !== 0 || !line) {
      console.log(`${String(size).padEnd(8)}  failed: ${child.stderr.trim().split("\n").pop()}`);
      continue;
    }
    const r = JSON.parse(line);
    const ms = (x) => `${x.toFixed(x < 10 ? 2 : 0)} ms`;
    console.log(
      [
        String(size).padEnd(8),
        `${r.text.toFixed(1)} MB`.padStart(8),
        ms(r.fromJson).padStart(14),
        ms(r.first).padStart(14),
        ms(r.later).padStart(14),
        `${r.wasm.toFixed(0)} MB`.padStart(14),
        `${r.rss.toFixed(0)} MB`.padStart(14),
      ].join("  "),
    );
    const goal = TARGET_LOAD[size];
    if (goal) {
      const met = (ok) => (ok ? "met" : "NOT met");
      console.log(
        `  targets: fromJson ≤ ${goal.fromJson} ms ${met(r.fromJson <= goal.fromJson)}; ` +
          `new Session ≤ ${goal.session} ms ${met(r.first <= goal.session && r.later <= goal.session)}`,
      );
    }
  }
  console.log();
}

// --- main -------------------------------------------------------------------------------------

if (process.argv[2] === "--load") {
  loadChild(Number(process.argv[3]));
  process.exit(0);
}

const started = performance.now();
console.log("skillcat (wasm, nodejs build) vs jsCAT: one select-next-item (MFI) + one EAP update, step 11");
console.log(`node ${process.version} (${process.arch}), ${os.cpus()[0]?.model ?? "unknown CPU"}, ${os.cpus().length} cores`);
console.log(`wasm: ${path.relative(process.cwd(), wasmPath) || wasmPath}`);
console.log(`jsCAT ${jscatVersion}; EAP on ${GRID.points} points over [${GRID.min}, ${GRID.max}]; simulee θ = ${TRUE_THETA}`);
console.log("medians of per-session step times; p10–p90 in brackets; select and update medians separately\n");
loadTable();

for (const size of SIZES) {
  const bench = makeBank(size);
  const agree = agreement(bench);

  // Warm up and time skillcat; its step-11 states (items, answers, choice) feed jsCAT.
  const ours = timeSkillcat(bench, reps("skillcat", size), warmup("skillcat"), 0);
  const jsStates = ours.states.slice(0, reps("jscat", size));
  const theirs = timeJscat(bench, jsStates, warmup("jscat"), true);
  const theirsNoCopy = timeJscat(bench, ours.states.slice(0, reps("jscatNoCopy", size)), warmup("jscatNoCopy"), false);
  const boundary = timeBoundary(bench, Math.ceil(reps("skillcat", size) / 5));

  console.log(`== ${size} items ==`);
  console.log(
    [
      "engine".padEnd(26),
      "reps".padStart(5),
      "step median".padStart(11),
      "p10–p90".padStart(22),
      "select".padStart(11),
      "update".padStart(11),
    ].join("  "),
  );
  row("skillcat (wasm)", ours);
  row("jsCAT (default deepCopy)", theirs);
  row("jsCAT (deepCopy = false)", theirsNoCopy);
  const ratio = median(theirs.step) / median(ours.step);
  const ratioNoCopy = median(theirsNoCopy.step) / median(ours.step);
  console.log(`ratio jsCAT / skillcat: ${ratio.toFixed(0)}× (deepCopy = false: ${ratioNoCopy.toFixed(0)}×)`);
  console.log(
    `skillcat boundary alone: next() on a pending item ${fmt(median(boundary.again))}, estimates() ${fmt(median(boundary.estimates))}; ` +
      `new Session() (once per learner, not per step) ${fmt(median(boundary.create))}`,
  );
  const goal = TARGET_STEP[size];
  const target = goal ? `target ≤ ${goal} µs/step: ${median(ours.step) <= goal ? "met" : "NOT met"}; ` : "";
  console.log(`${target}target ≥ 100× faster than jsCAT: ${ratio >= 100 ? "met" : "NOT met"}`);
  console.log(
    `agreement: ${agree.agreed}/${agree.compared} items identical over ${agree.sessions} lockstep sessions × ${agree.steps} items` +
      (agree.firstDivergence ? `; first divergence ${JSON.stringify(agree.firstDivergence)}` : "") +
      `; max |θ skillcat − θ jsCAT| ${agree.maxThetaGap.toExponential(1)}`,
  );
  console.log(`first items (session 0): ${agree.firstItems.join(", ")}`);
  console.log(`step 11 chosen alike in ${theirs.same}/${theirs.step.length} timed jsCAT sessions\n`);
  bench.bank.free();
}
console.log(`(whole run ${((performance.now() - started) / 1000).toFixed(1)} s)`);
