// Imported text as the shell renders it (www/lib/markdown.js): HTML emphasis from GIFT becomes
// the Markdown subset with no stray delimiter, and plain GIFT and Aiken text (`2*3*4`,
// `snake_case`, backticks, brackets, TeX) shows exactly as the author typed it. The items are
// the importer's own output for the fixtures, in tests/fixtures/convert/*/*.items.json (the
// Rust tests check that the importer still gives exactly these).

import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";

import { parse } from "../../www/lib/markdown.js";

const fixture = (name) =>
  JSON.parse(readFileSync(new URL(`../fixtures/convert/${name}.items.json`, import.meta.url), "utf8"));

/** Every text field of an imported fixture. */
function texts(name) {
  const out = [];
  for (const item of fixture(name).items) {
    out.push(item.stem);
    for (const option of item.options) {
      out.push(option.text);
      if (option.feedback) out.push(option.feedback);
    }
    if (item.explanation) out.push(item.explanation);
  }
  return out;
}

/** What a learner reads, with `[strong]`/`[em]` around formatted runs. */
function shown(source) {
  const inline = (nodes) =>
    nodes
      .map((node) => {
        switch (node.type) {
          case "text":
            return node.text;
          case "code":
            return `[code]${node.text}[/code]`;
          case "strong":
            return `[strong]${inline(node.children)}[/strong]`;
          case "em":
            return `[em]${inline(node.children)}[/em]`;
          case "link":
            return `[a]${inline(node.children)}[/a]`;
          default:
            throw new Error(`unexpected node ${node.type}`);
        }
      })
      .join("");
  return parse(source)
    .map((block) => (block.type === "p" ? inline(block.children) : block.items.map(inline).join(" | ")))
    .join("\n\n");
}

test("nested and adjacent HTML emphasis from GIFT renders as emphasis, without stray asterisks", () => {
  assert.deepEqual(texts("gift/emphasis").map(shown), [
    "Which control is [strong][em]preventive[/em][/strong]?",
    "[strong][em]Multi-factor[/em][/strong] [em]authentication[/em]",
    "[strong]Auditlogs[/strong]",
    "[em]Backups[/em]",
    "Which term is [strong]spaced[/strong] and [em]nested [strong]twice[/strong] over[/em]?",
    "one",
    "two",
    "Moodle auto-format with [strong][em]both[/em][/strong] and [em]2*3*4[/em]",
    "True",
    "False",
  ]);
});

test("plain GIFT text shows as typed: asterisks, underscores, backticks, brackets, TeX", () => {
  assert.deepEqual(texts("gift/literal").map(shown), [
    "What is 2*3*4?",
    "24",
    "9",
    "2*3*4 is not a number",
    "Which name is a_snake_case_name and which is *starred*?",
    "snake_case",
    "`code`",
    "[link](https://example.org)",
    "Solve \\(x^2 = 4\\) for $$x > 0$$.",
    "2",
    "-2",
  ]);
});

test("Aiken text shows as typed", () => {
  assert.deepEqual(texts("aiken/literal").map(shown), [
    "What is 2*3*4?",
    "24",
    "2*3*4 is not a number",
    "*nine*",
    "Which Python name is written in snake_case?",
    "my_variable_name",
    "MyVariableName",
    "Solve \\(x^2 = 4\\) for x > 0.",
    "2",
    "$$-2$$",
  ]);
});
