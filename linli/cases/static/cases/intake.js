/**
 * The intake form's map: tap to put a pin where the problem is (or use the phone's position);
 * the pin fills the hidden lon/lat inputs in WGS84 and tells htmx ("pin-moved") to fetch the
 * place in words with the reports around it, and open cases of the same kind nearby.
 *
 * The category search: htmx fetches the categories matching what is typed; choosing one sets
 * the category list (which stays, for browsing and without JavaScript) and fetches its
 * questions as a change of the list does.
 */
import { createMap, addGeoJsonLayer, wgs84ToGcj02 } from "../linli/map.js";

/** Leaflet's latlng back to stored WGS84: the inverse of the GCJ-02 shift, by iteration. */
function toWgs84(map, latlng) {
  if (map.datum !== "gcj02") return [latlng.lng, latlng.lat];
  let [lon, lat] = [latlng.lng, latlng.lat];
  for (let i = 0; i < 5; i += 1) {
    const [gLon, gLat] = wgs84ToGcj02(lon, lat);
    lon -= gLon - latlng.lng;
    lat -= gLat - latlng.lat;
  }
  return [lon, lat];
}

export function mountPinMap(element, { boundary, lon, lat, status, locate }) {
  if (!element || !window.L) return null;
  const L = window.L;
  const map = createMap(element, { zoom: 15 });
  const labels = element.dataset;
  if (boundary) {
    addGeoJsonLayer(
      map,
      { type: "FeatureCollection", features: [{ type: "Feature", geometry: boundary, properties: {} }] },
      { id: "boundary", title: labels.labelBoundary || "Boundary" },
    );
    map.fit();
  }
  let marker = null;

  const place = (wgsLon, wgsLat, { pan = false } = {}) => {
    lon.value = wgsLon.toFixed(6);
    lat.value = wgsLat.toFixed(6);
    const at = map.toLatLng(wgsLon, wgsLat);
    if (!marker) {
      marker = L.marker(at, { title: labels.labelPin || "", keyboard: false }).addTo(map.map);
    } else {
      marker.setLatLng(at);
    }
    if (pan) map.map.setView(at, Math.max(map.map.getZoom(), 17));
    if (status && labels.labelPinned) status.textContent = labels.labelPinned;
    document.body.dispatchEvent(new CustomEvent("pin-moved"));
  };

  if (lon.value && lat.value) place(Number(lon.value), Number(lat.value), { pan: true });
  map.map.on("click", (event) => {
    const [wgsLon, wgsLat] = toWgs84(map, event.latlng);
    place(wgsLon, wgsLat);
  });

  if (locate && navigator.geolocation) {
    locate.hidden = false;
    locate.addEventListener("click", () => {
      if (status) status.textContent = labels.labelLocating || "";
      navigator.geolocation.getCurrentPosition(
        (position) => place(position.coords.longitude, position.coords.latitude, { pan: true }),
        () => {
          if (status) status.textContent = labels.labelNoPosition || "";
        },
        { enableHighAccuracy: true, timeout: 10000 },
      );
    });
  }
  element.dataset.state = "ready";
  return map;
}

export function mountCategorySearch(field, select) {
  if (!field || !select) return;
  const input = field.querySelector("input[type=search]");
  const hits = field.querySelector("#category-hits");
  field.hidden = false;
  const choose = (code) => {
    select.value = code;
    select.dispatchEvent(new Event("change", { bubbles: true }));
    hits.replaceChildren();
    select.focus();
  };
  hits.addEventListener("click", (event) => {
    const button = event.target.closest("button[data-code]");
    if (button) choose(button.dataset.code);
  });
  // Enter takes the first match instead of sending the whole report.
  input.addEventListener("keydown", (event) => {
    if (event.key !== "Enter") return;
    event.preventDefault();
    const first = hits.querySelector("button[data-code]");
    if (first) choose(first.dataset.code);
  });
}
