// Saved progress (www/lib/storage.js): keys tied to bank versions and settings, and the
// in-memory fallback when the browser refuses storage.

import assert from "node:assert/strict";
import { test } from "node:test";

import { createStore, sessionKey, staleKeys } from "../../www/lib/storage.js";

const settings = {
  banks: [
    { id: "cybersecurity", version: "2025.1" },
    { id: "regulation", version: "2025.1" },
  ],
  mode: "practice",
  maxItems: 20,
};

function fakeStorage({ failOnSet = Infinity } = {}) {
  const data = new Map();
  let sets = 0;
  return {
    get length() {
      return data.size;
    },
    key: (i) => [...data.keys()][i] ?? null,
    getItem: (k) => (data.has(k) ? data.get(k) : null),
    setItem: (k, v) => {
      sets += 1;
      if (sets > failOnSet) throw new Error("QuotaExceededError");
      data.set(k, String(v));
    },
    removeItem: (k) => data.delete(k),
    data,
  };
}

test("the key names the banks with their versions, the mode, the length and a fixed seed", () => {
  assert.equal(sessionKey(settings), "skillcat:v1:cybersecurity@2025.1,regulation@2025.1|practice|20");
  assert.equal(sessionKey({ ...settings, seed: 7 }), "skillcat:v1:cybersecurity@2025.1,regulation@2025.1|practice|20|seed=7");
  assert.notEqual(sessionKey({ ...settings, mode: "assessment" }), sessionKey(settings));
  assert.notEqual(sessionKey({ ...settings, maxItems: 10 }), sessionKey(settings));
});

test("progress saved under another version of the same banks is found as stale", () => {
  const old = sessionKey({ ...settings, banks: [{ id: "cybersecurity", version: "2024.9" }, settings.banks[1]] });
  const otherQuiz = sessionKey({ ...settings, banks: [settings.banks[0]] });
  const otherMode = sessionKey({ ...settings, mode: "assessment", banks: [{ id: "cybersecurity", version: "2024.9" }, settings.banks[1]] });
  assert.deepEqual(staleKeys([sessionKey(settings), old, otherQuiz, otherMode, "unrelated"], settings), [old]);
});

test("a working localStorage is used and persistent", () => {
  const storage = fakeStorage();
  const store = createStore(() => storage);
  assert.equal(store.persistent, true);
  assert.equal(store.set("k", "v"), true);
  assert.equal(storage.data.get("k"), "v");
  assert.deepEqual(store.keys(), ["k"]);
  store.remove("k");
  assert.equal(store.get("k"), null);
});

test("storage that throws on access falls back to memory and says so", () => {
  const store = createStore(() => {
    throw new Error("SecurityError: access denied");
  });
  assert.equal(store.persistent, false);
  assert.match(String(store.problem), /SecurityError/);
  assert.equal(store.set("k", "v"), false);
  assert.equal(store.get("k"), "v");
});

test("a quota error after a while keeps every value in memory from then on", () => {
  const store = createStore(() => fakeStorage({ failOnSet: 2 })); // the probe, then one save
  assert.equal(store.set("a", "1"), true);
  assert.equal(store.set("b", "2"), false);
  assert.equal(store.persistent, false);
  assert.equal(store.get("a"), "1");
  assert.equal(store.get("b"), "2");
});
