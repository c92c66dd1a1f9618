"""Conversion and lead time of the pipeline, per ambassador and per source, and the funnel.

- conversion (closed): registered ÷ (registered + lost): how often a decided prospect is won;
- conversion (all): registered ÷ every prospect, open ones included;
- lead time: median days from recording the lead to registration, over registered prospects;
- funnel: how many prospects reached each stage (the furthest stage in their history, so a
  prospect lost after a site visit counts for lead … site visit).
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from linli.core.models import User
from linli.enterprise.investment.models import FORWARD, Prospect, Source, Stage, StageChange


@dataclass
class Figures:
    key: str
    label: str
    total: int = 0
    open: int = 0
    registered: int = 0
    lost: int = 0
    conversion_closed: float | None = None  # 0..1
    conversion_all: float | None = None
    median_days: float | None = None


@dataclass
class FunnelStep:
    stage: str
    label: str
    reached: int
    share: float | None  # of all prospects


@dataclass
class PipelineStatistics:
    overall: Figures
    by_ambassador: list[Figures]
    by_source: list[Figures]
    funnel: list[FunnelStep]


def _figures(key: str, label: str, prospects: list[Prospect]) -> Figures:
    registered = [p for p in prospects if p.stage == Stage.REGISTERED]
    lost = sum(1 for p in prospects if p.stage == Stage.LOST)
    days = [(p.stage_changed_at - p.created_at).total_seconds() / 86400 for p in registered]
    closed = len(registered) + lost
    return Figures(
        key=key,
        label=label,
        total=len(prospects),
        open=len(prospects) - closed,
        registered=len(registered),
        lost=lost,
        conversion_closed=len(registered) / closed if closed else None,
        conversion_all=len(registered) / len(prospects) if prospects else None,
        median_days=round(statistics.median(days), 1) if days else None,
    )


def _grouped(
    prospects: list[Prospect], key: Callable[[Prospect], str], label: Callable[[str], str]
) -> list[Figures]:
    groups: dict[str, list[Prospect]] = defaultdict(list)
    for prospect in prospects:
        groups[key(prospect)].append(prospect)
    rows = [_figures(k, label(k), members) for k, members in groups.items()]
    return sorted(rows, key=lambda f: (-f.registered, -f.total, f.label))


def _funnel(prospects: list[Prospect]) -> list[FunnelStep]:
    furthest: dict[int, int] = {}
    changes = StageChange.objects.filter(prospect_id__in=[p.pk for p in prospects]).values_list(
        "prospect_id", "to_stage"
    )
    for prospect_id, stage in changes:
        if stage in FORWARD:
            furthest[prospect_id] = max(furthest.get(prospect_id, 0), FORWARD.index(stage))
    total = len(prospects)
    steps = []
    for index, stage in enumerate(FORWARD):
        reached = sum(1 for p in prospects if furthest.get(p.pk, 0) >= index)
        steps.append(
            FunnelStep(stage, str(Stage(stage).label), reached, reached / total if total else None)
        )
    return steps


def pipeline_statistics(prospects: models.QuerySet[Prospect]) -> PipelineStatistics:
    rows = list(
        prospects.only("id", "stage", "source", "ambassador_id", "created_at", "stage_changed_at")
    )
    people = {u.pk: str(u) for u in User.objects.filter(pk__in={p.ambassador_id for p in rows})}
    sources = dict(Source.choices)
    return PipelineStatistics(
        overall=_figures("all", _("All prospects"), rows),
        by_ambassador=_grouped(
            rows,
            lambda p: str(p.ambassador_id or ""),
            lambda k: people.get(int(k), k) if k else _("No ambassador"),
        ),
        by_source=_grouped(rows, lambda p: p.source, lambda k: str(sources.get(k, k))),
        funnel=_funnel(rows),
    )


def _percent(value: float | None) -> Any:
    return None if value is None else round(value * 100, 1)


def statistics_table(stats: PipelineStatistics) -> Iterable[list[Any]]:
    """The statistics as rows for one Excel sheet: per ambassador, per source, the funnel."""
    header = [
        _("Group"),
        _("Name"),
        _("Prospects"),
        _("Open"),
        pgettext("prospect stage", "Registered"),
        _("Lost"),
        _("Conversion of closed (%)"),
        _("Conversion of all (%)"),
        _("Median days lead → registered"),
    ]
    yield header
    groups = [
        (_("All"), [stats.overall]),
        (_("Ambassador"), stats.by_ambassador),
        (_("Source"), stats.by_source),
    ]
    for group, rows in groups:
        for f in rows:
            yield [
                group,
                f.label,
                f.total,
                f.open,
                f.registered,
                f.lost,
                _percent(f.conversion_closed),
                _percent(f.conversion_all),
                f.median_days,
            ]
    yield []
    yield [_("Funnel"), _("Stage"), _("Prospects that reached it"), _("Share of all (%)")]
    for step in stats.funnel:
        yield [_("Funnel"), step.label, step.reached, _percent(step.share)]
