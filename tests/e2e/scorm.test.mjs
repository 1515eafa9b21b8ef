// SCORM 1.2 and 2004 in Chromium, end to end: packages built by `skillcat package`, unpacked
// on a web server, launched in an iframe from a host page whose LMS side is scorm-again (the
// runtime LMS players embed). Each scenario is checked against the CMI data the LMS recorded
// and against the log of API calls the quiz made (tests/e2e/fixtures/lms/host.js).
//
// Every response carries `Permissions-Policy: unload=()`, and an init script in every frame
// records `unload`/`beforeunload` listeners and synchronous XMLHttpRequests: the quiz must use
// neither.

import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { fileURLToPath } from "node:url";

import { answerUntilDone, answerWithKey, bankKeys, buildPackage, servePackage } from "./packages.mjs";
import { assertCleanSession, collectFrameChecks, frameChecks, launch, leave, lmsPage as openHost, VERSIONS } from "./scorm-host.mjs";
import { act, currentQuestion, FIXTURES, launchBrowser, waitForState } from "./support.mjs";

const BANK = "cybersecurity";
const keys = bankKeys(BANK);
const SCORM_AGAIN = fileURLToPath(new URL("../node_modules/scorm-again/dist/scorm-again.js", import.meta.url));
const MASTERY = 70;
const MAX_ITEMS = 5;
const JOINT_BANKS = ["cloud", "regulation"];

let browser;
const servers = {};

before(async () => {
  browser = await launchBrowser();
  const extra = { lms: `${FIXTURES}lms`, "lms/scorm-again.js": SCORM_AGAIN };
  const headers = { "Permissions-Policy": "unload=()" };
  for (const [version, v] of Object.entries(VERSIONS)) {
    for (const mode of ["practice", "assessment"]) {
      const files = buildPackage([
        "--format", v.format, `quizbanks/${BANK}.json`,
        "--mode", mode, "--max-items", String(MAX_ITEMS), "--mastery-score", String(MASTERY),
      ]);
      servers[`${version}/${mode}`] = await servePackage(files, { extra, headers });
    }
  }
  // Two domains of the bundled profile's family: the package ships the profile (joint) or not.
  for (const profile of ["joint", "none"]) {
    const args = ["--format", "scorm2004", ...JOINT_BANKS.map((id) => `quizbanks/${id}.json`), "--max-items", "3"];
    servers[`2004/${profile}`] = await servePackage(buildPackage(profile === "none" ? [...args, "--profile", "none"] : args), { extra, headers });
  }
});

after(async () => {
  await browser?.close();
  for (const server of Object.values(servers)) await server.close();
});

/** A fresh page on the LMS host of the package built for `version` and `mode`. */
const lmsPage = (version, mode) => openHost(browser, `${servers[`${version}/${mode}`].url}lms/host.html?version=${version}`);

/**
 * One whole attempt from the LMS's launch to the learner leaving: every answer right or wrong.
 * Checks the session's rules, and returns the CMI data, the items in order and the quiz's own
 * `skillcat:completed` detail (its score and verdict).
 */
async function wholeAttempt(version, mode, right) {
  const { page, log } = await lmsPage(version, mode);
  const frame = await launch(page);
  await act(frame, "start");
  const { items } = await answerUntilDone(frame, keys, { right, mode });
  await waitForState(frame, "results");
  const events = await frame.evaluate(() => window.__skillcatEvents);
  const completed = events.find((e) => e.type === "skillcat:completed").detail;
  const answered = events.filter((e) => e.type === "skillcat:answered").map((e) => e.detail);
  const progress = events.filter((e) => e.type === "skillcat:progress").map((e) => e.detail);
  const startOver = await frame.locator('skillcat-quiz [data-action="start-over"]').count();
  await collectFrameChecks(page, frame);
  const data = await leave(page);
  assertCleanSession(version, data, log, await frameChecks(page));
  await page.close();
  return { cmi: data.cmi, items, completed, answered, progress, startOver };
}

for (const version of Object.keys(VERSIONS)) {
  const v = VERSIONS[version];

  describe(`SCORM ${version}`, () => {
    test("a full attempt answered right is passed, with score, interactions and the keys (practice)", async () => {
      const { cmi, items, completed, answered, progress, startOver } = await wholeAttempt(version, "practice", true);
      assert.equal(startOver, 0, "no Start over inside an LMS attempt: the LMS owns retakes");
      // The events carry the xAPI statements an LRS would get (criterion 13).
      assert.deepEqual(progress.map((p) => p.item), items, "a progress event for every question shown");
      assert.deepEqual(
        progress.map((p) => p.statement.result.extensions["https://w3id.org/xapi/cmi5/result/extensions/progress"]),
        progress.map((p) => Math.round((100 * p.answered) / p.maxLength)),
      );
      assert.equal(progress[0].statement.verb.id, "http://adlnet.gov/expapi/verbs/progressed");
      assert.equal(completed.statement.verb.id, "http://adlnet.gov/expapi/verbs/completed");
      assert.equal(completed.statement.result.score.scaled, completed.score);
      assert.equal(completed.statement.result.success, true);
      assert.deepEqual(
        answered.map((a) => [a.statement.object.definition.interactionType, a.statement.result.success]),
        answered.map((a) => [keys.get(a.item).type === "true_false" ? "true-false" : "choice", true]),
      );

      const raw = Math.round(completed.score * 100);
      assert.ok(completed.score >= MASTERY / 100, `score ${completed.score} reaches the mastery score`);
      assert.equal(completed.passed, true);
      assert.deepEqual({ raw: v.score(cmi).raw, min: v.score(cmi).min, max: v.score(cmi).max }, { raw: String(raw), min: "0", max: "100" });
      if (version === "1.2") {
        assert.equal(cmi.core.lesson_status, "passed");
      } else {
        assert.equal(cmi.score.scaled, String(completed.score));
        assert.equal(cmi.completion_status, "completed");
        assert.equal(cmi.success_status, "passed");
      }
      // Suspended, so that an LMS hands the finished attempt back to show its results.
      assert.equal(v.exit(cmi), "suspend");
      const interactions = Object.values(cmi.interactions);
      assert.deepEqual(interactions.map((i) => i.id), items.map((item) => v.interactionId(BANK, item)));
      for (const [i, interaction] of interactions.entries()) {
        const item = keys.get(items[i]);
        assert.equal(interaction.result, "correct");
        assert.ok(["choice", "true-false"].includes(interaction.type));
        assert.ok(interaction[v.response], "the learner's response is recorded");
        assert.ok(Object.keys(interaction.correct_responses).length === 1, "practice mode records the key");
        if (item.type !== "true_false") {
          const letters = item.key.map((k) => String.fromCharCode(97 + k));
          assert.equal(interaction[v.response], letters.join(version === "1.2" ? "," : "[,]"));
        }
      }
    });

    test("an attempt answered wrong is failed and completed, without the keys (assessment)", async () => {
      const { cmi, items, completed } = await wholeAttempt(version, "assessment", false);

      assert.ok(completed.score < MASTERY / 100);
      assert.equal(completed.passed, false);
      assert.equal(v.score(cmi).raw, String(Math.round(completed.score * 100)));
      if (version === "1.2") {
        assert.equal(cmi.core.lesson_status, "failed");
      } else {
        assert.equal(cmi.score.scaled, String(completed.score));
        assert.equal(cmi.success_status, "failed");
        assert.equal(cmi.completion_status, "completed");
      }
      const interactions = Object.values(cmi.interactions);
      assert.equal(interactions.length, items.length);
      for (const interaction of interactions) {
        assert.equal(interaction.result, v.wrong);
        assert.deepEqual(interaction.correct_responses, {}, "assessment mode never records the key");
      }
    });

    test("suspending mid-attempt and relaunching continues at the same question with the same answers", async () => {
      const { page, log } = await lmsPage(version, "practice");
      let frame = await launch(page);
      await act(frame, "start");
      const { items: first } = await answerUntilDone(frame, keys, { right: true, count: 2 });
      const pending = (await currentQuestion(frame)).item;
      await collectFrameChecks(page, frame);
      const suspended = await leave(page);
      assertCleanSession(version, suspended, log, await frameChecks(page));
      assert.equal(v.exit(suspended.cmi), "suspend");
      assert.ok(suspended.cmi.suspend_data.length > 0 && suspended.cmi.suspend_data.length <= 4096);
      assert.match(v.status(suspended.cmi), version === "1.2" ? /^incomplete$/ : /^incomplete\/unknown$/, "a suspended attempt is neither passed nor failed");
      assert.equal(Object.keys(suspended.cmi.interactions).length, 2);

      // The LMS relaunches the SCO with what it kept, entry = "resume".
      const second = await lmsPage(version, "practice");
      frame = await launch(second.page, suspended.cmi);
      assert.equal(await waitForState(frame, "question"), "question");
      assert.equal((await currentQuestion(frame)).item, pending, "the same question as when the learner left");
      const notice = await frame.evaluate(() => document.querySelector("skillcat-quiz").shadowRoot.querySelector('[data-notice="resumed"]')?.textContent ?? "");
      assert.match(notice, /after 2 answers/);
      const { items: rest } = await answerUntilDone(frame, keys, { right: true });
      await waitForState(frame, "results");
      await act(frame, "review");
      await waitForState(frame, "review");
      const reviewed = await frame.evaluate(() =>
        [...document.querySelector("skillcat-quiz").shadowRoot.querySelectorAll('[part~="review-item"]')].map((li) => li.dataset.item),
      );
      assert.deepEqual(reviewed, [...first, ...rest], "the review holds the answers of both sessions");
      await collectFrameChecks(second.page, frame);
      const finished = await leave(second.page);
      assertCleanSession(version, finished, second.log, await frameChecks(second.page));
      assert.match(v.status(finished.cmi), version === "1.2" ? /^passed$/ : /^completed\/passed$/);
      assert.deepEqual(
        Object.values(finished.cmi.interactions).map((i) => i.id),
        [...first, ...rest].map((item) => v.interactionId(BANK, item)),
        "each answer is recorded once, across both sessions",
      );
      await page.close();
      await second.page.close();
    });

    test("leaving on the last answer's feedback, before the results, still records the finished attempt", async () => {
      const { page, log } = await lmsPage(version, "practice");
      const frame = await launch(page);
      await act(frame, "start");
      await answerUntilDone(frame, keys, { right: true, count: MAX_ITEMS - 1 });
      await answerWithKey(frame, keys, true);
      assert.equal(await waitForState(frame, ["feedback"]), "feedback");
      await collectFrameChecks(page, frame);
      const data = await leave(page);
      assertCleanSession(version, data, log, await frameChecks(page));
      assert.match(v.status(data.cmi), version === "1.2" ? /^passed$/ : /^completed\/passed$/);
      assert.equal(v.exit(data.cmi), "suspend", "the state stays, for the results");
      assert.equal(Object.keys(data.cmi.interactions).length, MAX_ITEMS);
      await page.close();
    });

    test("reopening a finished attempt shows the results and changes nothing in the LMS", async () => {
      const first = await wholeAttempt(version, "practice", true);
      const { page, log } = await lmsPage(version, "practice");
      const frame = await launch(page, first.cmi);
      assert.equal(await waitForState(frame, ["results"]), "results");
      await collectFrameChecks(page, frame);
      const data = await leave(page);
      assertCleanSession(version, data, log, await frameChecks(page));
      assert.equal(v.exit(data.cmi), "suspend", "the state stays with the LMS for the next launch");
      assert.equal(v.status(data.cmi), v.status(first.cmi));
      assert.deepEqual(data.cmi.interactions, first.cmi.interactions, "no answer is recorded twice");
      await page.close();

      // The LMS holds it as finished but has no state to show (too large, or not kept): the
      // relaunch only reviews, so a second run cannot overwrite the result.
      const review = await lmsPage(version, "practice");
      const stateless = await launch(review.page, { ...first.cmi, suspend_data: "" });
      assert.equal(await waitForState(stateless, ["intro"]), "intro");
      assert.equal(await stateless.locator('skillcat-quiz [data-notice="lms-review"]').count(), 1);
      await act(stateless, "start");
      await answerUntilDone(stateless, keys, { right: false });
      await collectFrameChecks(review.page, stateless);
      const after = await leave(review.page);
      assertCleanSession(version, after, review.log, await frameChecks(review.page));
      assert.equal(v.status(after.cmi), v.status(first.cmi), "the result stands");
      assert.deepEqual(v.score(after.cmi), v.score(first.cmi));
      assert.deepEqual(after.cmi.interactions, first.cmi.interactions);
      await review.page.close();
    });

    test("hiding the page commits what was set", async () => {
      const { page, log } = await lmsPage(version, "practice");
      const frame = await launch(page);
      await act(frame, "start");
      await answerUntilDone(frame, keys, { right: true, count: 1 });
      const commits = () => page.evaluate((name) => window.lms.calls.filter((c) => c.method === name).length, v.calls.commit);
      const before = await commits();
      await frame.evaluate(() => {
        Object.defineProperty(document, "visibilityState", { configurable: true, get: () => "hidden" });
        document.dispatchEvent(new Event("visibilitychange"));
      });
      assert.equal(await commits(), before + 1, "one Commit on visibilitychange to hidden");
      await collectFrameChecks(page, frame);
      assertCleanSession(version, await leave(page), log, await frameChecks(page));
      await page.close();
    });

    test("back from the back/forward cache after the session ended: a clear ending, no second session", async () => {
      const { page, log } = await lmsPage(version, "practice");
      const frame = await launch(page);
      await act(frame, "start");
      await answerUntilDone(frame, keys, { right: true, count: 1 });
      // What the browser does when it puts the page in the cache and later shows it again.
      await frame.evaluate(() => {
        window.dispatchEvent(new PageTransitionEvent("pagehide", { persisted: true }));
        window.dispatchEvent(new PageTransitionEvent("pageshow", { persisted: true }));
      });
      assert.equal(await waitForState(frame, ["ended"]), "ended");
      const calls = await page.evaluate(() => window.lms.calls.map((c) => c.method));
      assert.deepEqual(calls.filter((m) => m === v.calls.init || m === v.calls.finish), [v.calls.init, v.calls.finish]);
      const cmi = await page.evaluate(() => window.lms.cmi());
      assert.equal(v.exit(cmi), "suspend", "the attempt can be resumed from the LMS");
      assert.deepEqual(log.pageErrors, []);
      await page.close();
    });

    test("opening and closing without answering is never passed or failed", async () => {
      const { page, log } = await lmsPage(version, "assessment");
      const frame = await launch(page);
      assert.equal(await waitForState(frame, "intro"), "intro");
      await collectFrameChecks(page, frame);
      const data = await leave(page);
      assertCleanSession(version, data, log, await frameChecks(page));
      const { cmi } = data;
      if (version === "1.2") {
        assert.ok(!["passed", "failed"].includes(cmi.core.lesson_status), cmi.core.lesson_status);
        assert.equal(cmi.core.score.raw, "");
      } else {
        assert.equal(cmi.success_status, "unknown");
        assert.notEqual(cmi.completion_status, "completed");
        assert.equal(cmi.score.scaled, "");
      }
      assert.deepEqual(cmi.interactions, {});
      await page.close();
    });
  });
}

test("without an LMS the packaged quiz runs standalone, says progress is not recorded, and raises lms-unavailable", async () => {
  const page = await browser.newPage();
  const errors = [];
  page.on("pageerror", (error) => errors.push(error.message));
  await page.addInitScript(() => {
    window.__unavailable = [];
    document.addEventListener("skillcat:lms-unavailable", (event) => window.__unavailable.push(event.detail));
  });
  await page.goto(`${servers["1.2/practice"].url}package/index.html`);
  await waitForState(page, "intro");
  const notice = await page.evaluate(() => document.querySelector("skillcat-quiz").shadowRoot.querySelector('[data-notice="lms-unavailable"]')?.textContent ?? "");
  assert.match(notice, /not being recorded/);
  const detail = await page.evaluate(() => window.__unavailable);
  assert.equal(detail.length, 1);
  assert.equal(detail[0].lms, "scorm12");
  assert.match(detail[0].message, /SCORM 1\.2: no LMS was found/);
  await act(page, "start");
  assert.equal(await waitForState(page, "question"), "question", "the quiz still runs");
  assert.deepEqual(errors, []);
  await page.close();
});

test("a cross-origin parent frame on the way to the API throws nothing uncaught", async () => {
  // The host page comes from one server; the package, framed by it, from another origin.
  const page = await browser.newPage();
  const errors = [];
  page.on("pageerror", (error) => errors.push(error.message));
  await page.goto(`${servers["2004/practice"].url}lms/host.html?version=2004&package=${encodeURIComponent(`${servers["1.2/practice"].url}package/`)}`);
  await page.evaluate(() => {
    window.API = { LMSInitialize: () => "true" }; // an API the quiz must not reach across origins
  });
  const frame = await launch(page);
  assert.equal(await waitForState(frame, "intro"), "intro");
  const notice = await frame.evaluate(() => document.querySelector("skillcat-quiz").shadowRoot.querySelector('[data-notice="lms-unavailable"]')?.textContent ?? "");
  assert.match(notice, /not being recorded.*SCORM 1\.2: no LMS was found/s, "the walk went past the cross-origin parent and found nothing");
  assert.deepEqual(errors, []);
  await page.close();
});

test("a SCO opened in a new window finds the API through the opener", async () => {
  const { page, log } = await lmsPage("2004", "practice");
  const [popup] = await Promise.all([page.waitForEvent("popup"), page.evaluate(() => window.launchPopup())]);
  assert.equal(await waitForState(popup, ["intro"]), "intro");
  assert.equal(await popup.locator('skillcat-quiz [data-notice="lms-unavailable"]').count(), 0);
  await act(popup, "start");
  await answerUntilDone(popup, keys, { right: true, count: 1 });
  await popup.close({ runBeforeUnload: true });
  await page.waitForFunction(() => window.lms.calls.some((c) => c.method === "Terminate"));
  const calls = await page.evaluate(() => window.lms.calls);
  assert.deepEqual(calls.filter((c) => ["Initialize", "Terminate"].includes(c.method)).map((c) => c.method), ["Initialize", "Terminate"]);
  assert.equal(Object.keys(await page.evaluate(() => window.lms.cmi().interactions)).length, 1);
  assert.deepEqual(log.pageErrors, []);
  await page.close();
});

for (const profile of ["joint", "none"]) {
  test(`a package of two banks ${profile === "joint" ? "ships their profile and runs them as one joint test" : "built with --profile none runs them apart"}, with no failed request`, async () => {
    const { page, log } = await lmsPage("2004", profile);
    const failed = [];
    page.on("response", (response) => {
      if (response.status() >= 400) failed.push(`${response.status()} ${response.url()}`);
    });
    const frame = await launch(page);
    const ready = (await frame.evaluate(() => window.__skillcatEvents)).find((e) => e.type === "skillcat:ready").detail;
    if (profile === "joint") {
      assert.equal(ready.profile?.id, "health-it", "the element found the packaged quizbanks/profile.json");
      assert.ok(await frame.locator('skillcat-quiz [data-fact="profile"]').count(), "the intro says the domains are measured together");
    } else {
      assert.equal(ready.profile, null);
    }
    await act(frame, "start");
    const keys = new Map(JOINT_BANKS.flatMap((id) => [...bankKeys(id)]));
    await answerUntilDone(frame, keys, { right: true, count: 1 });
    // The suspended session is the engine's own record of how it runs: a joint session keeps
    // the profile's correlations and the adaptive domain order in its settings.
    const suspend = await page.evaluate(() => window.lms.cmi().suspend_data);
    assert.equal(suspend.includes('"correlations":[[1'), profile === "joint", suspend.slice(0, 400));
    assert.equal(suspend.includes('"order":"adaptive"'), profile === "joint", suspend.slice(0, 400));
    await collectFrameChecks(page, frame);
    const data = await leave(page);
    assertCleanSession("2004", data, log, await frameChecks(page));
    assert.deepEqual(failed, [], "no request fails (no profile.json looked for in vain)");
    await page.close();
  });
}
