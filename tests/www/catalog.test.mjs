// `banks="*"` and the bank catalog in the shell (www/lib/engine.js), in Node over real HTTP: "*"
// fetches exactly the banks the catalog lists, and a missing or malformed catalog is an error
// that names index.json and what is wrong.

import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { fileURLToPath } from "node:url";

import { ALL_BANKS, bankIds, fetchBanks, fetchCatalog } from "../../www/lib/engine.js";
import { startServer } from "../../www/serve.mjs";
import { HOOK_TIMEOUT } from "../e2e/support.mjs";

const QUIZBANKS = fileURLToPath(new URL("../../quizbanks/", import.meta.url));
let dir;
let real;
let broken;

before(async () => {
  dir = mkdtempSync(join(tmpdir(), "skillcat-catalog-"));
  mkdirSync(join(dir, "www"));
  mkdirSync(join(dir, "banks"));
  real = await startServer({ port: 0 });
  broken = await startServer({ port: 0, roots: { www: join(dir, "www"), quizbanks: join(dir, "banks") } });
}, { timeout: HOOK_TIMEOUT });

after(async () => {
  await real?.close();
  await broken?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
}, { timeout: HOOK_TIMEOUT });

const brokenBase = () => new URL("quizbanks/", broken.url);

/** The LoadError a catalog whose text is `text` gives (undefined: none). */
async function catalogError(text) {
  if (text === null) rmSync(join(dir, "banks", "index.json"), { force: true });
  else writeFileSync(join(dir, "banks", "index.json"), text);
  try {
    await fetchCatalog(brokenBase());
  } catch (error) {
    return { message: error.message, file: error.file, name: error.name };
  }
  return undefined;
}

test('banks="*" means every bank of the catalog; "*" among ids is not an id', () => {
  assert.equal(bankIds("*"), ALL_BANKS);
  assert.equal(bankIds(" * "), ALL_BANKS);
  assert.deepEqual(bankIds("cloud, regulation"), ["cloud", "regulation"]);
  assert.throws(() => bankIds("cloud,*"), { message: 'banks: "*" is not a bank id (lowercase letters, digits and "-")' });
});

test("fetchBanks with ALL_BANKS fetches exactly the catalog's banks, in its order", async () => {
  const base = new URL("quizbanks/", real.url);
  const catalog = JSON.parse(readFileSync(join(QUIZBANKS, "index.json"), "utf8"));
  const fetched = await fetchBanks(ALL_BANKS, base);
  assert.deepEqual(
    fetched.map((f) => [f.id, f.file, f.json.version, f.json.items.length]),
    catalog.banks.map((e) => [e.id, e.file, e.version, e.items]),
  );
  assert.deepEqual((await fetchBanks(["cloud"], base)).map((f) => f.id), ["cloud"]);
});

test("a missing or malformed catalog is a LoadError naming index.json and the problem", async () => {
  const url = new URL("index.json", brokenBase()).href;
  assert.deepEqual(await catalogError(null), {
    message: `index.json: the server answered 404 Not Found for ${url}`,
    file: "index.json",
    name: "LoadError",
  });
  assert.match((await catalogError("{ not json")).message, /^index\.json: not valid JSON \(/);
  const notCatalog = 'index.json: not a bank catalog (format "skillcat-catalog/1" with a "banks" list); write it with `skillcat catalog`';
  assert.equal((await catalogError('{"format": "skillcat-bank/1", "banks": []}')).message, notCatalog);
  assert.equal((await catalogError('{"format": "skillcat-catalog/1"}')).message, notCatalog);
  assert.equal((await catalogError('{"format": "skillcat-catalog/1", "banks": []}')).message, "index.json: lists no bank");
  assert.equal(
    (await catalogError('{"format": "skillcat-catalog/1", "banks": [{"id": "cloud"}, {"id": "../secret"}]}')).message,
    'index.json: banks[1].id: "../secret" is not a bank id',
  );
  assert.equal(await catalogError('{"format": "skillcat-catalog/1", "banks": [{"id": "cloud"}]}'), undefined);
  await assert.rejects(fetchBanks(ALL_BANKS, brokenBase()), { message: /^cloud\.json: the server answered 404 Not Found/ });
});
