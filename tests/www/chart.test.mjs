// The profile chart's geometry (www/lib/chart.js): scale, level bands and the clipped interval.

import assert from "node:assert/strict";
import { test } from "node:test";

import { layout } from "../../www/lib/chart.js";

const levels = [
  { name: "Foundation", minTheta: null },
  { name: "Practitioner", minTheta: -0.5 },
  { name: "Advanced", minTheta: 0.5 },
  { name: "Expert", minTheta: 1.5 },
];

test("bands follow the level cuts from the lowest to the highest, on a scale of at least -3 to 3", () => {
  const g = layout({ theta: 0.2, interval: [-0.4, 0.8], levels, level: "Practitioner" });
  assert.equal(g.lo, -3);
  assert.equal(g.hi, 3);
  assert.deepEqual(g.bands.map((b) => [b.name, b.from, b.to, b.current]), [
    ["Foundation", -Infinity, -0.5, false],
    ["Practitioner", -0.5, 0.5, true],
    ["Advanced", 0.5, 1.5, false],
    ["Expert", 1.5, Infinity, false],
  ]);
  assert.equal(g.x(-3), 14);
  assert.equal(g.x(3), 386);
  assert.ok(Math.abs(g.point - g.x(0.2)) < 1e-9);
  assert.deepEqual(g.clipped, [false, false]);
  // Adjacent bands share their edge and cover the scale without gaps.
  for (let i = 1; i < g.bands.length; i += 1) assert.equal(g.bands[i].x1, g.bands[i - 1].x2);
});

test("the scale widens to the interval up to the estimation grid, and clips beyond it", () => {
  const g = layout({ theta: -3.2, interval: [-5.1, -1.3], levels, level: "Foundation" });
  assert.equal(g.lo, -4);
  assert.deepEqual(g.clipped, [true, false]);
  assert.equal(g.interval[0], g.x(-4));
});

const LONG = [
  { name: "Foundation (knows the vocabulary)", minTheta: null },
  { name: "Practitioner under supervision", minTheta: -0.5 },
  { name: "Advanced independent practitioner", minTheta: 0.2 },
  { name: "Expert and recognised authority", minTheta: 0.9 },
  { name: "Distinguished", minTheta: 1.2 },
];
const probabilities = (levels, values) => levels.map((l, i) => ({ name: l.name, probability: values[i] }));

test("long level names never overlap, stay inside the chart, and keep one height at every width", () => {
  for (const [bankLevels, values] of [
    [levels, [0.01, 0.2, 0.64, 0.15]],
    [LONG, [0.004, 0.3, 0.3, 0.3, 0.096]],
  ]) {
    const domain = {
      theta: 0.4,
      se: 0.5,
      interval: [-0.6, 1.4],
      levels: bankLevels,
      level: bankLevels[2].name,
      levelProbabilities: probabilities(bankLevels, values),
    };
    const heights = new Set();
    for (let width = 220; width <= 640; width += 4) {
      const g = layout(domain, width);
      heights.add(g.height);
      for (const label of g.labels) {
        assert.ok(label.left >= 14 - 1e-9 && label.right <= width - 14 + 1e-9, `${label.text} inside at ${width}`);
      }
      for (const a of g.labels) {
        for (const b of g.labels) {
          if (a !== b && a.row === b.row) {
            assert.ok(a.right + 8 <= b.left || b.right + 8 <= a.left, `"${a.text}" and "${b.text}" overlap at ${width}`);
          }
        }
      }
    }
    assert.equal(heights.size, 1, `one height: ${[...heights]}`);
  }
});

test("each level's label carries its probability, and the most likely level is the current band", () => {
  // `level` (the level of θ̂) can differ from the most likely level; the chart marks the latter.
  const domain = { theta: 0.49, se: 0.4, interval: [-0.3, 1.3], levels, level: "Practitioner", levelProbabilities: probabilities(levels, [0.001, 0.21, 0.64, 0.149]) };
  const g = layout(domain, 640);
  assert.deepEqual(g.labels.map((l) => l.text), ["Foundation <1%", "Practitioner 21%", "Advanced 64%", "Expert 15%"]);
  assert.deepEqual(g.bands.filter((b) => b.current).map((b) => b.name), ["Advanced"]);
  // The shaded posterior: one closed path per band, from the axis up to at most the band top.
  assert.equal(g.curve.length, 4);
  for (const shade of g.curve) {
    const ys = [...shade.d.matchAll(/[ML][\d.]+ ([\d.]+)/g)].map((m) => Number(m[1]));
    assert.ok(Math.min(...ys) >= g.bandTop && Math.max(...ys) <= g.axis, shade.d.slice(0, 40));
  }
});

test("a name too long for the chart is shortened with an ellipsis, its probability kept", () => {
  const wide = [{ name: "A".repeat(60), minTheta: null }, { name: "B", minTheta: 0 }];
  const levelProbabilities = [{ name: wide[0].name, probability: 0.62 }, { name: "B", probability: 0.38 }];
  const g = layout({ theta: 0, se: 1, interval: [-2, 2], levels: wide, level: "B", levelProbabilities }, 220);
  assert.match(g.labels[0].text, /^A+… 62%$/);
  assert.ok(g.labels[0].right - g.labels[0].left <= 220 - 28);
});
