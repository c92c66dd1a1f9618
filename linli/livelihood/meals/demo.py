"""Demo step: four meal points run by the demo meals provider (``ZCFW``) in the quarters with
the most elderly residents, and a month of daily orders ending today.

About 2 % of the elders living in the sub-district eat at a point regularly (in a
central Shanghai sub-district of 30,000 people, some 500 diners for 4 points of 100–200
meals a day). A regular has lunch on about three days in four and dinner now and then; the
oldest more often have it delivered. Past meals were served (a few cancelled); today's are
ordered, for the operator to mark served. Prices and subsidies come from the rule parameters
in force on each day, as an order placed through the service would have them.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from decimal import Decimal

from linli.core import clock, parameters
from linli.core.demo import DemoStep, present
from linli.core.models import Organisation
from linli.livelihood.meals.models import MEAL_POINT, MealOrder
from linli.livelihood.meals.parameters import AGE_BANDS, HARDSHIP, PRICE
from linli.people.models import Person, PersonTag
from linli.registry.demo.context import DemoContext
from linli.registry.demo.organisations import MEALS_PROVIDER
from linli.registry.models import Facility, Quarter

POINTS = (
    # name, capacity (meals a day), opening hours
    ("长者食堂", 200, "Mo-Su 10:30-13:00,16:30-18:30"),
    ("社区助餐点", 120, "Mo-Su 10:30-12:30"),
    ("老年助餐点", 100, "Mo-Sa 10:30-12:30,16:30-18:00"),
    ("社区食堂", 150, "Mo-Su 10:30-13:00,16:30-18:30"),
)
DAYS = 30  # the month before today, and today
DINERS = 0.02  # of the elders living here
LUNCH, DINNER = 0.75, 0.12
DELIVERED = {60: 0.1, 70: 0.2, 80: 0.4, 90: 0.6}
CANCELLED = 0.02


def _point_rows(ctx: DemoContext) -> list[Facility]:
    provider = Organisation.objects.get(subdistrict=ctx.subdistrict, code=MEALS_PROVIDER)
    quarters = list(
        Quarter.objects.filter(subdistrict=ctx.subdistrict).order_by("-over_60", "code")[:4]
    )
    rows = []
    for i, (kind, capacity, hours) in enumerate(POINTS):
        quarter = quarters[i % len(quarters)]
        rows.append(
            Facility(
                subdistrict=ctx.subdistrict,
                code=f"MP{i + 1:02d}",
                name=f"{quarter.name}{kind}",
                category=MEAL_POINT,
                address=quarter.address,
                entrances=_entrance(quarter),
                capacity=capacity,
                capacity_unit="meals/day",
                opening_hours=hours,
                quarter=quarter,
                operator=provider,
            )
        )
    return Facility.objects.bulk_create(rows)


def _entrance(quarter: Quarter) -> list[list[float]]:
    """The quarter's first gate, or the middle of its outline."""
    if quarter.entrances:
        return list(quarter.entrances[:1])
    if not quarter.polygon:
        return []
    ring = quarter.polygon["coordinates"][0]
    return [
        [
            round(sum(p[0] for p in ring) / len(ring), 6),
            round(sum(p[1] for p in ring) / len(ring), 6),
        ]
    ]


def load(ctx: DemoContext) -> int:
    rng = ctx.rng("meals")
    points = _point_rows(ctx)
    today = clock.today()
    first = today - dt.timedelta(days=DAYS)
    elders = [
        p
        for p in Person.objects.filter(
            subdistrict=ctx.subdistrict, status=Person.Status.LIVING, dwelling__isnull=False
        )
        .select_related("dwelling__unit__building")
        .order_by("pk")
        # 60 on the month's first day: a diner is in an age band on every day they eat.
        if (p.age_on(first) or 0) >= 60
    ]
    diners = rng.sample(elders, max(len(points), round(len(elders) * DINERS)))
    # A diner eats at the point of their own quarter, or else at one drawn for them.
    by_quarter = {p.quarter_id: p for p in points}
    home_point = {
        d.pk: by_quarter.get(d.dwelling.unit.building.quarter_id) or rng.choice(points)
        for d in diners
        if d.dwelling is not None
    }
    hardship = {
        (t.person_id, t.kind.code): t
        for t in PersonTag.objects.filter(
            subdistrict=ctx.subdistrict,
            person_id__in=[d.pk for d in diners],
            kind__code__in=[code for code, _key in HARDSHIP],
        ).select_related("kind")
    }
    timelines = {
        key: parameters.timeline(key)
        for key in [PRICE, *(k for _low, k in AGE_BANDS), *(k for _c, k in HARDSHIP)]
    }
    orders: list[MealOrder] = []
    for offset in range(DAYS + 1):
        day = first + dt.timedelta(days=offset)
        taken: Counter[int] = Counter()
        for diner in diners:
            point = home_point[diner.pk]
            for meal, chance in ((MealOrder.Meal.LUNCH, LUNCH), (MealOrder.Meal.DINNER, DINNER)):
                if rng.random() >= chance or taken[point.pk] >= (point.capacity or 0):
                    continue
                taken[point.pk] += 1
                orders.append(_order(ctx, rng, diner, point, day, meal, today, hardship, timelines))
    MealOrder.objects.bulk_create(orders, batch_size=2000)
    return len(points) + len(orders)


def _order(ctx, rng, diner, point, day, meal, today, hardship, timelines) -> MealOrder:  # noqa: ANN001, PLR0913 - one row of the loop above
    age = diner.age_on(day) or 0
    band = next(low for low, _key in AGE_BANDS if age >= low)
    price = timelines[PRICE].at(day)
    amount = timelines[dict((low, key) for low, key in AGE_BANDS)[band]].at(day)
    versions: dict[str, int | None] = {PRICE: price.pk, amount.key: amount.pk}
    subsidy = Decimal(amount.value)
    held = [
        (timelines[key].at(day), code)
        for code, key in HARDSHIP
        if (tag := hardship.get((diner.pk, code))) is not None and tag.in_force_on(day)
    ]
    status_code = ""
    if held:
        best, status_code = max(held, key=lambda h: Decimal(h[0].value))
        versions[best.key] = best.pk
        subsidy += Decimal(best.value)
    delivered = rng.random() < DELIVERED[band]
    status = MealOrder.Status.ORDERED
    ordered_at = dt.datetime.combine(day - dt.timedelta(days=1), dt.time(16), clock.local_zone())
    served_at = None
    if day < today:
        status = MealOrder.Status.CANCELLED if rng.random() < CANCELLED else MealOrder.Status.SERVED
        hour = 12 if meal == MealOrder.Meal.LUNCH else 17
        served_at = dt.datetime.combine(
            day, dt.time(hour, rng.randrange(0, 50)), clock.local_zone()
        )
    return MealOrder(
        subdistrict=ctx.subdistrict,
        point=point,
        person=diner,
        day=day,
        meal=meal,
        mode=MealOrder.Mode.DELIVERY if delivered else MealOrder.Mode.DINE_IN,
        deliver_to_id=diner.dwelling_id if delivered else None,
        status=status,
        price=Decimal(price.value),
        subsidy=min(subsidy, Decimal(price.value)),
        lives_here=True,
        age_band=band,
        hardship=status_code,
        rule_versions=versions,
        ordered_at=ordered_at,
        served_at=served_at if status == MealOrder.Status.SERVED else None,
        cancelled_at=ordered_at if status == MealOrder.Status.CANCELLED else None,
    )


STEPS = (
    DemoStep(
        "meal points and orders",
        load,
        present(MealOrder),
        after=("people.homes and residents", "registry.facilities", "registry.organisations"),
    ),
)
