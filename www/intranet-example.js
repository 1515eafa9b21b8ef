// The intranet example's sidebar: it listens to the quiz's events and shows the last result,
// kept in localStorage by this page (the quiz keeps its own progress separately).

const KEY = "riverside-intranet:last-skillcat-result";
const box = /** @type {HTMLElement} */ (document.getElementById("last-result"));
const progress = /** @type {HTMLElement} */ (document.getElementById("progress"));

/** @typedef {{ at: number, domains: { title: string, level: string | null, answered: number, correct: number }[] }} LastResult */

/** @returns {LastResult | null} */
function readLast() {
  try {
    return JSON.parse(localStorage.getItem(KEY) ?? "null");
  } catch {
    return null; // storage disabled or a damaged entry: show nothing
  }
}

/** @param {LastResult | null} result */
function show(result) {
  if (!result) return;
  const list = document.createElement("ul");
  for (const domain of result.domains) {
    const item = document.createElement("li");
    const title = document.createElement("strong");
    title.textContent = domain.title;
    item.append(title, `: ${domain.level ?? "no level"} (${domain.correct} of ${domain.answered} correct)`);
    list.append(item);
  }
  const when = document.createElement("p");
  when.className = "when";
  when.textContent = `Completed ${new Date(result.at).toLocaleString()}`;
  box.replaceChildren(list, when);
}

show(readLast());

document.addEventListener("skillcat:answered", (event) => {
  const { answered, maxLength } = event.detail;
  progress.textContent = `${answered} of up to ${maxLength} questions answered.`;
});

document.addEventListener("skillcat:completed", (event) => {
  const { report } = event.detail;
  const result = {
    at: Date.now(),
    domains: report.domains.map(({ title, level, answered, correct }) => ({ title, level, answered, correct })),
  };
  try {
    localStorage.setItem(KEY, JSON.stringify(result));
  } catch {
    // Not stored; still shown for this visit.
  }
  show(result);
  progress.textContent = "";
});

document.addEventListener("skillcat:error", (event) => {
  progress.textContent = `The self-check could not start: ${event.detail.message.split("\n")[0]}`;
});
