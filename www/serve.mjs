#!/usr/bin/env node
// A tiny static server for the demo and the browser tests, with no dependencies:
//   node www/serve.mjs [--port 8080] [--csp] [--wasm-mime application/octet-stream]
// Serves www/ at / and the repository's quizbanks/ at /quizbanks/, on 127.0.0.1 only, with
// exact MIME types, `Cache-Control: no-store`, no directory listing and no way out of those two
// folders. `--csp` adds the strict Content-Security-Policy the shell must run under to HTML
// responses; `--wasm-mime` serves .wasm with another type, as misconfigured LMS servers do.
// Tests import `startServer({ port: 0 })`.

import { createReadStream } from "node:fs";
import { realpath, stat } from "node:fs/promises";
import { createServer } from "node:http";
import { extname, join, resolve, sep } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const HERE = fileURLToPath(new URL(".", import.meta.url));
const WWW = resolve(HERE);
const QUIZBANKS = resolve(HERE, "..", "quizbanks");
const HOST = "127.0.0.1";

/** The policy the shell is built for: no inline script or style, wasm allowed. */
export const CSP = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'";

/** @type {Record<string, string>} */
const TYPES = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json; charset=utf-8",
  ".wasm": "application/wasm",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".ico": "image/x-icon",
  ".txt": "text/plain; charset=utf-8",
  ".md": "text/plain; charset=utf-8",
  ".ts": "text/plain; charset=utf-8",
};

/**
 * Maps a request path to a file inside one of the two roots, or null. Rejects anything that
 * could leave the root: undecodable or NUL-bearing paths, backslashes, dot segments (which also
 * hides dotfiles), and symbolic links pointing outside.
 * @param {string} pathname the URL path, still percent-encoded
 * @param {{ www: string, quizbanks: string }} roots
 * @returns {Promise<{ redirect: string } | { file: string, size: number } | null>}
 */
export async function resolvePath(pathname, roots = { www: WWW, quizbanks: QUIZBANKS }) {
  let decoded;
  try {
    decoded = decodeURIComponent(pathname);
  } catch {
    return null;
  }
  if (!decoded.startsWith("/") || decoded.includes("\0") || decoded.includes("\\")) return null;
  const segments = decoded.split("/").slice(1);
  if (segments.some((segment) => segment.startsWith("."))) return null;
  let root = roots.www;
  if (segments[0] === "quizbanks") {
    root = roots.quizbanks;
    segments.shift();
  }
  const wantsDirectory = segments.length === 0 || segments[segments.length - 1] === "";
  let file = resolve(root, ...segments.filter(Boolean));
  if (!inside(root, file)) return null;
  try {
    let info = await stat(file);
    if (info.isDirectory()) {
      if (!wantsDirectory) return { redirect: `${pathname}/` };
      file = join(file, "index.html");
      info = await stat(file);
    }
    if (!info.isFile()) return null;
    const real = await realpath(file);
    if (!inside(await realpath(root), real)) return null;
    return { file: real, size: info.size };
  } catch {
    return null;
  }
}

/**
 * @param {string} root
 * @param {string} file
 */
function inside(root, file) {
  return file === root || file.startsWith(root.endsWith(sep) ? root : root + sep);
}

/**
 * Starts the server on 127.0.0.1.
 * `headers` are added to every file response (the LMS tests send `Permissions-Policy`).
 * @param {{ port?: number, csp?: boolean, wasmMime?: string, roots?: { www: string, quizbanks: string }, headers?: Record<string, string> }} [options]
 * @returns {Promise<{ server: import("node:http").Server, port: number, url: string, close: () => Promise<void> }>}
 */
export function startServer({ port = 8080, csp = false, wasmMime = "application/wasm", roots, headers: extra = {} } = {}) {
  const server = createServer(async (request, response) => {
    /**
     * @param {number} status
     * @param {string} text
     * @param {Record<string, string>} [headers]
     */
    const send = (status, text, headers = {}) => {
      response.writeHead(status, {
        "Content-Type": "text/plain; charset=utf-8",
        "Cache-Control": "no-store",
        "X-Content-Type-Options": "nosniff",
        ...headers,
      });
      response.end(request.method === "HEAD" ? undefined : text);
    };
    if (request.method !== "GET" && request.method !== "HEAD") {
      send(405, "Method not allowed\n", { Allow: "GET, HEAD" });
      return;
    }
    const target = request.url ?? "";
    let pathname;
    try {
      pathname = new URL(target, `http://${HOST}`).pathname;
    } catch {
      send(400, "Bad request\n");
      return;
    }
    // The raw request target, so that "/a/../../x" is judged as sent, not as URL-normalized.
    const raw = target.split(/[?#]/)[0];
    const found = await resolvePath(raw.startsWith("/") ? raw : pathname, roots);
    if (!found) {
      send(404, "Not found\n");
      return;
    }
    if ("redirect" in found) {
      send(301, "Moved\n", { Location: found.redirect });
      return;
    }
    const ext = extname(found.file).toLowerCase();
    const type = ext === ".wasm" ? wasmMime : (TYPES[ext] ?? "application/octet-stream");
    /** @type {Record<string, string | number>} */
    const headers = {
      "Content-Type": type,
      "Content-Length": found.size,
      "Cache-Control": "no-store",
      "X-Content-Type-Options": "nosniff",
      ...extra,
    };
    if (csp && ext === ".html") headers["Content-Security-Policy"] = CSP;
    response.writeHead(200, headers);
    if (request.method === "HEAD") {
      response.end();
      return;
    }
    createReadStream(found.file)
      .on("error", () => response.destroy())
      .pipe(response);
  });
  return new Promise((resolvePromise, reject) => {
    server.once("error", reject);
    server.listen(port, HOST, () => {
      const actual = /** @type {import("node:net").AddressInfo} */ (server.address()).port;
      resolvePromise({
        server,
        port: actual,
        url: `http://${HOST}:${actual}/`,
        close: () =>
          new Promise((done) => {
            server.closeAllConnections?.();
            server.close(() => done());
          }),
      });
    });
  });
}

/**
 * @param {string[]} argv
 * @returns {{ port: number, csp: boolean, wasmMime: string, help?: boolean }}
 */
function parseArgs(argv) {
  /** @type {ReturnType<typeof parseArgs>} */
  const options = { port: 8080, csp: false, wasmMime: "application/wasm" };
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i];
    const value = () => {
      const next = argv[i + 1];
      if (next === undefined || next.startsWith("--")) throw new Error(`${arg} needs a value`);
      i += 1;
      return next;
    };
    if (arg === "--port") {
      options.port = Number(value());
      if (!Number.isInteger(options.port) || options.port < 0 || options.port > 65535) {
        throw new Error(`--port: expected a port number from 0 to 65535, found "${argv[i]}"`);
      }
    } else if (arg === "--csp") {
      options.csp = true;
    } else if (arg === "--wasm-mime") {
      options.wasmMime = value();
    } else if (arg === "--help" || arg === "-h") {
      options.help = true;
    } else {
      throw new Error(`unknown option ${arg}`);
    }
  }
  return options;
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  let options;
  try {
    options = parseArgs(process.argv.slice(2));
  } catch (error) {
    console.error(`serve.mjs: ${/** @type {Error} */ (error).message}\nusage: node www/serve.mjs [--port 8080] [--csp] [--wasm-mime TYPE]`);
    process.exit(2);
  }
  if (options.help) {
    console.log("usage: node www/serve.mjs [--port 8080] [--csp] [--wasm-mime TYPE]");
    process.exit(0);
  }
  let url;
  try {
    ({ url } = await startServer(options));
  } catch (error) {
    const { code } = /** @type {NodeJS.ErrnoException} */ (error);
    const reason =
      code === "EADDRINUSE"
        ? `port ${options.port} is in use (another server runs there); pass --port with a free port, or --port 0 for any`
        : code === "EACCES"
          ? `port ${options.port} needs privileges; pass --port 8080 or above`
          : /** @type {Error} */ (error).message;
    console.error(`serve.mjs: ${reason}`);
    process.exit(1);
  }
  console.log(`skillcat demo: ${url}  (intranet example: ${url}intranet-example.html)${options.csp ? "  [strict CSP]" : ""}`);
  console.log("Press Ctrl-C to stop.");
  process.on("SIGINT", () => process.exit(0));
  process.on("SIGTERM", () => process.exit(0));
}
