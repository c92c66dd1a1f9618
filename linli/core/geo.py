"""Coordinates: the WGS84 → GCJ-02 shift and the tidying of stored GeoJSON.

We store WGS84 (≈ CGCS2000) lon/lat. AMap and Tencent tiles are drawn in GCJ-02, the obfuscated
datum mainland maps must use, so anything we draw over them has to be shifted the same way or it
lands 300–600 m off. The browser does that shift in ``linli/static/linli/map.js``; this module is
its twin, so the formula is tested against published reference values in one place and server
code (exports for AMap users, say) gets the same numbers as the map.
"""

from __future__ import annotations

import math
from typing import Any

# Krasovsky 1940, the ellipsoid GCJ-02 is defined on.
_A = 6378245.0
_EE = 0.00669342162296594323

# The rough rectangle every published implementation uses; outside it GCJ-02 equals WGS84.
_CHINA_LON = (72.004, 137.8347)
_CHINA_LAT = (0.8293, 55.8271)


def out_of_china(lon: float, lat: float) -> bool:
    return not (_CHINA_LON[0] <= lon <= _CHINA_LON[1] and _CHINA_LAT[0] <= lat <= _CHINA_LAT[1])


def _shift_lat(x: float, y: float) -> float:
    ret = -100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * math.sqrt(abs(x))
    ret += (20.0 * math.sin(6.0 * x * math.pi) + 20.0 * math.sin(2.0 * x * math.pi)) * 2.0 / 3.0
    ret += (20.0 * math.sin(y * math.pi) + 40.0 * math.sin(y / 3.0 * math.pi)) * 2.0 / 3.0
    ret += (160.0 * math.sin(y / 12.0 * math.pi) + 320.0 * math.sin(y * math.pi / 30.0)) * 2.0 / 3.0
    return ret


def _shift_lon(x: float, y: float) -> float:
    ret = 300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * math.sqrt(abs(x))
    ret += (20.0 * math.sin(6.0 * x * math.pi) + 20.0 * math.sin(2.0 * x * math.pi)) * 2.0 / 3.0
    ret += (20.0 * math.sin(x * math.pi) + 40.0 * math.sin(x / 3.0 * math.pi)) * 2.0 / 3.0
    ret += (150.0 * math.sin(x / 12.0 * math.pi) + 300.0 * math.sin(x / 30.0 * math.pi)) * 2.0 / 3.0
    return ret


def wgs84_to_gcj02(lon: float, lat: float) -> tuple[float, float]:
    """(lon, lat) in WGS84 → (lon, lat) in GCJ-02; unchanged outside China."""
    if out_of_china(lon, lat):
        return lon, lat
    d_lat = _shift_lat(lon - 105.0, lat - 35.0)
    d_lon = _shift_lon(lon - 105.0, lat - 35.0)
    rad_lat = lat / 180.0 * math.pi
    magic = 1 - _EE * math.sin(rad_lat) ** 2
    sqrt_magic = math.sqrt(magic)
    d_lat = (d_lat * 180.0) / ((_A * (1 - _EE)) / (magic * sqrt_magic) * math.pi)
    d_lon = (d_lon * 180.0) / (_A / sqrt_magic * math.cos(rad_lat) * math.pi)
    return lon + d_lon, lat + d_lat


_GEOMETRY_TYPES = {
    "Point",
    "MultiPoint",
    "LineString",
    "MultiLineString",
    "Polygon",
    "MultiPolygon",
}


def as_geometry(value: Any) -> dict[str, Any] | None:
    """A GeoJSON geometry from whatever a polygon field holds, or None if it holds nothing usable.

    Polygons arrive from the admin form, the API, CSV/Excel imports and GeoJSON files, so a field
    may hold a geometry, a Feature, a FeatureCollection, or a bare ring of [lon, lat] pairs.
    """
    if not value:
        return None
    if isinstance(value, dict):
        kind = value.get("type")
        if kind in _GEOMETRY_TYPES and value.get("coordinates"):
            return {"type": kind, "coordinates": value["coordinates"]}
        if kind == "Feature":
            return as_geometry(value.get("geometry"))
        if kind == "GeometryCollection":
            parts = [g for g in map(as_geometry, value.get("geometries") or []) if g]
            return {"type": "GeometryCollection", "geometries": parts} if parts else None
        if kind == "FeatureCollection":
            parts = [g for f in value.get("features") or [] if (g := as_geometry(f))]
            if len(parts) == 1:
                return parts[0]
            return {"type": "GeometryCollection", "geometries": parts} if parts else None
        return None
    if isinstance(value, list | tuple) and value:
        if _is_position(value[0]):
            return {"type": "Polygon", "coordinates": [list(value)]}
        if isinstance(value[0], list | tuple) and value[0] and _is_position(value[0][0]):
            return {"type": "Polygon", "coordinates": [list(ring) for ring in value]}
    return None


def as_positions(value: Any) -> list[list[float]]:
    """The valid [lon, lat] pairs of an entrances list, dropping anything malformed."""
    if not isinstance(value, list | tuple):
        return []
    out = []
    for item in value:
        if _is_position(item):
            lon, lat = float(item[0]), float(item[1])
            if -180 <= lon <= 180 and -90 <= lat <= 90:
                out.append([lon, lat])
    return out


def _is_position(item: Any) -> bool:
    return (
        isinstance(item, list | tuple)
        and len(item) >= 2
        and all(isinstance(c, int | float) and not isinstance(c, bool) for c in item[:2])
    )
