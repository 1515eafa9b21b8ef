// The per-domain proficiency profile: an inline SVG with the bank's level bands along the ability
// scale, how likely each level is (the posterior shaded over the bands, the percentage beside
// each level's name), the estimate as a point and its 95% interval as a line; and the same facts
// as words (the SVG's accessible description) and a table. Colours come from the stylesheet
// through classes, so the chart follows the theme and needs no inline style.

import { h, s, uid } from "./dom.js";
import { rankLevels } from "./levels.js";

/** The drawing width before the chart's real width is known; then it is redrawn 1:1. */
const WIDTH = 400;
/** The narrowest drawing: the label rows (and so the height) are chosen to fit it. */
export const MIN_WIDTH = 220;
const MAX_WIDTH = 640;
const PAD = 14;
const ROW = 16;
const BAND_HEIGHT = 40;
/** Least space between two labels in one row. */
const LABEL_GAP = 8;
/** The engine's default estimation grid: estimates and intervals are drawn within it. */
const LIMIT = 4;
/** Width of one character of a 12-unit label where text cannot be measured (Node tests). */
const CHAR = 7;

/**
 * @typedef {import("./strings.js").Strings} Strings
 * @typedef {{ theta: number, se?: number, interval: [number, number], level: string | null,
 *   levels: { name: string, minTheta: number | null }[],
 *   levelProbabilities?: { name: string, probability: number }[] }} ChartDomain what a chart reads of a `DomainReport`
 * @typedef {{ name: string, from: number, to: number, x1: number, x2: number, current: boolean,
 *   probability: number | null, suffix: string, index: number }} Band
 * @typedef {{ name: string, text: string, x: number, left: number, right: number, row: number, index: number }} Label
 * @typedef {ReturnType<typeof layout>} Layout
 */

/**
 * The scale, bands, labels and clipped interval of a domain report (no DOM; exported for
 * tests). `measure` gives a label's width in drawing units.
 * @param {ChartDomain} domain
 * @param {number} [width]
 * @param {{ measure?: (text: string) => number, format?: (p: number) => string }} [options]
 */
export function layout(domain, width = WIDTH, { measure = (text) => text.length * CHAR, format = defaultFormat } = {}) {
  const cuts = domain.levels.map((l) => l.minTheta).filter((c) => c !== null && c !== undefined);
  const lo = Math.max(-LIMIT, Math.min(-3, Math.floor(domain.interval[0]), ...cuts.map((c) => Math.floor(c))));
  const hi = Math.min(LIMIT, Math.max(3, Math.ceil(domain.interval[1]), ...cuts.map((c) => Math.ceil(c))));
  const scale = (/** @type {number} */ w) => (/** @type {number} */ theta) =>
    PAD + ((clamp(theta, lo, hi) - lo) / (hi - lo)) * (w - 2 * PAD);
  const x = scale(width);
  const probabilities = new Map((domain.levelProbabilities ?? []).map((l) => [l.name, l.probability]));
  const top = rankLevels(domain.levelProbabilities)[0]?.name ?? domain.level;
  const bands = domain.levels
    .map((level, i) => {
      const from = level.minTheta ?? -Infinity;
      const to = domain.levels[i + 1]?.minTheta ?? Infinity;
      const probability = probabilities.get(level.name) ?? null;
      const suffix = probability === null ? "" : ` ${format(probability)}`;
      return { name: level.name, from, to, x1: x(from), x2: x(to), current: level.name === top, probability, suffix, index: i };
    })
    .filter((band) => band.x2 > band.x1);
  // The rows are chosen at the narrowest width, so the height never changes with the width.
  const rows = Math.max(
    1,
    ...placeLabels(
      bands.map((b) => ({ ...b, x1: scale(MIN_WIDTH)(b.from), x2: scale(MIN_WIDTH)(b.to) })),
      MIN_WIDTH,
      measure,
    ).map((l) => l.row + 1),
  );
  const labels = placeLabels(bands, width, measure, rows);
  const bandTop = 6 + rows * ROW;
  const axis = bandTop + BAND_HEIGHT;
  return {
    width,
    height: axis + 40,
    lo,
    hi,
    x,
    bands,
    labels,
    bandTop,
    axis,
    point: x(domain.theta),
    interval: /** @type {[number, number]} */ ([x(domain.interval[0]), x(domain.interval[1])]),
    clipped: /** @type {[boolean, boolean]} */ ([domain.interval[0] < lo, domain.interval[1] > hi]),
    curve: posteriorCurve(domain, x, lo, hi, bandTop, axis),
  };
}

const defaultFormat = (/** @type {number} */ p) => (p < 0.005 ? "<1%" : p > 0.995 ? ">99%" : `${Math.round(p * 100)}%`);

/**
 * @param {number} value
 * @param {number} lo
 * @param {number} hi
 */
function clamp(value, lo, hi) {
  return Math.min(hi, Math.max(lo, value));
}

/**
 * Each band's label (its name and probability) centred over the band, kept inside the chart, in
 * the first row where it overlaps no label already placed; a name too long for the chart is
 * shortened with "…", never the probability. With
 * `rows` given, a label that fits no row goes to the row where it overlaps least (only at
 * widths where the narrowest layout needed fewer rows, which scaling up never causes).
 * @param {Pick<Band, "name" | "suffix" | "x1" | "x2" | "index">[]} bands
 * @param {number} width
 * @param {(text: string) => number} measure
 * @param {number} [rows]
 * @returns {Label[]}
 */
export function placeLabels(bands, width, measure, rows = Infinity) {
  const room = width - 2 * PAD;
  /** @type {number[]} where each row's last label ends */
  const ends = [];
  return bands.map((band) => {
    let name = band.name;
    let text = `${name}${band.suffix}`;
    let w = measure(text);
    while (w > room && name.length > 1) {
      name = name.slice(0, -1);
      text = `${name.trimEnd()}…${band.suffix}`;
      w = measure(text);
    }
    const center = clamp((band.x1 + band.x2) / 2, PAD + w / 2, width - PAD - w / 2);
    const left = center - w / 2;
    let row = ends.findIndex((end) => end + LABEL_GAP <= left);
    if (row < 0 && ends.length < rows) row = ends.length;
    if (row < 0) row = ends.indexOf(Math.min(...ends));
    ends[row] = left + w;
    return { name: band.name, text, x: center, left, right: left + w, row, index: band.index };
  });
}

/**
 * The posterior, drawn as the normal density N(θ̂, SE²) over the bands (the engine's level
 * probabilities are the areas under the posterior within each band; the curve shows them, the
 * numbers come from the engine). Per band, a closed path from the axis; null without an SE.
 * @param {ChartDomain} domain
 * @param {(theta: number) => number} x
 * @param {number} lo
 * @param {number} hi
 * @param {number} top
 * @param {number} base
 */
function posteriorCurve(domain, x, lo, hi, top, base) {
  const se = domain.se ?? 0;
  if (!(se > 0) || !Number.isFinite(domain.theta)) return null;
  const density = (/** @type {number} */ theta) => Math.exp(-0.5 * ((theta - domain.theta) / se) ** 2);
  const height = base - top - 4;
  const y = (/** @type {number} */ theta) => base - density(theta) * height;
  const steps = 120;
  return domain.levels.map((level, i) => {
    const from = Math.max(lo, level.minTheta ?? -Infinity);
    const to = Math.min(hi, domain.levels[i + 1]?.minTheta ?? Infinity);
    if (!(to > from)) return null;
    const n = Math.max(2, Math.ceil(((to - from) / (hi - lo)) * steps));
    let d = `M${round(x(from))} ${base}`;
    for (let k = 0; k <= n; k += 1) {
      const theta = from + ((to - from) * k) / n;
      d += `L${round(x(theta))} ${round(y(theta))}`;
    }
    return { index: i, d: `${d}L${round(x(to))} ${base}Z` };
  });
}

const round = (/** @type {number} */ n) => Math.round(n * 10) / 10;

/**
 * A label's width in the chart's own font where the browser can measure it.
 * @param {SVGElement} svg
 * @returns {((text: string) => number) | undefined}
 */
function measurer(svg) {
  const context = globalThis.document?.createElement("canvas").getContext?.("2d");
  if (!context) return undefined;
  const family = (svg.isConnected && getComputedStyle(svg).getPropertyValue("font-family")) || "system-ui, sans-serif";
  context.font = `12px ${family}`;
  // A little more than measured: the label may render in a fallback font.
  return (text) => context.measureText(text).width * 1.08 + 2;
}

/**
 * The chart and its text alternatives for one domain of the report. The SVG is drawn at its
 * real width (redrawn when that changes), so labels keep their size on a narrow screen instead
 * of shrinking with a scaled viewBox; its height depends only on the labels, never on the
 * width, so redrawing cannot loop.
 * @param {import("../pkg/skillcat.js").DomainReport} domain
 * @param {Strings} t strings
 * @param {string} odds the level probabilities in words (lib/levels.js)
 */
export function profileChart(domain, t, odds) {
  const titleId = uid("chart-title");
  const descId = uid("chart-desc");
  const summary = t.chartSummary(
    domain.title,
    odds || `${t.level}: ${domain.level ?? t.noLevel}.`,
    domain.theta,
    domain.interval[0],
    domain.interval[1],
  );

  const svg = s("svg", {
    class: "chart",
    part: "chart-svg",
    role: "img",
    "aria-labelledby": `${titleId} ${descId}`,
    focusable: "false",
    "data-theta": domain.theta,
  });
  const draw = (/** @type {number} */ width) => {
    const geometry = layout(domain, width, { measure: measurer(svg) });
    svg.setAttribute("viewBox", `0 0 ${width} ${geometry.height}`);
    svg.setAttribute("height", String(geometry.height));
    svg.replaceChildren(
      s("title", { id: titleId }, t.chartLabel(domain.title)),
      s("desc", { id: descId }, summary),
      bandsGroup(geometry),
      axisGroup(geometry, t),
      estimateGroup(geometry),
    );
  };
  draw(WIDTH);

  const figure = h(
    "figure",
    { class: "profile", part: "chart", "data-domain": domain.domain },
    svg,
    legend(t, domain),
    h("figcaption", { class: "visually-hidden" }, summary),
    h(
      "details",
      { class: "chart-details", part: "chart-details" },
      h("summary", { part: "summary" }, t.chartTable),
      levelTable(domain, layout(domain), t),
    ),
  );

  if (typeof ResizeObserver === "function") {
    let drawn = 0;
    new ResizeObserver(([entry]) => {
      const width = Math.round(clamp(entry.contentRect.width, MIN_WIDTH, MAX_WIDTH));
      if (Math.abs(width - drawn) >= 4) {
        drawn = width;
        draw(width);
      }
    }).observe(figure);
  }
  return figure;
}

/**
 * The key to the symbols, as HTML so it wraps on a narrow screen (the SVG's text says it all).
 * @param {Strings} t
 * @param {ChartDomain} domain
 */
function legend(t, domain) {
  const symbol = (/** @type {SVGElement[]} */ ...children) =>
    s(
      "svg",
      { class: "legend-symbol", viewBox: "0 0 28 16", width: 28, height: 16, "aria-hidden": "true", focusable: "false" },
      ...children,
    );
  return h(
    "p",
    { class: "chart-legend", "aria-hidden": "true" },
    h("span", {}, symbol(s("circle", { class: "point", cx: 14, cy: 8, r: 5 })), t.estimate),
    h(
      "span",
      {},
      symbol(
        s("line", { class: "interval", x1: 3, x2: 25, y1: 8, y2: 8 }),
        s("line", { class: "interval-cap", x1: 3, x2: 3, y1: 3, y2: 13 }),
        s("line", { class: "interval-cap", x1: 25, x2: 25, y1: 3, y2: 13 }),
      ),
      t.interval,
    ),
    (domain.se ?? 0) > 0
      ? h("span", {}, symbol(s("path", { class: "posterior", d: "M2 15 C9 15 10 2 14 2 C18 2 19 15 26 15 Z" })), t.posterior)
      : null,
  );
}

/**
 * The bands, each with its shaded posterior and its label (row 0 nearest the band).
 * @param {Layout} layout
 */
function bandsGroup({ bands, labels, bandTop, axis, curve }) {
  return s(
    "g",
    { class: "bands" },
    bands.map((band, i) => {
      const label = labels[i];
      const shade = curve?.[band.index];
      return s(
        "g",
        { class: `band band-${band.index % 4}${band.current ? " band-current" : ""}`, "data-level": band.name },
        s("rect", { x: round(band.x1), y: bandTop, width: round(band.x2 - band.x1), height: axis - bandTop }),
        shade ? s("path", { class: "posterior", d: shade.d }) : null,
        i > 0 ? s("line", { class: "band-edge", x1: round(band.x1), x2: round(band.x1), y1: bandTop - 4, y2: axis }) : null,
        s("text", { class: "band-label", x: round(label.x), y: bandTop - 8 - label.row * ROW, "text-anchor": "middle" }, label.text),
      );
    }),
  );
}

/**
 * @param {Layout} layout
 * @param {Strings} t
 */
function axisGroup({ lo, hi, x, width, axis }, t) {
  const ticks = [];
  for (let v = Math.ceil(lo); v <= hi; v += 1) ticks.push(v);
  return s(
    "g",
    { class: "axis", "aria-hidden": "true" },
    s("line", { class: "axis-line", x1: PAD, x2: width - PAD, y1: axis, y2: axis }),
    ticks.map((v) => [
      s("line", { class: "tick", x1: round(x(v)), x2: round(x(v)), y1: axis, y2: axis + 5 }),
      s("text", { class: "tick-label", x: round(x(v)), y: axis + 17, "text-anchor": "middle" }, v === 0 ? "0" : v > 0 ? `+${v}` : `−${-v}`),
    ]),
    s("text", { class: "axis-title", x: width / 2, y: axis + 33, "text-anchor": "middle" }, t.axisLabel),
  );
}

/** @param {Layout} layout */
function estimateGroup({ point, interval, clipped, bandTop, axis }) {
  const y = bandTop + (axis - bandTop) / 2;
  const cap = (/** @type {number} */ cx, /** @type {boolean} */ open) =>
    open
      ? s("path", { class: "interval-arrow", d: `M${round(cx)} ${y} l${cx > point ? -7 : 7} -6 v12 z` })
      : s("line", { class: "interval-cap", x1: round(cx), x2: round(cx), y1: y - 8, y2: y + 8 });
  return s(
    "g",
    { class: "estimate" },
    s("line", { class: "interval", x1: round(interval[0]), x2: round(interval[1]), y1: y, y2: y }),
    cap(interval[0], clipped[0]),
    cap(interval[1], clipped[1]),
    s("circle", { class: "point", cx: round(point), cy: y, r: 7 }),
  );
}

/**
 * @param {import("../pkg/skillcat.js").DomainReport} domain
 * @param {Layout} layout
 * @param {Strings} t
 */
function levelTable(domain, { bands }, t) {
  const cell = (/** @type {number} */ value) => (Number.isFinite(value) ? t.formatNumber(value) : t.below);
  const withProbability = bands.some((band) => band.probability !== null);
  return h(
    "table",
    { class: "chart-table", part: "chart-table" },
    h("caption", {}, t.chartLabel(domain.title)),
    h(
      "thead",
      {},
      h(
        "tr",
        {},
        h("th", { scope: "col" }, t.band),
        h("th", { scope: "col" }, t.bandFrom),
        h("th", { scope: "col" }, t.bandTo),
        withProbability ? h("th", { scope: "col" }, t.probability) : null,
      ),
    ),
    h(
      "tbody",
      {},
      bands.map((band) =>
        h(
          "tr",
          band.current ? { "data-current": "true" } : {},
          h("th", { scope: "row" }, band.name),
          h("td", {}, cell(band.from)),
          h("td", {}, cell(band.to)),
          withProbability ? h("td", {}, band.probability === null ? t.below : t.formatProbability(band.probability)) : null,
        ),
      ),
    ),
    h(
      "tfoot",
      {},
      h("tr", {}, h("th", { scope: "row" }, t.estimate), h("td", { colspan: withProbability ? 3 : 2 }, t.formatNumber(domain.theta))),
      h(
        "tr",
        {},
        h("th", { scope: "row" }, t.interval),
        h("td", {}, t.formatNumber(domain.interval[0])),
        h("td", { colspan: withProbability ? 2 : 1 }, t.formatNumber(domain.interval[1])),
      ),
    ),
  );
}
