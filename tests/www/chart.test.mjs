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
