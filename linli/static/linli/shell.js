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
