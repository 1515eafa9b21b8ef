// What an app writes: import the element once (it registers <skillcat-quiz>), then listen to it.
import "skillcat";

const last = document.getElementById("last-event");
document.querySelector("skillcat-quiz").addEventListener("skillcat:answered", (event) => {
  last.textContent = `Answered ${event.detail.item} (${event.detail.domain}), question ${event.detail.position}.`;
});
