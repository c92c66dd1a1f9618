"""Food-safety figures, each one database aggregate: inspections planned and done per grade in
a year, against the legal minimum of the grade."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q, QuerySet

from linli.core import parameters
from linli.enterprise.inspections.models import InspectionPlan
from linli.governance.foodsafety.models import EstablishmentQuerySet, Grade, ScheduledInspection
from linli.governance.foodsafety.parameters import inspections_key


@dataclass(frozen=True)
class GradeFigures:
    grade: str
    establishments: int
    planned: int
    done: int
    minimum: int  # inspections a year the grade must have at least, per establishment

    @property
    def required(self) -> int:
        return self.establishments * self.minimum


def per_grade(
    establishments: EstablishmentQuerySet,
    scheduled: QuerySet[ScheduledInspection],
    year: int,
) -> list[GradeFigures]:
    """Per effective grade: establishments, inspections planned (not cancelled) and done (a
    result recorded) in ``year``. The querysets are what the reader may see."""
    counted = dict(
        establishments.with_effective_grade()
        .values_list("effective")
        .annotate(n=Count("pk"))
        .order_by()
        .values_list("effective", "n")
    )
    active = scheduled.filter(year=year, plan__status=InspectionPlan.Status.PLANNED)
    rows: dict[str, Any] = {
        row["grade"]: row
        for row in active.values("grade")
        .annotate(
            planned=Count("pk", distinct=True),
            done=Count("pk", filter=Q(plan__results__isnull=False), distinct=True),
        )
        .order_by()
    }
    first_day = dt.date(year, 1, 1)
    return [
        GradeFigures(
            grade=grade,
            establishments=counted.get(grade, 0),
            planned=rows.get(grade, {}).get("planned", 0),
            done=rows.get(grade, {}).get("done", 0),
            minimum=int(parameters.value(inspections_key(grade, "min"), on=first_day).value),
        )
        for grade in Grade.values
    ]
