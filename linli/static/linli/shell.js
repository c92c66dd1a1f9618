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

// On a phone, tables of records read as cards (app.css): each cell is labelled here with its
// column's header, for the tables of the page and those htmx brings in later. A table with
// fewer than three columns reads well as it is; grids by nature (the booking grid's
// half-hours, the events calendar's weekdays, or any table marked data-cards="off") stay
// tables.
(() => {
  const KEEP_AS_TABLE = 'table[data-cards="off"], table.slots, table.events-calendar';
  const labelTable = (table) => {
    if (table.matches(KEEP_AS_TABLE) || !table.tHead || !table.tHead.rows.length) return;
    const head = table.tHead.rows[table.tHead.rows.length - 1];
    const labels = [];
    for (const cell of head.cells) {
      // Headers arrive as field names in lower case (app.css capitalises them for display).
      const text = cell.textContent.trim();
      const label = text.charAt(0).toUpperCase() + text.slice(1);
      for (let i = 0; i < (cell.colSpan || 1); i += 1) labels.push(label);
    }
    if (labels.length < 3) return;
    for (const body of table.tBodies) {
      for (const row of body.rows) {
        let column = 0;
        for (const cell of row.cells) {
          if (!cell.hasAttribute("data-label") && labels[column]) {
            cell.setAttribute("data-label", labels[column]);
          }
          column += cell.colSpan || 1;
        }
      }
    }
    table.dataset.cards = "on";
  };
  const labelTables = (root) => {
    const inside = root.closest ? root.closest("table") : null;
    if (inside) labelTable(inside);
    if (root.querySelectorAll) root.querySelectorAll("table").forEach(labelTable);
  };
  labelTables(document);
  document.addEventListener("htmx:load", (event) => labelTables(event.target));
})();
