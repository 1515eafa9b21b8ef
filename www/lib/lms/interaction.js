// How one answer is described to an LMS or LRS, shared by SCORM (scorm.js) and xAPI
// (xapi-statements.js) so both name options, read true/false items and flatten text the same way: an
// interaction recorded through SCORM and the same answer as an xAPI statement agree.

import { parse } from "../markdown.js";

/**
 * Option index → interaction component id: 0 → "a", 25 → "z", 26 → "aa".
 * @param {number} index
 */
export function optionId(index) {
  let n = index + 1;
  let id = "";
  while (n > 0) {
    n -= 1;
    id = String.fromCharCode(97 + (n % 26)) + id;
    n = Math.floor(n / 26);
  }
  return id;
}

/**
 * The interaction type and the id of each option: a true/false item whose options read True and
 * False (in either order) is `true-false` with the ids "true" and "false"; every other item,
 * including a two-option item worded otherwise, is `choice` with the ids a, b, c, …
 * @param {{ type: string, options: string[] }} record
 * @returns {{ type: "true-false" | "choice", ids: string[] }}
 */
export function choiceIds(record) {
  if (record.type === "true_false") {
    const values = record.options.map((o) => String(o).trim().toLowerCase());
    if (values.length === 2 && values.includes("true") && values.includes("false")) return { type: "true-false", ids: values };
  }
  return { type: "choice", ids: record.options.map((_, i) => optionId(i)) };
}

/**
 * Bank Markdown as plain text, on one line, cut to `max` characters.
 * @param {string} markdown
 * @param {number} max
 */
export function plainText(markdown, max) {
  /** @type {(nodes: import("../markdown.js").Inline[]) => string} */
  const flat = (nodes) => nodes.map((n) => ("children" in n ? flat(n.children) : n.text)).join("");
  const text = parse(markdown)
    .map((block) => (block.type === "p" ? flat(block.children) : block.items.map(flat).join("; ")))
    .join(" ")
    .replace(/\s+/g, " ")
    .trim();
  const chars = [...text];
  return chars.length <= max
    ? text
    : `${chars
        .slice(0, max - 1)
        .join("")
        .trimEnd()}…`;
}

/**
 * Milliseconds as an ISO 8601 duration to the hundredth of a second (xAPI durations, SCORM
 * 2004 timeinterval): 62500 → "PT1M2.5S".
 * @param {number} ms
 */
export function isoDuration(ms) {
  const cs = Math.max(0, Math.round(Number(ms) / 10) || 0);
  const h = Math.floor(cs / 360_000);
  const m = Math.floor((cs % 360_000) / 6000);
  const s = (cs % 6000) / 100;
  return `PT${h ? `${h}H` : ""}${m ? `${m}M` : ""}${s || (!h && !m) ? `${Number(s.toFixed(2))}S` : ""}`;
}
