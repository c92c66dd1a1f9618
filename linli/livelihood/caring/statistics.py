"""Caring-visit coverage, computed in the database: visits due and done per quarter, grid and
visitor, and the coverage rate of a month (the national target: 100% monthly coverage).

A plan is *due* in a month when it is open on any day of it (every plan is visited at least
monthly); it is *done* when its person was reached (seen well, or with concerns) at least once
that month. Each figure is one aggregate query over the plans the reader may see.
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet, Value
from django.db.models.functions import Coalesce, NullIf

from linli.core.access import Access
from linli.livelihood.caring.models import DONE_OUTCOMES, CaringPlan, CaringVisit
from linli.livelihood.caring.rules import STATISTICS

BUILDING = "person__dwelling__unit__building"
GROUPS = {
    "quarter": (f"{BUILDING}__quarter_id", f"{BUILDING}__quarter__name"),
    "grid": (f"{BUILDING}__grid_id", f"{BUILDING}__grid__name"),
    "visitor": ("visitor_id", "visitor__display_name"),
}


@dataclass(frozen=True)
class Coverage:
    key: int | None
    name: str
    due: int
    done: int

    @property
    def rate(self) -> Decimal | None:
        """Done ÷ due, as a percentage with one decimal (None when nothing was due)."""
        if not self.due:
            return None
        return (Decimal(100 * self.done) / self.due).quantize(Decimal("0.1"), ROUND_HALF_UP)


def month_of(day: dt.date) -> tuple[dt.date, dt.date]:
    last = calendar.monthrange(day.year, day.month)[1]
    return day.replace(day=1), day.replace(day=last)


def due_in(plans: QuerySet[CaringPlan], first: dt.date, last: dt.date) -> QuerySet[CaringPlan]:
    """The plans open on some day of [first, last], annotated ``visited`` (reached in it)."""
    reached = CaringVisit.objects.filter(
        plan_id=OuterRef("pk"), on__gte=first, on__lte=last, outcome__in=DONE_OUTCOMES
    )
    return plans.filter(
        Q(starts_on__lte=last), Q(ended_on__isnull=True) | Q(ended_on__gte=first)
    ).annotate(visited=Exists(reached))


def coverage(access: Access, day: dt.date, by: str | None = None) -> list[Coverage]:
    """The month of ``day``: one row for the whole area (``by`` None), or one per quarter,
    grid or visitor."""
    first, last = month_of(day)
    plans = due_in(CaringPlan.objects.visible_to(access, STATISTICS), first, last)
    figures = {"due": Count("pk"), "done": Count("pk", filter=Q(visited=True))}
    if by is None:
        total = plans.aggregate(**figures)
        return [Coverage(None, "", total["due"], total["done"])]
    key, name = GROUPS[by]
    fallback = "visitor__username" if by == "visitor" else name
    rows: Any = (
        plans.values(key_=F(key), name_=Coalesce(NullIf(F(name), Value("")), F(fallback)))
        .annotate(**figures)
        .order_by("name_", "key_")
    )
    return [Coverage(r["key_"], r["name_"] or "", r["due"], r["done"]) for r in rows]


def visits_by_outcome(access: Access, day: dt.date) -> dict[str, int]:
    """The month's visits and calls, counted by outcome."""
    first, last = month_of(day)
    rows = (
        CaringVisit.objects.visible_to(access, STATISTICS)
        .filter(on__gte=first, on__lte=last)
        .values("outcome")
        .annotate(n=Count("pk"))
    )
    return {r["outcome"]: r["n"] for r in rows}


def overdue_count(access: Access, day: dt.date) -> int:
    return (
        CaringPlan.objects.visible_to(access, STATISTICS)
        .filter(ended_on__isnull=True, next_due_on__lt=day)
        .count()
    )
