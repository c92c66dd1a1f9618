/**
 * The public map of reports: the sub-district's boundary and a dot per report at its rounded
 * place, coloured by status. The list beside the map is the page's own HTML (it works without
 * JavaScript); a dot's popup leads to its card.
 */
import { createMap, addGeoJsonLayer } from "../linli/map.js";

const COLOURS = {
  reported: "#0a4a8f",
  handling: "#6a1b9a",
  fixed: "#00796b",
  long_term: "#8a5a00",
  closed: "#4f5b6b",
};

export function mountPublicMap(element, { reports, boundary }) {
  if (!element || !window.L) return null;
  const map = createMap(element, { zoom: 15 });
  const labels = element.dataset;
  if (boundary) {
    addGeoJsonLayer(
      map,
      { type: "FeatureCollection", features: [{ type: "Feature", geometry: boundary, properties: {} }] },
      { id: "boundary", title: labels.labelBoundary || "Boundary", interactive: false },
    );
  }
  addGeoJsonLayer(map, reports, {
    id: "public_reports",
    title: labels.labelReports || "Reports",
    kind: "point",
    circle: (feature) => ({
      radius: 7,
      color: "#ffffff",
      weight: 1.5,
      fillColor: COLOURS[feature.properties?.status] || COLOURS.reported,
      fillOpacity: 0.9,
    }),
  });
  map.fit();
  element.dataset.state = "ready";
  return map;
}
