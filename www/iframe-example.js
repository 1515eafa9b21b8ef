// The iframe example's progress line: the quiz's events, forwarded by skillcat-resizer.js,
// arrive on the iframe element (and bubble), with the same `detail` as the element's own.

const progress = /** @type {HTMLElement} */ (document.getElementById("progress"));

document.addEventListener("skillcat:answered", (event) => {
  const { answered, maxLength } = event.detail;
  progress.textContent = `${answered} of up to ${maxLength} questions answered.`;
});
document.addEventListener("skillcat:completed", () => {
  progress.textContent = "Check complete: your results are in the frame above.";
});
document.addEventListener("skillcat:error", (event) => {
  progress.textContent = `The skill check could not start: ${event.detail.message.split("\n")[0]}`;
});
