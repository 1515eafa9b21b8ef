/* skillcat-resizer.js: the host page's half of the iframe embed. Sizes every
 * <iframe data-skillcat> showing skillcat's frame.html to fit its quiz, and re-dispatches the
 * quiz's events on the iframe. A classic script; load it from the quiz's server by absolute URL:
 *
 *   <iframe data-skillcat src="https://quiz.example/frame.html?banks=cloud"
 *           title="Cloud skill check" style="width:100%;border:0"></iframe>
 *   <script src="https://quiz.example/skillcat-resizer.js" async></script>
 *
 * The title is required: screen readers announce the frame by it. Iframes added later are found
 * too. Each gets { context: "skillcat", action: "hello" } at once and on every load, posted to
 * its src's origin. A message counts only if event.origin is that origin AND event.source is that
 * iframe's window; then "resize" sets style.height (a number >= 0, rounded up, clamped to
 * 50-30000 px) and "event" dispatches CustomEvent(type, { detail, bubbles: true }) on the iframe
 * (types "skillcat:..." only). Anything else is ignored silently.
 * scrolling="no" is not set: the frame fits its content, so no scrollbar shows; past the clamp
 * the frame must still scroll, or the rest of the quiz would be out of reach. */
(() => {
  // biome-ignore lint/suspicious/noRedundantUseStrict: a classic script, not a module: nothing else makes it strict
  "use strict";
  const page = /** @type {Window & { skillcatResizer?: boolean }} */ (window);
  if (page.skillcatResizer) return; // loaded twice: one is enough
  page.skillcatResizer = true;
  const SELECTOR = "iframe[data-skillcat]";
  const frames = () => /** @type {NodeListOf<HTMLIFrameElement>} */ (document.querySelectorAll(SELECTOR));
  /** @type {WeakSet<HTMLIFrameElement>} */
  const seen = new WeakSet();

  const originOf = (/** @type {HTMLIFrameElement} */ frame) => {
    try {
      const url = new URL(frame.src, location.href);
      return /^https?:$/.test(url.protocol) ? url.origin : null;
    } catch {
      return null;
    }
  };

  const hello = (/** @type {HTMLIFrameElement} */ frame) => {
    const origin = originOf(frame);
    // Still the initial about:blank (readable, so ours): wait for the load event instead.
    if (!origin || !frame.contentWindow || frame.contentDocument?.URL === "about:blank") return;
    frame.contentWindow.postMessage({ context: "skillcat", action: "hello" }, origin);
  };

  const scan = () => {
    for (const frame of frames()) {
      if (seen.has(frame)) continue;
      seen.add(frame);
      frame.addEventListener("load", () => hello(frame));
      hello(frame);
    }
  };

  window.addEventListener("message", (event) => {
    const data = event.data;
    if (!event.source || data?.context !== "skillcat") return;
    const frame = [...frames()].find((f) => f.contentWindow === event.source);
    if (!frame || event.origin !== originOf(frame)) return;
    const { height, type } = data;
    if (data.action === "resize" && typeof height === "number" && height >= 0 && height < Infinity) {
      frame.style.height = `${Math.min(30000, Math.max(50, Math.ceil(height)))}px`;
    } else if (data.action === "event" && typeof type === "string" && /^skillcat:[a-z-]+$/.test(type)) {
      frame.dispatchEvent(new CustomEvent(type, { detail: data.detail, bubbles: true }));
    }
  });

  scan();
  new MutationObserver(scan).observe(document.documentElement, {
    childList: true,
    subtree: true,
    attributes: true,
    attributeFilter: ["data-skillcat"],
  });
})();
