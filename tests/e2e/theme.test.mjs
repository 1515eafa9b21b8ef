// The element's one palette (skillcat-quiz.css, light-dark()) in Chromium: with no `theme` the
// reader's prefers-color-scheme picks the light or the dark colours; theme="light" and
// theme="dark" fix them whatever the reader prefers; a page's --skillcat-* property wins in both
// schemes. Checked on the computed colours of the element (background, text), the primary
// button (accent, accent text) and a muted note, against the palette's hex values.

import assert from "node:assert/strict";
import { after, before, test } from "node:test";

import { colorScheme, HOOK_TIMEOUT, hostUrl, launchBrowser, problems, startTestServer, waitForState, watch } from "./support.mjs";

const LIGHT = { bg: "rgb(255, 255, 255)", fg: "rgb(26, 31, 36)", accent: "rgb(11, 92, 173)", accentFg: "rgb(255, 255, 255)" };
const DARK = { bg: "rgb(20, 24, 28)", fg: "rgb(232, 236, 239)", accent: "rgb(122, 184, 255)", accentFg: "rgb(11, 26, 42)" };

let server;
let browser;

before(async () => {
  server = await startTestServer();
  browser = await launchBrowser();
}, { timeout: HOOK_TIMEOUT });

after(async () => {
  await browser?.close();
  await server?.close();
}, { timeout: HOOK_TIMEOUT });

/** The colours the intro screen renders with. */
function colours(page) {
  return page.evaluate(() => {
    const quiz = document.querySelector("skillcat-quiz");
    const start = quiz.shadowRoot.querySelector('[data-action="start"]');
    const host = getComputedStyle(quiz);
    const button = getComputedStyle(start);
    return { bg: host.backgroundColor, fg: host.color, accent: button.backgroundColor, accentFg: button.color };
  });
}

for (const scheme of ["light", "dark"]) {
  for (const [theme, expected] of [
    [null, scheme === "light" ? LIGHT : DARK],
    ["light", LIGHT],
    ["dark", DARK],
  ]) {
    test(`prefers-color-scheme ${scheme}, theme ${theme ?? "unset"}: the ${expected === LIGHT ? "light" : "dark"} palette`, async (t) => {
      const page = await browser.newPage();
      t.after(() => page.close());
      const log = await watch(page);
      await colorScheme(page, scheme);
      await page.goto(hostUrl(server, { banks: "cybersecurity", ...(theme ? { theme } : {}) }));
      assert.equal(await waitForState(page, ["intro", "error"]), "intro");
      assert.deepEqual(await colours(page), expected);
      assert.deepEqual(problems(log), []);
    });
  }
}

test("a page's --skillcat-bg and --skillcat-accent win in both schemes", async (t) => {
  const page = await browser.newPage();
  t.after(() => page.close());
  // No colour transitions: the colours are read right after each change.
  await page.emulateMedia({ reducedMotion: "reduce" });
  await page.goto(hostUrl(server, { banks: "cybersecurity" }));
  assert.equal(await waitForState(page, ["intro", "error"]), "intro");
  await page.evaluate(() => {
    const quiz = document.querySelector("skillcat-quiz");
    quiz.style.setProperty("--skillcat-bg", "#fdf6e3");
    quiz.style.setProperty("--skillcat-accent", "#3d1a5c");
  });
  for (const scheme of ["light", "dark"]) {
    await colorScheme(page, scheme);
    const { bg, accent, fg } = await colours(page);
    assert.deepEqual({ bg, accent }, { bg: "rgb(253, 246, 227)", accent: "rgb(61, 26, 92)" }, scheme);
    assert.equal(fg, scheme === "light" ? LIGHT.fg : DARK.fg, `${scheme}: the text keeps its scheme`);
  }
});
