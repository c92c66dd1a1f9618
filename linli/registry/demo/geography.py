"""Where things are in a demo sub-district: boundary, streets, grids, quarters, buildings and
facilities, laid out in local metres and published as WGS84 lon/lat.

The layout is a lattice of street blocks between West Nanjing Road (the straight south edge) and
Suzhou Creek (the meandering north edge). Each block is offices, a residential quarter or the
civic block, as the home's layout string says. Everything is drawn from one ``random.Random``,
so a seed always gives the same plan.
"""

from __future__ import annotations

import bisect
import math
import random
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal

import numpy as np
import shapely
from shapely.geometry import Point, box, mapping
from shapely.geometry.base import BaseGeometry
from shapely.geometry.polygon import Polygon, orient

from linli.registry.demo.homes import DemoHome
from linli.registry.demo.names import SCHOOL_WORDS, SHOP_BRANDS, chinese_number
from linli.registry.models import Building, Facility

TAX_YEARS = (2021, 2022, 2023, 2024, 2025)
LATEST_YEAR = TAX_YEARS[-1]
HUNDRED_MILLION = 10_000  # 10k yuan
CreekProfile = Callable[[float, float], float]  # (x, mean height) → y of the creek bank
HALF_STREET_M = 12.0
LIFE_CIRCLE_MARGIN_M = 1000.0

Category = Facility.Category

QUARTER_NAMES = (
    "梧桐里",
    "安和新村",
    "康乐坊",
    "锦绣公寓",
    "永和里",
    "明德新村",
    "延福小区",
    "春晖苑",
    "长乐里",
    "宜居坊",
    "嘉禾公寓",
    "福寿里",
    "和平新村",
    "兴业公寓",
    "同乐坊",
    "晨光苑",
    "丰盛里",
    "德馨小区",
)
# Per kind of quarter (by its name's suffix): years built, share over 60, residents per hectare,
# people per household. Lane houses (里弄) are the oldest, densest and oldest-aged.
QUARTER_KINDS = {
    "里": ((1924, 1937), (0.35, 0.40), 900, 2.2),
    "坊": ((1926, 1940), (0.35, 0.40), 850, 2.2),
    "新村": ((1956, 1985), (0.34, 0.39), 650, 2.4),
    "小区": ((1986, 1998), (0.30, 0.35), 600, 2.6),
    "公寓": ((1996, 2012), (0.25, 0.31), 450, 2.7),
    "苑": ((1996, 2010), (0.26, 0.31), 480, 2.7),
}

LARGE_STEMS = ("国际广场", "金融中心", "环球大厦", "中心大厦", "时代广场", "财富广场", "企业天地")
OFFICE_STEMS = (
    "商务大厦",
    "科技大厦",
    "置地大厦",
    "贸易大厦",
    "发展大厦",
    "联合大厦",
    "银座",
    "城市中心",
    "世纪大厦",
    "明珠大厦",
    "华庭",
    "兴业大厦",
    "投资大厦",
    "信息大厦",
    "实业大厦",
    "现代大厦",
    "东方大厦",
    "新城大厦",
    "商业广场",
    "滨河大厦",
    "公寓大楼",
    "办公楼",
)
PARK_STEMS = ("创意园", "科创园", "文化产业园")

# Facilities of the first home, inside the boundary and within 1 km around it. Other homes get
# a share of these. The civic ones sit in the civic block.
FACILITY_COUNTS: dict[str, tuple[int, int]] = {
    Category.ELDERLY_DAY_CARE: (5, 2),
    Category.KINDERGARTEN: (3, 2),
    Category.CONVENIENCE_SHOP: (20, 10),
    Category.HEALTH_STATION: (4, 1),
    Category.PRIMARY_SCHOOL: (2, 2),
    Category.PARK: (2, 2),
    Category.CHILDCARE: (2, 1),
    Category.MIDDLE_SCHOOL: (1, 2),
    Category.COMMUNITY_HEALTH_CENTRE: (0, 1),
    Category.CULTURE_SPORTS_CENTRE: (1, 1),
    Category.COMMUNITY_SERVICE_CENTRE: (1, 1),
    Category.SUBDISTRICT_OFFICE: (1, 0),
}
CIVIC_BLOCK_CORNERS: dict[str, tuple[float, float]] = {
    Category.SUBDISTRICT_OFFICE: (0.25, 0.25),
    Category.COMMUNITY_SERVICE_CENTRE: (0.75, 0.25),
    Category.CULTURE_SPORTS_CENTRE: (0.75, 0.75),
}
# Parts of the first home a category is deliberately missing from (inside and out), so that the
# life-circle coverage has gaps to find. Other homes draw their own.
FIRST_HOME_GAPS: dict[str, str] = {
    Category.ELDERLY_DAY_CARE: "north-east",
    Category.KINDERGARTEN: "east",
    Category.HEALTH_STATION: "north-west",
    Category.CHILDCARE: "west",
    Category.PRIMARY_SCHOOL: "north-east",
}
GAP_SIDES = ("east", "west", "north-east", "north-west")

FACILITY_DETAILS: dict[str, tuple[str, tuple[int, int] | None, str]] = {
    # category: (opening hours in OSM syntax, capacity range, capacity unit)
    Category.ELDERLY_DAY_CARE: ("Mo-Fr 08:00-17:00", (20, 60), "名额"),
    Category.KINDERGARTEN: ("Mo-Fr 07:30-17:00", (150, 360), "学位"),
    Category.CONVENIENCE_SHOP: ("Mo-Su 07:00-23:00", None, ""),
    Category.HEALTH_STATION: ("Mo-Fr 08:00-16:30; Sa 08:00-11:30", (1, 4), "医生"),
    Category.PRIMARY_SCHOOL: ("Mo-Fr 07:30-16:30", (720, 1440), "学位"),
    Category.PARK: ("Mo-Su 05:00-22:00", None, ""),
    Category.CHILDCARE: ("Mo-Fr 07:30-17:30", (30, 90), "托位"),
    Category.MIDDLE_SCHOOL: ("Mo-Fr 07:15-17:00", (800, 1600), "学位"),
    Category.COMMUNITY_HEALTH_CENTRE: ("Mo-Fr 08:00-17:00; Sa,Su 08:00-11:30", (20, 60), "医生"),
    Category.CULTURE_SPORTS_CENTRE: ("Tu-Su 08:30-21:00", (150, 400), "座位"),
    Category.COMMUNITY_SERVICE_CENTRE: ("Mo-Fr 08:30-17:00; Sa 09:00-12:00", (8, 16), "窗口"),
    Category.SUBDISTRICT_OFFICE: ("Mo-Fr 09:00-17:00", None, ""),
}


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

    def lonlat(self, x: float, y: float) -> list[float]:
        return self.frame.lonlat(x, y)

    def points(self, points: tuple[tuple[float, float], ...]) -> list[list[float]]:
        return [self.frame.lonlat(x, y) for x, y in points]


@dataclass
class _Lattice:
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


def _creek_profile(rng: random.Random, width: float) -> CreekProfile:
    phase = rng.uniform(0, 2 * math.pi)

    def north(x: float, height: float) -> float:
        wave = 0.06 * math.sin(2 * math.pi * 1.1 * x / width + phase)
        ripple = 0.02 * math.sin(2 * math.pi * 3.3 * x / width + 2 * phase)
        return height * (0.5 + wave + ripple)

    return north


def _boundary(home: DemoHome, north: CreekProfile) -> tuple[Polygon, float]:
    """The boundary and its mean height, sized so that its area is the home's area."""
    west, east = -home.width_m / 2, home.width_m / 2
    xs = np.linspace(east, west, 61)

    def ring(height: float) -> Polygon:
        creek = [(float(x), north(float(x), height)) for x in xs]
        return Polygon([(west, -height / 2), (east, -height / 2), *creek])

    # Every y coordinate is proportional to the height, so the area is too.
    unit = ring(1.0).area
    height = home.area_km2 * 1e6 / unit
    return ring(height), height


def _sample_point(
    rng: random.Random, polygon: BaseGeometry, avoid: BaseGeometry | None = None
) -> tuple[float, float]:
    minx, miny, maxx, maxy = polygon.bounds
    for _ in range(2000):
        x, y = rng.uniform(minx, maxx), rng.uniform(miny, maxy)
        point = Point(x, y)
        if polygon.contains(point) and (avoid is None or not avoid.contains(point)):
            return round(x, 1), round(y, 1)
    centre = polygon.representative_point()
    return round(centre.x, 1), round(centre.y, 1)


def _snap(polygon: Polygon, x: float, y: float) -> tuple[float, float]:
    ring = polygon.exterior
    point = ring.interpolate(ring.project(Point(x, y)))
    return round(point.x, 1), round(point.y, 1)


def _gap_zone(boundary: Polygon, side: str | None) -> Polygon | None:
    if side is None:
        return None
    minx, miny, maxx, maxy = boundary.bounds
    w, h, far = maxx - minx, maxy - miny, 5 * LIFE_CIRCLE_MARGIN_M
    zones = {
        "east": box(minx + 0.62 * w, miny - far, maxx + far, maxy + far),
        "west": box(minx - far, miny - far, minx + 0.38 * w, maxy + far),
        "north-east": box(minx + 0.5 * w, miny + 0.45 * h, maxx + far, maxy + far),
        "north-west": box(minx - far, miny + 0.45 * h, minx + 0.5 * w, maxy + far),
    }
    return zones[side]


def _money(value: float) -> Decimal:
    return Decimal(str(round(value, 2))).quantize(Decimal("0.01"))


def _area(value: float) -> Decimal:
    return Decimal(str(round(value, 1))).quantize(Decimal("0.1"))


def plan_places(home: DemoHome, rng: random.Random) -> PlacePlan:
    frame = Frame(home.lon, home.lat)
    north = _creek_profile(rng, home.width_m)
    boundary, height = _boundary(home, north)
    rows, cols = len(home.layout), len(home.layout[0])
    west, south = -home.width_m / 2, -height / 2
    top = boundary.bounds[3] + 50.0

    def jittered(start: float, stop: float, n: int) -> list[float]:
        step = (stop - start) / n
        return [
            start + i * step + (rng.uniform(-0.06, 0.06) * step if 0 < i < n else 0.0)
            for i in range(n + 1)
        ]

    xs = jittered(west, -west, cols)
    ys = jittered(south, height / 2, rows)
    lattice = _Lattice(xs, [*ys[:-1], top], home.ew_streets, home.ns_streets, west, south)
    inner = boundary.buffer(-HALF_STREET_M)
    blocks = {
        (r, c): box(
            xs[c] + HALF_STREET_M,
            ys[r] + HALF_STREET_M,
            xs[c + 1] - HALF_STREET_M,
            (ys[r + 1] if r + 1 < rows else top) - HALF_STREET_M,
        ).intersection(inner)
        for r in range(rows)
        for c in range(cols)
    }
    civic_cell = next(
        (r, c) for r, line in enumerate(home.layout) for c, k in enumerate(line) if k == "C"
    )
    civic = blocks[civic_cell]
    cx0, cy0, cx1, cy1 = civic.bounds
    office_xy = (cx0 + 0.25 * (cx1 - cx0), cy0 + 0.25 * (cy1 - cy0))
    plan = PlacePlan(
        home=home,
        frame=frame,
        boundary=boundary,
        office_address=lattice.address(*office_xy, civic_cell),
    )
    plan.grids = _plan_grids(home, boundary, ys, top)
    plan.quarters = _plan_quarters(home, rng, blocks, lattice, plan.grids)
    plan.buildings = _plan_buildings(home, rng, blocks, lattice, plan.grids)
    plan.facilities = _plan_facilities(home, rng, plan, civic, lattice, north, height)
    return plan


def _grid_at(grids: list[GridPlan], x: float, y: float) -> str:
    point = Point(x, y)
    return min(grids, key=lambda g: g.polygon.distance(point)).code


def _plan_grids(home: DemoHome, boundary: Polygon, ys: list[float], top: float) -> list[GridPlan]:
    """Grids tile the boundary exactly: the block rows by equal-width columns."""
    rows, cols = len(home.layout), home.grid_columns
    minx, _, maxx, _ = boundary.bounds
    gx = np.linspace(minx - 1, maxx + 1, cols + 1)
    grids: list[GridPlan] = []
    for r in range(rows):
        for c in range(cols):
            south = ys[r] if r else ys[0] - 1
            north = ys[r + 1] if r + 1 < rows else top
            cell = box(gx[c], south, gx[c + 1], north).intersection(boundary)
            number = len(grids) + 1
            if home.workstations == 1:
                station = 1
            else:
                station = 1 + 2 * (r >= rows / 2) + (c >= cols / 2)
            grids.append(
                GridPlan(
                    code=f"G{number:02d}",
                    name=f"第{chinese_number(number)}网格",
                    polygon=cell,
                    workstation_code=f"WG{min(station, home.workstations)}",
                )
            )
    return grids


def _quarter_kind(name: str) -> tuple:
    for suffix, kind in QUARTER_KINDS.items():
        if name.endswith(suffix):
            return kind
    raise ValueError(name)


def _plan_quarters(
    home: DemoHome,
    rng: random.Random,
    blocks: dict[tuple[int, int], BaseGeometry],
    lattice: _Lattice,
    grids: list[GridPlan],
) -> list[QuarterPlan]:
    cells = [(r, c) for r, line in enumerate(home.layout) for c, k in enumerate(line) if k == "Q"]
    if home.ordinal == 0:
        names = list(QUARTER_NAMES[: len(cells)])
    else:
        names = rng.sample(QUARTER_NAMES, len(cells))
    drafts = []
    for cell, name in zip(cells, names, strict=True):
        polygon = blocks[cell]
        (built_lo, built_hi), (old_lo, old_hi), density, household_size = _quarter_kind(name)
        weight = polygon.area / 10_000 * density * rng.uniform(0.85, 1.15)
        drafts.append(
            (
                cell,
                name,
                polygon,
                weight,
                rng.uniform(old_lo, old_hi),
                rng.randint(built_lo, built_hi),
                household_size,
            )
        )
    populations = _split_exactly(home.population, [d[3] for d in drafts])
    quarters = []
    for number, ((cell, name, polygon, _, old_share, built, hh_size), population) in enumerate(
        zip(drafts, populations, strict=True), start=1
    ):
        minx, miny, maxx, maxy = polygon.bounds
        midx, midy = (minx + maxx) / 2, (miny + maxy) / 2
        gates = [_snap(polygon, midx + rng.uniform(-40, 40), miny)]
        gates.append(_snap(polygon, maxx if rng.random() < 0.5 else minx, midy))
        if polygon.area > 40_000:
            gates.append(_snap(polygon, midx + rng.uniform(-40, 40), maxy))
        south_gate = gates[0]
        centre = polygon.representative_point()
        quarters.append(
            QuarterPlan(
                code=f"Q{number:02d}",
                name=name,
                committee_code=f"JW{number:02d}",
                address=lattice.address(*south_gate, cell, lane=True),
                polygon=polygon,
                entrances=tuple(gates),
                households=round(population / hh_size * rng.uniform(0.95, 1.05)),
                population=population,
                over_60=round(population * old_share),
                built_year=built,
                grid_code=_grid_at(grids, centre.x, centre.y),
            )
        )
    return quarters


def _split_exactly(total: int, weights: list[float]) -> list[int]:
    """Integers in proportion to the weights that add up to exactly ``total``."""
    shares = [total * w / sum(weights) for w in weights]
    parts = [int(s) for s in shares]
    by_remainder = sorted(range(len(shares)), key=lambda i: parts[i] - shares[i])
    for i in by_remainder[: total - sum(parts)]:
        parts[i] += 1
    return parts


def _plan_buildings(
    home: DemoHome,
    rng: random.Random,
    blocks: dict[tuple[int, int], BaseGeometry],
    lattice: _Lattice,
    grids: list[GridPlan],
) -> list[BuildingPlan]:
    cells = [(r, c) for r, line in enumerate(home.layout) for c, k in enumerate(line) if k == "B"]
    split = (2, 2) if home.buildings_per_block == 4 else (2, 1)
    sites = []
    for cell in cells:
        block = blocks[cell]
        minx, miny, maxx, maxy = block.bounds
        for j in range(split[1]):
            for i in range(split[0]):
                x = minx + (i + 0.5) * (maxx - minx) / split[0] + rng.uniform(-15, 15)
                y = miny + (j + 0.5) * (maxy - miny) / split[1] + rng.uniform(-15, 15)
                if not block.contains(Point(x, y)):
                    x, y = block.representative_point().x, block.representative_point().y
                sites.append((cell, round(x, 1), round(y, 1)))
    # Prime sites on West Nanjing Road (the first block row) carry the hundred-million buildings;
    # the last office block becomes business parks, and a few others mixed use.
    prime = [i for i, s in enumerate(sites) if s[0][0] == 0]
    large = set(rng.sample(prime, home.hundred_million_buildings))
    parks = set()
    if home.buildings >= 8:
        last_cell = cells[-1]
        parks = {i for i, s in enumerate(sites) if s[0] == last_cell and i not in large}
        parks = set(sorted(parks)[: len(PARK_STEMS)])
    rest = [i for i in range(len(sites)) if i not in large | parks]
    mixed = set(rng.sample(rest, max(1, len(sites) // 10)))

    large_taxes = _hundred_million_taxes(rng, len(large))
    large_stems = iter(LARGE_STEMS)
    park_stems = iter(PARK_STEMS)
    office_stems = iter(rng.sample(OFFICE_STEMS, len(OFFICE_STEMS)))
    drafts = []
    for index, (cell, x, y) in enumerate(sites):
        if index in large:
            kind, stem = Building.Kind.OFFICE, next(large_stems)
            tax_2025, tax_2024 = large_taxes.pop(0)
            area = 55_000 + tax_2025 * 3.3 + rng.uniform(-8_000, 8_000)
            plate, vacancy, rent = rng.uniform(1800, 2600), (0.03, 0.10), (10.5, 14.5)
        elif index in parks:
            kind, stem = Building.Kind.PARK, next(park_stems)
            tax_2025, tax_2024 = rng.uniform(400, 4_000), None
            area = rng.uniform(10_000, 28_000)
            plate, vacancy, rent = area / rng.randint(3, 6), (0.02, 0.12), (4.0, 7.0)
        else:
            kind = Building.Kind.MIXED if index in mixed else Building.Kind.OFFICE
            stem = next(office_stems)
            tax_2025 = rng.uniform(300, 3_000) if index in mixed else rng.uniform(600, 8_800)
            tax_2024 = None
            area = rng.uniform(12_000, 30_000) if index in mixed else rng.uniform(15_000, 55_000)
            plate, vacancy, rent = rng.uniform(1200, 2000), (0.06, 0.22), (6.5, 10.5)
        drafts.append((cell, x, y, kind, stem, tax_2025, tax_2024, area, plate, vacancy, rent))

    buildings = []
    subcentres = _subcentre_sites(home, drafts, large, parks)
    for index, (
        cell,
        x,
        y,
        kind,
        stem,
        tax_2025,
        tax_2024,
        area,
        plate,
        vacancy,
        rent,
    ) in enumerate(drafts):
        code = f"B{index + 1:02d}"
        tax = {LATEST_YEAR: tax_2025}
        for year in reversed(TAX_YEARS[:-1]):
            if tax_2024 is not None and year == LATEST_YEAR - 1:
                tax[year] = tax_2024
            else:
                tax[year] = tax[year + 1] / rng.uniform(0.93, 1.13)
        vacant = area * rng.uniform(*vacancy)
        buildings.append(
            BuildingPlan(
                code=code,
                name=home.building_prefix + stem,
                kind=kind,
                address=lattice.address(x, y, cell),
                x=x,
                y=y,
                floors=max(3, round(area / plate)),
                floor_area_m2=_area(area),
                vacant_area_m2=_area(vacant),
                rent_per_m2_day=_money(rng.uniform(*rent)),
                tax={year: _money(tax[year]) for year in TAX_YEARS},
                grid_code=_grid_at(grids, x, y),
                subcentre_code=f"FZX{subcentres.index(index) + 1}" if index in subcentres else "",
                committee_code=f"LY{sorted(large).index(index) + 1:02d}" if index in large else "",
            )
        )
    return buildings


def _hundred_million_taxes(rng: random.Random, n: int) -> list[tuple[float, float | None]]:
    """2025 tax of the hundred-million buildings; one of them only just crossed the line."""
    taxes: list[tuple[float, float | None]] = [
        (rng.uniform(11_000, 32_000), None) for _ in range(n - 1)
    ]
    if n:
        taxes.insert(rng.randrange(n), (rng.uniform(10_100, 10_600), rng.uniform(9_300, 9_800)))
    return taxes


def _subcentre_sites(home: DemoHome, drafts: list, large: set[int], parks: set[int]) -> list[int]:
    """Key buildings hosting a service sub-centre: the largest hundred-million buildings, one
    business park, then the largest of the rest."""
    by_tax = sorted(large, key=lambda i: -drafts[i][5])
    by_area = sorted(range(len(drafts)), key=lambda i: -drafts[i][7])
    chosen = by_tax[: max(0, home.subcentres - 1)]
    chosen += sorted(parks)[:1]
    chosen += [i for i in by_tax + by_area if i not in chosen]
    return sorted(chosen[: home.subcentres])


def _plan_facilities(
    home: DemoHome,
    rng: random.Random,
    plan: PlacePlan,
    civic: BaseGeometry,
    lattice: _Lattice,
    north: CreekProfile,
    height: float,
) -> list[FacilityPlan]:
    boundary = plan.boundary
    inner = boundary.buffer(-HALF_STREET_M)
    ring = boundary.buffer(LIFE_CIRCLE_MARGIN_M).difference(boundary.buffer(80))
    words = iter(rng.sample(SCHOOL_WORDS, len(SCHOOL_WORDS)))
    streets = home.ew_streets + home.ns_streets
    cx0, cy0, cx1, cy1 = civic.bounds
    facilities: list[FacilityPlan] = []
    used_names: set[str] = set()

    def unique(name: str) -> str:
        candidate, n = name, 1
        while candidate in used_names:
            n += 1
            if name.endswith("店）"):  # a chain's second shop on a street: （新闸路二店）
                candidate = f"{name[:-2]}{chinese_number(n)}店）"
            else:
                candidate = f"{name}（{chinese_number(n)}部）"
        used_names.add(candidate)
        return candidate

    def add(
        category: str,
        name: str,
        address: str,
        gates: list[tuple[float, float]],
        quarter_code: str = "",
    ) -> None:
        hours, capacity_range, unit = FACILITY_DETAILS[category]
        facilities.append(
            FacilityPlan(
                code=f"F{len(facilities) + 1:03d}",
                name=unique(name),
                category=category,
                address=address,
                entrances=tuple(gates),
                capacity=rng.randint(*capacity_range) if capacity_range else None,
                capacity_unit=unit,
                opening_hours="24/7" if name.endswith("滨河绿地") else hours,
                quarter_code=quarter_code,
            )
        )

    for category, (inside, outside) in FACILITY_COUNTS.items():
        if home.ordinal == 0:
            side = FIRST_HOME_GAPS.get(category)
        else:
            side = rng.choice((*GAP_SIDES, None)) if category in FIRST_HOME_GAPS else None
            civic_kind = category in CIVIC_BLOCK_CORNERS
            inside = 1 if civic_kind else round(inside * home.facility_share)
            outside = round(outside * home.facility_share)
        gap = _gap_zone(boundary, side)
        allowed = [
            q
            for q in plan.quarters
            if gap is None or not gap.contains(q.polygon.representative_point())
        ]
        # Spread the in-quarter facilities over different quarters while there are enough.
        if len(allowed) >= inside:
            homes_of = rng.sample(allowed, inside)
        else:
            homes_of = [rng.choice(allowed or plan.quarters) for _ in range(inside)]
        for n in range(inside):
            if category in CIVIC_BLOCK_CORNERS:
                fx, fy = CIVIC_BLOCK_CORNERS[category]
                x, y = cx0 + fx * (cx1 - cx0), cy0 + fy * (cy1 - cy0)
                gates = [(round(x, 1), round(y, 1))]
                address = lattice.address(x, y)
                add(category, _facility_name(home, category, None, words), address, gates)
            elif category == Category.PARK:
                gates = _park_gates(rng, n, civic, boundary, north, height)
                name = f"{home.short_name}街心花园" if n == 0 else f"{home.short_name}滨河绿地"
                add(category, name, lattice.address(*gates[0]), gates)
            elif category == Category.CONVENIENCE_SHOP:
                x, y = _sample_point(rng, inner, gap)
                inside_quarter = next(
                    (q.code for q in plan.quarters if q.polygon.contains(Point(x, y))), ""
                )
                street, number = lattice.place(x, y)
                name = f"{rng.choice(SHOP_BRANDS)}（{street}店）"
                add(category, name, f"{street}{number}号", [(x, y)], inside_quarter)
            else:
                quarter = homes_of[n]
                x, y = _sample_point(rng, quarter.polygon.buffer(-10), gap)
                gates = [(x, y)]
                if category in (Category.PRIMARY_SCHOOL, Category.MIDDLE_SCHOOL):
                    gates.append(_snap(quarter.polygon, x + rng.uniform(-60, 60), y))
                name = _facility_name(home, category, quarter.name, words)
                add(category, name, quarter.address, gates, quarter.code)
        for _ in range(outside):
            x, y = _sample_point(rng, ring, gap)
            gates = [(x, y)]
            if category == Category.PARK:
                gates += [
                    (round(x + dx, 1), round(y + dy, 1))
                    for dx, dy in ((180, 0), (90, 140), (0, 120))
                ]
            elif category in (Category.PRIMARY_SCHOOL, Category.MIDDLE_SCHOOL):
                gates.append((round(x + rng.uniform(-60, 60), 1), round(y + 50, 1)))
            street = rng.choice(streets)
            if category == Category.CONVENIENCE_SHOP:
                name = f"{rng.choice(SHOP_BRANDS)}（{street}店）"
            else:
                name = _facility_name(home, category, None, words, outside=True)
            add(category, name, _street_no(rng, (street,)), gates)
    return facilities


def _park_gates(
    rng: random.Random,
    n: int,
    civic: BaseGeometry,
    boundary: Polygon,
    north: CreekProfile,
    height: float,
) -> list[tuple[float, float]]:
    if n == 0:
        # The small park fills the civic block's north-west quarter; a gate on each street.
        x0, y0, x1, y1 = civic.bounds
        park = box(x0, (y0 + y1) / 2, (x0 + x1) / 2, y1)
        px0, py0, px1, py1 = park.bounds
        return [
            _snap(park, px0, (py0 + py1) / 2),
            _snap(park, (px0 + px1) / 2, py1),
            _snap(park, px1, (py0 + py1) / 2 + rng.uniform(-20, 20)),
        ]
    # The creek-side greenway runs along the whole northern edge, with gates along it.
    minx, _, maxx, _ = boundary.bounds
    width = maxx - minx
    return [
        (round(minx + f * width, 1), round(north(minx + f * width, height) - 8.0, 1))
        for f in (0.12, 0.37, 0.62, 0.87)
    ]


def _street_no(rng: random.Random, streets: tuple[str, ...]) -> str:
    return f"{rng.choice(streets)}{rng.randrange(1, 900)}号"


def _facility_name(
    home: DemoHome,
    category: str,
    quarter_name: str | None,
    words: Iterator[str],
    outside: bool = False,
) -> str:
    short = home.short_name
    if category == Category.ELDERLY_DAY_CARE:
        return f"{quarter_name}长者照护之家" if quarter_name else f"{next(words)}社区日间照护中心"
    if category == Category.HEALTH_STATION:
        return f"{quarter_name}卫生服务站" if quarter_name else f"{next(words)}卫生服务站"
    if category == Category.KINDERGARTEN:
        return f"{next(words)}幼儿园"
    if category == Category.CHILDCARE:
        return f"{next(words)}托育园"
    if category == Category.PRIMARY_SCHOOL:
        return f"{next(words)}小学"
    if category == Category.MIDDLE_SCHOOL:
        return f"{next(words)}中学"
    if category == Category.PARK:
        return f"{next(words)}公园"
    if category == Category.COMMUNITY_HEALTH_CENTRE:
        return f"{next(words)}社区卫生服务中心"
    if category == Category.CULTURE_SPORTS_CENTRE:
        return f"{next(words)}文体中心" if outside else f"{short}社区文化活动中心"
    if category == Category.COMMUNITY_SERVICE_CENTRE:
        return f"{next(words)}社区服务中心" if outside else f"{short}社区服务中心"
    if category == Category.SUBDISTRICT_OFFICE:
        return f"{short}街道办事处"
    return f"{next(words)}{Category(category).label}"
