"""Demo charging: the two charging-report categories set up (the case demo already files a
year of 电动自行车违规充电 reports, which count as charging reports), and about 30 charging
piles and cabinets by the quarters' gates, with their ports."""

from __future__ import annotations

import math

from linli.core.access import Access
from linli.core.demo import DemoStep, present
from linli.governance.charging.services import set_up_categories
from linli.registry.demo.context import DemoContext
from linli.registry.models import Facility, Quarter

POINTS = 30
METRES_PER_DEGREE = 111_320.0
KINDS = (
    ("充电桩", 10, 20),  # a pile with 10–20 ports
    ("智能充电柜", 6, 12),  # a cabinet with 6–12 battery bays
)


def load(ctx: DemoContext) -> int:
    rng = ctx.rng("charging")
    made = len(set_up_categories(actor=Access.system(ctx.subdistrict)))
    quarters = [
        q
        for q in Quarter.objects.filter(subdistrict=ctx.subdistrict).order_by("code")
        if q.entrances
    ]
    facilities = []
    for number in range(POINTS if quarters else 0):
        quarter = quarters[number % len(quarters)]
        lon, lat = rng.choice(quarter.entrances)
        metres, bearing = rng.uniform(15, 80), rng.uniform(0, 2 * math.pi)
        lat2 = lat + metres * math.cos(bearing) / METRES_PER_DEGREE
        lon2 = lon + metres * math.sin(bearing) / (METRES_PER_DEGREE * math.cos(math.radians(lat)))
        word, low, high = KINDS[1 if number % 3 == 2 else 0]  # one cabinet in three
        facilities.append(
            Facility(
                subdistrict=ctx.subdistrict,
                code=f"CD{number + 1:03d}",
                name=f"{quarter.name}{word}{number // len(quarters) + 1}号",
                category=Facility.Category.CHARGING_POINT,
                address=quarter.address,
                entrances=[[round(lon2, 6), round(lat2, 6)]],
                capacity=rng.randint(low, high),
                capacity_unit="个充电口",
                opening_hours="00:00-24:00",
                quarter=quarter,
            )
        )
    Facility.objects.bulk_create(facilities)
    return made + len(facilities)


STEPS = (
    DemoStep(
        "charging points",
        load,
        present(Facility, category=Facility.Category.CHARGING_POINT),
        after=("registry.facilities", "cases.cases"),
    ),
)
