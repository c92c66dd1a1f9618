"""Which residential buildings have an e-bike charging point within walking distance, over the
life circle's walking network (``linli.lifecircle.engine``), and which buildings a new site
would bring within reach (a small what-if: the same analysis with the candidate added).

The distance is the rule parameter ``charging.walk_m`` (300 m by default) in force on the day
of the analysis; the result says which version it used. Without a walking network for the
sub-district there is no analysis (``network`` is False), never a straight-line guess."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from linli.core import clock, parameters
from linli.core.access import Access
from linli.lifecircle import engine, network_store
from linli.lifecircle.services import current_version
from linli.people.models import ResidentialBuilding
from linli.registry.models import Facility

TYPE = "charging_point"


@dataclass(frozen=True)
class BuildingReach:
    building: ResidentialBuilding
    distance_m: float | None  # walking distance to the nearest charging point; None: none reachable
    covered: bool


@dataclass(frozen=True)
class ChargingCoverage:
    network: bool
    walk_m: int
    walk_version: int | None
    points: int
    buildings: list[BuildingReach]
    # Buildings the candidate site would bring within reach (a what-if), else empty.
    newly_covered: list[BuildingReach]
    candidate: tuple[float, float] | None = None

    @property
    def uncovered(self) -> list[BuildingReach]:
        return [b for b in self.buildings if not b.covered]

    @property
    def covered_count(self) -> int:
        return sum(1 for b in self.buildings if b.covered)


def _standard(walk_m: float) -> engine.FacilityStandard:
    return engine.FacilityStandard(
        TYPE,
        "电动自行车充电设施",
        "E-bike charging point",
        5,
        float(walk_m),
        "charging.walk_m",
    )


def _nearest(
    network: engine.WalkNetwork,
    homes: engine.Homes,
    points: list[tuple[float, float]],
    walk_m: float,
) -> np.ndarray:
    """Walking distance from each home to the nearest point (inf: none reachable)."""
    if not points or len(homes) == 0:
        return np.full(len(homes), np.inf)
    facilities = engine.Facilities.from_points(
        [TYPE] * len(points), [p[0] for p in points], [p[1] for p in points]
    )
    access = engine.Accessibility(network, homes, facilities, [_standard(walk_m)])
    return access.nearest([TYPE], limit=walk_m * 4)[TYPE]


def coverage(access: Access, *, candidate: tuple[float, float] | None = None) -> ChargingCoverage:
    """The residential buildings the person sees, each with its walk to the nearest charging
    point; with ``candidate`` (lon, lat), also those a point there would newly cover."""
    assert access.subdistrict is not None  # noqa: S101 - pages act in a sub-district
    version = parameters.value("charging.walk_m", on=clock.today())
    walk_m = int(version.value)
    facilities = [
        (float(f.lon), float(f.lat))
        for f in Facility.objects.filter(category=Facility.Category.CHARGING_POINT)
        if f.lon is not None and f.lat is not None
    ]
    buildings = list(
        ResidentialBuilding.objects.visible_to(access)
        .filter(lon__isnull=False, lat__isnull=False)
        .select_related("quarter")
        .order_by("quarter__name", "code")
    )
    stored = current_version(access.subdistrict)
    if stored is None:
        return ChargingCoverage(False, walk_m, version.pk, len(facilities), [], [], candidate)
    network = network_store.load(stored)
    homes = engine.Homes.from_arrays(
        [b.lon for b in buildings], [b.lat for b in buildings], ids=[b.pk for b in buildings]
    )
    before = _nearest(network, homes, facilities, walk_m)
    reach = [_reach(b, d, walk_m) for b, d in zip(buildings, before, strict=True)]
    newly: list[BuildingReach] = []
    if candidate is not None:
        after = _nearest(network, homes, [*facilities, candidate], walk_m)
        newly = [
            _reach(b, d, walk_m)
            for b, d, was in zip(buildings, after, before, strict=True)
            if d <= walk_m < was
        ]
    return ChargingCoverage(True, walk_m, version.pk, len(facilities), reach, newly, candidate)


def _reach(building: ResidentialBuilding, distance: float, walk_m: float) -> BuildingReach:
    finite = math.isfinite(distance)
    return BuildingReach(
        building, round(float(distance), 0) if finite else None, bool(finite and distance <= walk_m)
    )
