// SCORM suspend data and resume for joint sessions (www/lib/lms/suspend.js with the WebAssembly
// engine): a session over all seven bundled banks with correlated domains, the adaptive domain
// order and the level-certainty stop keeps those settings through encode and decode, continues
// with the same next item after every answer, and its longest attempt fits SCORM 1.2's 4,096
// characters.

import assert from "node:assert/strict";
import { join } from "node:path";
import { test } from "node:test";

import { decodeSuspendData, encodeSuspendData, itemIndex } from "../../www/lib/lms/suspend.js";
import { Bank, read, root, Session } from "./support.mjs";

const SCORM_12_LIMIT = 4096;
const SEVEN = ["genai-ml", "cloud", "cybersecurity", "data-governance", "interoperability", "regulation", "secure-dev"];

const loaded = SEVEN.map((id) => {
  const json = JSON.parse(read(join(root, "quizbanks", `${id}.json`)));
  return { bank: Bank.fromJson(json, `${id}.json`), itemIds: json.items.map((item) => item.id) };
});
const banks = loaded.map((b) => b.bank);
const index = itemIndex(loaded);
/** ρ = 0.6 between every two domains (positive definite); the numbers of a calibrated profile are longer. */
const correlations = SEVEN.map((_, i) => SEVEN.map((__, j) => (i === j ? 1 : 0.6123456789012345)));

const config = (stop, mode = "practice") => ({ mode, seed: 17, order: "adaptive", correlations, pretestItems: 2, stop });

test("a joint session restores from its suspend data with the same settings and the same next item, after every answer", () => {
  const session = new Session(banks, config({ maxItems: 6, minItems: 3, levelCertainty: 0.8 }));
  let steps = 0;
  for (;;) {
    const item = session.next();
    const saved = session.save();
    const encoded = encodeSuspendData(saved, index);
    assert.ok(encoded.startsWith("s1|"), "the compact form, not the JSON fallback");
    const decoded = decodeSuspendData(encoded, index);
    assert.equal(decoded, saved, `after ${session.answered} answers`);
    const restored = Session.restore(banks, decoded);
    const kept = JSON.parse(restored.save()).config;
    assert.equal(kept.order, "adaptive");
    assert.equal(kept.stop.levelCertainty, 0.8);
    assert.deepEqual(kept.correlations, correlations);
    assert.equal(restored.next()?.id, item?.id, `the same next item after ${session.answered} answers`);
    restored.free();
    if (!item) break;
    session.answer(item.id, item.type === "multiple" ? [0, 1] : [steps % item.options.length]);
    steps += 1;
  }
  assert.ok(session.isFinished);
  session.free();
});

test("the longest joint attempt over seven banks fits SCORM 1.2's suspend_data", () => {
  // No early stop: 20 scored and 2 pretest questions in each of the seven domains.
  const session = new Session(banks, config({ maxItems: 20, minItems: 20, se: null }, "assessment"));
  for (;;) {
    const item = session.next();
    if (!item) break;
    session.answer(item.id, item.type === "multiple" ? [0, 1, 2] : [1]);
  }
  const saved = session.save();
  const encoded = encodeSuspendData(saved, index);
  console.log(`joint, ${session.answered} answers over 7 banks: ${encoded.length} characters encoded, ${saved.length} as saved JSON`);
  assert.ok(session.answered >= 140, `${session.answered} answers`);
  assert.ok(encoded.length <= SCORM_12_LIMIT, `${encoded.length} characters`);
  assert.equal(decodeSuspendData(encoded, index), saved);
  session.free();
});
