// Progress over time (www/lib/history.js): results per domain kept in storage, capped, versioned,
// per learner, clearable; corrupted or foreign data is skipped without an error.

import assert from "node:assert/strict";
import { test } from "node:test";

import { clearHistory, historyKey, HISTORY_VERSION, MAX_RESULTS, readHistory, recordResults } from "../../www/lib/history.js";
import { createStore } from "../../www/lib/storage.js";

function memoryStorage() {
  const data = new Map();
  return {
    get length() {
      return data.size;
    },
    key: (i) => [...data.keys()][i] ?? null,
    getItem: (k) => (data.has(k) ? data.get(k) : null),
    setItem: (k, v) => data.set(k, String(v)),
    removeItem: (k) => data.delete(k),
    data,
  };
}

const storeWith = (storage = memoryStorage()) => ({ store: createStore(() => storage), storage });

const probabilities = (p) => [
  { name: "Foundation", probability: 0.05 },
  { name: "Practitioner", probability: 0.95 - p },
  { name: "Advanced", probability: p },
];
const report = (theta, { finished = true, answered = 20 } = {}) => ({
  finished,
  domains: [
    { domain: "cloud", theta, se: 0.5, level: "Advanced", levelProbabilities: probabilities(0.6), answered },
    { domain: "regulation", theta: -theta, se: 0.45, level: "Practitioner", levelProbabilities: probabilities(0.2), answered: 0 },
  ],
});

test("a finished test adds one result per answered domain, oldest first, with the bank version", () => {
  const { store } = storeWith();
  assert.equal(recordResults(store, report(0.2), { at: 1000, versions: new Map([["cloud", "2025.2"]]) }), true);
  assert.equal(recordResults(store, report(0.6), { at: 2000 }), true);
  const { domains, newer } = readHistory(store);
  assert.equal(newer, false);
  assert.deepEqual([...domains.keys()], ["cloud"], "a domain without answers is not recorded");
  const cloud = domains.get("cloud");
  assert.deepEqual(cloud.map((r) => [r.at, r.theta, r.bankVersion]), [[1000, 0.2, "2025.2"], [2000, 0.6, null]]);
  assert.deepEqual(cloud[1].levelProbabilities, probabilities(0.6));
  assert.equal(recordResults(store, report(1, { finished: false }), { at: 3000 }), false, "an unfinished test is not recorded");
  assert.equal(readHistory(store).domains.get("cloud").length, 2);
});

test(`only the newest ${MAX_RESULTS} results per domain are kept`, () => {
  const { store, storage } = storeWith();
  for (let i = 0; i < MAX_RESULTS + 5; i += 1) recordResults(store, report(i / 10), { at: 1000 + i });
  const cloud = readHistory(store).domains.get("cloud");
  assert.equal(cloud.length, MAX_RESULTS);
  assert.equal(cloud[0].at, 1005);
  assert.equal(cloud.at(-1).at, 1000 + MAX_RESULTS + 4);
  assert.equal(JSON.parse(storage.data.get(historyKey())).domains.cloud.length, MAX_RESULTS, "the stored list is capped too");
});

test("each learner scope has its own history, and clearing forgets only that one", () => {
  const { store } = storeWith();
  recordResults(store, report(0.1), { at: 1 });
  recordResults(store, report(0.9), { at: 2, scope: "ab12cd34" });
  assert.deepEqual(readHistory(store).domains.get("cloud").map((r) => r.theta), [0.1]);
  assert.deepEqual(readHistory(store, "ab12cd34").domains.get("cloud").map((r) => r.theta), [0.9]);
  clearHistory(store, "ab12cd34");
  assert.equal(readHistory(store, "ab12cd34").domains.size, 0);
  assert.equal(readHistory(store).domains.size, 1);
});

test("corrupted data is skipped safely: not JSON, another shape, bad results among good ones", () => {
  for (const text of ["{not json", "null", "[]", '"text"', "42", '{"version":1}', '{"version":1,"domains":[1,2]}', '{"domains":{}}', '{"version":"1","domains":{}}']) {
    const { store, storage } = storeWith();
    storage.setItem(historyKey(), text);
    assert.deepEqual(readHistory(store), { domains: new Map(), newer: false }, text);
    assert.equal(recordResults(store, report(0.3), { at: 5 }), true, `a new result replaces ${text}`);
    assert.deepEqual(readHistory(store).domains.get("cloud").map((r) => r.theta), [0.3]);
  }
  const { store, storage } = storeWith();
  const good = { at: 10, theta: 0.5, se: 0.4, level: "Advanced", levelProbabilities: [{ name: "Advanced", probability: 0.7 }, { name: 7 }], answered: 20 };
  const bad = [null, 3, { ...good, theta: "0.5" }, { ...good, se: -1 }, { ...good, at: null }, { ...good, answered: 2.5 }, { ...good, theta: null }];
  storage.setItem(historyKey(), JSON.stringify({ version: HISTORY_VERSION, domains: { cloud: [...bad, good], regulation: "x" } }));
  const { domains } = readHistory(store);
  assert.deepEqual([...domains.keys()], ["cloud"]);
  assert.deepEqual(domains.get("cloud"), [{ ...good, bankVersion: null, levelProbabilities: [{ name: "Advanced", probability: 0.7 }] }]);
});

test("a history from a newer version is neither read nor overwritten", () => {
  const { store, storage } = storeWith();
  const newer = JSON.stringify({ version: HISTORY_VERSION + 1, domains: { cloud: [{ future: true }] } });
  storage.setItem(historyKey(), newer);
  assert.equal(readHistory(store).newer, true);
  assert.equal(recordResults(store, report(0.4), { at: 1 }), false);
  assert.equal(storage.getItem(historyKey()), newer);
});

test("without storage the history lives in memory for the page", () => {
  const store = createStore(() => {
    throw new Error("SecurityError");
  });
  assert.equal(store.persistent, false);
  recordResults(store, report(0.7), { at: 1 });
  assert.deepEqual(readHistory(store).domains.get("cloud").map((r) => r.theta), [0.7]);
});
