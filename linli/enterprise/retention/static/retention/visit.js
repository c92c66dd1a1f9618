// The visit log shows, under each demand, only the extra questions of the category chosen for
// it. Without scripts every category's questions stay visible, each under its own legend.
(function () {
  "use strict";
  function sync(select) {
    document.querySelectorAll('fieldset.demand-extra[data-for="' + select.id + '"]').forEach((box) => {
      box.hidden = box.dataset.category !== select.value;
    });
  }
  function start() {
    document.querySelectorAll("fieldset.demand-extra").forEach((box) => {
      const select = document.getElementById(box.dataset.for);
      if (select && !select.dataset.bound) {
        select.dataset.bound = "1";
        select.addEventListener("change", () => sync(select));
        sync(select);
      }
    });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
