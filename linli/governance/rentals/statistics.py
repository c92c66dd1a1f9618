"""Group-rental figures, read through the reader's visibility: files by quarter and stage,
re-inspections due, and the certification status of each quarter. Plain functions over DB
aggregates, for the statistics page, its Excel export and the cockpit."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Count, Max, Q

from linli.core.access import Access
from linli.governance.rentals.models import Certification, GroupRental, ReInspection
from linli.registry.models import Quarter

STAGES = [stage for stage, _label in GroupRental.Stage.choices]
OPEN = ~Q(stage=GroupRental.Stage.CLOSED)


def by_stage(access: Access) -> dict[str, int]:
    """Files per stage, every stage present."""
    counts = dict(
        GroupRental.objects.visible_to(access)
        .values("stage")
        .annotate(n=Count("id"))
        .values_list("stage", "n")
    )
    return {stage: counts.get(stage, 0) for stage in STAGES}


@dataclass
class QuarterFigures:
    quarter_id: int
    name: str
    stages: dict[str, int] = field(default_factory=dict)
    certified_on: dt.date | None = None

    @property
    def open(self) -> int:
        return sum(n for stage, n in self.stages.items() if stage != GroupRental.Stage.CLOSED)

    @property
    def closed(self) -> int:
        return self.stages.get(GroupRental.Stage.CLOSED, 0)

    @property
    def certified(self) -> bool:
        """Certified, and still free: a file opened since puts the certificate in doubt."""
        return self.certified_on is not None and self.open == 0


def by_quarter(access: Access) -> list[QuarterFigures]:
    """Every quarter the reader works on that has a file or a certification, by name."""
    rows = (
        GroupRental.objects.visible_to(access)
        .values("dwelling__unit__building__quarter_id", "stage")
        .annotate(n=Count("id"))
    )
    figures: dict[int, QuarterFigures] = {}
    for row in rows:
        quarter_id = row["dwelling__unit__building__quarter_id"]
        entry = figures.setdefault(quarter_id, QuarterFigures(quarter_id, ""))
        entry.stages[row["stage"]] = row["n"]
    certified = (
        Certification.objects.visible_to(access)
        .values("quarter_id")
        .annotate(last=Max("certified_on"))
        .values_list("quarter_id", "last")
    )
    for quarter_id, last in certified:
        figures.setdefault(quarter_id, QuarterFigures(quarter_id, "")).certified_on = last
    names = dict(Quarter.objects.filter(pk__in=list(figures)).values_list("pk", "name"))
    for entry in figures.values():
        entry.name = names.get(entry.quarter_id, "")
        entry.stages = {stage: entry.stages.get(stage, 0) for stage in STAGES}
    return sorted(figures.values(), key=lambda e: e.name)


def reinspections_due(access: Access, *, on: dt.date, within_days: int = 30) -> list[ReInspection]:
    """Re-inspections not done that are due by ``on`` + ``within_days`` (overdue ones first)."""
    return list(
        ReInspection.objects.visible_to(access)
        .filter(done_on__isnull=True, cancelled=False, due_on__lte=on + dt.timedelta(within_days))
        .select_related("group_rental__dwelling__unit__building__quarter", "overdue_case")
        .order_by("due_on", "pk")
    )


def totals(access: Access, *, on: dt.date) -> dict[str, int]:
    """The headline figures: open and closed files, re-inspections overdue."""
    files = GroupRental.objects.visible_to(access).aggregate(
        open=Count("id", filter=OPEN), closed=Count("id", filter=~OPEN)
    )
    overdue = (
        ReInspection.objects.visible_to(access)
        .filter(done_on__isnull=True, cancelled=False, due_on__lt=on)
        .count()
    )
    return {"open": files["open"], "closed": files["closed"], "reinspections_overdue": overdue}
