/**
 * The case map: hot spots per grid (shaded by how many cases each had), open cases coloured by
 * where they stand, overdue ones in red on top, closed ones (off by default). The filter form
 * reloads the layers without leaving the page.
 */
import { createMap, loadLayers, renderFeatureList } from "../linli/map.js";

const HOT = ["#fff5eb", "#fdd0a2", "#fd8d3c", "#d94801", "#7f2704"];
const GROUPS = {
  new: { color: "#0a4a8f", states: ["received", "registered", "returned", "dispatched"] },
  inHand: { color: "#6a1b9a", states: ["accepted", "in_progress", "rework", "reopened"] },
  waiting: { color: "#8a5a00", states: ["waiting_reporter", "extension_requested", "long_term"] },
  toCheck: { color: "#00796b", states: ["awaiting_verification", "verified", "callback"] },
};

function groupOf(state) {
  for (const [key, group] of Object.entries(GROUPS)) if (group.states.includes(state)) return key;
  return "new";
}

function overrides(labels) {
  return {
    hotspots: {
      kind: "polygon",
      style: (f) => ({
        color: "#7f2704",
        weight: 1,
        fillColor: HOT[f.properties?.level ?? 0],
        fillOpacity: 0.55,
      }),
      legendExtras: [
        { label: labels.fewer, style: { color: "#7f2704", fillColor: HOT[0], fillOpacity: 0.6 } },
        { label: labels.more, style: { color: "#7f2704", fillColor: HOT[4], fillOpacity: 0.6 } },
      ],
    },
    open_cases: {
      kind: "point",
      circle: (f) => ({
        radius: 6,
        color: "#ffffff",
        weight: 1.5,
        fillColor: GROUPS[groupOf(f.properties?.state)].color,
        fillOpacity: 0.95,
      }),
      legendExtras: [
        { label: labels.new, style: { color: "#fff", fillColor: GROUPS.new.color, fillOpacity: 1 } },
        { label: labels.inHand, style: { color: "#fff", fillColor: GROUPS.inHand.color, fillOpacity: 1 } },
        { label: labels.waiting, style: { color: "#fff", fillColor: GROUPS.waiting.color, fillOpacity: 1 } },
        { label: labels.toCheck, style: { color: "#fff", fillColor: GROUPS.toCheck.color, fillOpacity: 1 } },
      ],
    },
    overdue_cases: {
      kind: "point",
      circle: () => ({ radius: 8, color: "#ffffff", weight: 2, fillColor: "#c62828", fillOpacity: 1 }),
    },
    closed_cases: {
      kind: "point",
      visible: false,
      circle: () => ({ radius: 4, color: "#4f5b6b", weight: 1, fillColor: "#9aa5b1", fillOpacity: 0.8 }),
    },
  };
}

export async function mountCaseMap(element, form) {
  const status = document.getElementById(element.dataset.status);
  const list = document.getElementById(element.dataset.featureList);
  const say = (text) => {
    if (status) status.textContent = text;
  };
  const map = createMap(element);
  let fitted = false;

  const load = async () => {
    element.dataset.state = "loading";
    element.setAttribute("aria-busy", "true");
    say(map.labels.loading);
    const query = new URLSearchParams(new FormData(form)).toString();
    try {
      for (const id of [...map.layers.keys()]) map.removeLayer(id);
      await loadLayers(map, `${element.dataset.layersUrl}?${query}`, overrides(map.labels));
      // Overdue cases on top of the others.
      map.layers.get("overdue_cases")?.layer.bringToFront?.();
      if (!fitted) {
        map.fit();
        fitted = true;
      }
      if (list) renderFeatureList(map, list, { heading: false });
      say(map.warnings.join(" "));
      element.dataset.state = "ready";
    } catch (error) {
      console.error(error);
      say(map.labels.loadError);
      element.dataset.state = "error";
    } finally {
      element.removeAttribute("aria-busy");
    }
  };

  form.addEventListener("change", () => {
    history.replaceState(null, "", `?${new URLSearchParams(new FormData(form))}`);
    load();
  });
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    load();
  });
  await load();
  return map;
}
