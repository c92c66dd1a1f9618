"""The engine's inputs read from the registry and the residents register: homes and facilities.

Homes come from where people live. In a quarter with dwellings in the residents register
(``linli.people``), each residential building is a home point carrying the persons living in its
dwellings, and the residents over 60 are those whose date of birth makes them 60 on the day of
the analysis (a building without a location counts at the quarter's gates). A quarter without
dwellings keeps the synthetic distribution: its gates, each carrying an equal share of the
quarter's recorded residents (a quarter without gates counts at the middle of its polygon).
Facilities are every registry facility with an entrance, the ones in the 1 km ring outside the
boundary included.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any

import numpy as np
import shapely

from linli.core import clock
from linli.core.geo import as_geometry, as_positions
from linli.core.models import Subdistrict
from linli.lifecircle import engine
from linli.people.homes import BuildingResidents, residents_by_building
from linli.registry.models import Facility, Quarter

#: Where a quarter's homes come from.
FROM_DWELLINGS = "dwellings"
SYNTHETIC = "synthetic"


@dataclass
class QuarterInfo:
    pk: int
    code: str
    name: str
    population: int
    over_60: int
    geometry: dict[str, Any] | None
    located: bool
    #: ``FROM_DWELLINGS``: the persons living in its dwellings, by building, with their ages;
    #: ``SYNTHETIC``: the quarter's recorded totals split across its gates.
    homes: str = SYNTHETIC
    #: Residents aged 80 and over (known only from dwellings).
    over_80: int | None = None
    #: Residential buildings with dwellings (from dwellings only).
    buildings: int = 0

    @property
    def from_dwellings(self) -> bool:
        return self.homes == FROM_DWELLINGS


@dataclass
class FacilityInfo:
    pk: int
    code: str
    name: str
    category: str
    capacity: int | None
    entrances: list[list[float]]
    outside: bool


def _quarter_points(
    quarter: Any,
) -> tuple[list[list[float]], dict[str, Any] | None]:
    geometry = as_geometry(quarter["polygon"])
    points = as_positions(quarter["entrances"])
    if not points and geometry is not None:
        try:
            centre = shapely.geometry.shape(geometry).representative_point()
            points = [[float(centre.x), float(centre.y)]]
        except (ValueError, TypeError, AttributeError, shapely.errors.GEOSException):
            points = []
    return points, geometry


def load_inputs(
    subdistrict: Subdistrict,
) -> tuple[engine.Homes, engine.Facilities, list[QuarterInfo], list[FacilityInfo], np.ndarray]:
    quarters: list[QuarterInfo] = []
    lon: list[float] = []
    lat: list[float] = []
    pop: list[float] = []
    old: list[float] = []
    group: list[str] = []
    home_quarter: list[int] = []

    def add(point: list[float], people: float, over_60: float, pk: int, index: int) -> None:
        lon.append(point[0])
        lat.append(point[1])
        pop.append(people)
        old.append(over_60)
        group.append(str(pk))
        home_quarter.append(index)

    buildings: dict[int, list[BuildingResidents]] = {}
    for b in residents_by_building(subdistrict, clock.today()):
        buildings.setdefault(b.quarter_id, []).append(b)
    rows = Quarter.objects.filter(subdistrict=subdistrict).order_by("code", "pk")
    for q in rows.values("pk", "code", "name", "polygon", "entrances", "population", "over_60"):
        points, geometry = _quarter_points(q)
        index = len(quarters)
        residents = buildings.get(q["pk"])
        if residents is None:
            over_60 = min(q["over_60"], q["population"])
            quarters.append(
                QuarterInfo(
                    q["pk"], q["code"], q["name"], q["population"], over_60, geometry, bool(points)
                )
            )
            for point in points:
                add(point, q["population"] / len(points), over_60 / len(points), q["pk"], index)
            continue
        placed = [([b.lon, b.lat], b) for b in residents if b.lon is not None and b.lat is not None]
        unplaced = [b for b in residents if b.lon is None or b.lat is None]
        quarters.append(
            QuarterInfo(
                q["pk"],
                q["code"],
                q["name"],
                sum(b.persons for b in residents),
                sum(b.aged_60 for b in residents),
                geometry,
                bool(placed) or bool(points),
                homes=FROM_DWELLINGS,
                over_80=sum(b.aged_80 for b in residents),
                buildings=len(residents),
            )
        )
        for point, b in placed:
            if b.persons:
                add(point, b.persons, b.aged_60, q["pk"], index)
        people = sum(b.persons for b in unplaced)
        aged = sum(b.aged_60 for b in unplaced)
        for point in points if people else []:
            add(point, people / len(points), aged / len(points), q["pk"], index)
    homes = engine.Homes.from_arrays(lon, lat, pop, old, group=np.asarray(group, dtype=object))

    boundary = as_geometry(subdistrict.boundary)
    area = None
    if boundary is not None:
        try:
            area = shapely.geometry.shape(boundary)
            shapely.prepare(area)
        except (ValueError, TypeError, AttributeError, shapely.errors.GEOSException):
            area = None
    facilities: list[FacilityInfo] = []
    records = []
    rows_f = Facility.objects.filter(subdistrict=subdistrict).order_by("category", "code", "pk")
    for f in rows_f.values("pk", "code", "name", "category", "capacity", "entrances"):
        entrances = as_positions(f["entrances"])
        if not entrances:
            continue
        outside = area is not None and not area.intersects(shapely.Point(entrances[0]))
        facilities.append(
            FacilityInfo(
                f["pk"], f["code"], f["name"], f["category"], f["capacity"], entrances, outside
            )
        )
        records.append(
            {
                "id": f["pk"],
                "type": f["category"],
                "capacity": f["capacity"],
                "entrances": entrances,
            }
        )
    if records:
        engine_facilities = engine.Facilities.from_records(records)
    else:
        engine_facilities = engine.Facilities.from_points([], [], [])
    return homes, engine_facilities, quarters, facilities, np.asarray(home_quarter, dtype=np.int64)


def fingerprint(
    homes: engine.Homes,
    facilities: engine.Facilities,
    standards: list[engine.FacilityStandard],
    speeds: engine.WalkingSpeeds,
    quarters: list[QuarterInfo],
    names: list[FacilityInfo],
) -> str:
    h = hashlib.sha256()
    for arr in (homes.lon, homes.lat, homes.population, homes.over_60):
        h.update(np.ascontiguousarray(arr).tobytes())
    h.update("|".join(map(str, homes.group if homes.group is not None else [])).encode())
    arrays: tuple[np.ndarray, ...] = (
        facilities.capacity,
        facilities.entrance_lon,
        facilities.entrance_lat,
        facilities.entrance_facility,
    )
    for block in arrays:
        h.update(np.ascontiguousarray(block).tobytes())
    h.update("|".join(map(str, facilities.types)).encode())
    h.update(repr(standards).encode())
    h.update(repr(sorted(speeds.speeds.items())).encode())
    # Names show on the pages; a rename must not serve a stale label.
    h.update(repr([(q.pk, q.name, q.code, q.homes, q.over_80) for q in quarters]).encode())
    h.update(repr([(f.pk, f.name, f.code) for f in names]).encode())
    return h.hexdigest()
