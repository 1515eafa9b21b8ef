// The quiz runs under the strict Content-Security-Policy it is built for (serve.mjs's CSP:
// default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self') and whatever
// Content-Type the server sends the .wasm with:
// - strict CSP: a whole practice quiz to the review with zero violation reports (a
//   `securitypolicyviolation` listener installed before any page script, and Chromium's
//   console), no page error, no console error; the policy really is in force (the header is
//   there, and an inline script added afterwards is refused and reported, which also proves the
//   listener);
// - application/octet-stream and text/html (what an LMS's file server may send, Moodle's
//   pluginfile.php among them): the engine loads from the bytes and a whole quiz completes, with
//   no console warning or error (no `instantiateStreaming` fallback message);
// - strict CSP and a wrong type at once.

import assert from "node:assert/strict";
import { after, test } from "node:test";

import { act, CSP, demoUrl, finishByMouse, HOOK_TIMEOUT, launchBrowser, problems, startTestServer, waitForState, watch } from "./support.mjs";

let browser;

after(async () => {
  await browser?.close();
}, { timeout: HOOK_TIMEOUT });

for (const { name, csp, wasmMime } of [
  { name: "strict CSP", csp: true, wasmMime: undefined },
  { name: "wasm served as application/octet-stream", csp: false, wasmMime: "application/octet-stream" },
  { name: "wasm served as text/html", csp: false, wasmMime: "text/html; charset=utf-8" },
  { name: "strict CSP and wasm served as application/octet-stream", csp: true, wasmMime: "application/octet-stream" },
]) {
  test(`${name}: a whole quiz completes, with no CSP violation and no page error`, { timeout: 120_000 }, async (t) => {
    browser ??= await launchBrowser();
    const server = await startTestServer({ csp, wasmMime });
    t.after(() => server.close());
    const context = await browser.newContext({ viewport: { width: 1024, height: 800 } });
    t.after(() => context.close());
    const page = await context.newPage();
    const log = await watch(page);
    await page.addInitScript(() => {
      window.__violations = [];
      document.addEventListener(
        "securitypolicyviolation",
        (e) => window.__violations.push(`${e.effectiveDirective} blocked ${e.blockedURI || "(inline)"} at ${e.sourceFile}:${e.lineNumber}`),
        true,
      );
    });
    let wasmType = null;
    page.on("response", (response) => {
      if (response.url().endsWith(".wasm")) wasmType = response.headers()["content-type"];
    });

    const response = await page.goto(demoUrl(server, { banks: ["cybersecurity", "regulation"], mode: "practice", max: 5 }));
    assert.equal(response.headers()["content-security-policy"], csp ? CSP : undefined, "the policy header is (or is not) sent");
    assert.equal(await waitForState(page, ["intro", "error"]), "intro", "the engine loads");
    assert.equal(wasmType, wasmMime ?? "application/wasm", "the .wasm came with the Content-Type under test");
    await act(page, "start");
    const answers = await finishByMouse(page, { mode: "practice" });
    assert.equal(answers.length, 10);
    await page.locator('skillcat-quiz [part~="chart"]').first().waitFor({ state: "visible" });
    await act(page, "review");
    assert.equal(await waitForState(page, ["review"]), "review");

    const violations = await page.evaluate(() => window.__violations);
    const cspConsole = log.console.filter((m) => /Content Security Policy|Refused to/i.test(m.text));
    assert.deepEqual(violations, [], "no securitypolicyviolation event");
    assert.deepEqual(cspConsole, [], "no CSP message on the console");
    assert.deepEqual(problems(log), [], "no console errors, page errors or failed requests");
    const loud = log.console.filter((m) => m.type === "warning" || m.type === "error");
    assert.deepEqual(loud, [], "no console warning or error, whatever the .wasm's Content-Type");

    if (csp) {
      // The policy is in force: an inline script added now is refused, and the listener above
      // hears about it (so the zero above is not a deaf listener).
      await page.evaluate(() => {
        const script = document.createElement("script");
        script.textContent = "window.__inlineRan = true;";
        document.head.append(script);
      });
      await page.waitForFunction(() => window.__violations.length === 1);
      assert.match((await page.evaluate(() => window.__violations))[0], /^script-src-elem blocked inline/);
      assert.equal(await page.evaluate(() => window.__inlineRan), undefined, "the inline script did not run");
    }
  });
}
