// The calling screen reads each new call aloud with the browser's own speech synthesis.
// Browsers only speak after a person has touched the page, hence the voice button (to press
// again after the screen is reloaded).
let voice = false;
let lastCall = null;

function speak(text, lang) {
  if (!("speechSynthesis" in window) || !text) return;
  const utterance = new SpeechSynthesisUtterance(text);
  utterance.lang = lang && lang.startsWith("zh") ? "zh-CN" : lang || "zh-CN";
  utterance.rate = 0.9;
  window.speechSynthesis.cancel();
  window.speechSynthesis.speak(utterance);
}

function announce() {
  const region = document.querySelector(".announcement[data-call]");
  if (!region) return;
  const call = region.dataset.call;
  if (lastCall === null) {
    lastCall = call; // what was on the screen when it was opened is not read again
    return;
  }
  if (call && call !== lastCall && voice) speak(region.textContent.trim(), region.lang);
  lastCall = call;
}

function setUpToggle() {
  const button = document.querySelector("[data-voice-toggle]");
  if (!button) return;
  const show = () => button.setAttribute("aria-pressed", voice ? "true" : "false");
  button.addEventListener("click", () => {
    voice = !voice;
    show();
    // Turning the voice on reads the current call, so staff hear that the speakers work.
    const region = document.querySelector(".announcement[data-call]");
    if (voice && region) speak(region.textContent.trim(), region.lang);
  });
  show();
}

setUpToggle();
announce();
document.body.addEventListener("htmx:afterSwap", announce);
