// The shell's Markdown reader (www/lib/markdown.js) against the corpus that the Rust reader
// (src/markup/markdown.rs, used by the exporters) is held to as well, so the two stay in step:
// a text an author exports reads the same in the learner's browser.

import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";

import { parse } from "../../www/lib/markdown.js";

const corpus = JSON.parse(readFileSync(new URL("../fixtures/markdown/corpus.json", import.meta.url), "utf8"));

test("the shell reads every case of the shared Markdown corpus as the corpus says", () => {
  assert.ok(corpus.cases.length >= 40, "the corpus lost cases");
  for (const { name, source, blocks } of corpus.cases) {
    assert.deepEqual(parse(source), blocks, `case "${name}": ${JSON.stringify(source)}`);
  }
});
