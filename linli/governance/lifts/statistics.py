"""Figures of lift projects, for the statistics page, its Excel export and the cockpit.

Plain functions over a queryset of projects the caller has already cut to what the reader
may see (``Project.objects.visible_to(access)``); counts are grouped by the database.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Count, QuerySet

from linli.governance.lifts.models import Project, Stage, StageRecord


@dataclass(frozen=True)
class QuarterRow:
    quarter_id: int
    quarter: str
    by_stage: dict[int, int]

    @property
    def total(self) -> int:
        return sum(self.by_stage.values())


def by_stage(projects: QuerySet[Project]) -> dict[int, int]:
    """Projects per stage, every stage present (0 when none)."""
    counted = dict(
        projects.order_by().values_list("stage").annotate(n=Count("pk")).values_list("stage", "n")
    )
    return {stage.value: counted.get(stage.value, 0) for stage in Stage}


def by_quarter_and_stage(projects: QuerySet[Project]) -> list[QuarterRow]:
    rows = (
        projects.order_by()
        .values("unit__building__quarter_id", "unit__building__quarter__name", "stage")
        .annotate(n=Count("pk"))
    )
    quarters: dict[int, QuarterRow] = {}
    for r in rows:
        qid = r["unit__building__quarter_id"]
        row = quarters.setdefault(
            qid,
            QuarterRow(qid, r["unit__building__quarter__name"], {s.value: 0 for s in Stage}),
        )
        row.by_stage[r["stage"]] = r["n"]
    return sorted(quarters.values(), key=lambda q: q.quarter)


def days_per_stage(projects: QuerySet[Project], today: dt.date) -> dict[int, tuple[int, float]]:
    """Per stage: the number of projects that spent time in it and the mean days they spent
    (to the next stage, or to ``today`` for the stage a project is in now)."""
    dates: dict[int, dict[int, dt.date]] = defaultdict(dict)
    records = StageRecord.objects.filter(project__in=projects.values("pk")).values_list(
        "project_id", "stage", "reached_on"
    )
    for project_id, stage, day in records:
        dates[project_id][stage] = day
    spent: dict[int, list[int]] = defaultdict(list)
    for by_stage_day in dates.values():
        for stage, start in by_stage_day.items():
            if stage == Stage.IN_SERVICE:
                continue
            end = by_stage_day.get(stage + 1, today)
            spent[stage].append((end - start).days)
    return {
        stage.value: (len(spent[stage.value]), sum(spent[stage.value]) / len(spent[stage.value]))
        for stage in Stage
        if spent.get(stage.value)
    }


def late_registrations(projects: QuerySet[Project]) -> int:
    return projects.filter(registration_late=True).count()
