// The Markdown subset parser (www/lib/markdown.js): what becomes structure, and that markup,
// handlers and script URLs in author text stay literal text.

import assert from "node:assert/strict";
import { test } from "node:test";

import { parse, safeUrl } from "../../www/lib/markdown.js";

const text = (t) => ({ type: "text", text: t });
const p = (...children) => ({ type: "p", children });

test("paragraphs split on blank lines; single newlines join with a space", () => {
  assert.deepEqual(parse("one\ntwo\n\nthree"), [p(text("one two")), p(text("three"))]);
});

test("bold, italic, code and http(s) links nest as written", () => {
  assert.deepEqual(parse("**a *b*** `x*y*` [NIST](https://csrc.nist.gov/a_(b)) *i*"), [
    p(
      { type: "strong", children: [text("a "), { type: "em", children: [text("b")] }] },
      text(" "),
      { type: "code", text: "x*y*" },
      text(" "),
      { type: "link", href: "https://csrc.nist.gov/a_(b)", children: [text("NIST")] },
      text(" "),
      { type: "em", children: [text("i")] },
    ),
  ]);
});

test("bullet and numbered lists, with a lead-in line and a continuation line", () => {
  assert.deepEqual(parse("Choose:\n- one\n- two\n  more\n\n3. c\n4. d"), [
    p(text("Choose:")),
    { type: "ul", items: [[text("one")], [text("two more")]] },
    { type: "ol", start: 3, items: [[text("c")], [text("d")]] },
  ]);
});

test("HTML, event handlers and script URLs stay literal text", () => {
  const attacks = [
    "<script>alert(1)</script>",
    '<img src=x onerror="alert(1)">',
    "<svg><script>alert(1)</script></svg>",
    "[click](javascript:alert(1))",
    "[click](JaVaScRiPt:alert(1))",
    "[click](data:text/html,<script>alert(1)</script>)",
    "[click]( https://example.org)",
    "[click](https://exa mple.org)",
    "<a href=\"javascript:alert(1)\">x</a>",
  ];
  for (const attack of attacks) assert.deepEqual(parse(attack), [p(text(attack))], attack);
});

test("emphasis needs non-space next to its delimiters; backslash escapes stay literal", () => {
  assert.deepEqual(parse("2 * 3 * 4"), [p(text("2 * 3 * 4"))]);
  assert.deepEqual(parse("\\*not italic\\*"), [p(text("*not italic*"))]);
  assert.deepEqual(parse("**unclosed"), [p(text("**unclosed"))]);
});

test("safeUrl keeps absolute http(s) URLs only", () => {
  assert.equal(safeUrl("https://www.hhs.gov/hipaa/"), "https://www.hhs.gov/hipaa/");
  assert.equal(safeUrl("HTTP://example.org"), "http://example.org/");
  for (const bad of ["javascript:alert(1)", "//evil.example", "/relative", "ftp://x.example", "https://a b", "https://a\u0000b", "", null, undefined]) {
    assert.equal(safeUrl(bad), null, String(bad));
  }
});
