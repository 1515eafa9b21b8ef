// A compact text form of the engine's saved session for SCORM's `suspend_data`, which holds
// only 4,096 characters in SCORM 1.2. The saved JSON names every answered item by id
// (`{"item":"cyb-threat-04","answer":[1,4]}`, about 40 characters each); here an item is its
// position in the session's banks, in base 36, so a response takes about 5 characters and a
// 60-item attempt fits with room to spare.
//
//   <version>|<JSON of format, config and banks>|<responses>|<pending>
//   responses: comma-separated `<item>=<option>.<option>` (chosen options) or `<item>+` /
//   `<item>-` (a score recorded as right / wrong); pending: the item shown but not answered
//   ("-" for none yet, empty when the saved state has no pending field).
//
// The engine still checks everything on restore (bank ids, versions and fingerprints, and
// that each response replays), so a package updated between two launches is caught there.
// A state this form cannot express (an item id the banks do not have) is kept as plain JSON,
// which `decode` recognises by its leading "{".

const VERSION = "s1";

/**
 * Item id → position over all banks of the session, and back.
 * @param {{ itemIds: string[] }[]} banks the banks' metadata (engine.js, BankMeta)
 */
export function itemIndex(banks) {
  const ids = banks.flatMap((bank) => bank.itemIds);
  return { ids, positions: new Map(ids.map((id, i) => [id, i])) };
}

/**
 * @param {string} saved `session.save()`
 * @param {{ ids: string[], positions: Map<string, number> }} index from `itemIndex`
 * @returns {string}
 */
export function encodeSuspendData(saved, index) {
  let state;
  try {
    state = JSON.parse(saved);
  } catch {
    return saved;
  }
  const position = (/** @type {string} */ id) => index.positions.get(id)?.toString(36);
  const parts = [];
  for (const response of state.responses ?? []) {
    const at = position(response.item);
    const keys = Object.keys(response).sort().join();
    if (at === undefined) return saved;
    if (keys === "answer,item" && Array.isArray(response.answer) && response.answer.every(Number.isInteger)) {
      parts.push(`${at}=${response.answer.join(".")}`);
    } else if (keys === "correct,item" && typeof response.correct === "boolean") {
      parts.push(`${at}${response.correct ? "+" : "-"}`);
    } else {
      return saved;
    }
  }
  let pending = "";
  if (state.pending === null) {
    pending = "-";
  } else if (state.pending !== undefined) {
    const at = position(state.pending);
    if (at === undefined) return saved;
    pending = at;
  }
  // The engine writes format, config and banks first; they are kept as written, byte for byte.
  const cut = saved.indexOf(',"responses":');
  if (cut < 0 || !saved.startsWith('{"format":')) return saved;
  const head = `${saved.slice(0, cut)}}`;
  return `${VERSION}|${head}|${parts.join(",")}|${pending}`;
}

/**
 * The saved session back, for `Session.restore`; throws an Error naming the problem when the
 * text is neither form.
 * @param {string} text
 * @param {{ ids: string[] }} index from `itemIndex`
 */
export function decodeSuspendData(text, index) {
  if (text.startsWith("{")) return text;
  const last = text.lastIndexOf("|");
  const middle = text.lastIndexOf("|", last - 1);
  if (!text.startsWith(`${VERSION}|`) || middle <= VERSION.length) {
    throw new Error("suspend_data: not a saved skillcat session");
  }
  const head = text.slice(VERSION.length + 1, middle);
  if (!head.startsWith("{") || !head.endsWith("}")) throw new Error("suspend_data: not a saved skillcat session");
  const item = (/** @type {string} */ code) => {
    const id = /^[0-9a-z]+$/.test(code) ? index.ids[parseInt(code, 36)] : undefined;
    if (id === undefined) throw new Error(`suspend_data: "${code}" is not an item of these banks`);
    return id;
  };
  const responses = text
    .slice(middle + 1, last)
    .split(",")
    .filter(Boolean)
    .map((part) => {
      const match = /^([0-9a-z]+)(?:=([0-9.]*)|([+-]))$/.exec(part);
      if (!match) throw new Error(`suspend_data: "${part}" is not a response`);
      if (match[3]) return { item: item(match[1]), correct: match[3] === "+" };
      return { item: item(match[1]), answer: match[2] === "" ? [] : match[2].split(".").map(Number) };
    });
  const code = text.slice(last + 1);
  const pending = code === "" ? "" : `,"pending":${code === "-" ? "null" : JSON.stringify(item(code))}`;
  return `${head.slice(0, -1)},"responses":${JSON.stringify(responses)}${pending}}`;
}
