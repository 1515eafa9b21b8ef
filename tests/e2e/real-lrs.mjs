// A real learning record store for the tests: Learning Locker's statement service (npm
// `xapi-statements` 5.0.1, GPL-3.0; a test dependency in tests/package.json, never shipped), in
// a child process on 127.0.0.1 with its in-memory store and its test authorization (any Basic
// credentials are accepted). It serves /xAPI/about and /xAPI/statements (POST, PUT, GET with the
// xAPI query parameters) and answers CORS preflights from any origin; it has no State API and no
// Agent Profile API, so cmi5 launches keep the tests' own LMS (lrs.mjs) for those and send
// their statements here through it.
//
// The process is bounded on every side: startup fails within STARTUP_TIMEOUT with its output in
// the message, `close()` ends it (SIGKILL if SIGTERM is not enough), and it exits by itself when
// the test process goes (loopback-only.cjs ends it when the IPC channel closes).

import assert from "node:assert/strict";
import { fork } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const SERVICE = fileURLToPath(new URL("../node_modules/xapi-statements/dist/index.js", import.meta.url));
const LOOPBACK_ONLY = fileURLToPath(new URL("./loopback-only.cjs", import.meta.url));
/**
 * How long the service may take to listen: it loads in 3 s on an idle machine, and took 13 s
 * on a busy one.
 */
export const STARTUP_TIMEOUT = 60_000;
const VERSION = "1.0.3";

/** A free port on 127.0.0.1 (the service cannot report the port it got from port 0). */
async function freePort() {
  const probe = createServer();
  await new Promise((resolve, reject) => {
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", resolve);
  });
  const { port } = probe.address();
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

/**
 * Starts the service and resolves once it listens; rejects within `timeout` with what it printed
 * when it exits or stays silent. `service` is the script to run (a test points it elsewhere to
 * prove a failed start is reported). A port taken between the probe and the service's listen
 * gets one more try on another port.
 */
export async function startRealLrs({ timeout = STARTUP_TIMEOUT, service = SERVICE } = {}) {
  try {
    return await startOnce(await freePort(), { timeout, service });
  } catch (error) {
    if (!error.message.includes("EADDRINUSE")) throw error;
    return startOnce(await freePort(), { timeout, service });
  }
}

async function startOnce(port, { timeout, service }) {
  const dir = mkdtempSync(join(tmpdir(), "skillcat-lrs-"));
  const output = [];
  const child = fork(service, [], {
    cwd: dir, // the service reads .env from, and writes access logs under, its working directory
    execArgv: ["--require", LOOPBACK_ONLY],
    stdio: ["ignore", "pipe", "pipe", "ipc"],
    env: {
      PATH: process.env.PATH,
      AUTH_REPO: "test",
      EVENTS_REPO: "test",
      MODELS_REPO: "memory",
      STORAGE_REPO: "memory",
      EXPRESS_PORT: String(port),
      EXPRESS_MORGAN_DIRECTORY: join(dir, "access-logs"),
      WINSTON_CONSOLE_LEVEL: "warning",
      AWS_SDK_JS_SUPPRESS_MAINTENANCE_MODE_MESSAGE: "1",
    },
  });
  for (const stream of [child.stdout, child.stderr]) stream.on("data", (chunk) => output.push(chunk.toString()));
  const exited = new Promise((resolve) => child.once("exit", (code, signal) => resolve({ code, signal })));
  const killOnExit = () => child.kill("SIGKILL");
  process.once("exit", killOnExit);
  const described = () => output.join("").slice(-2000).trim() || "(no output)";
  const stop = async () => {
    process.off("exit", killOnExit);
    if (child.exitCode === null && child.signalCode === null) {
      child.kill("SIGTERM");
      const late = setTimeout(() => child.kill("SIGKILL"), 5_000);
      await exited;
      clearTimeout(late);
    }
    rmSync(dir, { recursive: true, force: true });
  };

  let timer;
  const started = await Promise.race([
    new Promise((resolve) => child.on("message", (m) => m === "ready" && resolve("ready"))),
    exited.then(({ code, signal }) => `exited (${signal ?? `code ${code}`})`),
    new Promise((resolve) => (timer = setTimeout(() => resolve(`did not listen within ${timeout} ms`), timeout))),
    new Promise((resolve) => child.once("error", (error) => resolve(`could not start: ${error.message}`))),
  ]);
  clearTimeout(timer);
  if (started !== "ready") {
    await stop();
    throw new Error(`the real LRS (xapi-statements, ${service}) ${started} on 127.0.0.1:${port}; its output:\n${described()}`);
  }

  const origin = `http://127.0.0.1:${port}`;
  const authHeader = `Basic ${Buffer.from("skillcat:test-secret").toString("base64")}`;
  const headers = { Authorization: authHeader, "X-Experience-API-Version": VERSION };

  /** Every statement matching the xAPI query `params`, oldest first (follows `more`). */
  async function query(params) {
    const found = [];
    let next = `/xAPI/statements?${new URLSearchParams({ ...params, ascending: "true", limit: "500" })}`;
    while (next) {
      const response = await fetch(new URL(next, origin), { headers, signal: AbortSignal.timeout(10_000) });
      assert.equal(response.status, 200, `GET ${next} from the real LRS: HTTP ${response.status} ${await response.clone().text()}`);
      const page = await response.json();
      found.push(...page.statements);
      next = page.more || null;
    }
    return found;
  }

  return {
    origin,
    /** The xAPI endpoint the quiz is given (statements at `<endpoint>statements`). */
    endpoint: `${origin}/xAPI/`,
    authHeader,
    /** Forwards one statements request as the LMS side received it (lrs.mjs's proxy). */
    forward({ method, search, body }) {
      return fetch(`${origin}/xAPI/statements${search}`, {
        method,
        headers: { ...headers, ...(body ? { "Content-Type": "application/json" } : {}) },
        body: body || undefined,
        signal: AbortSignal.timeout(10_000),
      });
    },
    query,
    /**
     * Resolves with the statements of `params` once `predicate(statements)` holds, asking the
     * LRS again every 100 ms; rejects after `timeout`.
     */
    async waitFor(params, predicate, { timeout = 15_000, what = "the statements" } = {}) {
      const end = Date.now() + timeout;
      for (;;) {
        const list = await query(params);
        if (predicate(list)) return list;
        if (Date.now() > end) throw new Error(`timed out after ${timeout} ms waiting for ${what} in the real LRS`);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    },
    /** The service's output so far (for failure messages). */
    output: described,
    close: stop,
  };
}

/** What an LRS adds to a statement it stores (xAPI-Data.md §2.4.8–2.4.10, §2.4.1 for the id). */
const LRS_PROPERTIES = ["stored", "authority", "version"];
/** objectType values an LRS may write out where the sender left the default (§2.4.2.1, §2.4.4). */
const DEFAULT_OBJECT_TYPES = ["Agent", "Activity"];

/**
 * How the statements a query returned differ from those the quiz sent: each sent statement is
 * there once, under its id, with every property as sent; nothing else is there. The LRS may
 * only add `stored`, `authority`, `version` and default objectTypes.
 * @returns {string[]} one line per difference; empty when the LRS holds exactly what was sent
 */
export function differencesFromSent(sent, returned) {
  const out = [];
  const byId = new Map();
  for (const s of returned) {
    if (byId.has(s.id)) out.push(`${s.id}: returned twice`);
    byId.set(s.id, s);
  }
  for (const s of sent) {
    const found = byId.get(s.id);
    if (!found) {
      out.push(`${s.id} (${s.verb?.id}): sent but not in the LRS`);
      continue;
    }
    byId.delete(s.id);
    compare(s, found, "", out, s.id);
  }
  for (const s of byId.values()) out.push(`${s.id} (${s.verb?.id}): in the LRS but never sent`);
  return out;
}

function compare(sent, stored, path, out, id) {
  const where = `${id} ${path || "statement"}`;
  if (sent === null || typeof sent !== "object" || stored === null || typeof stored !== "object") {
    if (sent !== stored) out.push(`${where}: sent ${JSON.stringify(sent)}, stored ${JSON.stringify(stored)}`);
    return;
  }
  if (Array.isArray(sent) !== Array.isArray(stored) || (Array.isArray(sent) && sent.length !== stored.length)) {
    out.push(`${where}: sent ${JSON.stringify(sent)}, stored ${JSON.stringify(stored)}`);
    return;
  }
  for (const key of new Set([...Object.keys(sent), ...Object.keys(stored)])) {
    const child = path ? `${path}.${key}` : key;
    if (!(key in sent)) {
      const added = (!path && LRS_PROPERTIES.includes(key)) || (key === "objectType" && DEFAULT_OBJECT_TYPES.includes(stored[key]));
      if (!added) out.push(`${id} ${child}: not sent, stored ${JSON.stringify(stored[key])}`);
    } else if (!(key in stored)) {
      out.push(`${id} ${child}: sent ${JSON.stringify(sent[key])}, not stored`);
    } else {
      compare(sent[key], stored[key], child, out, id);
    }
  }
}
