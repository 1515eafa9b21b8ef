// A question: progress, domain and topic, the stem, the options as native radios (single,
// true/false) or checkboxes (multiple) in a fieldset with a legend, and a Submit button.
// Choosing an option never submits (WCAG 3.2.2); only the Submit button (or Enter in the form)
// does, and submitting nothing says why instead.

import { h, uid } from "../dom.js";
import { render } from "../markdown.js";
import { focusHeading, itemLabel, markdown, screen } from "./parts.js";

/**
 * @param {import("../../pkg/skillcat.js").ItemView} item from `session.next()`
 * @param {{ bank: import("../engine.js").BankMeta | undefined, t: import("../strings.js").Strings }} ctx `bank`: the item's bank metadata
 * @param {{ onSubmit: (chosen: number[]) => void, announce: (text: string) => void }} actions
 */
export function questionScreen(item, { bank, t }, { onSubmit, announce }) {
  const stemId = uid("stem");
  const errorId = uid("error");
  const multiple = item.type === "multiple";
  const legend = multiple ? t.chooseAll : item.type === "true_false" ? t.trueFalse : t.chooseOne;

  const inputs = item.options.map((_, i) =>
    h("input", {
      type: multiple ? "checkbox" : "radio",
      name: "answer",
      value: i,
      class: "option-input",
      part: "option-input",
      "data-option-index": i,
    }),
  );
  const error = h("p", { id: errorId, class: "form-error", part: "error", hidden: true });
  const fieldset = h(
    "fieldset",
    { class: "options", part: "options", "data-type": item.type, "aria-describedby": stemId },
    h("legend", { part: "legend" }, legend),
    item.options.map((option, i) =>
      h(
        "label",
        { class: "option", part: "option", "data-option-index": i },
        inputs[i],
        h("span", { class: "option-text" }, render(option.text, { inline: true, newTab: t.opensNewTab })),
      ),
    ),
  );
  const submit = h(
    "button",
    { type: "submit", class: "button button-submit primary", part: "button submit primary", "data-action": "submit" },
    t.submit,
  );

  const clearError = () => {
    error.hidden = true;
    error.textContent = "";
    fieldset.removeAttribute("aria-invalid");
    fieldset.setAttribute("aria-describedby", stemId);
  };
  const form = h(
    "form",
    {
      class: "question-form",
      part: "form",
      novalidate: true,
      on: {
        change: clearError,
        submit: (/** @type {SubmitEvent} */ event) => {
          event.preventDefault();
          const chosen = inputs.filter((input) => input.checked).map((input) => Number(input.value));
          if (chosen.length === 0) {
            error.textContent = t.chooseFirst;
            error.hidden = false;
            fieldset.setAttribute("aria-invalid", "true");
            fieldset.setAttribute("aria-describedby", `${errorId} ${stemId}`);
            announce(t.chooseFirst);
            inputs[0].focus();
            return;
          }
          submit.disabled = true; // one answer per question, even on a double click
          onSubmit(chosen);
        },
      },
    },
    fieldset,
    error,
    h("div", { class: "actions" }, submit),
  );

  return screen(
    "question",
    { lang: bank?.language, "data-item": item.id, "data-position": item.position },
    focusHeading(2, { "aria-describedby": stemId, part: "heading progress" }, t.questionHeading(item.position, item.maxLength)),
    h("progress", {
      class: "progress",
      part: "progress-bar",
      max: item.maxLength,
      value: item.position - 1,
      "aria-hidden": "true",
    }),
    itemLabel(bank, item.topic),
    markdown("div", item.stem, { id: stemId, class: "stem md", part: "stem" }, t),
    form,
  );
}
