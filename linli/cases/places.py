"""A point in words, from the registry: the residential quarter it lies in, or the building or
park it is at, or the nearest of them and how far. The reporting form shows a pin this way
(never its coordinates), and the public map rounds each case's point with it: a case in a
quarter is drawn at the quarter, one at a building at the building, any other on the centre of
a block of about 200 m, so no private address can be read off the map.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from linli.cases.duplicates import METRES_PER_DEGREE_LAT, haversine_m
from linli.registry.models import Building, Quarter

# A point this close to a building is at the building.
AT_BUILDING_M = 60
# The nearest place named when a point is in neither: further than this says nothing useful.
NEAR_M = 400
# Points in neither a quarter nor at a building snap to the centre of a cell this big (degrees
# of latitude; longitude cells are as wide in metres at the sub-district's latitude).
CELL_DEG = 0.002


@dataclass(frozen=True)
class Named:
    kind: str  # quarter, building
    name: str
    address: str
    lon: float
    lat: float
    shape: Any = None  # a quarter's polygon (shapely), prepared


@dataclass(frozen=True)
class Place:
    """Where a point is, in words, and the point the public may see for it."""

    words: str
    name: str
    lon: float
    lat: float


def _polygon(geometry: Any) -> Any:
    from shapely.geometry import shape

    if isinstance(geometry, dict) and geometry.get("type") == "Feature":
        geometry = geometry.get("geometry")
    try:
        return shape(geometry) if geometry else None
    except (ValueError, TypeError, AttributeError, KeyError):
        return None  # a malformed boundary names no place


class Gazetteer:
    """The sub-district's named places, read once per request (a few dozen rows)."""

    def __init__(self) -> None:
        from shapely.prepared import prep

        self.places: list[Named] = []
        for quarter in Quarter.objects.order_by("code").only("name", "address", "polygon"):
            polygon = _polygon(quarter.polygon)
            if polygon is None or polygon.is_empty:
                continue
            point = polygon.representative_point()
            self.places.append(
                Named("quarter", quarter.name, quarter.address, point.x, point.y, prep(polygon))
            )
        for building in Building.objects.order_by("code").only("name", "address", "lon", "lat"):
            self.places.append(
                Named("building", building.name, building.address, building.lon, building.lat)
            )

    def _quarter_at(self, lon: float, lat: float) -> Named | None:
        from shapely.geometry import Point

        point = Point(lon, lat)
        return next((p for p in self.places if p.shape is not None and p.shape.covers(point)), None)

    def _nearest(self, lon: float, lat: float) -> tuple[Named | None, float]:
        best, best_m = None, math.inf
        for place in self.places:
            metres = haversine_m(lon, lat, place.lon, place.lat)
            if metres < best_m:
                best, best_m = place, metres
        return best, best_m

    def describe(self, lon: float, lat: float) -> Place:
        """The point in words for the person who put it there."""
        quarter = self._quarter_at(lon, lat)
        if quarter is not None:
            words = _("In %(name)s") % {"name": quarter.name}
            if quarter.address:
                words = _("In %(name)s (%(address)s)") % {
                    "name": quarter.name,
                    "address": quarter.address,
                }
            return Place(words, quarter.name, quarter.lon, quarter.lat)
        nearest, metres = self._nearest(lon, lat)
        if nearest is None:
            return Place(_("In the sub-district, away from named places"), "", lon, lat)
        label = f"{nearest.name} ({nearest.address})" if nearest.address else nearest.name
        if metres <= AT_BUILDING_M:
            return Place(_("At %(place)s") % {"place": label}, nearest.name, lon, lat)
        return Place(
            _("About %(metres)s m from %(place)s")
            % {"metres": _round_metres(metres), "place": label},
            nearest.name,
            lon,
            lat,
        )

    def public(self, lon: float, lat: float) -> Place:
        """The point as the public may see it: the quarter's or building's own point, or the
        centre of its block, named by the nearest place."""
        quarter = self._quarter_at(lon, lat)
        if quarter is not None:
            return Place(quarter.name, quarter.name, quarter.lon, quarter.lat)
        nearest, metres = self._nearest(lon, lat)
        if nearest is not None and nearest.kind == "building" and metres <= AT_BUILDING_M:
            return Place(nearest.name, nearest.name, nearest.lon, nearest.lat)
        snapped_lat = (math.floor(lat / CELL_DEG) + 0.5) * CELL_DEG
        cell_lon = CELL_DEG / max(math.cos(math.radians(snapped_lat)), 0.01)
        snapped_lon = (math.floor(lon / cell_lon) + 0.5) * cell_lon
        nearest, metres = self._nearest(snapped_lon, snapped_lat)
        words = (
            _("Near %(place)s") % {"place": nearest.name} if nearest and metres <= NEAR_M else ""
        )
        return Place(
            words,
            nearest.name if words and nearest else "",
            round(snapped_lon, 6),
            round(snapped_lat, 6),
        )


def _round_metres(metres: float) -> int:
    """Distances as people say them: to 10 m, or to 50 m beyond 200 m."""
    step = 50 if metres > 200 else 10
    return max(step, int(round(metres / step) * step))


def metres_to_degrees_lat(metres: float) -> float:
    return metres / METRES_PER_DEGREE_LAT
