// Author text can never become markup or script. The fixture bank fixtures/xss.json carries the
// payloads below in every text field the shell shows: bank title and description, topic titles,
// level names and descriptions, stems, options, option feedback, explanations, reference
// citations, a reference URL that tries to break out of its attribute, and Markdown links with
// `javascript:` URLs. A learner takes the whole quiz in practice mode from the minimal host page
// (bank-base pointing at the fixtures folder), opens the feedback and the review, and clicks every
// link on every screen. On every screen:
// - `window.__xss` stays undefined and no dialog (alert) ever opens;
// - every payload is visible as literal text;
// - the shadow root holds no <script>, <img>, <iframe> or <svg> other than the shell's own icons
//   and charts, no `on*` attribute, and no link that is not http(s) (so no `javascript:` href);
// - every link opens an http(s) page in a new tab (noopener), never runs script.
// A second fixture, fixtures/xss-broken.json, fails validation with the payloads in its item id
// and topic: the error screen shows the validator's message as literal text.

import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { after, before, test } from "node:test";

import { act, events, FIXTURES, HOOK_TIMEOUT, hostUrl, launchBrowser, problems, startTestServer, waitForState, watch } from "./support.mjs";

const PAYLOADS = [
  "<script>window.__xss=1</script>",
  '<img src=x onerror="window.__xss=2">',
  '<svg onload="window.__xss=3"><script>window.__xss=4</script></svg>',
  '<a href="javascript:window.__xss=5">x</a>',
  '<iframe srcdoc="<script>parent.__xss=6</script>"></iframe>',
  "[click](javascript:alert(1))",
  "[click me](javascript:window.__xss=7)",
];
const BANK = JSON.parse(readFileSync(`${FIXTURES}xss.json`, "utf8"));

let server;
let browser;

before(async () => {
  // The fixture really carries every payload in every text field.
  const texts = [BANK.title, BANK.description, ...BANK.topics.map((t) => t.title), ...BANK.levels.flatMap((l) => [l.name, l.description])];
  for (const item of BANK.items) {
    texts.push(item.stem, item.explanation, ...item.options.flatMap((o) => [o.text, o.feedback]), ...item.references.map((r) => r.citation));
  }
  for (const text of texts) for (const payload of PAYLOADS) assert.ok(text.includes(payload), `fixture text "${text.slice(0, 40)}…" lacks ${payload}`);
  server = await startTestServer();
  browser = await launchBrowser();
}, { timeout: HOOK_TIMEOUT });

after(async () => {
  await browser?.close();
  await server?.close();
}, { timeout: HOOK_TIMEOUT });

/**
 * What the DOM holds that it must not: inside the shadow root any script, img, iframe, object,
 * embed, or svg that is not one of the shell's (icons, charts); any on* attribute; any href or
 * src that is not http(s); in the page itself any element or script that the host page did not
 * put there. Also `window.__xss`.
 */
function unsafe(page) {
  return page.evaluate(() => {
    const found = [];
    const root = document.querySelector("skillcat-quiz").shadowRoot;
    const all = [...root.querySelectorAll("*"), ...document.querySelectorAll("*")];
    for (const el of all) {
      const where = el.getRootNode() === root ? "shadow" : "page";
      if (["script", "img", "iframe", "object", "embed", "frame"].includes(el.localName) && !(where === "page" && el.localName === "script" && el.src && el.type === "module")) {
        found.push(`${where}: <${el.localName}>`);
      }
      if (el.localName === "svg" && !(el.matches(".icon") || el.closest('[part~="chart"]'))) found.push(`${where}: a foreign <svg>`);
      for (const attr of el.attributes) {
        if (/^on/i.test(attr.name)) found.push(`${where}: <${el.localName} ${attr.name}="${attr.value}">`);
        if (/^(href|src|srcdoc|xlink:href|action|formaction)$/i.test(attr.name)) {
          const ok = attr.name === "href" && (el.localName === "a" ? /^https?:\/\//i.test(attr.value) : el.localName === "link");
          const hostScript = attr.name === "src" && el.localName === "script" && where === "page";
          if (!ok && !hostScript) found.push(`${where}: <${el.localName} ${attr.name}="${attr.value}">`);
        }
      }
    }
    if (window.__xss !== undefined) found.push(`window.__xss = ${window.__xss}`);
    return found;
  });
}

/** The payloads that no visible text node of the shadow root shows literally. */
function missingPayloads(page, payloads) {
  return page.evaluate((wanted) => {
    const root = document.querySelector("skillcat-quiz").shadowRoot;
    const visible = [];
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      if (node.parentElement?.checkVisibility()) visible.push(node.textContent);
    }
    return wanted.filter((payload) => !visible.some((text) => text.includes(payload)));
  }, payloads);
}

async function checkScreen(page, log, screen, { payloads = PAYLOADS } = {}) {
  assert.deepEqual(await unsafe(page), [], `${screen}: nothing unsafe in the DOM`);
  assert.deepEqual(await missingPayloads(page, payloads), [], `${screen}: every payload is shown as literal text`);
  assert.deepEqual(log.dialogs, [], `${screen}: no dialog`);
}

/** Clicks every link of the quiz; each must open an http(s) page in a new tab. */
async function clickEveryLink(page, log, screen, popups) {
  const links = page.locator("skillcat-quiz a");
  const count = await links.count();
  for (let i = 0; i < count; i += 1) {
    const link = links.nth(i);
    const href = await link.getAttribute("href");
    assert.match(href, /^https:\/\/example\.invalid\//, `${screen}: link ${i} points where the author said`);
    assert.equal(await link.getAttribute("target"), "_blank");
    assert.equal(await link.getAttribute("rel"), "noopener noreferrer");
    const [popup] = await Promise.all([page.waitForEvent("popup"), link.click()]);
    await popup.waitForLoadState("domcontentloaded");
    popups.push(popup.url());
    assert.match(popup.url(), /^https:\/\/example\.invalid\//, `${screen}: link ${i} opened an http(s) page`);
    assert.equal(await popup.evaluate(() => window.opener), null, "the new tab has no handle on the quiz");
    await popup.close();
    assert.deepEqual(await unsafe(page), [], `${screen}: nothing ran after clicking link ${i}`);
  }
  return count;
}

test("XSS payloads in every bank text field stay literal text through a whole practice quiz and its review", { timeout: 120_000 }, async () => {
  const context = await browser.newContext({ viewport: { width: 1024, height: 800 } });
  // The links point at https://example.invalid/…: answer them locally, never from the network.
  await context.route(/^https?:\/\/example\.invalid\//, (route) =>
    route.fulfill({ status: 200, contentType: "text/html", body: "<!doctype html><title>external</title><p>external page</p>" }),
  );
  const page = await context.newPage();
  const log = await watch(page); // records (and dismisses) dialogs of the quiz's page
  // Dialogs of any page of the context, the new tabs that links open included.
  context.on("dialog", async (dialog) => {
    log.dialogs.push(`${dialog.type()} in ${dialog.page()?.url() ?? "?"}: ${dialog.message()}`);
    await dialog.dismiss().catch(() => {});
  });
  await page.goto(hostUrl(server, { banks: "xss", "bank-base": "/e2e/", mode: "practice", "max-items": "4", seed: "7" }));

  const popups = [];
  let links = 0;
  assert.equal(await waitForState(page, ["intro", "error"]), "intro", "the fixture bank is valid");
  await checkScreen(page, log, "intro");
  await act(page, "start");

  const seen = new Set();
  let state = await waitForState(page, ["question", "results"]);
  while (state === "question") {
    const item = await page.locator('skillcat-quiz [data-screen="question"]').getAttribute("data-item");
    assert.ok(!seen.has(item) && seen.size < BANK.items.length, "each item once");
    seen.add(item);
    await checkScreen(page, log, `question ${item}`);
    links += await clickEveryLink(page, log, `question ${item}`, popups);
    await page.locator('skillcat-quiz [part~="option-input"]').first().check();
    await act(page, "submit");
    assert.equal(await waitForState(page, ["feedback"]), "feedback");
    await checkScreen(page, log, `feedback ${item}`);
    links += await clickEveryLink(page, log, `feedback ${item}`, popups);
    await act(page, "next");
    state = await waitForState(page, ["question", "results"], { notItem: item });
  }
  assert.equal(seen.size, BANK.items.length, "every fixture item was shown");

  // Results: open every <details> so its text counts as visible too.
  await page.evaluate(() => {
    for (const d of document.querySelector("skillcat-quiz").shadowRoot.querySelectorAll("details")) d.open = true;
  });
  // The results show bank, level and topic names; stems and options are not on this screen.
  await checkScreen(page, log, "results");
  links += await clickEveryLink(page, log, "results", popups);

  await act(page, "review");
  assert.equal(await waitForState(page, ["review"]), "review");
  await checkScreen(page, log, "review");
  const reviewed = await page.locator('skillcat-quiz [part~="review-item"]').count();
  assert.equal(reviewed, BANK.items.length);
  links += await clickEveryLink(page, log, "review", popups);

  // Per item: the stem's link on the question screen; the stem's, the explanation's and the
  // reference's on the feedback screen; the same three again in the review.
  assert.equal(links, BANK.items.length * (1 + 3 + 3), `every link was clicked (${popups.length} tabs)`);
  assert.ok(popups.some((url) => url.startsWith("https://example.invalid/ref%22%3E%3Csvg/onload=")), "the percent-encoded reference URL opens as one URL");
  assert.equal(await page.evaluate(() => window.__xss), undefined);
  assert.deepEqual(log.dialogs, []);
  assert.equal((await events(page, "skillcat:completed")).length, 1);
  assert.deepEqual(problems(log), [], "no console errors, page errors or failed requests");
  await context.close();
});

test("a bank rejected with payloads in its item id and topic: the error screen shows them as literal text", { timeout: 60_000 }, async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  const log = await watch(page);
  await page.goto(hostUrl(server, { banks: "xss-broken", "bank-base": "/e2e/" }));
  assert.equal(await waitForState(page, ["intro", "error"]), "error");
  assert.deepEqual(await unsafe(page), [], "nothing unsafe on the error screen");
  assert.deepEqual(await missingPayloads(page, PAYLOADS.slice(0, 2)), [], "the validator's message shows the payloads literally");
  // A reference URL written to break out of its attribute is refused before it reaches a link.
  assert.deepEqual(
    await missingPayloads(page, ["references[0].url: contains `\"`, which a link cannot hold safely"]),
    [],
    "the raw breaking-out URL is a located error",
  );
  const [error] = await events(page, "skillcat:error");
  assert.equal(error.detail.phase, "load");
  assert.equal(error.detail.file, "xss-broken.json");
  assert.deepEqual(log.dialogs, []);
  assert.deepEqual([...log.errors, ...log.pageErrors], [], "no console or page errors");
  await context.close();
});
