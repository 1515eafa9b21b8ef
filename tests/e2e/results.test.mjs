// The results of a full profile in Chromium: a seven-domain session with the bundled profile,
// taken with the keyboard alone, ends on results that say how likely each level is (the same
// numbers as the skillcat:completed report and its xAPI statement); axe finds nothing in the
// light and the dark colour scheme; screenshots at 1280 and 320 px (tests/e2e/screenshots/
// profile-*.png) with nothing wider than the screen; the review has one section per domain and a
// way back to the results from each. Then: chart labels of long level names never overlap, the
// progress over time and its clear button, the intro's promise about stopping early, and resume
// after a reload in a joint session.

import assert from "node:assert/strict";
import { mkdirSync } from "node:fs";
import { after, before, test } from "node:test";

import {
  act,
  activeElement,
  answerByKeyboard,
  answerByMouse,
  audit,
  colorScheme,
  currentQuestion,
  events,
  finishByMouse,
  HOOK_TIMEOUT,
  hostUrl,
  launchBrowser,
  problems,
  SCREENSHOTS,
  startTestServer,
  tabTo,
  waitForState,
  watch,
} from "./support.mjs";

const SEVEN = ["genai-ml", "cloud", "cybersecurity", "data-governance", "interoperability", "regulation", "secure-dev"];

let server;
let browser;

before(async () => {
  mkdirSync(SCREENSHOTS, { recursive: true });
  server = await startTestServer();
  browser = await launchBrowser();
}, { timeout: HOOK_TIMEOUT });

after(async () => {
  await browser?.close();
  await server?.close();
}, { timeout: HOOK_TIMEOUT });

/** Inside the quiz's shadow root: runs `fn(root, arg)` in the page. */
function inQuiz(page, fn, arg) {
  return page.evaluate(({ source, arg }) => new Function("root", "arg", `return (${source})(root, arg);`)(document.querySelector("skillcat-quiz").shadowRoot, arg), { source: fn.toString(), arg });
}

/** What the results screen says per domain. */
function resultsShown(page) {
  return inQuiz(page, (root) =>
    [...root.querySelectorAll('[part~="domain-result"]')].map((section) => ({
      domain: section.dataset.domain,
      level: section.querySelector('[part~="level"]').dataset.level,
      certainty: section.querySelector('[part~="level"]').dataset.certainty,
      headline: section.querySelector('[part~="level"] strong').textContent,
      odds: section.querySelector('[part~="level-odds"]')?.textContent ?? null,
      meanings: [...section.querySelectorAll('[part~="level-meaning"] p')].map((p) => p.dataset.level),
      chartDescription: section.querySelector('[part~="chart-svg"] desc').textContent,
      chartLabels: [...section.querySelectorAll(".band-label")].map((l) => l.textContent),
      topics: section.querySelector('[part~="topics-unjudged"]') ? "unjudged" : "judged",
    })),
  );
}

/** Elements inside the quiz wider than their box or the viewport, at the current width. */
function overflowing(page) {
  return inQuiz(page, (root) => {
    const found = [];
    for (const el of root.querySelectorAll("table, svg.chart, [part~='domain-result'], [part~='review-domain']")) {
      const box = el.getBoundingClientRect();
      if (box.right > innerWidth + 0.5) found.push(`${el.localName}.${el.getAttribute("class")} ends at ${box.right}`);
      if (el.localName === "table" && el.scrollWidth > el.clientWidth + 1) found.push(`table.${el.getAttribute("class")} scrolls (${el.scrollWidth} > ${el.clientWidth})`);
    }
    if (document.documentElement.scrollWidth > innerWidth) found.push(`the page scrolls sideways (${document.documentElement.scrollWidth})`);
    return found;
  });
}

test("a seven-domain session with the bundled profile runs to results that state their certainty, by keyboard alone", { timeout: 600_000 }, async (t) => {
  // Reduced motion: no colour transition is half-way when axe measures contrast after a switch.
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, reducedMotion: "reduce" });
  const page = await context.newPage();
  const log = await watch(page);
  await page.goto(hostUrl(server, { banks: SEVEN.join(","), "max-items": "5", seed: "42", mode: "practice" }));
  assert.equal(await waitForState(page, ["intro", "error"]), "intro");
  const [ready] = await events(page, "skillcat:ready");
  assert.ok(ready.detail.profile, "the bundled profile (quizbanks/profile.json) links the seven domains");
  assert.ok(await inQuiz(page, (root) => root.querySelector('[data-fact="profile"]')), "the intro says the domains are measured together");
  const promise = await inQuiz(page, (root) => root.querySelector('[data-fact="length"]').textContent);
  assert.match(promise, /at most 5 per domain counting toward your result/);
  assert.match(promise, /ends a domain early once one level is at least 80% likely/);

  await tabTo(page, (a) => a.action === "start", "Start");
  await page.keyboard.press("Enter");
  let state = await waitForState(page, ["question", "results"]);
  let answered = 0;
  while (state === "question") {
    const q = await currentQuestion(page);
    await answerByKeyboard(page, { shift: answered % 3 });
    answered += 1;
    await waitForState(page, ["feedback"]);
    await tabTo(page, (a) => a.action === "next", "Next");
    await page.keyboard.press("Enter");
    state = await waitForState(page, ["question", "results"], { notItem: q.item });
  }
  assert.ok(answered >= 7 && answered <= 7 * 7, `${answered} questions`);

  const [completed] = await events(page, "skillcat:completed");
  const report = completed.detail.report;
  assert.deepEqual(report.domains.map((d) => d.domain), SEVEN);
  const shown = await resultsShown(page);
  assert.deepEqual(shown.map((d) => d.domain), SEVEN, "one result per domain");
  for (const [i, domain] of report.domains.entries()) {
    const ranked = [...domain.levelProbabilities].sort((a, b) => b.probability - a.probability);
    const top = ranked[0];
    const pct = (p) => (p < 0.005 ? "under 1%" : p > 0.995 ? "over 99%" : `${Math.round(p * 100)}%`);
    const mine = shown[i];
    assert.equal(mine.level, top.name, `${domain.domain}: the most likely level of the report`);
    assert.ok(mine.odds.startsWith(`${top.name}: ${pct(top.probability)} likely`), `${domain.domain}: ${mine.odds}`);
    for (const other of ranked.slice(1).filter((l) => l.probability >= 0.005)) {
      assert.ok(mine.odds.includes(`${other.name} ${pct(other.probability)}`), `${domain.domain} names ${other.name}: ${mine.odds}`);
    }
    const certainty = top.probability >= 0.8 ? "likely" : top.probability >= 0.5 ? "probable" : "unclear";
    assert.equal(mine.certainty, certainty, `${domain.domain}: hedged by ${top.probability}`);
    if (certainty !== "likely") assert.doesNotMatch(mine.headline, /^Most likely/, "no level named alone below 80%");
    assert.ok(mine.meanings.includes(top.name), `${domain.domain}: the description of ${top.name} is shown`);
    assert.ok(mine.chartDescription.includes(mine.odds), "the chart's text alternative says the same");
    assert.equal(mine.chartLabels.length, domain.levels.length, "every level is labelled in the chart");
  }
  // The xAPI statement of skillcat:completed carries the same probabilities (4 decimals).
  const extension = completed.detail.statement.result.extensions["urn:skillcat:xapi:extension:level-probabilities"];
  for (const domain of report.domains) {
    assert.deepEqual(
      extension[domain.domain].map((l) => [l.name, l.probability]),
      domain.levelProbabilities.map((l) => [l.name, Math.round(l.probability * 1e4) / 1e4]),
    );
  }

  // axe in both colour schemes with every <details> open; screenshots; nothing wider than 320 px.
  await inQuiz(page, (root) => root.querySelectorAll("details").forEach((d) => (d.open = true)));
  const findings = [];
  for (const width of [1280, 320]) {
    await page.setViewportSize({ width, height: 800 });
    for (const scheme of ["light", "dark"]) {
      await colorScheme(page, scheme);
      await page.waitForFunction((w) => innerWidth === w, width);
      if (width === 1280) {
        const { violations, sawShadow } = await audit(page);
        assert.ok(sawShadow, "axe looked inside the shadow root");
        findings.push(...violations.map((v) => `${scheme}: ${v.impact} ${v.id} (${v.help}) at ${v.nodes.map((n) => n.target).join(", ")}`));
      } else {
        findings.push(...(await overflowing(page)).map((o) => `${scheme}, 320 px: ${o}`));
      }
      await page.screenshot({ path: `${SCREENSHOTS}profile-results-${width}-${scheme}.png`, fullPage: true, animations: "disabled" });
    }
  }
  assert.deepEqual(findings, [], "axe clean, nothing overflows at 320 px");

  // The review: one section per domain, each with a heading and a way back; by keyboard.
  await page.setViewportSize({ width: 1280, height: 800 });
  await tabTo(page, (a) => a.action === "review", "Review");
  await page.keyboard.press("Enter");
  assert.equal(await waitForState(page, ["review"]), "review");
  const review = await inQuiz(page, (root) =>
    [...root.querySelectorAll('[part~="review-domain"]')].map((s) => ({
      domain: s.dataset.domain,
      heading: s.querySelector("h3").textContent,
      items: s.querySelectorAll('[part~="review-item"]').length,
      back: s.querySelectorAll('[data-action="back"]').length,
    })),
  );
  assert.deepEqual(review.map((s) => s.domain), SEVEN);
  assert.equal(review.reduce((n, s) => n + s.items, 0), report.review.length, "every answer is in its domain's section");
  assert.ok(review.every((s) => s.back === 1 && /: \d+ questions?$/.test(s.heading)), JSON.stringify(review));
  // Jump to the last domain, then Tab reaches "Back to your results" within that section.
  const lastTitle = report.domains.at(-1).title;
  await tabTo(page, (a) => a.action === "jump" && a.text === lastTitle, "the last domain's jump");
  await page.keyboard.press("Enter");
  const landed = await activeElement(page);
  assert.ok(landed.tag === "h3" && landed.text.startsWith(`${lastTitle}:`), `focus on the section heading: ${landed.text}`);
  const back = await tabTo(page, (a) => a.action === "back", "Back to your results");
  assert.equal(back.text, "Back to your results");
  await page.keyboard.press("Enter");
  assert.equal(await waitForState(page, ["results"]), "results");
  for (const scheme of ["light", "dark"]) {
    await colorScheme(page, scheme);
    await act(page, "review");
    await waitForState(page, ["review"]);
    const { violations } = await audit(page);
    assert.deepEqual(violations.map((v) => v.id), [], `${scheme} review: axe clean`);
    await page.setViewportSize({ width: 320, height: 800 });
    await page.waitForFunction(() => innerWidth === 320);
    assert.deepEqual(await overflowing(page), [], `${scheme} review at 320 px`);
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.locator(`skillcat-quiz [part~="review-nav"] [data-action="back"]`).click();
    await waitForState(page, ["results"]);
  }
  t.diagnostic(`${answered} questions for seven domains`);
  assert.deepEqual(problems(log), []);
  await context.close();
});

test("long level names never overlap in the chart, at 1280 and 320 px", { timeout: 120_000 }, async () => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  await page.goto(hostUrl(server, { banks: "long-levels", "bank-base": "/e2e/", "max-items": "3", seed: "5" }));
  assert.equal(await waitForState(page, ["intro", "error"]), "intro");
  await act(page, "start");
  await finishByMouse(page);
  for (const width of [1280, 320]) {
    await page.setViewportSize({ width, height: 800 });
    await page.waitForFunction(() => innerWidth > 0);
    // Let the chart redraw at its new width (a ResizeObserver callback), then measure the text.
    await page.waitForFunction((w) => {
      const svg = document.querySelector("skillcat-quiz").shadowRoot.querySelector('[part~="chart-svg"]');
      return Math.abs(svg.viewBox.baseVal.width - Math.min(640, svg.getBoundingClientRect().width)) < 5;
    }, width);
    const boxes = await inQuiz(page, (root) => {
      const svg = root.querySelector('[part~="chart-svg"]');
      return {
        width: svg.viewBox.baseVal.width,
        labels: [...svg.querySelectorAll(".band-label")].map((l) => {
          const b = l.getBBox();
          return { text: l.textContent, x: b.x, y: b.y, w: b.width, h: b.height };
        }),
      };
    });
    assert.equal(boxes.labels.length, 4);
    for (const a of boxes.labels) {
      assert.ok(a.x >= 0 && a.x + a.w <= boxes.width, `${width} px: "${a.text}" inside the chart`);
      for (const b of boxes.labels) {
        if (a === b) continue;
        const apart = a.x + a.w <= b.x || b.x + b.w <= a.x || a.y + a.h <= b.y || b.y + b.h <= a.y;
        assert.ok(apart, `${width} px: "${a.text}" and "${b.text}" overlap`);
      }
    }
    await page.screenshot({ path: `${SCREENSHOTS}long-levels-results-${width}-light.png`, fullPage: true });
  }
  await context.close();
});

test("progress over time: each finished test adds a point per domain; clearing asks first, by keyboard", { timeout: 180_000 }, async () => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  const log = await watch(page);
  const url = hostUrl(server, { banks: "cloud,regulation", "max-items": "2", mode: "assessment" });
  const trends = () =>
    inQuiz(page, (root) => ({
      section: Boolean(root.querySelector('[part~="progress-over-time"]')),
      first: root.querySelector("[data-first]")?.textContent ?? null,
      trends: [...root.querySelectorAll('[part~="trend"]')].map((f) => ({
        domain: f.dataset.domain,
        points: f.querySelectorAll(".point").length,
        rows: f.querySelectorAll("tbody tr").length,
        name: f.querySelector("svg title").textContent,
      })),
    }));
  await page.goto(url);
  for (let round = 1; round <= 3; round += 1) {
    assert.equal(await waitForState(page, ["intro", "results"]), round === 1 ? "intro" : "results");
    if (round > 1) {
      await act(page, "start-over");
      await act(page, "confirm-start-over");
      await waitForState(page, ["intro"]);
    }
    await act(page, "start");
    await finishByMouse(page, { mode: "assessment" });
    const seen = await trends();
    assert.equal(seen.section, true);
    if (round === 1) {
      assert.deepEqual(seen.trends, []);
      assert.match(seen.first, /first saved result for Multi-cloud architecture.* and Health-IT regulation/);
    } else {
      assert.deepEqual(seen.trends.map((x) => [x.domain, x.points, x.rows]), [["cloud", round, round], ["regulation", round, round]]);
    }
  }
  // A reload of the finished test shows the same history and adds nothing.
  await page.reload();
  assert.equal(await waitForState(page, ["results"]), "results");
  assert.deepEqual((await trends()).trends.map((x) => x.points), [3, 3]);
  const stored = await page.evaluate(() => JSON.parse(localStorage.getItem("skillcat:history:v1")));
  assert.equal(stored.version, 1);
  assert.deepEqual(Object.keys(stored.domains), ["cloud", "regulation"]);

  // Clear: the button asks; Escape cancels and returns focus; Yes clears.
  await tabTo(page, (a) => a.action === "clear-history", "Clear my saved results");
  await page.keyboard.press("Enter");
  assert.equal((await activeElement(page)).action, "confirm-clear-history", "focus on the confirmation");
  await page.keyboard.press("Escape");
  assert.equal((await activeElement(page)).action, "clear-history", "Escape cancels");
  assert.notEqual(await page.evaluate(() => localStorage.getItem("skillcat:history:v1")), null);
  await page.keyboard.press("Enter");
  await page.keyboard.press("Enter");
  await page.waitForFunction(() => localStorage.getItem("skillcat:history:v1") === null);
  assert.deepEqual((await trends()).trends, [], "the trends are gone");
  assert.ok((await activeElement(page)).focusTarget, "focus returns to the results heading");
  assert.deepEqual(problems(log), []);
  await context.close();
});

test("the intro's promise holds: a domain ends early once one level is 80% likely, and only max-items without it", { timeout: 180_000 }, async () => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  const log = await watch(page);
  for (const [certainty, promise] of [
    [null, /ends a domain early once one level is at least 80% likely/],
    ["off", /ends a domain early only once it has measured your ability very precisely, which short tests rarely reach/],
  ]) {
    await page.goto(hostUrl(server, { banks: "regulation", "max-items": "30", seed: "9", mode: "assessment", ...(certainty ? { "level-certainty": certainty } : {}) }));
    assert.equal(await waitForState(page, ["intro"]), "intro");
    assert.match(await inQuiz(page, (root) => root.querySelector('[data-fact="length"]').textContent), promise);
    await act(page, "start");
    // Always the same wrong-looking choice: a learner far below average, placed quickly.
    const answers = await finishByMouse(page, { mode: "assessment", limit: 40 });
    const [completed] = await events(page, "skillcat:completed");
    const domain = completed.detail.report.domains[0];
    if (certainty === null) {
      assert.ok(domain.answered < 30, `stopped early after ${domain.answered}`);
      assert.ok(Math.max(...domain.levelProbabilities.map((l) => l.probability)) >= 0.8);
      assert.equal(await inQuiz(page, (root) => root.querySelector('[part~="level"]').dataset.certainty), "likely");
    } else {
      assert.equal(domain.answered, 30, `${answers.length} questions without the level rule`);
    }
    await page.evaluate(() => localStorage.clear());
  }
  assert.deepEqual(problems(log), []);
  await context.close();
});

test("the profile: a named file that is invalid is an error naming the file and the field; a missing one or none means separate domains", { timeout: 120_000 }, async () => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  const log = await watch(page);
  const open = async (profile) => {
    await page.goto(hostUrl(server, { banks: "cloud,regulation", "max-items": "3", ...(profile ? { profile } : {}) }));
    return waitForState(page, ["intro", "error"]);
  };
  assert.equal(await open("/e2e/bad-profile.json"), "error");
  const [error] = await events(page, "skillcat:error");
  assert.equal(error.detail.file, "bad-profile.json");
  assert.equal(error.detail.phase, "load");
  assert.match(error.detail.message, /bad-profile\.json/);
  assert.match(error.detail.message, /correlations\[0\]\[1\] \(cloud, regulation\)/);
  const shown = await inQuiz(page, (root) => root.querySelector('[data-screen="error"]').textContent);
  assert.match(shown, /bad-profile\.json: correlations\[0\]\[1\] \(cloud, regulation\)/, "the error screen names the file, the cell and the pair");

  for (const [profile, expected] of [["/e2e/test-profile.json", "test-profile"], ["/e2e/no-such-profile.json", null], ["none", null]]) {
    assert.equal(await open(profile), "intro", profile);
    const [ready] = await events(page, "skillcat:ready");
    assert.equal(ready.detail.profile?.id ?? null, expected, profile);
    const fact = await inQuiz(page, (root) => root.querySelector('[data-fact="profile"]')?.textContent ?? null);
    assert.equal(fact !== null, expected !== null, `${profile}: the intro says whether the domains are linked`);
  }
  // The missing file answered 404: a warning in the console, nothing on screen.
  assert.deepEqual(
    log.httpFailures.filter((f) => f.includes("profile")).map((f) => f.replace(/http:\/\/[^/]+/, "")),
    ["HTTP 404 for /e2e/no-such-profile.json"],
  );
  assert.ok(log.warnings.some((w) => w.includes("no-such-profile.json")), "a console warning for the named profile that is missing");
  await context.close();
});

test("a joint session resumes after a reload at the same question", { timeout: 120_000 }, async () => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  await watch(page);
  await page.goto(hostUrl(server, { banks: "cloud,cybersecurity,regulation", "max-items": "8", mode: "practice" }));
  assert.equal(await waitForState(page, ["intro"]), "intro");
  const [ready] = await events(page, "skillcat:ready");
  assert.ok(ready.detail.profile, "the bundled profile links the domains");
  await act(page, "start");
  for (let i = 0; i < 4; i += 1) {
    const q = await currentQuestion(page);
    await answerByMouse(page, i);
    await waitForState(page, ["feedback"]);
    await act(page, "next");
    await waitForState(page, ["question"], { notItem: q.item });
  }
  const before = await currentQuestion(page);
  const saved = await page.evaluate(() => Object.entries(localStorage).find(([k]) => k.startsWith("skillcat:v1:"))?.[1]);
  const config = JSON.parse(saved).config;
  assert.equal(config.order, "adaptive");
  assert.equal(config.stop.levelCertainty, 0.8);
  assert.equal(config.correlations.length, 3, "the saved session keeps the correlations");
  await page.reload();
  assert.equal(await waitForState(page, ["question"]), "question");
  const after = await currentQuestion(page);
  assert.deepEqual([after.item, after.position], [before.item, before.position], "the same question after the reload");
  await answerByMouse(page, 4);
  assert.equal(await waitForState(page, ["feedback"]), "feedback", "and the resumed joint session goes on");
  await context.close();
});
