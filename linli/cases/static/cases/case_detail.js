/**
 * The staff case page: a small map with the case's point (and its grid), and a filter box over
 * long organisation pickers. The page works without either: the address and coordinates are
 * written out, and the picker is a plain grouped list.
 */
import { addGeoJsonLayer, createMap } from "../linli/map.js";

export function mountPointMap(element) {
  const source = document.getElementById(element.dataset.geojson);
  if (!source || !window.L) return null;
  const layers = JSON.parse(source.textContent);
  const map = createMap(element);
  for (const layer of layers) {
    addGeoJsonLayer(map, layer.data, {
      id: layer.id,
      title: layer.title,
      kind: layer.geometry,
      interactive: false,
      ...(layer.id === "case"
        ? { circle: () => ({ radius: 9, color: "#ffffff", weight: 2, fillColor: "#c62828", fillOpacity: 1 }) }
        : {}),
    });
  }
  map.layers.get("case")?.layer.bringToFront?.();
  element.dataset.state = "ready";
  return map;
}

/** A search box above each `select[data-filter]`: typing hides the lines (and groups) that do
 * not contain the words; the chosen line always stays. */
export function addPickerFilter(select) {
  if (select.dataset.filterReady) return;
  select.dataset.filterReady = "1";
  const box = document.createElement("input");
  box.type = "search";
  box.className = "picker-filter";
  box.id = `${select.id}-filter`;
  box.placeholder = select.dataset.filterPlaceholder || "";
  box.setAttribute("aria-label", select.dataset.filterLabel || "");
  box.setAttribute("aria-controls", select.id);
  box.autocomplete = "off";
  const count = document.createElement("small");
  count.className = "help picker-count";
  count.setAttribute("role", "status");
  select.before(box);
  select.after(count);
  box.addEventListener("input", () => {
    const words = box.value.trim().toLowerCase().split(/\s+/).filter(Boolean);
    let shown = 0;
    let first = null;
    for (const option of select.options) {
      const text = `${option.textContent} ${option.parentElement.label || ""}`.toLowerCase();
      const match = option.selected || words.every((w) => text.includes(w));
      option.hidden = !match;
      if (match && option.value) {
        shown += 1;
        if (!first && !option.selected) first = option;
      }
    }
    for (const group of select.querySelectorAll("optgroup")) {
      group.hidden = ![...group.children].some((o) => !o.hidden);
    }
    if (words.length && first && shown === 1 + (select.selectedOptions[0]?.value ? 1 : 0)) {
      // One line left besides the chosen one: take it.
      first.selected = true;
    }
    const template = select.dataset.filterCount || "%(count)s";
    count.textContent = words.length ? template.replace("%(count)s", String(shown)) : "";
  });
}

for (const select of document.querySelectorAll("select[data-filter]")) addPickerFilter(select);
// The workbench swaps its list in place (htmx): its bulk-dispatch picker gets the box again.
document.body.addEventListener("htmx:afterSwap", (event) => {
  for (const select of event.target.querySelectorAll("select[data-filter]")) addPickerFilter(select);
});
for (const element of document.querySelectorAll("[data-point-map]")) mountPointMap(element);
