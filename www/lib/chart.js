// The per-domain proficiency profile: an inline SVG with the bank's level bands along the ability
// scale, the estimate as a point and its 95% interval as a line, every band named in text; and
// the same facts as a sentence (the SVG's accessible description) and a table. Colours come from
// the stylesheet through classes, so the chart follows the theme and needs no inline style.

import { h, s, uid } from "./dom.js";

/** The drawing width before the chart's real width is known; then it is redrawn 1:1. */
const WIDTH = 400;
const MIN_WIDTH = 220;
const MAX_WIDTH = 640;
const PAD = 14;
const LABEL_ROWS = [15, 31];
const BAND_TOP = 40;
const BAND_HEIGHT = 34;
const AXIS = BAND_TOP + BAND_HEIGHT;
const HEIGHT = AXIS + 40;
/** The engine's default estimation grid: estimates and intervals are drawn within it. */
const LIMIT = 4;
/** Rough width of one character of a 12-unit label, for keeping labels inside the chart. */
const CHAR = 6.6;

/**
 * The scale, bands and clipped interval of a domain report (no DOM; exported for tests).
 * @param {{ theta: number, interval: [number, number], levels: { name: string, minTheta: number | null }[], level: string | null }} domain
 */
export function layout(domain, width = WIDTH) {
  const cuts = domain.levels.map((l) => l.minTheta).filter((c) => c !== null && c !== undefined);
  const lo = Math.max(-LIMIT, Math.min(-3, Math.floor(domain.interval[0]), ...cuts.map((c) => Math.floor(c))));
  const hi = Math.min(LIMIT, Math.max(3, Math.ceil(domain.interval[1]), ...cuts.map((c) => Math.ceil(c))));
  const x = (theta) => PAD + ((clamp(theta, lo, hi) - lo) / (hi - lo)) * (width - 2 * PAD);
  const bands = domain.levels
    .map((level, i) => {
      const from = level.minTheta ?? -Infinity;
      const to = domain.levels[i + 1]?.minTheta ?? Infinity;
      return { name: level.name, from, to, x1: x(from), x2: x(to), current: level.name === domain.level };
    })
    .filter((band) => band.x2 > band.x1);
  return {
    width,
    lo,
    hi,
    x,
    bands,
    point: x(domain.theta),
    interval: [x(domain.interval[0]), x(domain.interval[1])],
    clipped: [domain.interval[0] < lo, domain.interval[1] > hi],
  };
}

function clamp(value, lo, hi) {
  return Math.min(hi, Math.max(lo, value));
}

const round = (n) => Math.round(n * 10) / 10;

/**
 * The chart and its text alternatives for one domain of the report. The SVG is drawn at its
 * real width (redrawn when that changes), so labels keep their size on a narrow screen instead
 * of shrinking with a scaled viewBox; its height never changes, so redrawing cannot loop.
 * @param {object} domain a `DomainReport`
 * @param {typeof import("./strings.js").en} t strings
 */
export function profileChart(domain, t) {
  const titleId = uid("chart-title");
  const descId = uid("chart-desc");
  const level = domain.level ?? t.noLevel;
  const summary = t.chartSummary(domain.title, level, domain.theta, domain.interval[0], domain.interval[1]);

  const svg = s("svg", {
    class: "chart",
    part: "chart-svg",
    height: HEIGHT,
    role: "img",
    "aria-labelledby": `${titleId} ${descId}`,
    focusable: "false",
    "data-theta": domain.theta,
  });
  const draw = (width) => {
    const geometry = layout(domain, width);
    svg.setAttribute("viewBox", `0 0 ${width} ${HEIGHT}`);
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
    legend(t),
    h("figcaption", { class: "visually-hidden" }, summary),
    h(
      "details",
      { class: "chart-details", part: "chart-details" },
      h("summary", { part: "summary" }, t.chartTable),
      levelTable(domain, layout(domain), t),
    ),
  );

  if (typeof ResizeObserver === "function") {
    let drawn = WIDTH;
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

/** The key to the symbols, as HTML so it wraps on a narrow screen (the SVG's text says it all). */
function legend(t) {
  const symbol = (...children) => s("svg", { class: "legend-symbol", viewBox: "0 0 28 16", width: 28, height: 16, "aria-hidden": "true", focusable: "false" }, ...children);
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
  );
}

function bandsGroup({ bands, width }) {
  return s(
    "g",
    { class: "bands" },
    bands.map((band, i) => {
      const center = (band.x1 + band.x2) / 2;
      const half = (band.name.length * CHAR) / 2 + 2;
      const labelX = clamp(center, half, width - half);
      return s(
        "g",
        { class: `band band-${i % 4}${band.current ? " band-current" : ""}`, "data-level": band.name },
        s("rect", { x: round(band.x1), y: BAND_TOP, width: round(band.x2 - band.x1), height: BAND_HEIGHT }),
        i > 0 ? s("line", { class: "band-edge", x1: round(band.x1), x2: round(band.x1), y1: BAND_TOP - 5, y2: AXIS }) : null,
        s("text", { class: "band-label", x: round(labelX), y: LABEL_ROWS[i % 2], "text-anchor": "middle" }, band.name),
      );
    }),
  );
}

function axisGroup({ lo, hi, x, width }, t) {
  const ticks = [];
  for (let v = Math.ceil(lo); v <= hi; v += 1) ticks.push(v);
  return s(
    "g",
    { class: "axis", "aria-hidden": "true" },
    s("line", { class: "axis-line", x1: PAD, x2: width - PAD, y1: AXIS, y2: AXIS }),
    ticks.map((v) => [
      s("line", { class: "tick", x1: round(x(v)), x2: round(x(v)), y1: AXIS, y2: AXIS + 5 }),
      s("text", { class: "tick-label", x: round(x(v)), y: AXIS + 17, "text-anchor": "middle" }, v === 0 ? "0" : v > 0 ? `+${v}` : `−${-v}`),
    ]),
    s("text", { class: "axis-title", x: width / 2, y: AXIS + 33, "text-anchor": "middle" }, t.axisLabel),
  );
}

function estimateGroup({ point, interval, clipped }) {
  const y = BAND_TOP + BAND_HEIGHT / 2;
  const cap = (cx, open) =>
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

function levelTable(domain, { bands }, t) {
  const cell = (value) => (Number.isFinite(value) ? t.formatNumber(value) : t.below);
  return h(
    "table",
    { class: "chart-table", part: "chart-table" },
    h("caption", {}, t.chartLabel(domain.title)),
    h(
      "thead",
      {},
      h("tr", {}, h("th", { scope: "col" }, t.band), h("th", { scope: "col" }, t.bandFrom), h("th", { scope: "col" }, t.bandTo)),
    ),
    h(
      "tbody",
      {},
      bands.map((band) =>
        h(
          "tr",
          band.current ? { "data-current": "true" } : {},
          h("th", { scope: "row" }, band.name, band.current ? ` (${t.yourLevel})` : ""),
          h("td", {}, cell(band.from)),
          h("td", {}, cell(band.to)),
        ),
      ),
    ),
    h(
      "tfoot",
      {},
      h("tr", {}, h("th", { scope: "row" }, t.estimate), h("td", { colspan: 2 }, t.formatNumber(domain.theta))),
      h(
        "tr",
        {},
        h("th", { scope: "row" }, t.interval),
        h("td", {}, t.formatNumber(domain.interval[0])),
        h("td", {}, t.formatNumber(domain.interval[1])),
      ),
    ),
  );
}
