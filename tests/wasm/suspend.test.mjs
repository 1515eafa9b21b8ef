// The compact suspend data for SCORM (www/lib/lms/suspend.js): a 60-item attempt over two of
// the bundled banks fits SCORM 1.2's 4,096 characters, and every encoded state restores, in
// the WebAssembly engine, to a session that continues exactly where the saved one was.

import assert from "node:assert/strict";
import { join } from "node:path";
import { test } from "node:test";

import { decodeSuspendData, encodeSuspendData, itemIndex } from "../../www/lib/lms/suspend.js";
import { Bank, read, root, Session } from "./support.mjs";

const SCORM_12_LIMIT = 4096;

function bundled(id) {
  const json = JSON.parse(read(join(root, "quizbanks", `${id}.json`)));
  return { bank: Bank.fromJson(json, `${id}.json`), itemIds: json.items.map((item) => item.id) };
}

const loaded = ["regulation", "secure-dev"].map(bundled);
const banks = loaded.map((b) => b.bank);
const index = itemIndex(loaded);

/** Answers `count` items (option 0, or options 0 and 1 on multiple-response items). */
function attempt(config, count) {
  const session = new Session(banks, config);
  for (let i = 0; i < count; i += 1) {
    const item = session.next();
    if (!item) break;
    session.answer(item.id, item.type === "multiple" ? [0, 1] : [i % item.options.length]);
  }
  return session;
}

test("a 60-item attempt over two banks fits SCORM 1.2's suspend_data", () => {
  const session = attempt({ mode: "assessment", seed: 11, stop: { maxItems: 30, minItems: 30 } }, 60);
  assert.equal(session.answered, 60);
  const saved = session.save();
  const encoded = encodeSuspendData(saved, index);
  assert.ok(encoded.length <= SCORM_12_LIMIT, `${encoded.length} characters`);
  console.log(`60 answers: ${encoded.length} characters encoded, ${saved.length} as saved JSON`);
  assert.ok(encoded.length < saved.length / 2, `encoded ${encoded.length}, saved JSON ${saved.length}`);
  assert.equal(decodeSuspendData(encoded, index), saved);
});

test("encoded states restore to the same next item, at every length", () => {
  for (const mode of ["practice", "assessment"]) {
    const session = new Session(banks, { mode, seed: 5, stop: { maxItems: 8, minItems: 8 } });
    for (;;) {
      const item = session.next();
      const saved = session.save();
      const restored = Session.restore(banks, decodeSuspendData(encodeSuspendData(saved, index), index));
      assert.equal(restored.save(), saved, `${mode}, after ${session.answered} answers`);
      assert.equal(restored.next()?.id, item?.id);
      restored.free();
      if (!item) break;
      session.answer(item.id, [1]);
    }
  }
});

test("a state with an item the banks do not know stays plain JSON", () => {
  const saved = JSON.stringify({ format: "skillcat-session/1", config: {}, banks: [], responses: [{ item: "elsewhere", answer: [0] }], pending: null });
  assert.equal(encodeSuspendData(saved, index), saved);
  assert.equal(decodeSuspendData(saved, index), saved);
});

test("damaged suspend data is an error naming the problem, not a wrong session", () => {
  const saved = attempt({ seed: 3 }, 2).save();
  const encoded = encodeSuspendData(saved, index);
  assert.throws(() => decodeSuspendData("hello", index), /suspend_data: not a saved skillcat session/);
  const [version, head, responses, pending] = encoded.split(/\|(?=[^|]*(?:\|[^|]*)?$)/);
  assert.ok(version.startsWith("s1"), encoded);
  assert.throws(() => decodeSuspendData(encoded.replace(/\|[^|]*\|([^|]*)$/, "|zzzz=0|$1"), index), /"zzzz" is not an item/);
  assert.throws(() => decodeSuspendData(encoded.replace(/\|[^|]*\|([^|]*)$/, "|1=x|$1"), index), /"1=x" is not a response/);
  void head;
  void responses;
  void pending;
});
