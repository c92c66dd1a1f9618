"""Possible duplicates: open cases of the same category near the same spot, reported lately.

The radius and window are per category (``duplicate_radius_m``, ``duplicate_days``) with module
defaults. A bounding box on lon/lat narrows the query; the haversine distance decides.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass

from linli.cases.models import FINAL_STATES, Case, Category
from linli.core import clock
from linli.core.access import Access

DEFAULT_RADIUS_M = 100
DEFAULT_DAYS = 7
EARTH_RADIUS_M = 6_371_008.8
METRES_PER_DEGREE_LAT = 111_320.0


@dataclass(frozen=True)
class Candidate:
    case: Case
    distance_m: float


def haversine_m(lon1: float, lat1: float, lon2: float, lat2: float) -> float:
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    d_phi = phi2 - phi1
    d_lambda = math.radians(lon2 - lon1)
    a = math.sin(d_phi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(d_lambda / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(math.sqrt(a))


def radius_and_window(category: Category) -> tuple[int, int]:
    return (
        category.duplicate_radius_m or DEFAULT_RADIUS_M,
        category.duplicate_days or DEFAULT_DAYS,
    )


def find_duplicates(
    category: Category,
    lon: float | None,
    lat: float | None,
    *,
    at: dt.datetime | None = None,
    exclude: Case | None = None,
) -> list[Candidate]:
    """Open cases of this category within R metres and T days either side of ``at``."""
    if lon is None or lat is None:
        return []
    radius, days = radius_and_window(category)
    at = at or clock.now()
    d_lat = radius / METRES_PER_DEGREE_LAT
    d_lon = radius / (METRES_PER_DEGREE_LAT * max(math.cos(math.radians(lat)), 0.01))
    queryset = (
        Case.objects.filter(
            category=category,
            received_at__range=(at - dt.timedelta(days=days), at + dt.timedelta(days=days)),
            lon__range=(lon - d_lon, lon + d_lon),
            lat__range=(lat - d_lat, lat + d_lat),
        )
        .exclude(state__in=FINAL_STATES)
        .select_related("category")
    )
    if exclude is not None:
        queryset = queryset.exclude(pk=exclude.pk)
    found = []
    for case in queryset:
        assert case.lon is not None and case.lat is not None  # noqa: S101 - filtered above
        distance = haversine_m(lon, lat, case.lon, case.lat)
        if distance <= radius:
            found.append(Candidate(case, distance))
    found.sort(key=lambda c: (c.distance_m, c.case.received_at))
    return found


def duplicates_of(case: Case) -> list[Candidate]:
    return find_duplicates(case.category, case.lon, case.lat, at=case.received_at, exclude=case)


@dataclass(frozen=True)
class Nearby:
    """A possible duplicate as someone about to report sees it: a case they may see, or else
    only a case of a category shown publicly (and then not its own words)."""

    case: Case
    distance_m: float
    visible: bool

    @property
    def title(self) -> str:
        return self.case.title if self.visible else self.case.category.name


def nearby(access: Access, category: Category, lon: float, lat: float) -> list[Nearby]:
    """The possible duplicates of a report about to be made, as ``access`` may see them."""
    found = find_duplicates(category, lon, lat)
    visible = set(
        Case.objects.visible_to(access)
        .filter(pk__in=[c.case.pk for c in found])
        .values_list("pk", flat=True)
    )
    return [
        Nearby(c.case, c.distance_m, c.case.pk in visible)
        for c in found
        if c.case.pk in visible or c.case.category.public_display
    ]
