"""Read a walking network from GeoJSON LineStrings / MultiLineStrings (lon/lat, WGS84).

Lines join where they share a vertex (to about 1 cm). A feature's ``bridge`` property marks a
bridge; if a feature carries OSM tags (``highway``, ``foot``, ``access``) the same walkability
rules as for OSM files apply.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import numpy as np

from .network import Line, NetworkImportError, WalkNetwork, build_network
from .walkable import is_bridge, is_walkable

LINE_TYPES = {"LineString", "MultiLineString"}


def read_geojson(
    source: str | Path | Mapping[str, Any],
    *,
    barriers: Any = None,
    clip_polygon: Any = None,
    min_component_nodes: int = 20,
) -> WalkNetwork:
    """``source`` is a path or an already parsed GeoJSON object.

    ``barriers`` (lines, in any form :func:`read_barriers` accepts) cut each edge crossing them
    unless the edge is a bridge.
    """
    name = "GeoJSON"
    if isinstance(source, Mapping):
        obj: Any = source
    else:
        path = Path(source)
        name = path.name
        obj = _load_json(path)
    lines = list(_lines(obj, name))
    if not lines:
        raise NetworkImportError(f"{name}: no walkable LineString features")
    return build_network(
        lines,
        clip_polygon=clip_polygon,
        barriers=read_barriers(barriers),
        min_component_nodes=min_component_nodes,
        meta={"source": "geojson", "file": name, "lines": len(lines)},
    )


def read_barriers(barriers: Any) -> Any:
    """Barriers may be given as a GeoJSON file path; anything else passes through."""
    if isinstance(barriers, str | Path):
        return _load_json(Path(barriers))
    return barriers


def _load_json(path: Path) -> Any:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError as exc:
        raise NetworkImportError(f"{path}: no such file") from exc
    except (OSError, UnicodeDecodeError) as exc:
        raise NetworkImportError(f"{path}: cannot read as UTF-8 text ({exc})") from exc
    if not text.strip():
        raise NetworkImportError(f"{path}: the file is empty")
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise NetworkImportError(f"{path}: invalid JSON at line {exc.lineno}: {exc.msg}") from exc


def _truthy(value: Any) -> bool:
    if isinstance(value, str):
        return is_bridge({"bridge": value})
    return bool(value)


def _lines(obj: Any, name: str) -> Any:
    if not isinstance(obj, Mapping) or "type" not in obj:
        raise NetworkImportError(f"{name}: not a GeoJSON object")
    kind = obj["type"]
    if kind == "FeatureCollection":
        features = obj.get("features")
        if not isinstance(features, list):
            raise NetworkImportError(f"{name}: FeatureCollection without a features list")
        for i, feature in enumerate(features):
            yield from _feature_lines(feature, f"{name} feature {i}")
    elif kind == "Feature":
        yield from _feature_lines(obj, name)
    else:
        yield from _geometry_lines(obj, False, name)


def _feature_lines(feature: Any, where: str) -> Any:
    if not isinstance(feature, Mapping) or feature.get("type") != "Feature":
        raise NetworkImportError(f"{where}: not a GeoJSON Feature")
    props = feature.get("properties") or {}
    if not isinstance(props, Mapping):
        raise NetworkImportError(f"{where}: properties must be an object")
    tags = {str(k): str(v) for k, v in props.items() if isinstance(v, str | int | float)}
    if "highway" in tags and not is_walkable(tags):
        return
    bridge = _truthy(props.get("bridge", False))
    geometry = feature.get("geometry")
    if geometry is None:
        return
    yield from _geometry_lines(geometry, bridge, where)


def _geometry_lines(geometry: Any, bridge: bool, where: str) -> Any:
    if not isinstance(geometry, Mapping):
        raise NetworkImportError(f"{where}: geometry must be an object")
    kind = geometry.get("type")
    coords = geometry.get("coordinates")
    if kind == "GeometryCollection":
        for g in geometry.get("geometries") or []:
            yield from _geometry_lines(g, bridge, where)
        return
    if kind not in LINE_TYPES:
        return  # points and polygons are not part of a walking network
    parts = [coords] if kind == "LineString" else coords
    if not isinstance(parts, list):
        raise NetworkImportError(f"{where}: {kind} without coordinates")
    for part in parts:
        try:
            arr = np.asarray(part, dtype=np.float64)
        except (TypeError, ValueError) as exc:
            raise NetworkImportError(f"{where}: coordinates are not numbers") from exc
        if arr.ndim != 2 or arr.shape[1] < 2 or len(arr) < 2:
            raise NetworkImportError(f"{where}: a line needs at least two [lon, lat] positions")
        if (
            not np.all(np.isfinite(arr[:, :2]))
            or np.abs(arr[:, 0]).max() > 180
            or (np.abs(arr[:, 1]).max() > 90)
        ):
            raise NetworkImportError(f"{where}: coordinates must be lon/lat in degrees")
        yield Line(arr[:, :2].copy(), bridge=bridge)
