// A small learning record store and cmi5 LMS for the tests, in-process on 127.0.0.1 (port 0):
//   POST /fetch?k=<key>        the cmi5 fetch URL: the first call per key returns
//                              {"auth-token": …}, later calls the cmi5 error "1" (HTTP 200)
//   /xapi/statements           POST (one statement or an array), PUT ?statementId=, GET
//   /xapi/activities/state     GET/PUT/POST/DELETE, keyed by activityId, agent, registration,
//                              stateId (GET without stateId lists the ids)
//   /xapi/agents/profile       GET/PUT (404 until set)
//   /xapi/about                GET, no authorization
// It checks what an LRS must (X-Experience-API-Version, Basic authorization → 401), stores
// statements with `stored`, `authority` and `version: "1.0.3"`, answers CORS preflights (the AU
// page comes from another origin), and logs every request so tests can count them. Tests wait
// for statements with `waitFor(predicate)`, which resolves when a request makes it true: a
// condition, never a fixed sleep.
//
// With `statementsTo` (a real LRS from real-lrs.mjs) it is the LMS in front of that LRS: it still
// issues the cmi5 tokens, checks them and serves the State and Agent Profile APIs (which the
// real one lacks), but forwards every /xapi/statements request to the real LRS and answers
// with the real LRS's status and body; `statements()` then lists what the quiz sent and the real
// LRS accepted, with the ids the real LRS returned.

import { EventEmitter } from "node:events";
import { createServer } from "node:http";
import { randomUUID } from "node:crypto";

const VERSION = "1.0.3";
const CORS = {
  "Access-Control-Allow-Origin": "*",
  "Access-Control-Allow-Methods": "GET, POST, PUT, DELETE, OPTIONS",
  "Access-Control-Allow-Headers": "Authorization, Content-Type, X-Experience-API-Version, If-Match, If-None-Match",
  "Access-Control-Expose-Headers": "X-Experience-API-Version, ETag, Last-Modified",
  "Access-Control-Max-Age": "600",
};
const IFIS = ["mbox", "mbox_sha1sum", "openid", "account"];

export const basic = (key, secret) => Buffer.from(`${key}:${secret}`).toString("base64");

/** The identity part of an Agent (its inverse functional identifier), as a key. */
export function agentKey(agent) {
  const value = typeof agent === "string" ? JSON.parse(agent) : agent;
  const ifi = IFIS.find((k) => value?.[k] !== undefined);
  if (!ifi) throw new Error("agent without an inverse functional identifier");
  return JSON.stringify({ [ifi]: ifi === "account" ? { homePage: value.account.homePage, name: value.account.name } : value[ifi] });
}

/**
 * Starts the LRS. `credentials` is the key/secret that plain-xAPI pages use (`lrs.authHeader`);
 * each cmi5 fetch issues its own token.
 */
export async function startLrs({ credentials = { key: "skillcat", secret: "test-secret" }, statementsTo = null } = {}) {
  const events = new EventEmitter();
  const stored = [];
  const state = new Map();
  const profiles = new Map();
  const fetchKeys = new Map(); // key → number of calls
  const tokens = new Set([basic(credentials.key, credentials.secret)]);
  const requests = [];

  const server = createServer(async (req, res) => {
    const url = new URL(req.url, "http://lrs.invalid");
    const chunks = [];
    for await (const chunk of req) chunks.push(chunk);
    const body = Buffer.concat(chunks).toString("utf8");
    const entry = { method: req.method, path: url.pathname, query: Object.fromEntries(url.searchParams), headers: req.headers, body, status: 0 };
    const answer = (status, payload, headers = {}) => {
      entry.status = status;
      const text = payload === undefined ? "" : typeof payload === "string" ? payload : JSON.stringify(payload);
      res.writeHead(status, {
        ...CORS,
        "X-Experience-API-Version": VERSION,
        "Cache-Control": "no-store",
        ...(text ? { "Content-Type": headers["Content-Type"] ?? "application/json" } : {}),
        ...headers,
      });
      res.end(text);
      if (req.method !== "OPTIONS") requests.push(entry);
      events.emit("change");
    };
    try {
      if (req.method === "OPTIONS") return answer(204);
      if (url.pathname === "/fetch") return handleFetch(url, req, answer);
      if (!url.pathname.startsWith("/xapi/")) return answer(404, { error: "not found" });
      const resource = url.pathname.slice("/xapi/".length);
      if (resource === "about" && req.method === "GET") return answer(200, { version: [VERSION] });
      if (!req.headers["x-experience-api-version"]) return answer(400, { error: "X-Experience-API-Version header missing" });
      const token = /^Basic (.+)$/.exec(req.headers.authorization ?? "")?.[1];
      if (!token || !tokens.has(token)) return answer(401, { error: "bad credentials" }, { "WWW-Authenticate": 'Basic realm="LRS"' });
      entry.token = token;
      if (resource === "statements" && statementsTo) return await forwardStatements(url, req, body, answer);
      if (resource === "statements") return handleStatements(url, req, body, token, answer);
      if (resource === "activities/state") return handleState(url, req, body, answer);
      if (resource === "agents/profile") return handleProfile(url, req, body, answer);
      return answer(404, { error: `no resource ${resource}` });
    } catch (error) {
      return answer(400, { error: error.message });
    }
  });

  function handleFetch(url, req, answer) {
    if (req.method !== "POST") return answer(405, { error: "POST only" });
    const key = url.searchParams.get("k") ?? "";
    const calls = (fetchKeys.get(key) ?? 0) + 1;
    fetchKeys.set(key, calls);
    if (calls > 1) return answer(200, { "error-code": "1", "error-text": "already in use" });
    const token = basic(`cmi5-${key}`, randomUUID());
    tokens.add(token);
    return answer(200, { "auth-token": token });
  }

  function handleStatements(url, req, body, token, answer) {
    if (req.method === "GET") {
      const id = url.searchParams.get("statementId");
      if (id) {
        const found = stored.find((s) => s.id === id);
        return found ? answer(200, found) : answer(404, { error: "no such statement" });
      }
      const registration = url.searchParams.get("registration");
      const list = stored.filter((s) => !registration || s.context?.registration === registration);
      return answer(200, { statements: [...list].reverse(), more: "" });
    }
    if (req.method !== "POST" && req.method !== "PUT") return answer(405, { error: "method not allowed" });
    const parsed = JSON.parse(body);
    const list = Array.isArray(parsed) ? parsed : [parsed];
    if (req.method === "PUT") {
      const id = url.searchParams.get("statementId");
      if (!id || Array.isArray(parsed)) return answer(400, { error: "PUT needs statementId and one statement" });
      if (parsed.id !== undefined && parsed.id !== id) return answer(400, { error: "statementId does not match id" });
      parsed.id = id;
    }
    for (const s of list) {
      if (!s || typeof s !== "object" || !s.actor || !s.verb?.id || !s.object) return answer(400, { error: "a statement needs actor, verb and object" });
      if (s.stored || s.authority || s.version) return answer(400, { error: "stored, authority and version are the LRS's" });
    }
    const ids = [];
    const now = new Date().toISOString();
    const authority = { objectType: "Agent", account: { homePage: "http://127.0.0.1/lrs", name: Buffer.from(token, "base64").toString().split(":")[0] } };
    for (const s of list) {
      const id = s.id ?? randomUUID();
      const existing = stored.find((x) => x.id === id);
      if (existing) {
        const { stored: _s, authority: _a, version: _v, ...rest } = existing;
        if (JSON.stringify(rest) !== JSON.stringify({ ...s, id })) return answer(409, { error: `statement ${id} exists with other content` });
      } else {
        stored.push({ ...s, id, stored: now, authority, version: VERSION });
      }
      ids.push(id);
    }
    return req.method === "PUT" ? answer(204) : answer(200, ids);
  }

  async function forwardStatements(url, req, body, answer) {
    let response;
    try {
      response = await statementsTo.forward({ method: req.method, search: url.search, body: req.method === "GET" ? "" : body });
    } catch (error) {
      return answer(502, { error: `the real LRS did not answer: ${error.message}` });
    }
    const text = await response.text();
    if (response.ok && (req.method === "POST" || req.method === "PUT")) {
      const parsed = JSON.parse(body);
      const list = Array.isArray(parsed) ? parsed : [parsed];
      const ids = req.method === "PUT" ? [url.searchParams.get("statementId")] : JSON.parse(text);
      list.forEach((s, i) => stored.some((x) => x.id === ids[i]) || stored.push({ ...s, id: ids[i] }));
    }
    return answer(response.status, text || undefined, text ? { "Content-Type": response.headers.get("content-type") ?? "application/json" } : {});
  }

  function stateKey(url, withStateId = true) {
    const activityId = url.searchParams.get("activityId");
    const agent = url.searchParams.get("agent");
    if (!activityId || !agent) throw new Error("activityId and agent are required");
    const stateId = url.searchParams.get("stateId");
    if (withStateId && !stateId) throw new Error("stateId is required");
    return JSON.stringify([activityId, agentKey(agent), url.searchParams.get("registration") ?? "", withStateId ? stateId : ""]);
  }

  function handleState(url, req, body, answer) {
    if (req.method === "GET" && !url.searchParams.get("stateId")) {
      const prefix = stateKey(url, false).slice(0, -4); // drop the empty stateId
      const ids = [...state.keys()].filter((k) => k.startsWith(prefix)).map((k) => JSON.parse(k)[3]);
      return answer(200, ids);
    }
    const key = stateKey(url);
    const type = req.headers["content-type"] ?? "application/octet-stream";
    if (req.method === "GET") {
      const doc = state.get(key);
      return doc ? answer(200, doc.body, { "Content-Type": doc.type }) : answer(404, { error: "no such document" });
    }
    if (req.method === "PUT") {
      state.set(key, { body, type });
      return answer(204);
    }
    if (req.method === "POST") {
      const old = state.get(key);
      if (old && type.startsWith("application/json") && old.type.startsWith("application/json")) {
        state.set(key, { body: JSON.stringify({ ...JSON.parse(old.body), ...JSON.parse(body) }), type });
      } else if (old) {
        return answer(400, { error: "POST merges JSON documents only" });
      } else {
        state.set(key, { body, type });
      }
      return answer(204);
    }
    if (req.method === "DELETE") {
      state.delete(key);
      return answer(204);
    }
    return answer(405, { error: "method not allowed" });
  }

  function handleProfile(url, req, body, answer) {
    const agent = url.searchParams.get("agent");
    const profileId = url.searchParams.get("profileId");
    if (!agent || !profileId) throw new Error("agent and profileId are required");
    const key = JSON.stringify([agentKey(agent), profileId]);
    if (req.method === "GET") {
      const doc = profiles.get(key);
      return doc ? answer(200, doc.body, { "Content-Type": doc.type }) : answer(404, { error: "no such profile" });
    }
    if (req.method === "PUT") {
      profiles.set(key, { body, type: req.headers["content-type"] ?? "application/json" });
      return answer(204);
    }
    return answer(405, { error: "method not allowed" });
  }

  await new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", resolve);
  });
  const origin = `http://127.0.0.1:${server.address().port}`;

  const lrs = {
    origin,
    endpoint: `${origin}/xapi/`,
    authHeader: `Basic ${basic(credentials.key, credentials.secret)}`,
    /** Every request but preflights: { method, path, query, headers, body, status, token }. */
    requests,
    /** The stored statements, in the order they were stored (with `statementsTo`: as sent). */
    statements: () => stored.map((s) => structuredClone(s)),
    /** POSTs to the fetch URL, all keys together. */
    get fetchCalls() {
      return [...fetchKeys.values()].reduce((a, b) => a + b, 0);
    },
    fetchCallsFor: (key) => fetchKeys.get(key) ?? 0,
    /** Writes LMS.LaunchData for one AU launch (as the LMS does before launching). */
    setLaunchData({ activityId, actor, registration }, data) {
      state.set(JSON.stringify([activityId, agentKey(actor), registration, "LMS.LaunchData"]), { body: JSON.stringify(data), type: "application/json" });
    },
    /** A State API document as stored, or undefined. */
    stateDocument({ activityId, actor, registration = "" }, stateId) {
      return state.get(JSON.stringify([activityId, agentKey(actor), registration, stateId]))?.body;
    },
    setAgentProfile(actor, profileId, data) {
      profiles.set(JSON.stringify([agentKey(actor), profileId]), { body: JSON.stringify(data), type: "application/json" });
    },
    /**
     * Prepares one cmi5 launch: a fresh fetch key and session id, LMS.LaunchData with a
     * contextTemplate (publisher grouping and session id), and returns the launch parameters.
     */
    launch({ actor, registration, activityId, publisherId = "https://skillcat.example/au/cybersecurity", launchMode = "Normal", masteryScore, moveOn = "CompletedAndPassed", returnURL }) {
      const key = randomUUID();
      const sessionId = randomUUID();
      const data = {
        contextTemplate: {
          contextActivities: { grouping: [{ objectType: "Activity", id: publisherId }] },
          extensions: { "https://w3id.org/xapi/cmi5/context/extensions/sessionid": sessionId },
        },
        launchMode,
        moveOn,
        ...(masteryScore === undefined ? {} : { masteryScore }),
        ...(returnURL === undefined ? {} : { returnURL }),
      };
      lrs.setLaunchData({ activityId, actor, registration }, data);
      return {
        key,
        sessionId,
        params: { endpoint: lrs.endpoint, fetch: `${origin}/fetch?k=${key}`, actor: JSON.stringify(actor), registration, activityId },
      };
    },
    /** Resolves once `predicate()` holds (checked now and after every request), or rejects after `timeout`. */
    waitFor(predicate, { timeout = 15_000, what = "the LRS condition" } = {}) {
      return new Promise((resolve, reject) => {
        const check = () => {
          let value;
          try {
            value = predicate();
          } catch (error) {
            cleanup();
            reject(error);
            return;
          }
          if (value) {
            cleanup();
            resolve(value);
          }
        };
        const timer = setTimeout(() => {
          cleanup();
          reject(new Error(`timed out after ${timeout} ms waiting for ${what}`));
        }, timeout);
        const cleanup = () => {
          clearTimeout(timer);
          events.off("change", check);
        };
        events.on("change", check);
        check();
      });
    },
    close: async () => {
      server.closeAllConnections?.();
      await new Promise((done) => server.close(() => done()));
    },
  };
  return lrs;
}
