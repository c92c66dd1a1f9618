/**
 * The life-circle coverage map: layers from the map-layers endpoint (service area banded by
 * walking distance, quarters coloured by coverage, facilities), and the what-if tool: click the
 * map (or type coordinates), choose a type, see the coverage change.
 *
 *   import * as maps from ".../linli/map.js";
 *   import { mountCoverageMap } from ".../lifecircle/coverage.js";
 *   mountCoverageMap(document.getElementById("lc-map"), maps);
 *
 * map.js is passed in rather than imported, so this module needs no path to it (static files
 * may be served under hashed names). Every text shown comes from data-label-* attributes,
 * already translated by the page.
 */

const fmt = (n, digits = 0) =>
  Number(n).toLocaleString(document.documentElement.lang || undefined, {
    maximumFractionDigits: digits,
    minimumFractionDigits: digits,
  });
const pct = (share) => (share === null || share === undefined ? "—" : `${fmt(share * 100, 1)}%`);
const fill = (template, values) =>
  template.replace(/%\((\w+)\)s/g, (_, key) => (key in values ? values[key] : ""));

function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === "className") node.className = v;
    else node.setAttribute(k, v);
  }
  node.append(...children);
  return node;
}

/** Layer options for one layer of the endpoint's answer. */
function layerOptions(layer, planning) {
  const base = {
    id: layer.id,
    title: layer.title,
    kind: layer.geometry === "point" ? "point" : "polygon",
    visible: layer.visible !== false,
    legendExtras: (layer.legend || []).map((entry) => ({ label: entry.label, style: entry.style })),
  };
  // Styles travel with the features (the server picks the colours the legend shows); the
  // boundary keeps map.js's own look.
  if (layer.geometry !== "point" && layer.data.features.some((f) => f.properties?.style)) {
    base.style = (feature) => feature.properties?.style || {};
  }
  if (layer.id === "network" || layer.id === "service_area") base.interactive = false;
  // A quarter's popup would swallow the click that picks a what-if site (Leaflet stops the
  // event there); planners read the same figures in the table under the map.
  if (layer.id === "coverage" && planning) base.interactive = false;
  if (layer.id === "type_facilities") base.marker = () => ({ className: "facility lc-focus", size: 16 });
  if (layer.id === "other_facilities") base.marker = () => ({ className: "facility lc-other", size: 11 });
  return base;
}

export async function mountCoverageMap(element, maps) {
  const status = document.getElementById(element.dataset.status || "");
  const say = (text) => {
    if (status) status.textContent = text;
  };
  element.dataset.state = "loading";
  element.setAttribute("aria-busy", "true");
  const map = maps.createMap(element);
  const planning = Boolean(element.dataset.whatIfUrl && document.getElementById("what-if"));
  if (planning) element.classList.add("lc-planning");
  say(map.labels.loading);
  try {
    const response = await fetch(element.dataset.layersUrl, {
      credentials: "same-origin",
      headers: { Accept: "application/json" },
    });
    if (!response.ok) throw new Error(`map layers: HTTP ${response.status}`);
    const body = await response.json();
    for (const layer of body.layers) map.addGeoJsonLayer(layer.data, layerOptions(layer, planning));
    map.fit();
    const list = document.getElementById(element.dataset.featureList || "");
    if (list) maps.renderFeatureList(map, list, { heading: false });
    say(map.warnings.join(" "));
    element.dataset.state = "ready";
  } catch (error) {
    console.error(error);
    say(map.labels.loadError);
    element.dataset.state = "error";
  } finally {
    element.removeAttribute("aria-busy");
  }
  const panel = document.getElementById("what-if");
  if (planning) mountWhatIf(map, maps, panel, element.dataset);
  return map;
}

/** WGS84 for a clicked point: the inverse of the GCJ-02 shift, by one fixed-point step. */
function clickedLonLat(map, maps, latlng) {
  if (map.datum !== "gcj02") return [latlng.lng, latlng.lat];
  const [lon, lat] = maps.wgs84ToGcj02(latlng.lng, latlng.lat);
  return [2 * latlng.lng - lon, 2 * latlng.lat - lat];
}

function mountWhatIf(map, maps, panel, data) {
  const form = panel.querySelector("form");
  const result = panel.querySelector("#what-if-result");
  const type = panel.querySelector("#what-if-type");
  const lonInput = panel.querySelector("#what-if-lon");
  const latInput = panel.querySelector("#what-if-lat");
  const suggest = panel.querySelector("#what-if-suggest");
  const labels = panel.dataset;

  const showError = (message) => {
    result.replaceChildren(el("p", { className: "error" }, message));
    result.dataset.state = "error";
  };

  async function run(lon, lat) {
    lonInput.value = lon.toFixed(6);
    latInput.value = lat.toFixed(6);
    result.dataset.state = "loading";
    result.replaceChildren(el("p", {}, labels.labelWorking));
    const url = `${data.whatIfUrl}?lon=${lon}&lat=${lat}&type=${encodeURIComponent(type.value)}`;
    let body;
    try {
      const response = await fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } });
      body = await response.json();
      if (!response.ok) return showError(body.message || labels.labelFailed);
    } catch (error) {
      console.error(error);
      return showError(labels.labelFailed);
    }
    draw(body);
    report(body);
  }

  function draw(body) {
    map.addGeoJsonLayer(
      {
        type: "FeatureCollection",
        features: [
          {
            type: "Feature",
            geometry: { type: "Point", coordinates: [body.lon, body.lat] },
            properties: { name: labels.labelSite, detail: body.message },
          },
        ],
      },
      { id: "what_if_site", title: labels.labelSite, kind: "point", marker: () => ({ className: "lc-site", size: 22, html: "+" }) },
    );
    map.addGeoJsonLayer(
      {
        type: "FeatureCollection",
        features: body.points.map((p) => ({
          type: "Feature",
          geometry: { type: "Point", coordinates: [p.lon, p.lat] },
          properties: {
            name: p.quarter,
            detail: fill(labels.labelPoint, { people: fmt(p.people), distance: fmt(p.distance_m) }),
          },
        })),
      },
      {
        id: "what_if_new",
        title: labels.labelNewly,
        kind: "point",
        circle: () => ({ radius: 7, color: "#4a1486", weight: 2, fillColor: "#9e9ac8", fillOpacity: 0.9 }),
      },
    );
  }

  function report(body) {
    const change = el(
      "p",
      { className: "lc-change" },
      el("strong", {}, body.label),
      " ",
      el("span", { className: "lc-before" }, pct(body.share_before)),
      " → ",
      el("span", { className: "lc-after" }, pct(body.share_after)),
      " ",
      el("span", { className: "lc-added" }, fill(labels.labelAdded, { added: fmt(body.added), weight: "" }).trim()),
    );
    const parts = [change, el("p", { className: "lc-message" }, body.message)];
    if (body.quarters.length) {
      const list = el("ul", { className: "lc-quarters" });
      for (const q of body.quarters) list.append(el("li", {}, `${q.name}: +${fmt(q.added)}`));
      parts.push(el("p", { className: "lc-subhead" }, labels.labelByQuarter), list);
    }
    parts.push(
      el(
        "p",
        { className: "help" },
        fill(labels.labelSnap, { snap: fmt(body.snap_m), ms: fmt(body.engine_ms, 1) }),
      ),
    );
    result.replaceChildren(...parts);
    result.dataset.state = "done";
  }

  map.map.on("click", (event) => {
    const [lon, lat] = clickedLonLat(map, maps, event.latlng);
    run(lon, lat);
  });
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const lon = Number(lonInput.value);
    const lat = Number(latInput.value);
    if (!Number.isFinite(lon) || !Number.isFinite(lat) || !lonInput.value || !latInput.value) {
      return showError(labels.labelNeedPoint);
    }
    run(lon, lat);
  });

  suggest?.addEventListener("click", async () => {
    result.dataset.state = "loading";
    result.replaceChildren(el("p", {}, labels.labelWorking));
    let body;
    try {
      const response = await fetch(`${data.suggestUrl}?type=${encodeURIComponent(type.value)}`, {
        credentials: "same-origin",
        headers: { Accept: "application/json" },
      });
      body = await response.json();
      if (!response.ok) return showError(body.message || labels.labelFailed);
    } catch (error) {
      console.error(error);
      return showError(labels.labelFailed);
    }
    map.addGeoJsonLayer(
      {
        type: "FeatureCollection",
        features: body.sites.map((s) => ({
          type: "Feature",
          geometry: { type: "Point", coordinates: [s.lon, s.lat] },
          properties: { name: `${labels.labelSuggested} ${s.rank}`, detail: `+${fmt(s.added)}`, rank: s.rank },
        })),
      },
      {
        id: "suggested",
        title: labels.labelSuggested,
        kind: "point",
        marker: (f) => ({ className: "lc-suggested", size: 22, html: String(f.properties.rank || "") }),
      },
    );
    if (!body.sites.length) {
      result.replaceChildren(el("p", {}, labels.labelNoSites));
    } else {
      const list = el("ol", { className: "lc-sites" });
      for (const s of body.sites) {
        const check = el("button", { type: "button" }, labels.labelCheck);
        check.addEventListener("click", () => run(s.lon, s.lat));
        list.append(el("li", {}, `+${fmt(s.added)} `, check));
      }
      result.replaceChildren(el("p", { className: "lc-subhead" }, fill(labels.labelSites, { type: body.label })), list);
    }
    result.dataset.state = "done";
  });
}
