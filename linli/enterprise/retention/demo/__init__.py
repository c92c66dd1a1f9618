"""Demo step: visit plans, a year of butler visits with notes, and the demands of the last weeks'
visits filed as enterprise-appeal cases, so that the relocation watch list has a plausible top.
The plans, notes and demands are in ``visits.yaml``.

Enterprises the registry already marks as moving out, and a few others, get a recent visit whose
notes mention moving (搬迁, 到期不续, …); key enterprises are visited about once a quarter, some of
them late, so the overdue list is not empty either.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from django_scopes import scope

from linli.cases.models import Category
from linli.core import clock
from linli.core.access import Access
from linli.core.demo import DemoStep, read_yaml
from linli.enterprise.retention.models import Visit, VisitPlan
from linli.enterprise.retention.services import Demand, log_visit
from linli.registry.demo.context import DemoContext
from linli.registry.models import Enterprise

_VISITS = read_yaml(Path(__file__).with_name("visits.yaml"))
PLANS: list[dict[str, Any]] = _VISITS["plans"]
PEOPLE: list[str] = _VISITS["people_met"]
TOPICS: list[str] = _VISITS["topics"]
NOTES: list[str] = _VISITS["notes"]
MOVING_NOTES: list[str] = _VISITS["moving_notes"]
# By case category: what the enterprise asks for, and the answers to its required questions.
DEMANDS: dict[str, str] = {code: d["text"] for code, d in _VISITS["demands"].items()}
ANSWERS: dict[str, dict[str, object]] = {
    code: d["answers"] for code, d in _VISITS["demands"].items()
}
RECENT_DEMANDS = 24  # visits of the last weeks whose demands become real cases


def loaded(ctx: DemoContext) -> bool:
    return VisitPlan.objects.filter(subdistrict=ctx.subdistrict).exists()


def load(ctx: DemoContext) -> int:
    rng = ctx.rng("retention")
    sd = ctx.subdistrict
    today = clock.today()
    plans = [VisitPlan(subdistrict=sd, **plan) for plan in PLANS]
    start = clock.now() - dt.timedelta(days=365)
    for plan in plans:
        plan.created_at = start
    VisitPlan.objects.bulk_create(plans)

    enterprises = list(
        Enterprise.objects.filter(subdistrict=sd, butler__isnull=False)
        .exclude(status=Enterprise.Status.CLOSED)
        .order_by("credit_code")
    )
    visits: list[Visit] = []

    def visit(enterprise: Enterprise, days_ago: int, notes: str) -> None:
        visits.append(
            Visit(
                subdistrict=sd,
                enterprise=enterprise,
                butler_id=enterprise.butler_id,
                visited_on=today - dt.timedelta(days=days_ago),
                people_met=rng.choice(PEOPLE),
                topics="、".join(rng.sample(TOPICS, 2)),
                notes=notes,
            )
        )

    for enterprise in enterprises:
        leaving = enterprise.status == Enterprise.Status.MOVING_OUT or rng.random() < 0.015
        if "key" in (enterprise.tags or []):
            # About quarterly; one in five has missed the latest round.
            days = [rng.randrange(q * 91, q * 91 + 60) for q in range(4)]
            if rng.random() < 0.2:
                days = days[1:]
        else:
            days = [rng.randrange(15, 360)] if rng.random() < 0.35 else []
        for n, ago in enumerate(sorted(days)):
            moving = leaving and n == 0
            visit(enterprise, ago, rng.choice(MOVING_NOTES if moving else NOTES))
        if leaving and not days:
            visit(enterprise, rng.randrange(10, 150), rng.choice(MOVING_NOTES))
    # Visits older than the recent window are history; the recent ones below go through the verb.
    Visit.objects.bulk_create([v for v in visits if v.visited_on < today - dt.timedelta(days=30)])

    categories = {
        c.code: c
        for c in Category.objects.filter(
            subdistrict=sd, kind=Category.Kind.ENTERPRISE_APPEAL, active=True, code__in=DEMANDS
        )
    }
    recent = [v for v in visits if v.visited_on >= today - dt.timedelta(days=30)]
    written = len(plans) + len(visits) - len(recent)
    with scope(subdistrict=sd):
        for n, v in enumerate(recent):
            raised = []
            if categories and n < RECENT_DEMANDS:
                for code in rng.sample(sorted(categories), rng.choice((1, 1, 2))):
                    raised.append(
                        Demand(categories[code], DEMANDS[code], extra=dict(ANSWERS[code]))
                    )
            log_visit(
                v.enterprise,
                actor=Access.for_user(v.enterprise.butler, sd),  # type: ignore[arg-type]
                visited_on=v.visited_on,
                people_met=v.people_met,
                topics=v.topics,
                notes=v.notes,
                demands=raised,
            )
            written += 1 + len(raised)
    return written


STEPS = (
    DemoStep(
        "butler visits",
        load,
        loaded,
        # Demands are filed in the cases step's categories.
        after=("registry.enterprises", "registry.staff accounts", "cases.cases"),
    ),
)
