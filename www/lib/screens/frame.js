// The element's fixed parts inside its shadow root, around whichever screen is on show: the
// live region (part="status"), the notices, the main area and the toolbar (Start over, Return
// to the course). The element decides what to show; this keeps the DOM of it in one place.

import { append, h, replace } from "../dom.js";
import { askFirst, button } from "./parts.js";

export class QuizFrame {
  #container;
  #status;
  #notices;
  #main;
  #toolbar;
  #announceTimer = 0;
  #t;

  /**
   * Builds the parts into `root`, hidden until the stylesheet has loaded (or failed), so nothing
   * flashes unstyled. The live region stays outside: it must be in the accessibility tree from
   * the start.
   * @param {ShadowRoot} root
   * @param {URL} stylesheet skillcat-quiz.css
   * @param {import("../strings.js").Strings} t
   */
  constructor(root, stylesheet, t) {
    this.#t = t;
    const link = h("link", { rel: "stylesheet", href: stylesheet.href });
    this.#status = h("div", { role: "status", "aria-live": "polite", "aria-atomic": "true", class: "visually-hidden", part: "status" });
    this.#notices = h("div", { class: "notices", part: "notices" });
    this.#main = h("div", { class: "main", part: "main" });
    this.#toolbar = h("div", { class: "toolbar", part: "toolbar", hidden: true });
    this.#container = h("div", { class: "quiz", part: "container", hidden: true }, this.#notices, this.#main, this.#toolbar);
    const reveal = () => {
      this.#container.hidden = false;
    };
    link.addEventListener("load", reveal, { once: true });
    link.addEventListener("error", reveal, { once: true });
    root.append(link, this.#status, this.#container);
  }

  /** @param {string} language the banks' language, for the quiz's `lang` */
  set lang(language) {
    this.#container.lang = language;
  }

  /**
   * Puts a screen on show (data-state on the container names it) and, with `focus`, moves the
   * focus to its `data-focus` element. The toolbar offers Start over (asking first) and "Return
   * to the course", each when its action is given, and hides when there is neither.
   * @param {HTMLElement} node
   * @param {{ focus?: boolean, onStartOver?: (() => void) | null, onReturn?: (() => void) | null }} options
   */
  show(node, { focus = false, onStartOver = null, onReturn = null }) {
    replace(this.#main, node);
    this.#container.dataset.state = node.dataset.screen;
    const t = this.#t;
    const back = onReturn ? button("return", t.returnToCourse, onReturn) : null;
    this.#toolbar.hidden = !onStartOver && !back;
    const ask = { name: "start-over", label: t.startOver, question: t.startOverConfirm, yes: t.confirmStartOver, no: t.cancel };
    replace(this.#toolbar, onStartOver ? askFirst(this.#toolbar, { ...ask, onYes: onStartOver }) : null, back);
    if (focus) /** @type {HTMLElement | null} */ (node.querySelector("[data-focus]"))?.focus();
  }

  /**
   * Shows the notice `name` (part="notice <name>", data-notice), replacing one of that name.
   * @param {string} name
   * @param {string} text
   */
  notice(name, text) {
    this.clearNotices(name);
    append(this.#notices, [h("p", { class: `notice notice-${name}`, part: `notice ${name}`, "data-notice": name }, text)]);
  }

  /**
   * Removes the notices named, or every notice when none is named.
   * @param {...string} names
   */
  clearNotices(...names) {
    for (const notice of [...this.#notices.children]) {
      if (names.length === 0 || names.includes(/** @type {HTMLElement} */ (notice).dataset.notice ?? "")) notice.remove();
    }
  }

  /**
   * Puts text in the live region; clearing first makes a repeated message speak again.
   * @param {string} text
   */
  announce(text) {
    clearTimeout(this.#announceTimer);
    this.#status.textContent = "";
    this.#announceTimer = setTimeout(() => {
      this.#status.textContent = text;
    }, 50);
  }
}
