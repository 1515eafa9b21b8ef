// Building DOM without markup strings. Every text reaches the page through `textContent` or a
// Text node, so author text (question banks) can never become markup; attributes are set one by
// one with `setAttribute`, and `style` is refused so the shell stays CSP-clean (style-src 'self').

const SVG_NS = "http://www.w3.org/2000/svg";

/**
 * The element type `document.createElement(tag)` makes.
 * @template {string} K
 * @typedef {K extends keyof HTMLElementTagNameMap ? HTMLElementTagNameMap[K] : HTMLElement} ElementFor
 */

/**
 * Creates an element: `h("button", { part: "button", type: "button" }, "Start")`.
 * Attribute values `false`, `null` and `undefined` are skipped, `true` sets an empty attribute.
 * `on` takes `{ click: fn }` listeners. Children: nodes, strings (as text), arrays, or nothing.
 * @template {string} K
 * @param {K} tag
 * @param {Record<string, unknown>} [attrs]
 * @param {...unknown} children
 * @returns {ElementFor<K>}
 */
export function h(tag, attrs = {}, ...children) {
  return /** @type {ElementFor<K>} */ (build(document.createElement(tag), attrs, children));
}

/**
 * Like `h`, in the SVG namespace.
 * @param {string} tag
 * @param {Record<string, unknown>} [attrs]
 * @param {...unknown} children
 * @returns {SVGElement}
 */
export function s(tag, attrs = {}, ...children) {
  return build(document.createElementNS(SVG_NS, tag), attrs, children);
}

/**
 * @template {Element} E
 * @param {E} element
 * @param {Record<string, unknown>} attrs
 * @param {unknown[]} children
 * @returns {E}
 */
function build(element, attrs, children) {
  for (const [name, value] of Object.entries(attrs ?? {})) {
    if (name === "on") {
      const listeners = /** @type {Record<string, EventListener>} */ (value);
      for (const [type, listener] of Object.entries(listeners)) element.addEventListener(type, listener);
    } else if (name === "style" || name.startsWith("on")) {
      throw new Error(`dom: attribute \`${name}\` is not allowed (CSP: no inline styles or handlers)`);
    } else if (value === true) {
      element.setAttribute(name, "");
    } else if (value !== false && value !== null && value !== undefined) {
      element.setAttribute(name, String(value));
    }
  }
  append(element, children);
  return element;
}

/**
 * Appends nodes, strings (as Text nodes) and nested arrays; skips null, undefined and false.
 * @template {Node} P
 * @param {P} parent
 * @param {unknown[]} children
 * @returns {P}
 */
export function append(parent, children) {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    if (Array.isArray(child)) append(parent, child);
    else if (child instanceof Node) parent.appendChild(child);
    else parent.appendChild(document.createTextNode(String(child)));
  }
  return parent;
}

/**
 * Replaces every child of `parent`.
 * @template {Element} P
 * @param {P} parent
 * @param {...unknown} children
 */
export function replace(parent, ...children) {
  parent.replaceChildren();
  return append(parent, children);
}

let counter = 0;

/**
 * A unique id for `aria-describedby`/`aria-labelledby` links inside one shadow root.
 * @param {string} prefix
 */
export function uid(prefix) {
  counter += 1;
  return `${prefix}-${counter}`;
}
