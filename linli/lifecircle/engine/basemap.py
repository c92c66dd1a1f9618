"""The offline base map: streets, buildings, water and green areas as compact GeoJSON.

Maps draw it under our own layers when no tile provider is configured. It is extracted once,
when a walking network is imported, from the same OpenStreetMap file (or GeoJSON lines, or the
demo's generated streets), clipped to the sub-district and simplified, so that a sub-district
of about a square kilometre comes to a few hundred kilobytes before compression.

The collection's ``source`` says where it came from (``osm``, ``geojson``, ``demo`` or
``network``), so the map credits OpenStreetMap when the data is theirs. Every feature has a
``kind`` (``street``, ``path``, ``waterway``, ``water``, ``green``,
``building``) and, where the data has one, a ``name``. Streets also have a ``rank`` (1 for main
roads, 2 for the rest) so the map can draw main roads wider. Features of one kind, name and rank
are merged into one (Multi)LineString, so a street's name is sent, and labelled, once.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import numpy as np
import osmium
import shapely
from shapely.geometry import mapping

from .network import NetworkImportError, WalkNetwork, as_geometry, local_crs, transformers
from .osm import _format, _osmium_file
from .unpacked import check_unpacked

# How far around the boundary each kind is kept: streets and water frame the view; buildings
# are by far the most numerous features, so only a narrow band of them outside is kept.
MARGIN_M = {"street": 500.0, "path": 300.0, "waterway": 500.0, "water": 500.0, "green": 300.0}
BUILDING_MARGIN_M = 150.0
# Simplification tolerance in degrees (about half a metre): invisible at street zoom.
TOLERANCE_DEG = 5e-6
DIGITS = 6  # about 0.1 m

MAIN_ROADS = frozenset(
    {"motorway", "trunk", "primary", "secondary", "motorway_link", "trunk_link", "primary_link"}
)
STREETS = MAIN_ROADS | frozenset(
    {
        "secondary_link",
        "tertiary",
        "tertiary_link",
        "unclassified",
        "residential",
        "living_street",
        "service",
        "road",
    }
)
PATHS = frozenset({"pedestrian", "footway", "path", "steps", "cycleway", "track", "corridor"})
WATERWAYS = frozenset({"river", "canal", "stream", "drain", "ditch"})
WATER_LANDUSE = frozenset({"reservoir", "basin"})
GREEN_LANDUSE = frozenset(
    {"grass", "forest", "meadow", "recreation_ground", "village_green", "cemetery"}
)
GREEN_LEISURE = frozenset({"park", "garden", "playground", "pitch", "nature_reserve"})
GREEN_NATURAL = frozenset({"wood", "scrub", "grassland"})

# Only objects with one of these keys can be drawn; the rest of the extract is skipped early.
KEYS = ("highway", "waterway", "building", "natural", "leisure", "landuse")
ORDER = ("green", "water", "waterway", "building", "path", "street")


def line_kind(tags: Mapping[str, str]) -> tuple[str, int] | None:
    """(kind, rank) of an OSM way drawn as a line, or None."""
    highway = tags.get("highway")
    if highway in STREETS:
        return "street", 1 if highway in MAIN_ROADS else 2
    if highway in PATHS:
        return "path", 3
    if tags.get("waterway") in WATERWAYS:
        return "waterway", 0
    return None


def area_kind(tags: Mapping[str, str]) -> str | None:
    """The kind of an OSM area (closed way or multipolygon), or None for one we do not draw."""
    if tags.get("building") and tags.get("building") != "no":
        return "building"
    if (
        tags.get("natural") == "water"
        or tags.get("waterway") == "riverbank"
        or tags.get("landuse") in WATER_LANDUSE
    ):
        return "water"
    if (
        tags.get("leisure") in GREEN_LEISURE
        or tags.get("landuse") in GREEN_LANDUSE
        or tags.get("natural") in GREEN_NATURAL
    ):
        return "green"
    return None


def _name(tags: Mapping[str, str]) -> str:
    return tags.get("name:zh") or tags.get("name") or ""


class Collector:
    """Gathers geometries by (kind, name, rank), clips them and writes the FeatureCollection."""

    def __init__(self, clip_polygon: Any = None) -> None:
        self.parts: dict[tuple[str, str, int], list[shapely.Geometry]] = defaultdict(list)
        self.clips: dict[str, shapely.Geometry | None] = {}
        area = as_geometry(clip_polygon, "clip_polygon") if clip_polygon is not None else None
        if area is not None:
            lon, lat = area.centroid.x, area.centroid.y
            to_m, to_deg = transformers(local_crs(lon, lat))
            local = shapely.transform(area, lambda xy: np.column_stack(to_m.transform(*xy.T)))
            margins = {**MARGIN_M, "building": BUILDING_MARGIN_M}
            for kind, margin in margins.items():
                ring = local.buffer(margin)
                clip = shapely.transform(ring, lambda xy: np.column_stack(to_deg.transform(*xy.T)))
                shapely.prepare(clip)
                self.clips[kind] = clip

    def add(self, kind: str, geometry: shapely.Geometry, name: str = "", rank: int = 0) -> None:
        if geometry is None or geometry.is_empty:
            return
        clip = self.clips.get(kind)
        if clip is not None and not clip.intersects(geometry):
            return  # far outside: a district's extract need not be held whole
        self.parts[(kind, name, rank)].append(geometry)

    def feature_collection(self, source: str) -> dict[str, Any]:
        features: list[dict[str, Any]] = []
        keys = sorted(self.parts, key=lambda k: (ORDER.index(k[0]), -k[2], k[1]))
        for kind, name, rank in keys:
            geometries = self.parts[(kind, name, rank)]
            if kind == "building":
                # Buildings stay one feature each: merged, a block of terraces becomes one blob.
                shapes = [self._clip(kind, g) for g in geometries]
            elif kind in ("street", "path", "waterway"):
                merged = shapely.line_merge(shapely.union_all(geometries))
                shapes = [self._clip(kind, merged)]
            else:
                shapes = [self._clip(kind, shapely.union_all(geometries))]
            for shape in shapes:
                if shape is None or shape.is_empty:
                    continue
                properties: dict[str, Any] = {"kind": kind}
                if name:
                    properties["name"] = name
                if kind in ("street", "path"):
                    properties["rank"] = rank
                features.append(
                    {"type": "Feature", "geometry": _rounded(shape), "properties": properties}
                )
        return {"type": "FeatureCollection", "source": source, "features": features}

    def _clip(self, kind: str, geometry: shapely.Geometry) -> shapely.Geometry | None:
        clip = self.clips.get(kind)
        if clip is not None:
            if not clip.intersects(geometry):
                return None
            geometry = geometry.intersection(clip)
        simplified = shapely.simplify(geometry, TOLERANCE_DEG, preserve_topology=True)
        if kind in ("street", "path", "waterway"):
            simplified = _lines_only(simplified)
        else:
            simplified = _polygons_only(simplified)
        return simplified


def _lines_only(geometry: shapely.Geometry) -> shapely.Geometry:
    parts = [g for g in shapely.get_parts(geometry) if g.geom_type == "LineString" and g.length]
    return shapely.line_merge(shapely.MultiLineString(parts)) if parts else shapely.LineString()


def _polygons_only(geometry: shapely.Geometry) -> shapely.Geometry:
    parts = [g for g in shapely.get_parts(geometry) if g.geom_type == "Polygon" and g.area]
    if not parts:
        return shapely.Polygon()
    return parts[0] if len(parts) == 1 else shapely.MultiPolygon(parts)


def _round(coords: Any) -> Any:
    if isinstance(coords[0], float | int):
        return [round(float(coords[0]), DIGITS), round(float(coords[1]), DIGITS)]
    return [_round(c) for c in coords]


def _rounded(geometry: shapely.Geometry) -> dict[str, Any]:
    shape = mapping(geometry)
    return {"type": shape["type"], "coordinates": _round(shape["coordinates"])}


def read_osm_basemap(
    path: str | Path, clip_polygon: Any = None, *, max_unpacked_bytes: int | None = None
) -> dict[str, Any]:
    """The base map of an OSM extract (.osm.pbf or .osm XML), clipped around ``clip_polygon``.

    Raises :class:`NetworkImportError` when the file cannot be read, as ``read_osm`` does.
    """
    path = Path(path)
    collector = Collector(clip_polygon)
    wkb = osmium.geom.WKBFactory()
    try:
        fmt = _format(path)
        if max_unpacked_bytes is not None:
            check_unpacked(path, fmt, max_unpacked_bytes)
        processor = (
            osmium.FileProcessor(_osmium_file(path, fmt))
            .with_locations()
            .with_areas()
            .with_filter(osmium.filter.KeyFilter(*KEYS))
        )
        for obj in processor:
            if isinstance(obj, osmium.osm.Way):
                tags = {t.k: t.v for t in obj.tags}
                found = line_kind(tags)
                if found is None or len(obj.nodes) < 2:
                    continue
                kind, rank = found
                try:
                    line = shapely.from_wkb(bytes.fromhex(wkb.create_linestring(obj)))
                except (RuntimeError, osmium.InvalidLocationError):
                    continue  # a way whose nodes the extract cut off
                collector.add(kind, line, _name(tags), rank)
            elif isinstance(obj, osmium.osm.Area):
                tags = {t.k: t.v for t in obj.tags}
                kind_of_area = area_kind(tags)
                if kind_of_area is None:
                    continue
                try:
                    shape = shapely.from_wkb(bytes.fromhex(wkb.create_multipolygon(obj)))
                except (RuntimeError, osmium.InvalidLocationError):
                    continue
                collector.add(kind_of_area, shape, _name(tags))
    except NetworkImportError:
        raise
    except (RuntimeError, ValueError, OSError, KeyError) as exc:
        raise NetworkImportError(f"{path}: not a readable OpenStreetMap file ({exc})") from exc
    return collector.feature_collection("osm")


def geojson_basemap(
    streets: Iterable[Mapping[str, Any]],
    barriers: Iterable[Mapping[str, Any]] = (),
    clip_polygon: Any = None,
) -> dict[str, Any]:
    """The base map of an uploaded GeoJSON network: its lines, and its rivers as water."""
    collector = Collector(clip_polygon)
    for feature, is_barrier in [(f, False) for f in streets] + [(f, True) for f in barriers]:
        geometry = feature.get("geometry") if isinstance(feature, Mapping) else None
        if not geometry:
            continue
        props = feature.get("properties") or {}
        tags = {str(k): str(v) for k, v in props.items()} if isinstance(props, Mapping) else {}
        try:
            shape = shapely.geometry.shape(geometry)
        except (ValueError, TypeError, AttributeError):
            continue
        found = line_kind(tags)
        if found is None:
            found = ("waterway", 0) if is_barrier and tags.get("waterway") else ("street", 2)
        if is_barrier and not tags.get("waterway"):
            continue  # a railway or a wall: not drawn
        collector.add(found[0], shape, _name(tags), found[1])
    return collector.feature_collection("geojson")


def network_basemap(
    network: WalkNetwork,
    *,
    names: Mapping[int, str] | None = None,
    water: Iterable[tuple[shapely.Geometry, str]] = (),
    areas: Iterable[tuple[str, shapely.Geometry, str]] = (),
    clip_polygon: Any = None,
    source: str = "network",
) -> dict[str, Any]:
    """A base map from a stored network's edges (streets only, unless more is given).

    ``names`` maps an edge index to its street's name; ``water`` adds (line, name) waterways;
    ``areas`` adds (kind, polygon, name) areas.
    """
    collector = Collector(clip_polygon)
    names = names or {}
    u, v = network.edge_u, network.edge_v
    for e in range(network.n_edges):
        line = shapely.LineString(
            [(network.lon[u[e]], network.lat[u[e]]), (network.lon[v[e]], network.lat[v[e]])]
        )
        collector.add("street", line, names.get(e, ""), 2)
    for line, name in water:
        collector.add("waterway", line, name, 0)
    for kind, polygon, name in areas:
        collector.add(kind, polygon, name)
    return collector.feature_collection(source)


def to_bytes(basemap: Mapping[str, Any]) -> bytes:
    """Compact JSON, as stored and served."""
    return json.dumps(basemap, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def counts(basemap: Mapping[str, Any]) -> dict[str, int]:
    found: dict[str, int] = defaultdict(int)
    for feature in basemap.get("features", []):
        found[feature["properties"]["kind"]] += 1
    return dict(found)
