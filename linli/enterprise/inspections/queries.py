"""Figures of joint inspections: visits spared per enterprise, totals per department, the
schedule as rows for the Excel export.

"Visits spared" counts what an enterprise was actually spared: for the visits made (status
done) in the period, the departments' plans they covered minus the visits themselves. Three
departments coming together once spare the enterprise two visits. Visits still to be made show
as "to be spared" until they happen.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext as _

from linli.enterprise.inspections.models import InspectionPlan, InspectionResult, JointVisit
from linli.registry.models import Enterprise

ACTIVE = InspectionPlan.Status.PLANNED


@dataclass
class Period:
    start: dt.date
    end: dt.date

    @classmethod
    def quarter_of(cls, day: dt.date) -> Period:
        first_month = 3 * ((day.month - 1) // 3) + 1
        start = dt.date(day.year, first_month, 1)
        next_start = (
            dt.date(day.year + 1, 1, 1)
            if first_month == 10
            else dt.date(day.year, first_month + 3, 1)
        )
        return cls(start, next_start - dt.timedelta(days=1))


@dataclass
class EnterpriseSpared:
    enterprise: Enterprise
    plans: int
    visits_made: int
    plans_in_made: int
    visits_scheduled: int
    plans_in_scheduled: int

    @property
    def spared(self) -> int:
        return self.plans_in_made - self.visits_made

    @property
    def to_be_spared(self) -> int:
        return self.plans_in_scheduled - self.visits_scheduled


def _visits_in(period: Period) -> QuerySet[JointVisit]:
    return JointVisit.objects.filter(scheduled_on__range=(period.start, period.end))


def spared_by_enterprise(
    period: Period, enterprises: Iterable[int] | None = None
) -> list[EnterpriseSpared]:
    visits = _visits_in(period).annotate(
        n=Count("plans", filter=Q(plans__status=ACTIVE), distinct=True)
    )
    plans = InspectionPlan.objects.filter(
        status=ACTIVE, window_start__lte=period.end, window_end__gte=period.start
    )
    if enterprises is not None:
        ids = list(enterprises)
        visits = visits.filter(enterprise_id__in=ids)
        plans = plans.filter(enterprise_id__in=ids)
    rows: dict[int, dict[str, int]] = {}

    def row(enterprise_id: int) -> dict[str, int]:
        return rows.setdefault(
            enterprise_id,
            {
                "plans": 0,
                "visits_made": 0,
                "plans_in_made": 0,
                "visits_scheduled": 0,
                "plans_in_scheduled": 0,
            },
        )

    for enterprise_id, n in (
        plans.values("enterprise_id").annotate(n=Count("pk")).values_list("enterprise_id", "n")
    ):
        row(enterprise_id)["plans"] = n
    for visit in visits.values("enterprise_id", "status", "n"):
        figures = row(visit["enterprise_id"])
        if visit["status"] == JointVisit.Status.DONE:
            figures["visits_made"] += 1
            figures["plans_in_made"] += visit["n"]
        elif visit["status"] == JointVisit.Status.SCHEDULED:
            figures["visits_scheduled"] += 1
            figures["plans_in_scheduled"] += visit["n"]
    names = Enterprise.objects.in_bulk(list(rows))
    found = [EnterpriseSpared(names[pk], **figures) for pk, figures in rows.items()]
    return sorted(found, key=lambda r: (-r.spared, -r.to_be_spared, r.enterprise.name))


@dataclass
class DepartmentTotals:
    department: str
    plans: int
    cancelled: int
    visited: int
    joint: int
    passed: int
    issues: int
    follow_up: int


def totals_by_department(period: Period) -> list[DepartmentTotals]:
    plans = InspectionPlan.objects.filter(
        window_start__lte=period.end, window_end__gte=period.start
    ).select_related("department", "joint_visit")
    joint_sizes = dict(
        _visits_in(period)
        .annotate(n=Count("plans", filter=Q(plans__status=ACTIVE)))
        .values_list("pk", "n")
    )
    outcomes = dict(
        InspectionResult.objects.filter(plan__in=plans).values_list("plan_id", "outcome")
    )
    table: dict[int, DepartmentTotals] = {}
    for plan in plans:
        totals = table.setdefault(
            plan.department_id, DepartmentTotals(str(plan.department), 0, 0, 0, 0, 0, 0, 0)
        )
        if plan.status != ACTIVE:
            totals.cancelled += 1
            continue
        totals.plans += 1
        visit = plan.joint_visit
        if visit is not None and visit.status == JointVisit.Status.DONE:
            totals.visited += 1
            if joint_sizes.get(visit.pk, 0) > 1:
                totals.joint += 1
        outcome = outcomes.get(plan.pk)
        if outcome == InspectionResult.Outcome.PASSED:
            totals.passed += 1
        elif outcome == InspectionResult.Outcome.ISSUES:
            totals.issues += 1
        elif outcome == InspectionResult.Outcome.FOLLOW_UP:
            totals.follow_up += 1
    return sorted(table.values(), key=lambda t: t.department)


def schedule(visits: QuerySet[JointVisit]) -> QuerySet[JointVisit]:
    return (
        visits.exclude(status=JointVisit.Status.CANCELLED)
        .select_related("enterprise__building")
        .prefetch_related("plans__department", "plans__results")
        .order_by("scheduled_on", "id")
    )


def active_plans(visit: JointVisit) -> list[InspectionPlan]:
    return [p for p in visit.plans.all() if p.status == ACTIVE]


def schedule_rows(visits: Iterable[JointVisit]) -> Iterable[list[Any]]:
    yield [
        _("Date"),
        _("Enterprise"),
        _("Credit code"),
        _("Building"),
        _("Departments"),
        _("Inspection subjects"),
        _("Inspectors"),
        _("Window"),
        _("Status"),
    ]
    for visit in visits:
        plans = active_plans(visit)
        enterprise = visit.enterprise
        yield [
            visit.scheduled_on.isoformat(),
            enterprise.name,
            enterprise.credit_code,
            enterprise.building.name if enterprise.building else "",
            "; ".join(str(p.department) for p in plans),
            "; ".join(p.subject for p in plans),
            "; ".join(p.inspectors for p in plans if p.inspectors),
            f"{visit.window_start:%Y-%m-%d} – {visit.window_end:%Y-%m-%d}",
            str(visit.get_status_display()),
        ]
