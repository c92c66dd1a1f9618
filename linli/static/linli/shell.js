// Progressive enhancement for the page shell; every page works without it.
//
// The main menu is a <details> so phones can fold it without script. Browsers that cannot
// style ::details-content would otherwise show a folded menu on wide screens too, so open it
// there (and fold it again when the window narrows to phone size).
(() => {
  const menu = document.querySelector(".mainnav details.menu");
  if (!menu || !window.matchMedia) return;
  const wide = window.matchMedia("(min-width: 48rem)");
  const sync = () => {
    menu.open = wide.matches;
  };
  sync();
  wide.addEventListener("change", sync);
})();

// Behaviour the templates ask for with data attributes, since the Content-Security-Policy
// allows no inline event handlers:
// - data-autosubmit on a select: choosing submits its form (the form has a button too);
// - data-confirm on a form: ask before submitting;
// - data-reset-after-request on an htmx form: empty it and focus its first field once answered
//   (a check-in desk scanning one code after another).
document.addEventListener("change", (event) => {
  const field = event.target;
  if (field instanceof HTMLSelectElement && field.hasAttribute("data-autosubmit") && field.form) {
    field.form.requestSubmit ? field.form.requestSubmit() : field.form.submit();
  }
});
document.addEventListener("submit", (event) => {
  const form = event.target;
  if (form instanceof HTMLFormElement && form.dataset.confirm && !window.confirm(form.dataset.confirm)) {
    event.preventDefault();
  }
});
document.addEventListener("htmx:afterRequest", (event) => {
  const form = event.target;
  if (form instanceof HTMLFormElement && form.hasAttribute("data-reset-after-request")) {
    form.reset();
    const first = form.querySelector("input:not([type=hidden]), select, textarea");
    if (first) first.focus();
  }
});
