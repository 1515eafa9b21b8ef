// The demo server (www/serve.mjs): MIME types, caching, the CSP header, no directory listing and
// no way out of its two folders, over raw HTTP so that "../" reaches the server unnormalized.

import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { request } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";

import { CSP, startServer } from "../../www/serve.mjs";
import { HOOK_TIMEOUT } from "../e2e/support.mjs";

let dir;
let plain;
let strict;

/** One raw request; the path is sent exactly as given. */
function get(server, path, method = "GET") {
  return new Promise((resolve, reject) => {
    const req = request({ host: "127.0.0.1", port: server.port, path, method }, (res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (chunk) => (body += chunk));
      res.on("end", () => resolve({ status: res.statusCode, headers: res.headers, body }));
    });
    req.on("error", reject);
    req.end();
  });
}

before(async () => {
  dir = mkdtempSync(join(tmpdir(), "skillcat-serve-"));
  const www = join(dir, "www");
  const quizbanks = join(dir, "quizbanks");
  mkdirSync(join(www, "pkg"), { recursive: true });
  mkdirSync(join(www, "empty"));
  mkdirSync(join(www, "docs"));
  mkdirSync(quizbanks);
  writeFileSync(join(www, "index.html"), "<!doctype html><title>home</title>");
  writeFileSync(join(www, "docs", "index.html"), "<!doctype html><title>docs</title>");
  writeFileSync(join(www, "app.js"), "export {};");
  writeFileSync(join(www, "style.css"), "p{}");
  writeFileSync(join(www, ".env"), "SECRET=1");
  writeFileSync(join(www, "pkg", "skillcat_bg.wasm"), Buffer.from([0, 97, 115, 109, 1, 0, 0, 0]));
  writeFileSync(join(quizbanks, "bank.json"), '{"id":"bank"}');
  writeFileSync(join(dir, "secret.txt"), "outside");
  symlinkSync(join(dir, "secret.txt"), join(www, "link-out.txt"));
  const roots = { www, quizbanks };
  plain = await startServer({ port: 0, roots });
  strict = await startServer({ port: 0, roots, csp: true, wasmMime: "application/octet-stream" });
}, { timeout: HOOK_TIMEOUT });

after(async () => {
  await plain?.close();
  await strict?.close();
  rmSync(dir, { recursive: true, force: true });
}, { timeout: HOOK_TIMEOUT });

test("listens on 127.0.0.1 only, on the port the system chose for port 0", () => {
  assert.equal(plain.server.address().address, "127.0.0.1");
  assert.ok(plain.port > 0);
  assert.equal(plain.url, `http://127.0.0.1:${plain.port}/`);
});

test("serves www/ at / and quizbanks/ at /quizbanks/ with exact MIME types and no-store", async () => {
  const cases = [
    ["/", "text/html; charset=utf-8", "<!doctype html><title>home</title>"],
    ["/index.html", "text/html; charset=utf-8", "<!doctype html><title>home</title>"],
    ["/docs/", "text/html; charset=utf-8", "<!doctype html><title>docs</title>"],
    ["/app.js", "text/javascript; charset=utf-8", "export {};"],
    ["/style.css?v=2", "text/css; charset=utf-8", "p{}"],
    ["/quizbanks/bank.json", "application/json; charset=utf-8", '{"id":"bank"}'],
    ["/pkg/skillcat_bg.wasm", "application/wasm", null],
  ];
  for (const [path, type, body] of cases) {
    const res = await get(plain, path);
    assert.equal(res.status, 200, path);
    assert.equal(res.headers["content-type"], type, path);
    assert.equal(res.headers["cache-control"], "no-store", path);
    assert.equal(res.headers["x-content-type-options"], "nosniff", path);
    assert.equal(res.headers["content-security-policy"], undefined, `${path}: no CSP unless asked`);
    if (body !== null) assert.equal(res.body, body, path);
  }
});

test("--csp puts the strict policy on HTML responses only; --wasm-mime overrides the wasm type", async () => {
  const html = await get(strict, "/");
  assert.equal(html.headers["content-security-policy"], CSP);
  assert.equal(CSP, "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'");
  assert.equal((await get(strict, "/app.js")).headers["content-security-policy"], undefined);
  assert.equal((await get(strict, "/pkg/skillcat_bg.wasm")).headers["content-type"], "application/octet-stream");
});

test("never lists a directory and redirects a directory without its slash", async () => {
  assert.equal((await get(plain, "/empty/")).status, 404);
  const redirect = await get(plain, "/docs");
  assert.equal(redirect.status, 301);
  assert.equal(redirect.headers.location, "/docs/");
  assert.equal((await get(plain, "/pkg/")).status, 404);
});

test("refuses every way out of its folders, dotfiles and symbolic links that leave the root", async () => {
  const attempts = [
    "/../secret.txt",
    "/quizbanks/../secret.txt",
    "/quizbanks/../../secret.txt",
    "/%2e%2e/secret.txt",
    "/%2E%2E/%2e%2e/etc/passwd",
    "/..%2fsecret.txt",
    "/quizbanks/..%2f..%2fsecret.txt",
    "/..\\secret.txt",
    "/%5c..%5csecret.txt",
    "/docs/../../secret.txt",
    "/link-out.txt",
    "/.env",
    "/%2eenv",
    "/index.html%00.js",
    "/%",
    "//etc/passwd",
  ];
  for (const path of attempts) {
    const res = await get(plain, path);
    assert.equal(res.status, 404, `${path} answered ${res.status}`);
    assert.doesNotMatch(res.body, /outside|SECRET|root:/, path);
  }
});

test("answers only GET and HEAD", async () => {
  const post = await get(plain, "/", "POST");
  assert.equal(post.status, 405);
  assert.equal(post.headers.allow, "GET, HEAD");
  const head = await get(plain, "/app.js", "HEAD");
  assert.equal(head.status, 200);
  assert.equal(head.headers["content-length"], "10");
  assert.equal(head.body, "");
});

test("a port in use is one line naming the port, with exit status 1", async () => {
  const { execFile } = await import("node:child_process");
  const script = new URL("../../www/serve.mjs", import.meta.url).pathname;
  const result = await new Promise((done) => {
    execFile(process.execPath, [script, "--port", String(plain.port)], { timeout: 10_000 }, (error, stdout, stderr) =>
      done({ code: error?.code, stdout, stderr }),
    );
  });
  assert.equal(result.code, 1);
  assert.equal(result.stdout, "");
  assert.equal(
    result.stderr,
    `serve.mjs: port ${plain.port} is in use (another server runs there); pass --port with a free port, or --port 0 for any\n`,
  );
});
