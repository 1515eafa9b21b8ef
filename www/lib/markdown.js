// The bank Markdown subset (quizbanks/README.md): paragraphs (blank line), **bold**, *italic*,
// `code`, "- " and "1. " lists, and [text](https://…) links. Anything else, HTML included, stays
// literal text. `parse` is pure (a small tree, testable without a DOM); `render` builds nodes
// with Text nodes only, never markup strings, so `<script>`, `onerror=`, `javascript:` URLs and
// `<svg><script>` in author text are shown as written and never run.

import { h } from "./dom.js";

const BULLET = /^\s{0,3}[-*]\s+(.*)$/;
const NUMBERED = /^\s{0,3}(\d{1,9})[.)]\s+(.*)$/;
const ESCAPABLE = "\\`*_[]()#+-.!<>";

/**
 * @typedef {{ type: "text" | "code", text: string } | { type: "strong" | "em", children: Inline[] }
 *   | { type: "link", href: string, children: Inline[] }} Inline
 * @typedef {{ type: "p", children: Inline[] } | { type: "ul", items: Inline[][] }
 *   | { type: "ol", start: number, items: Inline[][] }} Block
 */

/**
 * Parses Markdown-subset text into blocks:
 * `{ type: "p", children }`, `{ type: "ul", items }`, `{ type: "ol", start, items }`,
 * where `children` and each item are inline nodes:
 * `{ type: "text", text }`, `{ type: "strong" | "em", children }`, `{ type: "code", text }`,
 * `{ type: "link", href, children }`.
 * @param {string} source
 * @returns {Block[]}
 */
export function parse(source) {
  /** @type {Block[]} */
  const blocks = [];
  /** @type {string[]} */
  let paragraph = [];
  /** @type {{ type: "ul" | "ol", start: number, items: string[][] } | null} */
  let list = null;
  const flushParagraph = () => {
    if (paragraph.length) blocks.push({ type: "p", children: parseInline(paragraph.join(" ")) });
    paragraph = [];
  };
  const flushList = () => {
    if (list) {
      const items = list.items.map((lines) => parseInline(lines.join(" ")));
      blocks.push(list.type === "ol" ? { type: "ol", start: list.start, items } : { type: "ul", items });
    }
    list = null;
  };
  for (const raw of String(source ?? "")
    .replace(/\r\n?/g, "\n")
    .split("\n")) {
    const line = raw.trimEnd();
    if (line.trim() === "") {
      flushParagraph();
      flushList();
      continue;
    }
    const bullet = BULLET.exec(line);
    const numbered = bullet ? null : NUMBERED.exec(line);
    if (bullet || numbered) {
      const type = bullet ? "ul" : "ol";
      flushParagraph();
      if (list && list.type !== type) flushList();
      if (!list) list = { type, start: numbered ? Number(numbered[1]) : 1, items: [] };
      list.items.push([bullet ? bullet[1] : /** @type {RegExpExecArray} */ (numbered)[2]]);
    } else if (list && /^\s+\S/.test(raw)) {
      list.items[list.items.length - 1].push(line.trim()); // an indented continuation line
    } else {
      flushList();
      paragraph.push(line.trim());
    }
  }
  flushParagraph();
  flushList();
  return blocks;
}

/**
 * Parses one run of inline text.
 * @param {string} text
 * @returns {Inline[]}
 */
export function parseInline(text) {
  /** @type {Inline[]} */
  const nodes = [];
  let literal = "";
  const pushText = () => {
    if (literal) nodes.push({ type: "text", text: literal });
    literal = "";
  };
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (c === "\\" && i + 1 < text.length && ESCAPABLE.includes(text[i + 1])) {
      literal += text[i + 1];
      i += 2;
      continue;
    }
    if (c === "`") {
      const run = runLength(text, i, "`");
      const close = text.indexOf("`".repeat(run), i + run);
      if (close !== -1) {
        pushText();
        nodes.push({ type: "code", text: text.slice(i + run, close).replace(/^ (.*) $/, "$1") });
        i = close + run;
        continue;
      }
      literal += "`".repeat(run);
      i += run;
      continue;
    }
    if (c === "*") {
      const strong = text.startsWith("**", i);
      const delimiter = strong ? "**" : "*";
      const close = findCloser(text, i + delimiter.length, delimiter);
      if (close !== -1) {
        pushText();
        nodes.push({
          type: strong ? "strong" : "em",
          children: parseInline(text.slice(i + delimiter.length, close)),
        });
        i = close + delimiter.length;
        continue;
      }
      literal += delimiter;
      i += delimiter.length;
      continue;
    }
    if (c === "[") {
      const link = parseLink(text, i);
      if (link) {
        pushText();
        nodes.push({ type: "link", href: link.href, children: parseInline(link.label) });
        i = link.end;
        continue;
      }
    }
    literal += c;
    i += 1;
  }
  pushText();
  return nodes;
}

/**
 * @param {string} text
 * @param {number} at
 * @param {string} char
 */
function runLength(text, at, char) {
  let n = 0;
  while (text[at + n] === char) n += 1;
  return n;
}

/**
 * The index of the delimiter closing an emphasis opened just before `from`, or -1. The opener
 * must be followed, and the closer preceded, by a non-space character ("2 * 3 * 4" stays
 * literal). Inside italic text a `**` pair is skipped whole; inside bold text an italic span is
 * skipped whole, so `**a *b***` is bold "a", then italic "b".
 */
/**
 * @param {string} text
 * @param {number} from
 * @param {string} delimiter
 */
function findCloser(text, from, delimiter) {
  if (from >= text.length || /\s/.test(text[from])) return -1;
  let i = from;
  while (i < text.length) {
    if (text[i] === "\\") {
      i += 2;
      continue;
    }
    if (text[i] === "`") {
      const run = runLength(text, i, "`");
      const close = text.indexOf("`".repeat(run), i + run);
      i = close === -1 ? i + run : close + run;
      continue;
    }
    if (text[i] !== "*") {
      i += 1;
      continue;
    }
    const run = runLength(text, i, "*");
    const closes = i > from && !/\s/.test(text[i - 1]);
    if (delimiter === "*") {
      if (closes && run !== 2) return i;
      if (run === 2) {
        const inner = findCloser(text, i + 2, "**"); // a bold span inside italic text
        i = inner === -1 ? i + 2 : inner + 2;
      } else {
        i += run;
      }
      continue;
    }
    if (closes && run >= 2) return i;
    if (run === 1) {
      const inner = findCloser(text, i + 1, "*"); // an italic span inside bold text
      i = inner === -1 ? i + 1 : inner + 1;
    } else {
      i += run;
    }
  }
  return -1;
}

/**
 * `[label](url)` at `at`, with an http(s) URL; anything else is not a link (stays literal).
 * @param {string} text
 * @param {number} at
 */
function parseLink(text, at) {
  let depth = 0;
  let close = -1;
  for (let i = at; i < text.length; i += 1) {
    if (text[i] === "\\") {
      i += 1;
    } else if (text[i] === "[") {
      depth += 1;
    } else if (text[i] === "]") {
      depth -= 1;
      if (depth === 0) {
        close = i;
        break;
      }
    }
  }
  if (close === -1 || text[close + 1] !== "(") return null;
  let parens = 0;
  let end = -1;
  for (let i = close + 2; i < text.length; i += 1) {
    if (text[i] === "(") parens += 1;
    else if (text[i] === ")") {
      if (parens === 0) {
        end = i;
        break;
      }
      parens -= 1;
    }
  }
  if (end === -1) return null;
  const href = safeUrl(text.slice(close + 2, end));
  const label = text.slice(at + 1, close);
  if (!href || label.trim() === "") return null;
  return { href, label, end: end + 1 };
}

/** The URL, normalized, when it is an absolute http(s) URL without whitespace; else null. */
/** @param {unknown} raw */
export function safeUrl(raw) {
  const text = String(raw ?? "");
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what it rejects
  if (!/^https?:\/\//i.test(text) || /[\s\u0000-\u001f\u007f]/.test(text)) return null;
  try {
    const url = new URL(text);
    return url.protocol === "https:" || url.protocol === "http:" ? url.href : null;
  } catch {
    return null;
  }
}

/**
 * Renders Markdown-subset text as a DocumentFragment of `p`, `ul`, `ol`, `strong`, `em`,
 * `code` and `a` elements. With `inline: true` (for option labels, where only phrasing content
 * is valid) blocks become `<span class="md-block">` and list items keep a text marker.
 * @param {string} source
 * @param {{ inline?: boolean, newTab?: string }} [options] `newTab`: hidden text after links
 */
export function render(source, { inline = false, newTab = "" } = {}) {
  const fragment = document.createDocumentFragment();
  for (const block of parse(source)) {
    if (block.type === "p") {
      fragment.append(
        inline ? h("span", { class: "md-block" }, renderInline(block.children, newTab)) : h("p", {}, renderInline(block.children, newTab)),
      );
    } else if (inline) {
      block.items.forEach((item, n) => {
        const marker = block.type === "ul" ? "• " : `${block.start + n}. `;
        fragment.append(h("span", { class: "md-block md-item" }, marker, renderInline(item, newTab)));
      });
    } else {
      const attrs = block.type === "ol" && block.start !== 1 ? { start: block.start } : {};
      fragment.append(
        h(
          block.type,
          attrs,
          block.items.map((item) => h("li", {}, renderInline(item, newTab))),
        ),
      );
    }
  }
  return fragment;
}

/**
 * @param {Inline[]} nodes
 * @param {string} newTab
 * @returns {(Node | null)[]}
 */
function renderInline(nodes, newTab) {
  return nodes.map((node) => {
    switch (node.type) {
      case "text":
        return document.createTextNode(node.text);
      case "code":
        return h("code", {}, node.text);
      case "strong":
        return h("strong", {}, renderInline(node.children, newTab));
      case "em":
        return h("em", {}, renderInline(node.children, newTab));
      case "link":
        return externalLink(node.href, renderInline(node.children, newTab), newTab);
      default:
        return null;
    }
  });
}

/**
 * An external link that opens in a new tab without giving it a handle on this page.
 * @param {string} href
 * @param {unknown[]} children
 * @param {string} [newTab]
 */
export function externalLink(href, children, newTab = "") {
  return h(
    "a",
    { href, target: "_blank", rel: "noopener noreferrer", part: "link" },
    children,
    newTab ? h("span", { class: "visually-hidden" }, ` ${newTab}`) : null,
  );
}
