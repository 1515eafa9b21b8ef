// The demo page: choose domains, a mode and a length, then take the quiz. The domains come from
// the bank catalog (quizbanks/index.json, written by `skillcat catalog`), listed for learners with
// each one's description and number of questions: adding a bank is dropping its file into
// quizbanks/ and running that command. The choice is kept in the address
// (?banks=…&mode=…&max=…) so a reload brings back the same quiz, which then resumes from its
// saved progress.

import { h } from "./lib/dom.js";
import { fetchCatalog } from "./lib/engine.js";

const BANK_BASE = new URL("quizbanks/", document.baseURI);
const MODES = ["practice", "assessment"];
const LENGTHS = ["5", "10", "20", "30"];

/**
 * The element of index.html with this id.
 * @template {HTMLElement} E
 * @param {string} id
 * @param {new () => E} type
 * @returns {E}
 */
function byId(id, type) {
  const element = document.getElementById(id);
  if (!(element instanceof type)) throw new Error(`demo.js: index.html has no ${type.name} #${id}`);
  return element;
}

const form = byId("chooser", HTMLFormElement);
const area = byId("quiz-area", HTMLElement);
const slot = byId("quiz-slot", HTMLElement);
const heading = byId("quiz-heading", HTMLElement);
const domainsError = byId("domains-error", HTMLElement);
const domainList = byId("domain-list", HTMLElement);
const catalogStatus = byId("catalog-status", HTMLElement);
const events = byId("events", HTMLElement);

/** @type {string[]} The bank ids the catalog lists (filled once it has loaded). */
let bankIds = [];

/** The quiz settings in the address, or null when there are none (or they are not valid). */
function settingsFromAddress() {
  const params = new URLSearchParams(location.search);
  const banks = (params.get("banks") ?? "").split(",").filter((id) => bankIds.includes(id));
  if (banks.length === 0) return null;
  const mode = params.get("mode") ?? "";
  const max = params.get("max") ?? "";
  return { banks, mode: MODES.includes(mode) ? mode : "practice", max: LENGTHS.includes(max) ? max : "20" };
}

/**
 * "English", or the tag itself where the browser cannot name it.
 * @param {string} tag
 */
function languageName(tag) {
  try {
    return new Intl.DisplayNames([document.documentElement.lang || "en"], { type: "language" }).of(tag) ?? tag;
  } catch {
    return tag;
  }
}

/**
 * One domain of the index: a checkbox labelled by its title, its description and its size.
 * @param {Awaited<ReturnType<typeof fetchCatalog>>["banks"][number]} entry
 */
function domainEntry(entry) {
  const about = `domain-${entry.id}-about`;
  const facts = `domain-${entry.id}-facts`;
  const questions = `${entry.active_items} question${entry.active_items === 1 ? "" : "s"}`;
  return h(
    "li",
    { class: "domain", "data-bank": entry.id },
    h(
      "label",
      {},
      h("input", { type: "checkbox", name: "bank", value: entry.id, "aria-describedby": `${about} ${facts}` }),
      h("span", { class: "domain-title", lang: entry.language }, entry.title),
    ),
    h("p", { id: about, class: "domain-about", lang: entry.language }, entry.description),
    h("p", { id: facts, class: "domain-facts" }, `${questions} · ${languageName(entry.language)}`),
  );
}

/** Lists the catalog's banks for learners, by title. */
async function showDomains() {
  let catalog;
  try {
    catalog = await fetchCatalog(BANK_BASE);
  } catch (error) {
    catalogStatus.textContent = `The list of domains could not be loaded: ${/** @type {Error} */ (error).message}`;
    catalogStatus.classList.add("form-error");
    return false;
  }
  const entries = [...catalog.banks].sort((a, b) => a.title.localeCompare(b.title));
  bankIds = entries.map((entry) => entry.id);
  domainList.replaceChildren(...entries.map(domainEntry));
  catalogStatus.textContent = "";
  catalogStatus.hidden = true;
  return true;
}

/**
 * @param {{ banks: string[], mode: string, max: string }} settings
 * @param {{ focus: boolean }} options
 */
function showQuiz({ banks, mode, max }, { focus }) {
  slot.replaceChildren();
  const quiz = document.createElement("skillcat-quiz");
  quiz.setAttribute("banks", banks.join(","));
  quiz.setAttribute("mode", mode);
  quiz.setAttribute("max-items", max);
  slot.append(quiz);
  form.hidden = true;
  area.hidden = false;
  if (focus) heading.focus();
}

/** The first domain's checkbox. */
const firstBank = () => /** @type {HTMLInputElement | null} */ (form.querySelector('input[name="bank"]'));

function showChooser() {
  slot.replaceChildren();
  area.hidden = true;
  form.hidden = false;
  history.replaceState(null, "", location.pathname);
  firstBank()?.focus();
}

form.addEventListener("submit", (event) => {
  event.preventDefault();
  const data = new FormData(form);
  const banks = data.getAll("bank").map(String);
  if (banks.length === 0) {
    domainsError.textContent = "Choose at least one domain.";
    domainsError.hidden = false;
    firstBank()?.focus();
    return;
  }
  domainsError.hidden = true;
  const settings = { banks, mode: String(data.get("mode")), max: String(data.get("max")) };
  const params = new URLSearchParams({ banks: banks.join(","), mode: settings.mode, max: settings.max });
  history.replaceState(null, "", `?${params}`);
  showQuiz(settings, { focus: true });
});

form.addEventListener("change", () => {
  domainsError.hidden = true;
});

byId("change", HTMLButtonElement).addEventListener("click", showChooser);

// A short log of the events, to show integrators what the element reports.
/**
 * @param {string} type
 * @param {string} summary
 */
function logEvent(type, summary) {
  const entry = document.createElement("li");
  const name = document.createElement("code");
  name.textContent = type;
  entry.append(name, ` ${summary}`);
  events.append(entry);
}
document.addEventListener("skillcat:ready", ({ type, detail: d }) =>
  logEvent(type, `${d.banks.map((b) => b.id).join(", ")}; up to ${d.expectedLength} questions${d.resumed ? "; resumed" : ""}`),
);
document.addEventListener("skillcat:answered", ({ type, detail: d }) => {
  const verdict = d.correct === undefined ? "" : d.correct ? ", correct" : ", incorrect";
  logEvent(type, `${d.item} (${d.domain}) answer [${d.answer.join(", ")}]${verdict}`);
});
document.addEventListener("skillcat:completed", ({ type, detail: d }) =>
  logEvent(type, d.report.domains.map((r) => `${r.domain}: ${r.level ?? "no level"}`).join("; ")),
);
document.addEventListener("skillcat:error", ({ type, detail: d }) => logEvent(type, d.message));

if (await showDomains()) {
  const initial = settingsFromAddress();
  if (initial) {
    for (const box of form.querySelectorAll('input[name="bank"]')) {
      if (box instanceof HTMLInputElement) box.checked = initial.banks.includes(box.value);
    }
    const mode = form.querySelector(`input[name="mode"][value="${initial.mode}"]`);
    if (mode instanceof HTMLInputElement) mode.checked = true;
    byId("max-items", HTMLSelectElement).value = initial.max;
    showQuiz(initial, { focus: false });
  }
}
