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

from linli.core.access import Access
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


def _visits_in(period: Period, visits: QuerySet[JointVisit] | None) -> QuerySet[JointVisit]:
    found = JointVisit.objects.all() if visits is None else visits
    return found.filter(scheduled_on__range=(period.start, period.end))


def spared_by_enterprise(
    period: Period,
    enterprises: Iterable[int] | None = None,
    *,
    plans: QuerySet[InspectionPlan] | None = None,
    visits: QuerySet[JointVisit] | None = None,
) -> list[EnterpriseSpared]:
    """Per enterprise, among ``plans`` and ``visits`` (what the reader may see, read through
    ``visible_to``; every row of the sub-district when left out)."""
    visits = _visits_in(period, visits).annotate(
        n=Count("plans", filter=Q(plans__status=ACTIVE), distinct=True)
    )
    plans = (InspectionPlan.objects.all() if plans is None else plans).filter(
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


def totals_by_department(
    period: Period,
    *,
    plans: QuerySet[InspectionPlan] | None = None,
    visits: QuerySet[JointVisit] | None = None,
) -> list[DepartmentTotals]:
    """Per department, among ``plans`` and ``visits`` (as ``spared_by_enterprise``)."""
    plans = (
        (InspectionPlan.objects.all() if plans is None else plans)
        .filter(window_start__lte=period.end, window_end__gte=period.start)
        .select_related("department", "joint_visit")
    )
    joint_sizes = dict(
        _visits_in(period, visits)
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


@dataclass
class SparedFigures:
    """Visits spared per enterprise and totals per department in a period."""

    start: dt.date
    end: dt.date
    enterprises: list[EnterpriseSpared]
    departments: list[DepartmentTotals]

    @property
    def spared(self) -> int:
        return sum(r.spared for r in self.enterprises)

    @property
    def to_be_spared(self) -> int:
        return sum(r.to_be_spared for r in self.enterprises)


def spared_figures(access: Access, period: Period) -> SparedFigures:
    """The figures of the plans and visits ``access`` may see (page and API alike)."""
    plans = InspectionPlan.objects.visible_to(access)
    visits = JointVisit.objects.visible_to(access)
    return SparedFigures(
        period.start,
        period.end,
        spared_by_enterprise(period, plans=plans, visits=visits),
        totals_by_department(period, plans=plans, visits=visits),
    )


def schedule(visits: QuerySet[JointVisit]) -> QuerySet[JointVisit]:
    return (
        visits.exclude(status=JointVisit.Status.CANCELLED)
        .select_related("enterprise__building")
        .prefetch_related("plans__department", "plans__results")
        .order_by("scheduled_on", "id")
    )


def active_plans(visit: JointVisit) -> list[InspectionPlan]:
    return [p for p in visit.plans.all() if p.status == ACTIVE]


# The column that names a row in files (the same key as the API's ``id``).
KEY_COLUMN = "id"


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
        KEY_COLUMN,
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
            visit.pk,
        ]


def plan_rows(plans: Iterable[InspectionPlan]) -> Iterable[list[Any]]:
    """Plans read ``with_partners`` (the page's and the API's figures), as Excel rows."""
    yield [
        KEY_COLUMN,
        _("Enterprise"),
        _("Credit code"),
        _("Department"),
        _("Inspection subject"),
        _("Planned from"),
        _("Planned to"),
        _("Inspectors"),
        _("Status"),
        _("Joint visit on"),
        _("Other departments on the visit"),
        _("Outcome"),
    ]
    for plan in plans:
        result = next(iter(plan.results.all()), None)
        yield [
            plan.pk,
            plan.enterprise.name,
            plan.enterprise.credit_code,
            str(plan.department),
            plan.subject,
            plan.window_start.isoformat(),
            plan.window_end.isoformat(),
            plan.inspectors,
            str(plan.get_status_display()),
            plan.joint_visit.scheduled_on.isoformat() if plan.joint_visit else "",
            plan.partners,  # type: ignore[attr-defined]
            str(result.get_outcome_display()) if result else "",
        ]
