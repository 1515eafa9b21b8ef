// The server side of an LMS whose SCORM 2004 runtime sends the whole data model on every Commit
// and on Terminate, form-encoded as Moodle 4.5's player does (`cmi__interactions__N3__result=
// correct`, one field per element; mod/scorm/datamodels/scorm_13.js, CollectData): the host page
// (fixtures/lms/host.js, profile "moodle") posts each commit here, the Terminate one through
// `navigator.sendBeacon`, which Chromium refuses over 64 KiB. The store keeps what arrived, as an
// LMS keeps its tracks, and gives back the CMI data a relaunch starts from.

import { createServer } from "node:http";

/** Starts the store on 127.0.0.1 (another origin than the host page, so it answers CORS). */
export async function startCommitStore() {
  /** Every body received: { terminate, size, fields } in arrival order. */
  const received = [];
  const state = { loseTerminate: false };
  const server = createServer((req, res) => {
    const headers = { "Access-Control-Allow-Origin": "*", "Cache-Control": "no-store", "Content-Type": "text/plain" };
    if (req.method === "OPTIONS") {
      res.writeHead(204, { ...headers, "Access-Control-Allow-Methods": "POST", "Access-Control-Allow-Headers": "Content-Type" });
      res.end();
      return;
    }
    const chunks = [];
    req.on("data", (chunk) => chunks.push(chunk));
    req.on("end", () => {
      const body = Buffer.concat(chunks);
      const url = new URL(req.url, "http://127.0.0.1");
      if (state.loseTerminate && url.searchParams.has("terminate")) {
        res.writeHead(200, headers);
        res.end("true\n0\n");
        return;
      }
      received.push({ terminate: url.searchParams.has("terminate"), size: body.length, fields: Object.fromEntries(new URLSearchParams(body.toString("utf8"))) });
      res.writeHead(200, headers);
      res.end("true\n0\n");
    });
  });
  await new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", resolve);
  });
  const url = `http://127.0.0.1:${server.address().port}/datamodel`;
  return {
    url,
    received,
    /** When true, Terminate commits are answered but not kept: a page closed too early for them. */
    get loseTerminate() {
      return state.loseTerminate;
    },
    set loseTerminate(value) {
      state.loseTerminate = value;
    },
    /** Forgets every commit: the next attempt starts empty. */
    clear: () => received.splice(0),
    /** Resolves once `count` bodies have arrived (a beacon arrives after Terminate returns). */
    waitFor: async (count, timeout = 10_000) => {
      const until = Date.now() + timeout;
      while (received.length < count) {
        if (Date.now() > until) throw new Error(`the store received ${received.length} commits, not ${count}`);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    },
    /**
     * The CMI data the LMS holds: every element of every commit received, later ones winning
     * (an LMS stores each element as it arrives), as the nested object scorm-again loads.
     */
    cmi: () => {
      const cmi = {};
      for (const { fields } of received) {
        for (const [name, value] of Object.entries(fields)) {
          const path = name.split("__");
          if (path[0] !== "cmi") continue;
          let at = cmi;
          for (const key of path.slice(1, -1).map((k) => k.replace(/^N(\d+)$/, "$1"))) at = at[key] ??= {};
          at[path.at(-1)] = value;
        }
      }
      return cmi;
    },
    close: () =>
      new Promise((done) => {
        server.closeAllConnections?.();
        server.close(() => done());
      }),
  };
}
