"""Facilities of a demo sub-district: inside the boundary (in the quarters, the civic block and
on the streets) and in the ring of 1 km around it, with gaps left on purpose so that the
life-circle coverage has something to find. The kinds, counts and names are in
``places.yaml``."""

from __future__ import annotations

import random
from collections.abc import Iterator

from shapely.geometry import Point, box
from shapely.geometry.base import BaseGeometry
from shapely.geometry.polygon import Polygon

from linli.registry.demo.homes import DemoHome
from linli.registry.demo.names import SCHOOL_WORDS, SHOP_BRANDS, chinese_number
from linli.registry.demo.places import (
    CIVIC_PARK,
    FACILITY_KINDS,
    GREENWAY,
    GREENWAY_HOURS,
    HALF_STREET_M,
    LIFE_CIRCLE_MARGIN_M,
    CreekProfile,
    FacilityKind,
    FacilityPlan,
    Lattice,
    PlacePlan,
    snap,
)
from linli.registry.models import Facility

Category = Facility.Category

# Parts of the first home a category is deliberately missing from (inside and out). Other homes
# draw their own side for the same categories, or none.
FIRST_HOME_GAPS: dict[str, str] = {
    kind.category: kind.first_home_gap for kind in FACILITY_KINDS if kind.first_home_gap
}
GAP_SIDES = ("east", "west", "north-east", "north-west")


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


def plan_facilities(
    home: DemoHome,
    rng: random.Random,
    plan: PlacePlan,
    civic: BaseGeometry,
    lattice: Lattice,
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
        kind: FacilityKind,
        name: str,
        address: str,
        gates: list[tuple[float, float]],
        quarter_code: str = "",
        hours: str = "",
    ) -> None:
        facilities.append(
            FacilityPlan(
                code=f"F{len(facilities) + 1:03d}",
                name=unique(name),
                category=kind.category,
                address=address,
                entrances=tuple(gates),
                capacity=rng.randint(*kind.capacity) if kind.capacity else None,
                capacity_unit=kind.unit,
                opening_hours=hours or kind.hours,
                quarter_code=quarter_code,
            )
        )

    for kind in FACILITY_KINDS:
        category, inside, outside = kind.category, kind.inside, kind.outside
        if home.ordinal == 0:
            side = FIRST_HOME_GAPS.get(category)
        else:
            side = rng.choice((*GAP_SIDES, None)) if category in FIRST_HOME_GAPS else None
            inside = 1 if kind.civic_corner else round(inside * home.facility_share)
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
            if kind.civic_corner:
                fx, fy = kind.civic_corner
                x, y = cx0 + fx * (cx1 - cx0), cy0 + fy * (cy1 - cy0)
                gates = [(round(x, 1), round(y, 1))]
                address = lattice.address(x, y)
                add(kind, _name(home, kind, kind.name, words), address, gates)
            elif category == Category.PARK:
                gates = _park_gates(rng, n, civic, boundary, north, height)
                if n == 0:
                    add(
                        kind,
                        CIVIC_PARK.format(short=home.short_name),
                        lattice.address(*gates[0]),
                        gates,
                    )
                else:
                    name = GREENWAY.format(short=home.short_name)
                    add(kind, name, lattice.address(*gates[0]), gates, hours=GREENWAY_HOURS)
            elif category == Category.CONVENIENCE_SHOP:
                x, y = _sample_point(rng, inner, gap)
                inside_quarter = next(
                    (q.code for q in plan.quarters if q.polygon.contains(Point(x, y))), ""
                )
                street, number = lattice.place(x, y)
                name = kind.name.format(brand=rng.choice(SHOP_BRANDS), street=street)
                add(kind, name, f"{street}{number}号", [(x, y)], inside_quarter)
            else:
                quarter = homes_of[n]
                x, y = _sample_point(rng, quarter.polygon.buffer(-10), gap)
                gates = [(x, y)]
                if category in (Category.PRIMARY_SCHOOL, Category.MIDDLE_SCHOOL):
                    gates.append(snap(quarter.polygon, x + rng.uniform(-60, 60), y))
                name = _name(home, kind, kind.name, words, quarter.name)
                add(kind, name, quarter.address, gates, quarter.code)
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
                name = kind.name_outside.format(brand=rng.choice(SHOP_BRANDS), street=street)
            else:
                name = _name(home, kind, kind.name_outside, words)
            add(kind, name, _street_no(rng, (street,)), gates)
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
            snap(park, px0, (py0 + py1) / 2),
            snap(park, (px0 + px1) / 2, py1),
            snap(park, px1, (py0 + py1) / 2 + rng.uniform(-20, 20)),
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


def _name(
    home: DemoHome,
    kind: FacilityKind,
    template: str,
    words: Iterator[str],
    quarter_name: str | None = None,
) -> str:
    """A facility's name from its template: ``{word}`` takes the next school word (育才小学),
    ``{quarter}`` the quarter's name, ``{short}`` the home's short name."""
    if not template:
        return f"{next(words)}{Category(kind.category).label}"
    word = next(words) if "{word}" in template else ""
    return template.format(word=word, quarter=quarter_name, short=home.short_name)
