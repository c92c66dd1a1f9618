"""The plan of a demo sub-district's places, in local metres, and what they are called and hold
(``places.yaml``). ``geography.plan_places`` draws the plan; ``facilities`` places the
facilities in it.
"""

from __future__ import annotations

import bisect
import math
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

import numpy as np
import shapely
from shapely.geometry import Point, mapping
from shapely.geometry.base import BaseGeometry
from shapely.geometry.polygon import Polygon, orient

from linli.core.demo import read_yaml
from linli.registry.demo.homes import DemoHome

TAX_YEARS = (2021, 2022, 2023, 2024, 2025)
LATEST_YEAR = TAX_YEARS[-1]
HUNDRED_MILLION = 10_000  # 10k yuan
CreekProfile = Callable[[float, float], float]  # (x, mean height) → y of the creek bank
HALF_STREET_M = 12.0
LIFE_CIRCLE_MARGIN_M = 1000.0


@dataclass(frozen=True)
class QuarterKind:
    """What a quarter of one kind (by its name's suffix) is like."""

    built: tuple[int, int]  # years built
    over_60: tuple[float, float]  # share of residents over 60
    density: int  # residents per hectare
    household_size: float


@dataclass(frozen=True)
class FacilityKind:
    """How many facilities of a category a home has, and what they are like."""

    category: str  # registry.Facility.Category
    inside: int  # of the first home, inside the boundary
    outside: int  # within 1 km around it
    hours: str  # OSM syntax
    capacity: tuple[int, int] | None  # range drawn from
    unit: str
    name: str  # in a quarter or the civic block
    name_outside: str  # in the ring around the boundary
    civic_corner: tuple[float, float] | None = None
    first_home_gap: str | None = None


def _facility_kind(category: str, data: dict[str, Any]) -> FacilityKind:
    capacity, corner = data.get("capacity"), data.get("civic_corner")
    name = data.get("name", "")
    return FacilityKind(
        category=category,
        inside=data["inside"],
        outside=data["outside"],
        hours=data["hours"],
        capacity=(capacity[0], capacity[1]) if capacity else None,
        unit=data.get("unit", ""),
        name=name,
        name_outside=data.get("name_outside", name),
        civic_corner=(corner[0], corner[1]) if corner else None,
        first_home_gap=data.get("first_home_gap"),
    )


_PLACES = read_yaml(Path(__file__).with_name("places.yaml"))
QUARTER_NAMES: tuple[str, ...] = tuple(_PLACES["quarter_names"])
QUARTER_KINDS: dict[str, QuarterKind] = {
    suffix: QuarterKind(
        built=(kind["built"][0], kind["built"][1]),
        over_60=(kind["over_60"][0], kind["over_60"][1]),
        density=kind["density"],
        household_size=kind["household_size"],
    )
    for suffix, kind in _PLACES["quarter_kinds"].items()
}
LARGE_STEMS: tuple[str, ...] = tuple(_PLACES["building_stems"]["large"])
OFFICE_STEMS: tuple[str, ...] = tuple(_PLACES["building_stems"]["office"])
PARK_STEMS: tuple[str, ...] = tuple(_PLACES["building_stems"]["park"])
FACILITY_KINDS: tuple[FacilityKind, ...] = tuple(
    _facility_kind(category, data) for category, data in _PLACES["facilities"].items()
)
CIVIC_PARK: str = _PLACES["civic_park"]
GREENWAY: str = _PLACES["greenway"]["name"]
GREENWAY_HOURS: str = _PLACES["greenway"]["hours"]


@dataclass(frozen=True)
class Frame:
    """Local metres around a centre ↔ WGS84 lon/lat (equirectangular; fine over a few km)."""

    lon0: float
    lat0: float

    @property
    def m_per_deg_lat(self) -> float:
        phi = math.radians(self.lat0)
        return 111_132.92 - 559.82 * math.cos(2 * phi) + 1.175 * math.cos(4 * phi)

    @property
    def m_per_deg_lon(self) -> float:
        phi = math.radians(self.lat0)
        return 111_412.84 * math.cos(phi) - 93.5 * math.cos(3 * phi)

    def lonlat(self, x: float, y: float) -> list[float]:
        return [
            round(self.lon0 + x / self.m_per_deg_lon, 6),
            round(self.lat0 + y / self.m_per_deg_lat, 6),
        ]

    def xy(self, lon: float, lat: float) -> tuple[float, float]:
        return (lon - self.lon0) * self.m_per_deg_lon, (lat - self.lat0) * self.m_per_deg_lat

    def geojson(self, geometry: BaseGeometry) -> dict:
        """A GeoJSON geometry in lon/lat, exterior rings counter-clockwise (RFC 7946)."""
        if isinstance(geometry, Polygon):
            geometry = orient(geometry)
        scale = np.array([1 / self.m_per_deg_lon, 1 / self.m_per_deg_lat])
        origin = np.array([self.lon0, self.lat0])
        lonlat = shapely.transform(geometry, lambda xy: np.round(origin + xy * scale, 6))
        return _lists(mapping(lonlat))


def _lists(value):
    if isinstance(value, dict):
        return {k: _lists(v) for k, v in value.items()}
    if isinstance(value, tuple | list):
        return [_lists(v) for v in value]
    return value


@dataclass(frozen=True)
class GridPlan:
    code: str
    name: str
    polygon: Polygon
    workstation_code: str


@dataclass(frozen=True)
class QuarterPlan:
    code: str
    name: str
    committee_code: str
    address: str
    polygon: Polygon
    entrances: tuple[tuple[float, float], ...]
    households: int
    population: int
    over_60: int
    built_year: int
    grid_code: str


@dataclass(frozen=True)
class BuildingPlan:
    code: str
    name: str
    kind: str
    address: str
    x: float
    y: float
    floors: int
    floor_area_m2: Decimal
    vacant_area_m2: Decimal
    rent_per_m2_day: Decimal
    tax: dict[int, Decimal]
    grid_code: str
    subcentre_code: str = ""
    committee_code: str = ""

    @property
    def is_hundred_million(self) -> bool:
        return self.tax[LATEST_YEAR] >= HUNDRED_MILLION


@dataclass(frozen=True)
class FacilityPlan:
    code: str
    name: str
    category: str
    address: str
    entrances: tuple[tuple[float, float], ...]
    capacity: int | None
    capacity_unit: str
    opening_hours: str
    quarter_code: str = ""


@dataclass
class PlacePlan:
    """Everything with a location in one demo home, in local metres."""

    home: DemoHome
    frame: Frame
    boundary: Polygon
    office_address: str
    grids: list[GridPlan] = field(default_factory=list)
    quarters: list[QuarterPlan] = field(default_factory=list)
    buildings: list[BuildingPlan] = field(default_factory=list)
    facilities: list[FacilityPlan] = field(default_factory=list)
    # The named street lines, for the base map's street names.
    lattice: Lattice | None = None

    def lonlat(self, x: float, y: float) -> list[float]:
        return self.frame.lonlat(x, y)

    def points(self, points: tuple[tuple[float, float], ...]) -> list[list[float]]:
        return [self.frame.lonlat(x, y) for x, y in points]


@dataclass
class Lattice:
    """Street lines of a home: x of the north–south streets, y of the east–west ones."""

    xs: list[float]
    ys: list[float]
    ew_names: tuple[str, ...]
    ns_names: tuple[str, ...]
    west: float
    south: float

    def cell_at(self, x: float, y: float) -> tuple[int, int]:
        row = max(0, min(len(self.ys) - 2, bisect.bisect(self.ys, y) - 1))
        col = max(0, min(len(self.xs) - 2, bisect.bisect(self.xs, x) - 1))
        return row, col

    def address(
        self, x: float, y: float, cell: tuple[int, int] | None = None, lane: bool = False
    ) -> str:
        street, number = self.place(x, y, cell)
        return f"{street}{number}{'弄' if lane else '号'}"

    def place(self, x: float, y: float, cell: tuple[int, int] | None = None) -> tuple[str, int]:
        """The street nearest to (x, y) among its block's four sides, and the house number."""
        row, col = cell if cell is not None else self.cell_at(x, y)
        sides = [
            (abs(y - self.ys[row]), "ew", row, 1),
            (abs(self.ys[row + 1] - y), "ew", row + 1, 0),
            (abs(x - self.xs[col]), "ns", col, 1),
            (abs(self.xs[col + 1] - x), "ns", col + 1, 0),
        ]
        _, axis, index, parity = min(sides)
        if axis == "ew":
            # East–west streets are numbered from the east, as in Puxi.
            base = 1001 if index == 0 else 101 + 120 * index
            number = base + 2 * int((self.xs[-1] - x) / 6.5)
            street = self.ew_names[index]
        else:
            base = 1 + 40 * index
            number = base + 2 * int((y - self.south) / 6.5)
            street = self.ns_names[index]
        number += (number % 2) ^ parity  # odd on one side of the street, even on the other
        return street, number


def snap(polygon: Polygon, x: float, y: float) -> tuple[float, float]:
    """The point of the polygon's edge nearest to (x, y): where a gate goes."""
    ring = polygon.exterior
    point = ring.interpolate(ring.project(Point(x, y)))
    return round(point.x, 1), round(point.y, 1)
