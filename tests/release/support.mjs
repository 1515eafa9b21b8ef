// Shared pieces of the tests of what users install without a toolchain (tests/release/): where
// `make npm-package` and `make dist` put their output, a plain static file server, and a quiz
// taken in Chromium to its first answered question.

import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { createReadStream, existsSync, mkdirSync } from "node:fs";
import { stat } from "node:fs/promises";
import { createServer } from "node:http";
import { extname, join, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";

import { version } from "../../release/build.mjs";
import { answerByMouse, currentQuestion, events, waitForState } from "../e2e/support.mjs";

export const ROOT = fileURLToPath(new URL("../../", import.meta.url));
export const VERSION = version();
export const TARBALL = join(ROOT, "target", "npm", `skillcat-${VERSION}.tgz`);
export const ZIP = join(ROOT, "dist", `skillcat-${VERSION}.zip`);
export const TSC = join(ROOT, "tests", "node_modules", ".bin", "tsc");
/** The strict policy the element runs under, as README-deploy.md tells admins to send it. */
export const CSP = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'";

/** Fails with the command to run when a build output is missing. */
export function built(path, command) {
  assert.ok(existsSync(path), `${path} is missing: run \`${command}\` first`);
  return path;
}

/** Unpacks the npm tarball into `dir` as npm would (its files under `package/`). */
export function unpackTarball(dir) {
  mkdirSync(dir, { recursive: true });
  execFileSync("tar", ["-xzf", built(TARBALL, "make npm-package"), "-C", dir]);
  return join(dir, "package");
}

const TYPES = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json; charset=utf-8",
  ".wasm": "application/wasm",
  ".svg": "image/svg+xml",
  ".md": "text/markdown; charset=utf-8",
  ".ts": "text/plain; charset=utf-8",
};

/**
 * A plain static server of one folder on 127.0.0.1, as any web server would be set up: the MIME
 * types of README-deploy.md, `index.html` for a folder, and (with `csp`) the strict policy on
 * every HTML page. Nothing else: no rewriting, no knowledge of skillcat.
 * @returns {Promise<{ url: string, requests: string[], close: () => Promise<void> }>}
 */
export async function serveFolder(root, { csp = true } = {}) {
  const base = resolve(root);
  const requests = [];
  const server = createServer(async (request, response) => {
    const path = decodeURIComponent(new URL(request.url, "http://127.0.0.1").pathname);
    requests.push(path);
    let file = resolve(base, `.${path}`);
    if (file !== base && !file.startsWith(base + sep)) file = null;
    try {
      if (file && (await stat(file)).isDirectory()) file = join(file, "index.html");
      if (!file || !(await stat(file)).isFile()) throw new Error("not a file");
    } catch {
      response.writeHead(404, { "Content-Type": "text/plain; charset=utf-8" });
      response.end("Not found\n");
      return;
    }
    const type = TYPES[extname(file).toLowerCase()] ?? "application/octet-stream";
    const headers = { "Content-Type": type, "Cache-Control": "no-store", "X-Content-Type-Options": "nosniff" };
    if (csp && type.startsWith("text/html")) headers["Content-Security-Policy"] = CSP;
    response.writeHead(200, headers);
    createReadStream(file).pipe(response);
  });
  await new Promise((done, fail) => {
    server.once("error", fail);
    server.listen(0, "127.0.0.1", done);
  });
  return {
    url: `http://127.0.0.1:${server.address().port}/`,
    requests,
    close: () => {
      server.closeAllConnections?.();
      return new Promise((done) => server.close(() => done()));
    },
  };
}

/**
 * On a page whose quiz shows its intro: starts the test, answers the first question with the
 * mouse, and returns that question and the `skillcat:answered` event's detail.
 */
export async function answerFirstQuestion(page) {
  assert.equal(await waitForState(page, ["intro", "error"]), "intro", "the quiz loads without an error");
  await page.locator('skillcat-quiz [data-action="start"]').click();
  await waitForState(page, "question");
  const question = await currentQuestion(page);
  const chosen = await answerByMouse(page, 0);
  await waitForState(page, ["feedback", "question", "results"], { notItem: question.item });
  const answered = await events(page, "skillcat:answered");
  assert.equal(answered.length, 1, "one answer recorded");
  assert.equal(answered[0].detail.item, question.item);
  assert.deepEqual(answered[0].detail.answer, chosen);
  return { question, detail: answered[0].detail };
}
