// SCORM packages against LMS runtimes stricter than scorm-again's defaults, in Chromium, with
// scorm-again 3.4.3 as the LMS side (fixtures/lms/host.js, profile "moodle": Moodle 4.5's
// rules, see there):
// - a SCORM 2004 runtime that sends the whole data model, form-encoded, on every Commit and on
//   Terminate, the Terminate one as a beacon that Chromium refuses over 64 KiB, and keeps the
//   data only after exit "suspend": the longest default test (7 banks × 20 = 140 answers)
//   resumes at the same question with every answer, and every commit fits;
// - SCORM 1.2 Preview (browse): the LMS turns "not attempted" into "completed" at LMSFinish, so
//   the quiz says "browsed"; nothing else is written, in either version, nor anything in review;
// - a finished attempt reopened shows its results and writes no second result, in an LMS that
//   hands the state back only after exit "suspend".

import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { after, before, describe, test } from "node:test";
import { fileURLToPath } from "node:url";

import { startCommitStore } from "./lms-store.mjs";
import { answerUntilDone, answerWithKey, bankKeys, buildPackage, ROOT, servePackage } from "./packages.mjs";
import { assertCleanSession, collectFrameChecks, frameChecks, launch, leave, lmsPage, VERSIONS } from "./scorm-host.mjs";
import { act, currentQuestion, FIXTURES, launchBrowser, waitForState } from "./support.mjs";

const SCORM_AGAIN = fileURLToPath(new URL("../node_modules/scorm-again/dist/scorm-again.js", import.meta.url));
// The bundled banks as the catalog lists them (quizbanks/ also holds schemas, the catalog and
// the skill profile, which are not banks).
const ALL_BANKS = JSON.parse(readFileSync(`${ROOT}quizbanks/index.json`, "utf8"))
  .banks.map((bank) => bank.id)
  .sort();
const LONGEST = 140; // 7 banks × 20, what `make packages` builds
const BEACON_LIMIT = 65_536;
const extra = { lms: `${FIXTURES}lms`, "lms/scorm-again.js": SCORM_AGAIN };
const headers = { "Permissions-Policy": "unload=()" };

let browser;
let store;
/** Package servers by name. */
const servers = {};

before(async () => {
  browser = await launchBrowser();
  store = await startCommitStore();
  const banks = ALL_BANKS.map((id) => `quizbanks/${id}.json`);
  servers.long = await servePackage(buildPackage(["--format", "scorm2004", ...banks, "--mastery-score", "70", "--level-certainty", "off"]), { extra, headers });
  for (const [version, v] of Object.entries(VERSIONS)) {
    const args = ["--format", v.format, "quizbanks/cybersecurity.json", "--max-items", "5", "--mastery-score", "70"];
    servers[version] = await servePackage(buildPackage(args), { extra, headers });
  }
}, { timeout: 600_000 });

after(async () => {
  await browser?.close();
  await store?.close();
  for (const server of Object.values(servers)) await server.close();
}, { timeout: 60_000 });

/** The host page of `server` for `version` with the query `extraQuery`. */
const host = (server, version, extraQuery = {}) =>
  lmsPage(browser, `${server.url}lms/host.html?${new URLSearchParams({ version, ...extraQuery })}`);

/** The items answered in the review screen, in order. */
const reviewed = (frame) =>
  frame.evaluate(() => [...document.querySelector("skillcat-quiz").shadowRoot.querySelectorAll('[part~="review-item"]')].map((li) => li.dataset.item));

/** Leaves the frame, checks the session's rules and returns the LMS's data and calls. */
async function leaveCleanly(version, { page, log }, frame) {
  await collectFrameChecks(page, frame);
  const data = await leave(page);
  assertCleanSession(version, data, log, await frameChecks(page));
  return data;
}

/** Waits for the Terminate beacon when the browser took it; returns whether it did. */
async function terminateDelivered(calls, before) {
  const terminate = calls.find((c) => c.method === "Terminate");
  if (terminate.result !== "true") return false;
  await store.waitFor(before + 1);
  assert.equal(store.received.at(-1).terminate, true, "the last commit is the Terminate one");
  return true;
}

describe("SCORM 2004 on a runtime that resends the whole data model", () => {
  test(`the longest default test (${LONGEST} answers over ${ALL_BANKS.length} banks) resumes at the same question, finishes, and reopens on its results`, { timeout: 900_000 }, async () => {
    const keys = new Map(ALL_BANKS.flatMap((id) => [...bankKeys(id)]));
    const query = { profile: "moodle", store: store.url };
    store.clear();

    // Session 1: every answer but the last, then the learner leaves.
    const first = await host(servers.long, "2004", query);
    let frame = await launch(first.page);
    await act(frame, "start");
    const { items: before } = await answerUntilDone(frame, keys, { right: true, count: LONGEST - 1, limit: LONGEST });
    const pending = (await currentQuestion(frame)).item;
    let sent = store.received.length;
    const suspended = await leaveCleanly("2004", first, frame);
    const firstDelivered = await terminateDelivered(suspended.calls, sent);
    let held = store.cmi();
    await first.page.close();

    // Session 2: the LMS hands the data back; the same question, then the last answer.
    const second = await host(servers.long, "2004", query);
    frame = await launch(second.page, held);
    assert.equal(await waitForState(frame, ["question", "intro"]), "question", "a resumed attempt, not a new test");
    assert.equal((await currentQuestion(frame)).item, pending, "the question on screen when the learner left");
    assert.equal(Object.keys(held.interactions).length, LONGEST - 1);
    assert.ok(firstDelivered, "the first session's Terminate beacon was accepted");
    assert.match(held.session_time, /^PT/, "the session time arrived with Terminate");
    await answerWithKey(frame, keys, true);
    await waitForState(frame, "feedback");
    await act(frame, "next");
    await waitForState(frame, "results");
    await act(frame, "review");
    await waitForState(frame, "review");
    // The review groups the answers by domain; each answer of both sessions is there once.
    const sorted = (items) => [...items].sort();
    assert.deepEqual(sorted(await reviewed(frame)), sorted([...before, pending]), "every answer of both sessions");
    sent = store.received.length;
    const finished = await leaveCleanly("2004", second, frame);
    assert.ok(await terminateDelivered(finished.calls, sent), "the Terminate beacon of the whole test is accepted");
    held = store.cmi();
    assert.equal(held.completion_status, "completed");
    assert.equal(held.success_status, "passed");
    assert.equal(held.exit, "suspend", "the finished attempt's state stays with the LMS");
    const bankOf = new Map(ALL_BANKS.flatMap((id) => [...bankKeys(id).keys()].map((item) => [item, id])));
    assert.deepEqual(
      Object.values(held.interactions).map((i) => i.id),
      [...before, pending].map((item) => `${bankOf.get(item)}.${item}`),
      "each answer recorded once",
    );
    const largest = Math.max(...store.received.map((r) => r.size));
    assert.ok(largest <= BEACON_LIMIT, `every commit fits a beacon (largest ${largest} bytes)`);
    console.log(`${LONGEST} answers: largest full-model commit ${largest} bytes (${Math.round(largest / LONGEST)} per answer)`);
    await second.page.close();

    // Session 3: Moodle reopens a completed attempt in review mode, with its data.
    const third = await host(servers.long, "2004", query);
    frame = await launch(third.page, held);
    assert.equal(await waitForState(frame, "results"), "results", "the results, not a new test");
    const data = await leaveCleanly("2004", third, frame);
    assert.deepEqual(data.calls.filter((c) => c.method === "SetValue"), [], "review writes nothing");
    await third.page.close();
  });
});

for (const [version, v] of Object.entries(VERSIONS)) {
  const keys = bankKeys("cybersecurity");

  describe(`SCORM ${version}`, () => {
    if (version === "2004") {
      test("an attempt resumes even when the LMS never receives the Terminate of the session", async () => {
        store.clear();
        store.loseTerminate = true;
        try {
          const query = { profile: "moodle", store: store.url };
          const first = await host(servers[version], version, query);
          let frame = await launch(first.page);
          await act(frame, "start");
          const { items } = await answerUntilDone(frame, keys, { right: true, count: 2 });
          const pending = (await currentQuestion(frame)).item;
          await leaveCleanly(version, first, frame);
          await first.page.close();
          assert.ok(!store.received.some((r) => r.terminate), "no Terminate commit was kept");

          const second = await host(servers[version], version, query);
          frame = await launch(second.page, store.cmi());
          assert.equal(await waitForState(frame, ["question", "intro"]), "question", "a resumed attempt, not a new test");
          assert.equal((await currentQuestion(frame)).item, pending);
          assert.equal(Object.keys(store.cmi().interactions).length, items.length);
          await leaveCleanly(version, second, frame);
          await second.page.close();
        } finally {
          store.loseTerminate = false;
        }
      });
    }

    test("a Preview (browse) launch taken to the end is never completed, passed or failed, and has no score", async () => {
      const session = await host(servers[version], version, { profile: "moodle" });
      const frame = await launch(session.page, null, { mode: "browse" });
      assert.equal(await frame.locator('skillcat-quiz [data-notice="lms-review"]').count(), 1);
      await act(frame, "start");
      await answerUntilDone(frame, keys, { right: true });
      await waitForState(frame, "results");
      const { cmi, calls } = await leaveCleanly(version, session, frame);
      const sets = calls.filter((c) => c.method === v.calls.set).map((c) => c.args);
      if (version === "1.2") {
        assert.equal(cmi.core.lesson_status, "browsed", "the LMS's not attempted → completed did not happen");
        assert.deepEqual(sets, [["cmi.core.lesson_status", "browsed"]], "browsed is the only value written");
      } else {
        assert.notEqual(cmi.completion_status, "completed");
        assert.equal(cmi.success_status, "unknown");
        assert.deepEqual(sets, [], "nothing is written");
      }
      assert.deepEqual({ raw: v.score(cmi).raw, scaled: v.score(cmi).scaled ?? "" }, { raw: "", scaled: "" }, "no score");
      assert.deepEqual(cmi.interactions, {});
      await session.page.close();
    });

    test("a review launch writes nothing", async () => {
      const session = await host(servers[version], version, { profile: "moodle" });
      const frame = await launch(session.page, null, { mode: "review" });
      await act(frame, "start");
      await answerUntilDone(frame, keys, { right: false });
      const { calls } = await leaveCleanly(version, session, frame);
      assert.deepEqual(calls.filter((c) => c.method === v.calls.set || c.method === v.calls.commit), [], "no SetValue, no Commit");
      await session.page.close();
    });

    for (const [name, query] of [
      ["Moodle, which reopens it in review mode", { profile: "moodle" }],
      ["an LMS that keeps the data only after exit suspend", { handback: "suspend" }],
    ]) {
      test(`a finished attempt reopened in ${name} shows its results and writes no second result`, async () => {
        const moodle2004 = query.profile === "moodle" && version === "2004";
        if (moodle2004) store.clear();
        const first = await host(servers[version], version, moodle2004 ? { ...query, store: store.url } : query);
        let frame = await launch(first.page);
        await act(frame, "start");
        const { items } = await answerUntilDone(frame, keys, { right: true });
        await waitForState(frame, "results");
        const sent = store.received.length;
        const done = await leaveCleanly(version, first, frame);
        if (moodle2004) assert.ok(await terminateDelivered(done.calls, sent));
        const held = moodle2004 ? store.cmi() : done.cmi;
        await first.page.close();

        const second = await host(servers[version], version, moodle2004 ? { ...query, store: store.url } : query);
        frame = await launch(second.page, held);
        assert.equal(await waitForState(frame, ["results", "intro", "question"]), "results", "the results, not a new test");
        await act(frame, "review");
        await waitForState(frame, "review");
        assert.deepEqual(await reviewed(frame), items);
        const again = await leaveCleanly(version, second, frame);
        const written = again.calls.filter((c) => c.method === v.calls.set).map((c) => c.args[0]);
        assert.deepEqual(
          written.filter((element) => /score|status|interactions/.test(element)),
          [],
          "no score, status or interaction is written again",
        );
        assert.equal(v.status(again.cmi), v.status(done.cmi), "the result stands");
        await second.page.close();
      });
    }
  });
}
