// Progress over time, on the results screen outside an LMS: per domain of the quiz, the
// learner's earlier results from this browser (lib/history.js) as a trend with its uncertainty:
// each result's estimate with its 95% interval (θ̂ ± 1.96 SE) over the level bands, and the same
// as a table naming the most likely level and how likely it was. A button clears the stored
// results, after a confirmation.

import { h, s, uid } from "../dom.js";
import { rankLevels } from "../levels.js";
import { askFirst } from "./parts.js";

const WIDTH = 320;
const HEIGHT = 130;
const PAD = 12;
const Z95 = 1.959963984540054;
const LIMIT = 4;

/**
 * @param {{ domains: Map<string, import("../history.js").Result[]> }} history from lib/history.js `readHistory`
 * @param {{ report: import("../../pkg/skillcat.js").Report, banks: Map<string, import("../engine.js").BankMeta>, t: import("../strings.js").Strings }} ctx
 * @param {{ onClear: () => void }} actions
 */
export function progressSection(history, { report, banks, t }, { onClear }) {
  const domains = report.domains.filter((d) => history.domains.has(d.domain));
  const count = (/** @type {string} */ id) => history.domains.get(id)?.length ?? 0;
  const trends = domains.filter((d) => count(d.domain) >= 2);
  const first = domains.filter((d) => count(d.domain) === 1);
  const clear = h("div", { class: "actions" });
  clear.append(
    askFirst(clear, {
      name: "clear-history",
      label: t.clearHistory,
      question: t.clearHistoryConfirm,
      yes: t.confirmClearHistory,
      no: t.cancel,
      onYes: onClear,
    }),
  );
  return h(
    "section",
    { class: "progress-over-time", part: "progress-over-time" },
    h("h3", {}, t.progressHeading),
    h("p", { class: "note" }, t.progressNote),
    trends.map((domain) => trend(domain, history.domains.get(domain.domain) ?? [], banks.get(domain.domain), t)),
    first.length ? h("p", { class: "note", "data-first": "" }, t.progressFirst(first.map((d) => d.title))) : null,
    domains.length ? clear : null,
  );
}

/**
 * @typedef {import("../history.js").Result & { top: import("../../pkg/skillcat.js").LevelProbability | null }} Row
 * @param {import("../../pkg/skillcat.js").DomainReport} domain
 * @param {import("../history.js").Result[]} results at least two
 * @param {import("../engine.js").BankMeta | undefined} bank
 * @param {import("../strings.js").Strings} t
 */
function trend(domain, results, bank, t) {
  const titleId = uid("trend-title");
  const descId = uid("trend-desc");
  const rows = results.map((r) => ({ ...r, top: rankLevels(r.levelProbabilities)[0] ?? null }));
  const describe = (/** @type {Row} */ r) => (r.top ? t.trendLevel(r.top.name, r.top.probability) : (r.level ?? t.noLevel));
  const summary = t.trendSummary(
    domain.title,
    rows.length,
    t.formatDate(rows[0].at),
    describe(rows[0]),
    t.formatDate(rows[rows.length - 1].at),
    describe(rows[rows.length - 1]),
  );
  return h(
    "figure",
    { class: "trend", part: "trend", "data-domain": domain.domain, lang: bank?.language },
    h("h4", {}, domain.title),
    trendChart(domain, rows, titleId, descId, summary, t),
    h("figcaption", { class: "visually-hidden" }, summary),
    h(
      "details",
      { class: "chart-details" },
      h("summary", { part: "summary" }, t.trendTable),
      h(
        "table",
        { class: "trend-table", part: "trend-table" },
        h("caption", { class: "visually-hidden" }, t.trendLabel(domain.title)),
        h(
          "thead",
          {},
          h(
            "tr",
            {},
            h("th", { scope: "col" }, t.trendWhen),
            h("th", { scope: "col" }, t.level),
            h("th", { scope: "col" }, t.trendEstimate),
          ),
        ),
        h(
          "tbody",
          {},
          rows.map((r) =>
            h(
              "tr",
              {},
              h("th", { scope: "row" }, t.formatDate(r.at)),
              h("td", {}, describe(r)),
              h("td", {}, t.estimateWithInterval(r.theta, r.theta - Z95 * r.se, r.theta + Z95 * r.se)),
            ),
          ),
        ),
      ),
    ),
  );
}

/**
 * Each result as a point with its 95% interval, left to right in time, over the level bands.
 * @param {import("../../pkg/skillcat.js").DomainReport} domain
 * @param {Row[]} rows
 * @param {string} titleId
 * @param {string} descId
 * @param {string} summary
 * @param {import("../strings.js").Strings} t
 */
function trendChart(domain, rows, titleId, descId, summary, t) {
  const cuts = domain.levels.map((l) => l.minTheta).filter((c) => c !== null && c !== undefined);
  const lows = rows.map((r) => r.theta - Z95 * r.se);
  const highs = rows.map((r) => r.theta + Z95 * r.se);
  const lo = Math.max(-LIMIT, Math.floor(Math.min(-2, ...cuts, ...lows)));
  const hi = Math.min(LIMIT, Math.ceil(Math.max(2, ...cuts, ...highs)));
  const y = (/** @type {number} */ theta) => PAD + ((hi - Math.min(hi, Math.max(lo, theta))) / (hi - lo)) * (HEIGHT - 2 * PAD);
  const x = (/** @type {number} */ i) => PAD + 10 + (rows.length === 1 ? 0 : (i / (rows.length - 1)) * (WIDTH - 2 * PAD - 20));
  const r1 = (/** @type {number} */ n) => Math.round(n * 10) / 10;
  return s(
    "svg",
    {
      class: "chart trend-chart",
      part: "trend-svg",
      viewBox: `0 0 ${WIDTH} ${HEIGHT}`,
      role: "img",
      "aria-labelledby": `${titleId} ${descId}`,
      focusable: "false",
    },
    s("title", { id: titleId }, t.trendLabel(domain.title)),
    s("desc", { id: descId }, summary),
    s(
      "g",
      { class: "bands" },
      domain.levels.map((level, i) => {
        const top = y(domain.levels[i + 1]?.minTheta ?? Infinity);
        const bottom = y(level.minTheta ?? -Infinity);
        return s(
          "g",
          { class: `band band-${i % 4}`, "data-level": level.name },
          s("rect", { x: PAD, y: r1(top), width: WIDTH - 2 * PAD, height: r1(bottom - top) }),
        );
      }),
    ),
    s(
      "g",
      { class: "estimate" },
      rows.length > 1
        ? s("polyline", { class: "trend-line", points: rows.map((r, i) => `${r1(x(i))},${r1(y(r.theta))}`).join(" ") })
        : null,
      rows.map((r, i) => [
        s("line", { class: "interval", x1: r1(x(i)), x2: r1(x(i)), y1: r1(y(highs[i])), y2: r1(y(lows[i])) }),
        s("circle", { class: "point", cx: r1(x(i)), cy: r1(y(r.theta)), r: 5 }),
      ]),
    ),
  );
}
