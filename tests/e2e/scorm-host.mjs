// The SCORM tests' side of the LMS host page (fixtures/lms/host.js): opening it in Chromium with
// watchers for what the quiz must never do, launching and leaving the package, and the rules
// every session must keep. Used by scorm.test.mjs and scorm-runtime.test.mjs.

import assert from "node:assert/strict";

import { waitForState } from "./support.mjs";

/** What differs between the versions, as the tests read it. */
export const VERSIONS = {
  "1.2": {
    format: "scorm12",
    status: (cmi) => cmi.core.lesson_status,
    exit: (cmi) => cmi.core.exit,
    sessionTime: (cmi) => cmi.core.session_time,
    score: (cmi) => cmi.core.score,
    wrong: "wrong",
    response: "student_response",
    sessionTimeFormat: /^\d{2,4}:\d{2}:\d{2}(\.\d{1,2})?$/,
    calls: { init: "LMSInitialize", finish: "LMSFinish", set: "LMSSetValue", commit: "LMSCommit" },
    interactionId: (bank, item) => `${bank}.${item}`,
  },
  "2004": {
    format: "scorm2004",
    status: (cmi) => `${cmi.completion_status}/${cmi.success_status}`,
    exit: (cmi) => cmi.exit,
    sessionTime: (cmi) => cmi.session_time,
    score: (cmi) => cmi.score,
    wrong: "incorrect",
    response: "learner_response",
    sessionTimeFormat: /^P(?:\d+Y)?(?:\d+M)?(?:\d+D)?(?:T(?:\d+H)?(?:\d+M)?(?:\d+(?:\.\d{1,2})?S)?)?$/,
    calls: { init: "Initialize", finish: "Terminate", set: "SetValue", commit: "Commit" },
    interactionId: (bank, item) => `${bank}.${item}`,
  },
};

/**
 * A fresh page of `browser` on the LMS host at `url` (fixtures/lms/host.html with its query),
 * watching for unload listeners, sync XHR and page errors.
 */
export async function lmsPage(browser, url) {
  const page = await browser.newPage();
  const log = { pageErrors: [], console: [] };
  page.on("pageerror", (error) => log.pageErrors.push(error.message));
  page.on("console", (message) => log.console.push(`${message.type()}: ${message.text()}`));
  await page.addInitScript(() => {
    window.__unloadListeners = 0;
    window.__syncXhr = 0;
    for (const property of ["onunload", "onbeforeunload"]) {
      Object.defineProperty(window, property, {
        configurable: true,
        set() {
          window.__unloadListeners += 1;
        },
        get: () => null,
      });
    }
    const add = EventTarget.prototype.addEventListener;
    EventTarget.prototype.addEventListener = function (type, ...rest) {
      if (type === "unload" || type === "beforeunload") window.__unloadListeners += 1;
      return add.call(this, type, ...rest);
    };
    const open = XMLHttpRequest.prototype.open;
    XMLHttpRequest.prototype.open = function (method, url, async = true, ...rest) {
      if (async === false) window.__syncXhr += 1;
      return open.call(this, method, url, async, ...rest);
    };
    // Registered before the quiz's own listener, so the host knows which calls come from
    // page dismissal (fixtures/lms/host.js marks them).
    window.addEventListener("pagehide", () => {
      try {
        if (window.parent !== window) window.parent.__dismissing = true;
      } catch {
        // a cross-origin parent: nothing to mark
      }
    });
    window.__skillcatEvents = [];
    for (const type of ["skillcat:ready", "skillcat:progress", "skillcat:answered", "skillcat:completed", "skillcat:lms-unavailable"]) {
      document.addEventListener(type, (event) => window.__skillcatEvents.push({ type, detail: event.detail }));
    }
  });
  await page.goto(url);
  return { page, log };
}

/**
 * Launches the package in the host's iframe with the CMI data of the last session, in launch
 * mode `mode` (normal, browse or review).
 */
export async function launch(page, previous = null, { mode = "normal" } = {}) {
  await page.evaluate(([data, options]) => window.launch(data, options), [previous, { mode }]);
  const frame = await (await page.waitForSelector("#player iframe")).contentFrame();
  await waitForState(frame, ["intro", "question", "results"]);
  return frame;
}

/** The learner leaves: the frame navigates away (pagehide), and the LMS data is read. */
export async function leave(page) {
  await page.evaluate(() => window.leave());
  const v = await page.evaluate(() => new URLSearchParams(location.search).get("version"));
  const finish = VERSIONS[v].calls.finish;
  await page.waitForFunction((name) => window.lms.calls.some((c) => c.method === name), finish);
  return page.evaluate(() => ({ cmi: window.lms.cmi(), calls: window.lms.calls }));
}

/** The rules every session must keep, whatever happened in it. */
export function assertCleanSession(version, { cmi, calls }, log, frameChecks) {
  const v = VERSIONS[version];
  assert.deepEqual(log.pageErrors, [], "no uncaught errors");
  assert.equal(calls.filter((c) => c.method === v.calls.init).length, 1, "exactly one initialize");
  assert.equal(calls.filter((c) => c.method === v.calls.finish).length, 1, "exactly one finish");
  assert.equal(calls.at(-1).method, v.calls.finish, "nothing is called after finishing");
  assert.equal(calls[0].method, v.calls.init, "nothing is called before initializing");
  for (const c of calls.filter((c) => c.method === v.calls.set)) {
    assert.equal(c.result, "true", `${c.args[0]} = ${JSON.stringify(c.args[1])} is accepted`);
    assert.equal(c.error, "0", `GetLastError is 0 after setting ${c.args[0]}`);
  }
  for (const c of calls.filter((c) => c.method === v.calls.commit)) assert.equal(c.result, "true", "every commit succeeds");
  assert.ok(!calls.some((c) => c.method === v.calls.commit && c.dismissing), "no Commit during page dismissal");
  assert.ok(calls.find((c) => c.method === v.calls.finish).dismissing, "the finish comes from pagehide");
  assert.match(v.sessionTime(cmi), v.sessionTimeFormat, "session_time in the version's format");
  assert.deepEqual(frameChecks, { unloadListeners: 0, syncXhr: 0 }, "no unload listeners, no synchronous XHR");
}

export async function frameChecks(page) {
  // The frame was navigated away; its counters were sent up before leaving (see below).
  return page.evaluate(() => window.__frameChecks);
}

/** Copies the frame's counters to the host page before the frame is left. */
export async function collectFrameChecks(page, frame) {
  const checks = await frame.evaluate(() => ({ unloadListeners: window.__unloadListeners, syncXhr: window.__syncXhr }));
  await page.evaluate((c) => {
    window.__frameChecks = c;
  }, checks);
}
