// The screens that stand in for the quiz while it is not running: loading, a settings or load
// error (the failing file's message, line by line, and Retry for a load error), and the end of
// an LMS session the page cannot reopen (back from the back/forward cache).

import { h } from "../dom.js";
import { button, focusHeading, screen } from "./parts.js";

/** @param {{ t: import("../strings.js").Strings }} options */
export function loadingScreen({ t }) {
  return screen("loading", { "aria-busy": "true" }, h("p", { part: "loading" }, t.loading));
}

/**
 * @param {string} message the error's message; lines after the first are its details
 * @param {"settings" | "load"} phase
 * @param {{ t: import("../strings.js").Strings, onRetry: () => void }} options Retry is offered for a load error only
 */
export function errorScreen(message, phase, { t, onRetry }) {
  const [first, ...details] = message.split("\n");
  return screen(
    "error",
    { role: "alert" },
    focusHeading(2, {}, phase === "settings" ? t.settingsFailed : t.loadFailed),
    h("p", { class: "error-message", part: "error-message" }, first),
    details.length
      ? h(
          "ul",
          { class: "error-details", part: "error-details" },
          details.map((d) => h("li", {}, d)),
        )
      : null,
    phase === "settings" ? null : h("div", { class: "actions" }, button("retry", t.retry, onRetry)),
  );
}

/** @param {{ t: import("../strings.js").Strings }} options */
export function endedScreen({ t }) {
  return screen("ended", { role: "alert" }, focusHeading(2, {}, t.sessionEnded), h("p", { part: "ended-message" }, t.sessionEndedHelp));
}
