/**
 * linli map component: Leaflet with our own layers, optional base tiles, and GCJ-02 on display.
 *
 * Leaflet is loaded as a classic script (window.L) before this module, so every page shares one
 * cached copy and no bundler is needed.
 *
 *   import { createMap, addGeoJsonLayer, loadLayers } from ".../linli/map.js";
 *   const map = createMap(element, { tiles: "none" });        // or read from data-* attributes
 *   addGeoJsonLayer(map, featureCollection, { id: "cases", title: "Open cases", kind: "point" });
 *   await loadLayers(map, "/api/v1/registry/map-layers");     // { layers: [{id, title, data}] }
 *   map.fit();
 *
 * Coordinates in GeoJSON are always WGS84 lon/lat, as stored. When the tile source is in GCJ-02
 * (AMap, Tencent) every coordinate is shifted before drawing, so callers never convert.
 *
 * Every map also gets what the page's "linli-map-config" JSON names (the base template writes
 * it for a signed-in person): with no tiles, the sub-district's offline base map (streets,
 * buildings, water, parks from its imported OpenStreetMap file) drawn under our layers with its
 * names; and a place search box. Options `basemap: false` / `placeSearch: false` leave them out.
 */

const leaflet = () => {
  if (!window.L) throw new Error("Leaflet (window.L) must be loaded before linli/map.js");
  return window.L;
};

/* ---- WGS84 → GCJ-02 (twin of linli/core/geo.py; tests/core/test_geo.py pins the values) ---- */

const KRASOVSKY_A = 6378245.0;
const KRASOVSKY_EE = 0.00669342162296594323;

export function outOfChina(lon, lat) {
  return !(lon >= 72.004 && lon <= 137.8347 && lat >= 0.8293 && lat <= 55.8271);
}

function shiftLat(x, y) {
  const { PI, sin, sqrt, abs } = Math;
  let ret = -100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * sqrt(abs(x));
  ret += ((20.0 * sin(6.0 * x * PI) + 20.0 * sin(2.0 * x * PI)) * 2.0) / 3.0;
  ret += ((20.0 * sin(y * PI) + 40.0 * sin((y / 3.0) * PI)) * 2.0) / 3.0;
  ret += ((160.0 * sin((y / 12.0) * PI) + 320.0 * sin((y * PI) / 30.0)) * 2.0) / 3.0;
  return ret;
}

function shiftLon(x, y) {
  const { PI, sin, sqrt, abs } = Math;
  let ret = 300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * sqrt(abs(x));
  ret += ((20.0 * sin(6.0 * x * PI) + 20.0 * sin(2.0 * x * PI)) * 2.0) / 3.0;
  ret += ((20.0 * sin(x * PI) + 40.0 * sin((x / 3.0) * PI)) * 2.0) / 3.0;
  ret += ((150.0 * sin((x / 12.0) * PI) + 300.0 * sin((x / 30.0) * PI)) * 2.0) / 3.0;
  return ret;
}

/** [lon, lat] in WGS84 → [lon, lat] in GCJ-02; unchanged outside China. */
export function wgs84ToGcj02(lon, lat) {
  if (outOfChina(lon, lat)) return [lon, lat];
  let dLat = shiftLat(lon - 105.0, lat - 35.0);
  let dLon = shiftLon(lon - 105.0, lat - 35.0);
  const radLat = (lat / 180.0) * Math.PI;
  const magic = 1 - KRASOVSKY_EE * Math.sin(radLat) ** 2;
  const sqrtMagic = Math.sqrt(magic);
  dLat = (dLat * 180.0) / (((KRASOVSKY_A * (1 - KRASOVSKY_EE)) / (magic * sqrtMagic)) * Math.PI);
  dLon = (dLon * 180.0) / ((KRASOVSKY_A / sqrtMagic) * Math.cos(radLat) * Math.PI);
  return [lon + dLon, lat + dLat];
}

/* ---- Base tiles ---- */

/**
 * The tile sources the MAP_TILES setting can name. `datum` says which coordinates the tiles are
 * drawn in; Tianditu's "_w" layers are Web Mercator over CGCS2000, which is WGS84 to within
 * centimetres, so only AMap and Tencent need the shift.
 */
export const TILE_SOURCES = {
  none: { datum: "wgs84", layers: [] },
  osm: {
    datum: "wgs84",
    layers: [
      {
        url: "https://tile.openstreetmap.org/{z}/{x}/{y}.png",
        maxZoom: 19,
        attribution:
          '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a> contributors',
      },
    ],
  },
  tianditu: {
    datum: "wgs84",
    needsKey: true,
    layers: ["vec", "cva"].map((layer) => ({
      url:
        `https://t{s}.tianditu.gov.cn/${layer}_w/wmts?SERVICE=WMTS&REQUEST=GetTile&VERSION=1.0.0` +
        `&LAYER=${layer}&STYLE=default&TILEMATRIXSET=w&FORMAT=tiles` +
        "&TILEMATRIX={z}&TILEROW={y}&TILECOL={x}&tk={key}",
      subdomains: "01234567",
      maxZoom: 18,
      attribution: layer === "vec" ? '&copy; <a href="https://www.tianditu.gov.cn/">天地图</a>' : "",
    })),
  },
  amap: {
    datum: "gcj02",
    layers: [
      {
        url: "https://webrd0{s}.is.autonavi.com/appmaptile?lang=zh_cn&size=1&scale=1&style=8&x={x}&y={y}&z={z}",
        subdomains: "1234",
        maxZoom: 18,
        attribution: '&copy; <a href="https://www.amap.com/">高德地图</a>',
      },
    ],
  },
  tencent: {
    datum: "gcj02",
    layers: [
      {
        // Tencent numbers tile rows from the south, hence {-y}.
        url: "https://rt{s}.map.gtimg.com/tile?z={z}&x={x}&y={-y}&styleid=1000&scene=0&version=347",
        subdomains: "0123",
        maxZoom: 18,
        attribution: '&copy; <a href="https://map.qq.com/">腾讯地图</a>',
      },
    ],
  },
};

/* ---- Layer styles ---- */

/**
 * Default looks for the layer ids the registry endpoint sends; other pages pass their own.
 * Colours keep at least 3:1 against the plain background and the common tile palettes, and
 * points differ by shape as well as colour.
 */
export const LAYER_STYLES = {
  boundary: {
    kind: "polygon",
    style: { color: "#0b3d91", weight: 3, fillColor: "#0b3d91", fillOpacity: 0.04 },
    interactive: false,
  },
  grids: {
    kind: "polygon",
    style: { color: "#6a1b9a", weight: 1.5, dashArray: "6 4", fillColor: "#6a1b9a", fillOpacity: 0.03 },
  },
  quarters: {
    kind: "polygon",
    style: { color: "#2e6b30", weight: 1, fillColor: "#66bb6a", fillOpacity: 0.3 },
  },
  buildings: {
    kind: "point",
    marker: (feature) =>
      feature.properties?.is_hundred_million
        ? { className: "building hundred-million", size: 24, html: "¥" }
        : { className: "building", size: 16 },
    legendExtras: [{ labelKey: "hundredMillion", marker: { className: "building hundred-million", size: 20, html: "¥" } }],
  },
  facilities: {
    kind: "point",
    marker: () => ({ className: "facility", size: 14 }),
  },
};

const DEFAULT_LABELS = {
  layers: "Layers",
  openDetails: "Open details",
  loading: "Loading the map…",
  loadError: "The map layers could not be loaded.",
  noTilesKey: "The base map needs a key; showing our layers only.",
  places: "Places on the map",
  hundredMillion: "100-million-yuan building",
  empty: "Nothing to show.",
};

/* ---- The map ---- */

function readDataset(element) {
  const d = element.dataset;
  const labels = {};
  for (const [key, value] of Object.entries(d)) {
    if (key.startsWith("label") && key.length > 5) {
      labels[key[5].toLowerCase() + key.slice(6)] = value;
    }
  }
  const center = (d.center || "")
    .split(",")
    .map(Number)
    .filter((n) => Number.isFinite(n));
  return {
    tiles: d.tiles,
    tilesKey: d.tilesKey,
    center: center.length === 2 ? center : undefined,
    zoom: d.zoom ? Number(d.zoom) : undefined,
    labels,
  };
}

let mapCount = 0;

export class LinliMap {
  constructor(element, options = {}) {
    const L = leaflet();
    const fromData = readDataset(element);
    this.element = element;
    this.options = { ...fromData, ...options };
    const page = pageMapConfig();
    this.labels = { ...DEFAULT_LABELS, ...page.labels, ...fromData.labels, ...(options.labels || {}) };
    this.uid = `linli-map-${(mapCount += 1)}`;
    this.layers = new Map();
    this.warnings = [];

    let tiles = TILE_SOURCES[this.options.tiles] ? this.options.tiles : "none";
    if (TILE_SOURCES[tiles].needsKey && !this.options.tilesKey) {
      this.warnings.push(this.labels.noTilesKey);
      tiles = "none";
    }
    this.tiles = tiles;
    this.datum = TILE_SOURCES[tiles].datum;
    element.dataset.tilesActive = tiles;
    element.classList.add("linli-map", tiles === "none" ? "no-tiles" : "has-tiles");

    const [lon, lat] = this.options.center || [121.459, 31.237];
    this.map = L.map(element, {
      center: this.toLatLng(lon, lat),
      zoom: this.options.zoom || 15,
      maxZoom: 19,
      zoomSnap: 0.25,
      attributionControl: true,
    });
    this.map.attributionControl.setPrefix('<a href="https://leafletjs.com/">Leaflet</a>');
    for (const spec of TILE_SOURCES[tiles].layers) {
      const { url, ...rest } = spec;
      L.tileLayer(url, { ...rest, key: encodeURIComponent(this.options.tilesKey || "") }).addTo(this.map);
    }
    L.control.scale({ imperial: false }).addTo(this.map);
    if (page.placeSearchUrl && this.options.placeSearch !== false) {
      this.placeSearch = new PlaceSearch(this, page.placeSearchUrl);
    }
    this._legend = this._createLegend();
    this.basemapReady =
      tiles === "none" && page.basemapUrl && this.options.basemap !== false
        ? loadBasemap(this, page.basemapUrl)
        : Promise.resolve(null);
    // Leaflet only notices window resizes; a page whose header reflows (fonts arriving, a
    // phone rotating) changes the box without one, and paths get clipped to the stale size.
    if (window.ResizeObserver) {
      new ResizeObserver(() => this.map.invalidateSize()).observe(element);
    }
    element.linliMap = this;
  }

  /** A Leaflet LatLng for a stored WGS84 lon/lat, shifted when the tiles are GCJ-02. */
  toLatLng(lon, lat) {
    const L = leaflet();
    if (this.datum === "gcj02") {
      const [gLon, gLat] = wgs84ToGcj02(lon, lat);
      return L.latLng(gLat, gLon);
    }
    return L.latLng(lat, lon);
  }

  /**
   * Add a GeoJSON FeatureCollection as a toggleable layer with a legend entry and popups.
   *
   * options: id, title, kind ("polygon" | "point"), style (Leaflet path options or a function
   * of the feature), marker (function of the feature → {className, size, html}: a DOM marker),
   * circle (function of the feature → circleMarker options, for thousands of points), popup
   * (function of the feature → Node or string; default: name, detail, link to properties.url),
   * visible (default true), interactive, legendExtras ([{label, marker} | {label, style}]).
   * Defaults come from LAYER_STYLES[id]. Returns the Leaflet layer.
   */
  addGeoJsonLayer(geojson, options = {}) {
    const L = leaflet();
    const id = options.id || `layer-${this.layers.size + 1}`;
    const spec = { ...(LAYER_STYLES[id] || {}), ...options, id };
    const kind = spec.kind || guessKind(geojson);
    const styleFor = typeof spec.style === "function" ? spec.style : () => spec.style || {};
    const interactive = spec.interactive !== false;
    const layer = L.geoJSON(geojson, {
      interactive,
      coordsToLatLng: (c) => this.toLatLng(c[0], c[1]),
      style: (feature) => ({ className: `linli-shape ${id}`, interactive, ...styleFor(feature) }),
      pointToLayer: (feature, latlng) => this._point(spec, feature, latlng),
      onEachFeature: (feature, featureLayer) => {
        if (!interactive) return;
        const content = (spec.popup || ((f) => this.popupContent(f)))(feature);
        if (content) featureLayer.bindPopup(content, { maxWidth: 280 });
      },
    });
    if (this.layers.has(id)) this.removeLayer(id);
    const entry = { id, title: spec.title || id, kind, spec, layer, geojson };
    this.layers.set(id, entry);
    if (spec.visible !== false) layer.addTo(this.map);
    this._addLegendEntry(entry);
    return layer;
  }

  removeLayer(id) {
    const entry = this.layers.get(id);
    if (!entry) return;
    this.map.removeLayer(entry.layer);
    entry.legendItem?.remove();
    this.layers.delete(id);
  }

  setLayerVisible(id, visible) {
    const entry = this.layers.get(id);
    if (!entry) return;
    if (visible) entry.layer.addTo(this.map);
    else this.map.removeLayer(entry.layer);
    if (entry.checkbox) entry.checkbox.checked = visible;
  }

  /** Zoom to the boundary if there is one, otherwise to everything drawn. */
  fit({ animate = false } = {}) {
    const L = leaflet();
    const boundary = this.layers.get("boundary")?.layer;
    let bounds = boundary?.getBounds();
    if (!bounds?.isValid()) {
      bounds = L.latLngBounds([]);
      for (const { layer } of this.layers.values()) {
        const b = layer.getBounds?.();
        if (b?.isValid()) bounds.extend(b);
      }
    }
    if (bounds.isValid()) this.map.fitBounds(bounds, { padding: [16, 16], maxZoom: 17, animate });
  }

  popupContent(feature) {
    const p = feature.properties || {};
    const root = document.createElement("div");
    root.className = "map-popup";
    const name = document.createElement("strong");
    name.textContent = p.name || "";
    root.append(name);
    if (p.detail) {
      const detail = document.createElement("p");
      detail.textContent = p.detail;
      root.append(detail);
    }
    if (p.address) {
      const address = document.createElement("p");
      address.className = "address";
      address.textContent = p.address;
      root.append(address);
    }
    if (p.url) {
      const link = document.createElement("a");
      link.href = p.url;
      link.textContent = this.labels.openDetails;
      link.setAttribute("aria-label", `${this.labels.openDetails}: ${p.name || ""}`);
      root.append(link);
    }
    return root;
  }

  _point(spec, feature, latlng) {
    const L = leaflet();
    if (spec.circle) {
      return L.circleMarker(latlng, { className: `linli-shape ${spec.id}`, ...spec.circle(feature) });
    }
    const look = (spec.marker || (() => ({ className: spec.id, size: 14 })))(feature);
    return L.marker(latlng, {
      icon: markerIcon(look),
      // The feature list below the map is the keyboard route; a tab stop per marker would
      // bury the rest of the page behind hundreds of them.
      keyboard: false,
      title: feature.properties?.name || "",
      riseOnHover: true,
    });
  }

  _createLegend() {
    const L = leaflet();
    const control = L.control({ position: "topright" });
    const legend = document.createElement("details");
    legend.className = "map-legend";
    // Phones get the map, not a legend covering it; one tap opens it.
    legend.open = !window.matchMedia || window.matchMedia("(min-width: 40em)").matches;
    const summary = document.createElement("summary");
    summary.textContent = this.labels.layers;
    const list = document.createElement("ul");
    legend.append(summary, list);
    for (const warning of this.warnings) {
      const note = document.createElement("p");
      note.className = "map-warning";
      note.textContent = warning;
      legend.append(note);
    }
    control.onAdd = () => {
      const box = L.DomUtil.create("div", "leaflet-bar map-legend-box");
      box.append(legend);
      L.DomEvent.disableClickPropagation(box);
      L.DomEvent.disableScrollPropagation(box);
      return box;
    };
    control.addTo(this.map);
    return { control, legend, list };
  }

  _addLegendEntry(entry) {
    const item = document.createElement("li");
    const checkbox = document.createElement("input");
    checkbox.type = "checkbox";
    checkbox.id = `${this.uid}-${entry.id}`;
    checkbox.checked = entry.spec.visible !== false;
    checkbox.addEventListener("change", () => this.setLayerVisible(entry.id, checkbox.checked));
    const label = document.createElement("label");
    label.htmlFor = checkbox.id;
    label.append(this._swatch(entry), document.createTextNode(entry.title));
    if (entry.id !== "boundary") {
      const n = document.createElement("span");
      n.className = "layer-count";
      n.textContent = `(${featureCount(entry.geojson)})`;
      label.append(n);
    }
    item.append(checkbox, label);
    const extras = entry.spec.legendExtras || [];
    if (extras.length) {
      const sub = document.createElement("ul");
      for (const extra of extras) {
        const li = document.createElement("li");
        const text = extra.label || this.labels[extra.labelKey] || "";
        li.append(this._swatch(entry, extra), document.createTextNode(text));
        sub.append(li);
      }
      item.append(sub);
    }
    entry.checkbox = checkbox;
    entry.legendItem = item;
    this._legend.list.append(item);
  }

  _swatch(entry, extra = null) {
    const swatch = document.createElement("span");
    swatch.setAttribute("aria-hidden", "true");
    const look = extra?.marker || (entry.kind === "point" && !entry.spec.circle ? sampleMarker(entry) : null);
    if (look) {
      swatch.className = `swatch linli-marker ${look.className || ""}`;
      swatch.textContent = look.html || "";
      return swatch;
    }
    const style = extra?.style || sampleStyle(entry);
    swatch.className = `swatch area ${entry.id}`;
    swatch.style.borderColor = style.color || "#333";
    swatch.style.borderStyle = style.dashArray ? "dashed" : "solid";
    // As drawn: a faint fill looks faint in the legend too (but never invisible).
    const fillOpacity = Math.max(0.15, style.fillOpacity ?? 0.2);
    swatch.style.background = style.fillColor
      ? `color-mix(in srgb, ${style.fillColor} ${Math.round(fillOpacity * 100)}%, transparent)`
      : "transparent";
    return swatch;
  }
}

function markerIcon({ className = "", size = 14, html = "" }) {
  return leaflet().divIcon({
    className: `linli-marker ${className}`,
    html: html ? `<span>${escapeHtml(html)}</span>` : "",
    iconSize: [size, size],
    iconAnchor: [size / 2, size / 2],
    popupAnchor: [0, -size / 2],
  });
}

function sampleMarker(entry) {
  const first = entry.geojson?.features?.find((f) => !f.properties?.is_hundred_million);
  const make = entry.spec.marker || (() => ({ className: entry.id, size: 14 }));
  return make(first || { properties: {} });
}

function sampleStyle(entry) {
  const s = entry.spec.style;
  if (typeof s === "function") return s(entry.geojson?.features?.[0] || { properties: {} }) || {};
  if (entry.spec.circle) return entry.spec.circle(entry.geojson?.features?.[0] || { properties: {} });
  return s || {};
}

function guessKind(geojson) {
  const type = geojson?.features?.[0]?.geometry?.type || "";
  return type.includes("Point") ? "point" : "polygon";
}

function featureCount(geojson) {
  if (!geojson) return 0;
  if (geojson.type === "FeatureCollection") return geojson.features.length;
  return 1;
}

function escapeHtml(text) {
  const div = document.createElement("div");
  div.textContent = text;
  return div.innerHTML;
}

/* ---- The offline base map ---- */

/**
 * Settings the page gives every map (the base template writes them as JSON, see
 * linli/core/context_processors.py): the sub-district's base map, the place search, words.
 */
function pageMapConfig() {
  const node = document.getElementById("linli-map-config");
  if (!node) return { labels: {} };
  try {
    const config = JSON.parse(node.textContent);
    return { labels: {}, ...config };
  } catch {
    return { labels: {} };
  }
}

/**
 * How the base map looks: a calm, light map that our own layers stand out on. Widths grow with
 * the zoom, as streets do on a paper map of a larger scale.
 */
export const BASEMAP_STYLES = {
  green: () => ({ stroke: false, fillColor: "#cfe6bf", fillOpacity: 1 }),
  water: () => ({ stroke: false, fillColor: "#a9cfe3", fillOpacity: 1 }),
  waterway: (zoom) => ({ color: "#a9cfe3", weight: zoom >= 16 ? 6 : 3, lineCap: "round" }),
  building: (zoom) => ({
    color: "#d9ccb8",
    weight: 1,
    fillColor: "#efe5d6",
    fillOpacity: 1,
    opacity: zoom >= 16 ? 1 : 0,
  }),
  path: (zoom) => ({ color: "#a8a49c", weight: zoom >= 17 ? 1.5 : 1, dashArray: "3 3" }),
  streetCasing: (zoom, rank) => ({
    color: rank === 1 ? "#c9b98f" : "#c4c4c4",
    weight: streetWidth(zoom, rank) + 2,
    lineCap: "round",
    lineJoin: "round",
  }),
  street: (zoom, rank) => ({
    color: rank === 1 ? "#fff4cc" : "#ffffff",
    weight: streetWidth(zoom, rank),
    lineCap: "round",
    lineJoin: "round",
  }),
};

function streetWidth(zoom, rank) {
  const base = zoom >= 18 ? 12 : zoom >= 17 ? 8 : zoom >= 16 ? 5 : zoom >= 15 ? 3 : 2;
  return rank === 1 ? base * 1.5 : base;
}

// The zoom from which each kind of label shows: street names first, building names close up.
const LABEL_MIN_ZOOM = { street: 15, waterway: 14, water: 15, green: 15, building: 17 };

/** Fetch the base map and draw it under our layers, with its labels; resolves to the layers. */
async function loadBasemap(linliMap, url) {
  const L = leaflet();
  const map = linliMap.map;
  for (const [name, zIndex] of [
    ["basemapPane", 250],
    ["basemapLabelPane", 350],
  ]) {
    map.createPane(name).style.zIndex = String(zIndex);
    map.getPane(name).classList.add("basemap-pane");
  }
  const renderer = L.svg({ pane: "basemapPane", padding: 0.5 });
  linliMap.element.dataset.basemap = "loading";
  let body;
  try {
    const response = await fetch(url, { credentials: "same-origin", headers: { Accept: "application/geo+json" } });
    if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`);
    body = await response.json();
  } catch (error) {
    // Our own layers still draw on the plain background; the base map is a help, not a need.
    console.error(error);
    linliMap.element.dataset.basemap = "error";
    return null;
  }
  const zoom = () => map.getZoom();
  const ofKind = (kinds) => ({
    type: "FeatureCollection",
    features: (body.features || []).filter((f) => kinds.includes(f.properties?.kind)),
  });
  const draw = (kinds, styleFor, className) =>
    L.geoJSON(ofKind(kinds), {
      pane: "basemapPane",
      renderer,
      interactive: false,
      coordsToLatLng: (c) => linliMap.toLatLng(c[0], c[1]),
      style: (f) => ({ className: `basemap ${className || `basemap-${f.properties.kind}`}`, ...styleFor(f) }),
    });
  const byKind = (f) => BASEMAP_STYLES[f.properties.kind](zoom(), f.properties.rank);
  const layers = [
    draw(["green", "water", "waterway", "building"], byKind),
    draw(["path"], byKind),
    draw(["street"], (f) => BASEMAP_STYLES.streetCasing(zoom(), f.properties.rank), "basemap-street-casing"),
    draw(["street"], (f) => BASEMAP_STYLES.street(zoom(), f.properties.rank)),
  ];
  const group = L.layerGroup(layers).addTo(map);
  const labels = basemapLabels(linliMap, body.features || []);
  const showLabels = () => {
    const z = zoom();
    for (const [kind, layer] of Object.entries(labels)) {
      const wanted = z >= (LABEL_MIN_ZOOM[kind] ?? 16);
      if (wanted && !map.hasLayer(layer)) layer.addTo(map);
      if (!wanted && map.hasLayer(layer)) map.removeLayer(layer);
    }
  };
  map.on("zoomend", () => {
    for (const layer of layers) layer.setStyle(layer.options.style);
    showLabels();
  });
  showLabels();
  if (body.source === "osm") map.attributionControl.addAttribution(linliMap.labels.basemapAttribution || "© OpenStreetMap");
  linliMap.basemap = { group, labels, data: body };
  linliMap.element.dataset.basemap = "ready";
  return linliMap.basemap;
}

/** Label layers by kind: names along streets and rivers, names in the middle of areas. */
function basemapLabels(linliMap, features) {
  const L = leaflet();
  const groups = {};
  const add = (kind, latlng, text, angle = 0) => {
    const span = document.createElement("span");
    span.className = "basemap-label-text";
    span.textContent = text;
    span.style.transform = `translate(-50%, -50%) rotate(${angle.toFixed(1)}deg)`;
    const marker = L.marker(latlng, {
      pane: "basemapLabelPane",
      interactive: false,
      keyboard: false,
      icon: L.divIcon({ className: `basemap-label basemap-label-${kind}`, html: span, iconSize: null }),
    });
    (groups[kind] ||= L.layerGroup()).addLayer(marker);
  };
  for (const feature of features) {
    const { kind, name } = feature.properties || {};
    if (!name || !feature.geometry) continue;
    const g = feature.geometry;
    if (g.type === "LineString" || g.type === "MultiLineString") {
      const parts = g.type === "LineString" ? [g.coordinates] : g.coordinates;
      const measured = parts.map((coords) => ({ coords, length: lineLength(coords) })).sort((a, b) => b.length - a.length);
      // The longest piece carries the name; other long pieces (a street cut by a square) too.
      measured
        .filter((part, i) => i === 0 || part.length > 400)
        .forEach(({ coords }) => {
          const { lon, lat, angle } = alongMiddle(coords);
          add(kind === "waterway" ? "waterway" : "street", linliMap.toLatLng(lon, lat), name, angle);
        });
    } else if (g.type === "Polygon" || g.type === "MultiPolygon") {
      const rings = g.type === "Polygon" ? [g.coordinates[0]] : g.coordinates.map((p) => p[0]);
      const ring = rings.sort((a, b) => ringSpan(b) - ringSpan(a))[0];
      const [lon, lat] = ringCentre(ring);
      add(kind, linliMap.toLatLng(lon, lat), name);
    }
  }
  return groups;
}

const M_PER_DEG = 111320;

function segment(a, b) {
  const cos = Math.cos((((a[1] + b[1]) / 2) * Math.PI) / 180);
  const dx = (b[0] - a[0]) * cos * M_PER_DEG;
  const dy = (b[1] - a[1]) * M_PER_DEG;
  return { dx, dy, length: Math.hypot(dx, dy) };
}

function lineLength(coords) {
  let total = 0;
  for (let i = 1; i < coords.length; i += 1) total += segment(coords[i - 1], coords[i]).length;
  return total;
}

/** The point halfway along a line, and the angle of the line there (kept readable: ±90°). */
function alongMiddle(coords) {
  let left = lineLength(coords) / 2;
  for (let i = 1; i < coords.length; i += 1) {
    const a = coords[i - 1];
    const b = coords[i];
    const { dx, dy, length } = segment(a, b);
    if (left <= length || i === coords.length - 1) {
      const t = length ? Math.min(1, left / length) : 0;
      let angle = (-Math.atan2(dy, dx) * 180) / Math.PI;
      if (angle > 90) angle -= 180;
      if (angle < -90) angle += 180;
      return { lon: a[0] + (b[0] - a[0]) * t, lat: a[1] + (b[1] - a[1]) * t, angle };
    }
    left -= length;
  }
  return { lon: coords[0][0], lat: coords[0][1], angle: 0 };
}

function ringSpan(ring) {
  const lons = ring.map((c) => c[0]);
  const lats = ring.map((c) => c[1]);
  return Math.max(...lons) - Math.min(...lons) + Math.max(...lats) - Math.min(...lats);
}

function ringCentre(ring) {
  const lons = ring.map((c) => c[0]);
  const lats = ring.map((c) => c[1]);
  return [(Math.max(...lons) + Math.min(...lons)) / 2, (Math.max(...lats) + Math.min(...lats)) / 2];
}

/* ---- Place search ---- */

let searchCount = 0;

/**
 * A search box on the map (a combobox with a list of options): type a name, an address, its
 * pinyin or its initials; arrow keys move through the places found, Enter or a click flies the
 * map there and marks the place.
 */
class PlaceSearch {
  constructor(linliMap, url) {
    const L = leaflet();
    this.linliMap = linliMap;
    this.url = url;
    this.results = [];
    this.active = -1;
    this.request = 0;
    const id = `linli-place-search-${(searchCount += 1)}`;
    const labels = linliMap.labels;

    const box = L.DomUtil.create("div", "leaflet-bar place-search");
    box.setAttribute("role", "search");
    const label = document.createElement("label");
    label.htmlFor = `${id}-input`;
    label.className = "visually-hidden";
    label.textContent = labels.search || "Find a place";
    const input = document.createElement("input");
    input.type = "search";
    input.id = `${id}-input`;
    input.autocomplete = "off";
    input.placeholder = labels.searchPlaceholder || "";
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", `${id}-list`);
    const list = document.createElement("ul");
    list.id = `${id}-list`;
    list.className = "place-search-results";
    list.setAttribute("role", "listbox");
    list.setAttribute("aria-label", labels.search || "Find a place");
    list.hidden = true;
    const status = document.createElement("p");
    status.className = "visually-hidden";
    status.setAttribute("role", "status");
    status.setAttribute("aria-live", "polite");
    box.append(label, input, list, status);
    Object.assign(this, { id, box, input, list, status });

    let timer = null;
    input.addEventListener("input", () => {
      clearTimeout(timer);
      timer = setTimeout(() => this.lookUp(input.value), 200);
    });
    input.addEventListener("keydown", (event) => this.onKey(event));
    list.addEventListener("mousedown", (event) => event.preventDefault()); // keep the focus
    list.addEventListener("click", (event) => {
      const option = event.target.closest("[role=option]");
      if (option) this.choose(Number(option.dataset.index));
    });
    input.addEventListener("blur", () => setTimeout(() => this.close(), 150));

    const control = L.control({ position: "topleft" });
    control.onAdd = () => {
      L.DomEvent.disableClickPropagation(box);
      L.DomEvent.disableScrollPropagation(box);
      return box;
    };
    control.addTo(linliMap.map);
  }

  async lookUp(text) {
    const query = text.trim();
    const ticket = (this.request += 1);
    if (!query) {
      this.show([]);
      this.status.textContent = "";
      return;
    }
    try {
      const response = await fetch(`${this.url}?q=${encodeURIComponent(query)}`, {
        credentials: "same-origin",
        headers: { Accept: "application/json" },
      });
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      const body = await response.json();
      if (ticket !== this.request) return; // a later keystroke has asked again
      this.show(body.results || []);
    } catch (error) {
      console.error(error);
      if (ticket !== this.request) return;
      this.show([]);
      this.status.textContent = this.linliMap.labels.searchFailed || "";
    }
  }

  show(results) {
    const labels = this.linliMap.labels;
    this.results = results;
    this.active = -1;
    this.input.removeAttribute("aria-activedescendant");
    this.list.replaceChildren(
      ...results.map((place, index) => {
        const li = document.createElement("li");
        li.id = `${this.id}-option-${index}`;
        li.setAttribute("role", "option");
        li.setAttribute("aria-selected", "false");
        li.dataset.index = String(index);
        const name = document.createElement("span");
        name.className = "place-name";
        name.textContent = place.name;
        const detail = document.createElement("span");
        detail.className = "place-detail";
        detail.textContent = [place.kind_label, place.address].filter(Boolean).join(" · ");
        li.append(name, detail);
        return li;
      }),
    );
    const open = results.length > 0;
    this.list.hidden = !open;
    this.input.setAttribute("aria-expanded", String(open));
    if (!this.input.value.trim()) return;
    this.status.textContent = !results.length
      ? labels.searchNone || ""
      : results.length === 1
        ? labels.searchOne || ""
        : (labels.searchMany || "").replace("%(count)s", String(results.length));
  }

  highlight(index) {
    const options = [...this.list.children];
    if (!options.length) return;
    this.active = (index + options.length) % options.length;
    options.forEach((option, i) => option.setAttribute("aria-selected", String(i === this.active)));
    const current = options[this.active];
    this.input.setAttribute("aria-activedescendant", current.id);
    current.scrollIntoView({ block: "nearest" });
  }

  onKey(event) {
    event.stopPropagation(); // the map's own keys (arrows pan) stay out of the box
    if (event.key === "ArrowDown") {
      event.preventDefault();
      if (this.list.hidden && this.results.length) this.show(this.results);
      this.highlight(this.active + 1);
    } else if (event.key === "ArrowUp") {
      event.preventDefault();
      this.highlight(this.active - 1);
    } else if (event.key === "Enter") {
      event.preventDefault(); // a search box inside a form must not send the form
      if (this.results.length) this.choose(this.active >= 0 ? this.active : 0);
    } else if (event.key === "Escape") {
      if (!this.list.hidden) {
        event.preventDefault();
        this.close();
      }
    }
  }

  close() {
    this.list.hidden = true;
    this.input.setAttribute("aria-expanded", "false");
    this.input.removeAttribute("aria-activedescendant");
  }

  choose(index) {
    const L = leaflet();
    const place = this.results[index];
    if (!place) return;
    const map = this.linliMap.map;
    const latlng = this.linliMap.toLatLng(place.lon, place.lat);
    this.input.value = place.name;
    this.close();
    this.found?.remove();
    this.found = L.circleMarker(latlng, {
      radius: 10,
      color: "#c62828",
      weight: 3,
      fillColor: "#c62828",
      fillOpacity: 0.15,
      className: "place-found",
      interactive: false,
    }).addTo(map);
    const reduceMotion = window.matchMedia?.("(prefers-reduced-motion: reduce)").matches;
    map.flyTo(latlng, Math.max(map.getZoom(), 17), { animate: !reduceMotion, duration: 0.8 });
    this.status.textContent = [place.name, place.address].filter(Boolean).join(" · ");
    this.linliMap.element.dataset.placeFound = place.name;
    this.linliMap.element.dispatchEvent(new CustomEvent("linli:place-found", { detail: place, bubbles: true }));
  }
}

/* ---- Functional API ---- */

/** Create a map in `element`; options override the element's data-* attributes. */
export function createMap(element, options = {}) {
  return new LinliMap(element, options);
}

/** Add a GeoJSON layer to a map made by createMap (see LinliMap.addGeoJsonLayer). */
export function addGeoJsonLayer(map, geojson, options = {}) {
  return map.addGeoJsonLayer(geojson, options);
}

/**
 * Fetch `{layers: [{id, title, data}]}` (the registry's map-layers shape; other endpoints may
 * use it too) and add each layer. `overrides[id]` adds or replaces layer options.
 */
export async function loadLayers(map, url, overrides = {}) {
  const response = await fetch(url, {
    credentials: "same-origin",
    headers: { Accept: "application/json" },
  });
  if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`);
  const body = await response.json();
  for (const layer of body.layers || []) {
    map.addGeoJsonLayer(layer.data, {
      id: layer.id,
      title: layer.title,
      kind: layer.geometry,
      ...(overrides[layer.id] || {}),
    });
  }
  return body;
}

/**
 * A list of every feature with a link, grouped by layer: the way to the same places for people
 * using a screen reader or a keyboard, for whom the drawn map says little.
 */
export function renderFeatureList(map, container, { heading = true } = {}) {
  container.replaceChildren();
  if (heading) {
    const h = document.createElement("h2");
    h.textContent = map.labels.places;
    container.append(h);
  }
  let any = false;
  for (const entry of map.layers.values()) {
    const features = (entry.geojson?.features || []).filter((f) => f.properties?.name);
    if (!features.length) continue;
    any = true;
    const group = document.createElement("details");
    const summary = document.createElement("summary");
    summary.textContent = `${entry.title} (${features.length})`;
    const list = document.createElement("ul");
    for (const f of features) {
      const li = document.createElement("li");
      const p = f.properties;
      if (p.url) {
        const a = document.createElement("a");
        a.href = p.url;
        a.textContent = p.name;
        li.append(a);
      } else {
        li.append(document.createTextNode(p.name));
      }
      if (p.detail) {
        const small = document.createElement("small");
        small.textContent = ` · ${p.detail}`;
        li.append(small);
      }
      list.append(li);
    }
    group.append(summary, list);
    container.append(group);
  }
  if (!any) {
    const p = document.createElement("p");
    p.textContent = map.labels.empty;
    container.append(p);
  }
}

/**
 * The area map page: a map from the element's data-* attributes, the layers from
 * data-layers-url, the feature list into the element whose id is data-feature-list, progress
 * and errors into the one named by data-status. Sets data-state to "ready" or "error" so tests
 * and styles can tell.
 */
export async function mountAreaMap(element) {
  const status = element.dataset.status && document.getElementById(element.dataset.status);
  const say = (text) => {
    if (status) status.textContent = text;
  };
  element.dataset.state = "loading";
  element.setAttribute("aria-busy", "true");
  const map = createMap(element);
  say(map.labels.loading);
  try {
    await loadLayers(map, element.dataset.layersUrl);
    map.fit();
    const list = element.dataset.featureList && document.getElementById(element.dataset.featureList);
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
  return map;
}
