"""Where things are in a demo sub-district: boundary, streets, grids, quarters and buildings, laid
out in local metres and published as WGS84 lon/lat (the facilities are placed by
``facilities.py``).

The layout is a lattice of street blocks between West Nanjing Road (the straight south edge) and
Suzhou Creek (the meandering north edge). Each block is offices, a residential quarter or the
civic block, as the home's layout string says. Everything is drawn from one ``random.Random``,
so a seed always gives the same plan.
"""

from __future__ import annotations

import math
import random
from decimal import Decimal

import numpy as np
from shapely.geometry import Point, box
from shapely.geometry.base import BaseGeometry
from shapely.geometry.polygon import Polygon

from linli.registry.demo.facilities import plan_facilities
from linli.registry.demo.homes import DemoHome
from linli.registry.demo.names import chinese_number
from linli.registry.demo.places import (
    HALF_STREET_M,
    LARGE_STEMS,
    LATEST_YEAR,
    OFFICE_STEMS,
    PARK_STEMS,
    QUARTER_KINDS,
    QUARTER_NAMES,
    TAX_YEARS,
    BuildingPlan,
    CreekProfile,
    Frame,
    GridPlan,
    Lattice,
    PlacePlan,
    QuarterKind,
    QuarterPlan,
    snap,
)
from linli.registry.models import Building


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
    lattice = Lattice(xs, [*ys[:-1], top], home.ew_streets, home.ns_streets, west, south)
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
        lattice=lattice,
    )
    plan.grids = _plan_grids(home, boundary, ys, top)
    plan.quarters = _plan_quarters(home, rng, blocks, lattice, plan.grids)
    plan.buildings = _plan_buildings(home, rng, blocks, lattice, plan.grids)
    plan.facilities = plan_facilities(home, rng, plan, civic, lattice, north, height)
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


def _quarter_kind(name: str) -> QuarterKind:
    for suffix, kind in QUARTER_KINDS.items():
        if name.endswith(suffix):
            return kind
    raise ValueError(name)


def _plan_quarters(
    home: DemoHome,
    rng: random.Random,
    blocks: dict[tuple[int, int], BaseGeometry],
    lattice: Lattice,
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
        kind = _quarter_kind(name)
        weight = polygon.area / 10_000 * kind.density * rng.uniform(0.85, 1.15)
        drafts.append(
            (
                cell,
                name,
                polygon,
                weight,
                rng.uniform(*kind.over_60),
                rng.randint(*kind.built),
                kind.household_size,
            )
        )
    populations = _split_exactly(home.population, [d[3] for d in drafts])
    quarters = []
    for number, ((cell, name, polygon, _, old_share, built, hh_size), population) in enumerate(
        zip(drafts, populations, strict=True), start=1
    ):
        minx, miny, maxx, maxy = polygon.bounds
        midx, midy = (minx + maxx) / 2, (miny + maxy) / 2
        gates = [snap(polygon, midx + rng.uniform(-40, 40), miny)]
        gates.append(snap(polygon, maxx if rng.random() < 0.5 else minx, midy))
        if polygon.area > 40_000:
            gates.append(snap(polygon, midx + rng.uniform(-40, 40), maxy))
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
    lattice: Lattice,
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
