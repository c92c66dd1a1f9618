"""Figures of meals, computed by the database (the cockpit reads them too).

Plain functions over the active sub-district's orders; cancelled orders count nowhere. A meal
is subsidised when it is served: the subsidies of a month are those of the meals served in it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Q, Sum
from django.db.models.functions import TruncMonth

from linli.livelihood.meals.models import MEAL_POINT, MealOrder
from linli.registry.models import Facility

LIVE = (MealOrder.Status.ORDERED, MealOrder.Status.SERVED)
SERVED = Q(status=MealOrder.Status.SERVED)


@dataclass(frozen=True)
class PointDay:
    point_id: int
    point: str
    day: dt.date
    capacity: int | None
    ordered: int
    served: int
    delivered: int

    @property
    def load(self) -> float | None:
        """Meals ordered as a share of the capacity."""
        return self.ordered / self.capacity if self.capacity else None


@dataclass(frozen=True)
class MonthSubsidy:
    month: dt.date  # the first day of the month
    point_id: int
    point: str
    served: int
    subsidised: int
    subsidy: Decimal
    paid_by_diners: Decimal


def points() -> dict[int, Facility]:
    return {p.pk: p for p in Facility.objects.filter(category=MEAL_POINT).order_by("name")}


def per_point_and_day(
    first: dt.date, last: dt.date, point_ids: list[int] | None = None
) -> list[PointDay]:
    """Meals ordered (served included), served and delivered, per point and day, against the
    point's capacity; a day without orders has no row."""
    known = points()
    orders = MealOrder.objects.filter(day__gte=first, day__lte=last, status__in=LIVE)
    if point_ids is not None:
        orders = orders.filter(point_id__in=point_ids)
    rows = (
        orders.values("point_id", "day")
        .annotate(
            ordered=Count("pk"),
            served=Count("pk", filter=SERVED),
            delivered=Count("pk", filter=Q(mode=MealOrder.Mode.DELIVERY)),
        )
        .order_by("day", "point_id")
    )
    return [
        PointDay(
            point_id=r["point_id"],
            point=known[r["point_id"]].name,
            day=r["day"],
            capacity=known[r["point_id"]].capacity,
            ordered=r["ordered"],
            served=r["served"],
            delivered=r["delivered"],
        )
        for r in rows
    ]


def subsidies_per_month(first: dt.date, last: dt.date) -> list[MonthSubsidy]:
    """Per month and point: meals served, how many of them subsidised, the subsidy and what the
    diners paid."""
    known = points()
    rows = (
        MealOrder.objects.filter(day__gte=first, day__lte=last, status=MealOrder.Status.SERVED)
        .annotate(month=TruncMonth("day"))
        .values("month", "point_id")
        .annotate(
            served=Count("pk"),
            subsidised=Count("pk", filter=Q(subsidy__gt=0)),
            subsidy=Sum("subsidy"),
            price=Sum("price"),
        )
        .order_by("month", "point_id")
    )
    return [
        MonthSubsidy(
            month=_first_day(r["month"]),
            point_id=r["point_id"],
            point=known[r["point_id"]].name,
            served=r["served"],
            subsidised=r["subsidised"],
            subsidy=Decimal(r["subsidy"] or 0),
            paid_by_diners=Decimal(r["price"] or 0) - Decimal(r["subsidy"] or 0),
        )
        for r in rows
    ]


def subsidy_by_age_band(first: dt.date, last: dt.date) -> dict[int | None, Decimal]:
    """The subsidy of the meals served, by age band (``None``: no band, not subsidised)."""
    rows = (
        MealOrder.objects.filter(day__gte=first, day__lte=last, status=MealOrder.Status.SERVED)
        .values("age_band")
        .annotate(subsidy=Sum("subsidy"))
        .order_by("age_band")
    )
    return {r["age_band"]: Decimal(r["subsidy"] or 0) for r in rows}


def day_totals(day: dt.date) -> dict[str, int]:
    """The sub-district's meals of one day: ordered, served, and the capacity of its points."""
    counts = MealOrder.objects.filter(day=day, status__in=LIVE).aggregate(
        ordered=Count("pk"), served=Count("pk", filter=SERVED)
    )
    capacity = Facility.objects.filter(category=MEAL_POINT).aggregate(c=Sum("capacity"))["c"]
    return {"ordered": counts["ordered"], "served": counts["served"], "capacity": capacity or 0}


def _first_day(month: dt.date | dt.datetime) -> dt.date:
    day = month.date() if isinstance(month, dt.datetime) else month
    return day.replace(day=1)
