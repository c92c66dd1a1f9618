"""Repeat addresses: the charging reports (cases of the charging categories) grouped by the
residential building they were made at, most reports first.

A report belongs to the residential building nearest its position within ``NEAR_M``; a report
with no building that near is grouped by the address the reporter gave. The cases are read
through the case engine's visibility, so each person counts the reports they may see; the
buildings only name the groups."""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field

import numpy as np

from linli.cases.models import Case
from linli.core import clock, parameters
from linli.core.access import Access
from linli.governance.charging.categories import report_categories
from linli.people.models import ResidentialBuilding

NEAR_M = 60.0
METRES_PER_DEGREE = 111_320.0


@dataclass
class Address:
    label: str
    quarter: str
    building_id: int | None
    count: int = 0
    last_at: dt.datetime | None = None
    numbers: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Repeats:
    addresses: list[Address]
    reports: int
    threshold: int
    threshold_version: int | None


def repeat_addresses(access: Access, *, since: dt.date, until: dt.date | None = None) -> Repeats:
    """Addresses with at least the parameter's number of charging reports received from
    ``since`` to ``until`` (today), most reports first."""
    until = until or clock.today()
    zone = clock.local_zone()
    version = parameters.value("charging.repeat_reports", on=until)
    cases = list(
        Case.objects.visible_to(access)
        .filter(
            category__in=report_categories(),
            received_at__gte=dt.datetime.combine(since, dt.time.min, zone),
            received_at__lt=dt.datetime.combine(until + dt.timedelta(days=1), dt.time.min, zone),
        )
        .values("number", "lon", "lat", "address", "received_at")
        .order_by("received_at")
    )
    buildings = list(
        ResidentialBuilding.objects.filter(lon__isnull=False, lat__isnull=False)
        .select_related("quarter")
        .order_by("pk")
    )
    nearest = _nearest_buildings(cases, buildings)
    groups: dict[object, Address] = {}
    for case, index in zip(cases, nearest, strict=True):
        if index is not None:
            building = buildings[index]
            key: object = building.pk
            address = groups.get(key) or Address(str(building), building.quarter.name, building.pk)
        else:
            label = (case["address"] or "").strip()
            key = ("address", label)
            address = groups.get(key) or Address(label, "", None)
        groups[key] = address
        address.count += 1
        address.last_at = case["received_at"]
        address.numbers.append(case["number"])
    threshold = int(version.value)
    repeated = [a for a in groups.values() if a.count >= threshold and a.label]
    repeated.sort(key=lambda a: (-a.count, a.label))
    return Repeats(repeated, len(cases), threshold, version.pk)


def _nearest_buildings(cases: list[dict], buildings: list[ResidentialBuilding]) -> list[int | None]:
    """For each case, the index of the nearest building within ``NEAR_M`` (or None)."""
    if not buildings:
        return [None] * len(cases)
    lon = np.array([b.lon for b in buildings], dtype=np.float64)
    lat = np.array([b.lat for b in buildings], dtype=np.float64)
    found: list[int | None] = []
    for case in cases:
        if case["lon"] is None or case["lat"] is None:
            found.append(None)
            continue
        scale = METRES_PER_DEGREE * math.cos(math.radians(case["lat"]))
        dx = (lon - case["lon"]) * scale
        dy = (lat - case["lat"]) * METRES_PER_DEGREE
        distances = np.hypot(dx, dy)
        best = int(np.argmin(distances))
        found.append(best if distances[best] <= NEAR_M else None)
    return found
