"""A small sub-district with something on every map layer, for the browser journeys."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django_scopes import scopes_disabled

from linli.core.models import Subdistrict, User
from linli.registry.models import Building, BuildingTaxYear, Facility
from tests.factories import (
    BuildingFactory,
    FacilityFactory,
    GridFactory,
    MembershipFactory,
    QuarterFactory,
    SubdistrictFactory,
    UserFactory,
)

BOUNDARY = [
    [121.4500, 31.2290],
    [121.4680, 31.2280],
    [121.4690, 31.2400],
    [121.4580, 31.2440],
    [121.4490, 31.2390],
    [121.4500, 31.2290],
]
GRIDS = {
    "West": [
        [121.4500, 31.2290],
        [121.4590, 31.2285],
        [121.4590, 31.2436],
        [121.4580, 31.2440],
        [121.4490, 31.2390],
        [121.4500, 31.2290],
    ],
    "East": [
        [121.4590, 31.2285],
        [121.4680, 31.2280],
        [121.4690, 31.2400],
        [121.4590, 31.2436],
        [121.4590, 31.2285],
    ],
}


def _box(lon: float, lat: float, w: float, h: float) -> list[list[float]]:
    return [[lon, lat], [lon + w, lat], [lon + w, lat + h], [lon, lat + h], [lon, lat]]


QUARTERS = {
    "Plum Garden": _box(121.4515, 31.2335, 0.0040, 0.0030),
    "Willow Court": _box(121.4525, 31.2300, 0.0045, 0.0025),
    "Creekside Homes": _box(121.4610, 31.2340, 0.0050, 0.0035),
}
# name, lon, lat, tax of the latest year in 10k yuan (≥ 10,000 is a 100-million-yuan building)
BUILDINGS = [
    ("Jade Tower", 121.4600, 31.2320, "15800"),
    ("Harbour Centre", 121.4640, 31.2305, "11200"),
    ("Silk Road Plaza", 121.4555, 31.2380, "2400"),
    ("Peace Building", 121.4575, 31.2310, "900"),
    ("Creative Park No. 3", 121.4655, 31.2380, "3100"),
    ("Garden Office", 121.4530, 31.2370, None),
]
FACILITIES = [
    ("Community Health Station", Facility.Category.HEALTH_STATION, [[121.4585, 31.2350]]),
    ("Sunshine Day Care", Facility.Category.ELDERLY_DAY_CARE, [[121.4545, 31.2322]]),
    ("Little Stars Kindergarten", Facility.Category.KINDERGARTEN, [[121.4630, 31.2355]]),
    ("Corner Shop", Facility.Category.CONVENIENCE_SHOP, [[121.4620, 31.2298]]),
    (
        "Creek Park",
        Facility.Category.PARK,
        [[121.4540, 31.2400], [121.4565, 31.2410]],
    ),
]


@dataclass
class Scene:
    subdistrict: Subdistrict
    user: User
    buildings: dict[str, Building] = field(default_factory=dict)
    facilities: dict[str, Facility] = field(default_factory=dict)

    @property
    def hundred_million(self) -> list[str]:
        return [n for n, *_, tax in BUILDINGS if tax and Decimal(tax) >= 10000]


def polygon(ring: list[list[float]]) -> dict[str, Any]:
    return {"type": "Polygon", "coordinates": [ring]}


def build_scene(role: str = "handler", username: str = "wang.fang") -> Scene:
    subdistrict = SubdistrictFactory(
        code="310106019",
        name="Jing'an Demo Street",
        boundary=polygon(BOUNDARY),
        center_lon=121.459,
        center_lat=31.236,
    )
    user = UserFactory(username=username)
    with scopes_disabled():
        MembershipFactory(user=user, subdistrict=subdistrict, role=role)
    scene = Scene(subdistrict=subdistrict, user=user)
    for name, ring in GRIDS.items():
        GridFactory(subdistrict=subdistrict, name=f"{name} grid", polygon=polygon(ring))
    for name, ring in QUARTERS.items():
        QuarterFactory(subdistrict=subdistrict, name=name, polygon=polygon(ring))
    for name, lon, lat, tax in BUILDINGS:
        building = BuildingFactory(subdistrict=subdistrict, name=name, lon=lon, lat=lat)
        scene.buildings[name] = building
        if tax is not None:
            with scopes_disabled():
                BuildingTaxYear.objects.create(
                    subdistrict=subdistrict, building=building, year=2024, tax=Decimal(tax)
                )
    for name, category, entrances in FACILITIES:
        scene.facilities[name] = FacilityFactory(
            subdistrict=subdistrict, name=name, category=category, entrances=entrances
        )
    return scene
