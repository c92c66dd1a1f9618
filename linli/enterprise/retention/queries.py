"""Read-side questions of the retention pages: who is overdue for a visit, how satisfied an
enterprise has been quarter by quarter, which appeal categories a visit can raise."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass

from django.db.models import Max, QuerySet

from linli.cases.models import CaseEvent, Category, Satisfaction
from linli.core import clock
from linli.core.access import Access
from linli.core.calendar import local_zone
from linli.core.models import User
from linli.enterprise.retention import rules
from linli.enterprise.retention.models import Visit, VisitPlan
from linli.enterprise.retention.risk import add_months
from linli.registry.models import Enterprise

SATISFIED = {Satisfaction.SATISFIED, Satisfaction.BASICALLY_SATISFIED}


@dataclass(frozen=True)
class OverdueVisit:
    butler: User
    enterprise: Enterprise
    plan: VisitPlan
    last_visit: dt.date | None
    due_on: dt.date

    @property
    def days_late(self) -> int:
        return (clock.today() - self.due_on).days


def overdue_visits(
    access: Access, *, today: dt.date | None = None
) -> dict[User, list[OverdueVisit]]:
    """Per butler, the portfolio enterprises a plan wants visited by now and nobody has.

    A never-visited enterprise is due one plan period after the plan started. When several plans
    cover an enterprise, the strictest (shortest period) decides.
    """
    today = today or clock.today()
    plans = list(VisitPlan.objects.filter(active=True).order_by("every_months"))
    if not plans:
        return {}
    enterprises = (
        rules.visible_enterprises(access, Enterprise.objects.filter(butler__isnull=False))
        .exclude(status=Enterprise.Status.CLOSED)
        .select_related("butler", "building")
    )
    if not access.has_any(rules.MANAGERS) and access.user is not None:
        enterprises = enterprises.filter(butler=access.user)
    last = dict(
        Visit.objects.filter(enterprise__in=enterprises)
        .values("enterprise_id")
        .annotate(last=Max("visited_on"))
        .values_list("enterprise_id", "last")
    )
    found: dict[User, list[OverdueVisit]] = {}
    for enterprise in enterprises:
        plan = next((p for p in plans if p.covers(enterprise)), None)
        if plan is None:
            continue
        seen = last.get(enterprise.pk)
        start = seen or plan.created_at.astimezone(local_zone()).date()
        due = add_months(start, plan.every_months)
        if due <= today:
            found.setdefault(enterprise.butler, []).append(  # type: ignore[arg-type]
                OverdueVisit(enterprise.butler, enterprise, plan, seen, due)  # type: ignore[arg-type]
            )
    for rows in found.values():
        rows.sort(key=lambda r: r.due_on)
    return dict(sorted(found.items(), key=lambda item: str(item[0])))


def quarter_of(moment: dt.datetime) -> str:
    local = moment.astimezone(local_zone())
    return f"{local.year}Q{(local.month - 1) // 3 + 1}"


def satisfaction_by_quarter(enterprise: Enterprise) -> list[dict[str, object]]:
    """Share of the enterprise's case callbacks that were (basically) satisfied, per quarter."""
    outcomes = CaseEvent.objects.filter(
        case__enterprise=enterprise, action="record_callback"
    ).values_list("at", "outcome")
    total: Counter[str] = Counter()
    happy: Counter[str] = Counter()
    for at, outcome in outcomes:
        quarter = quarter_of(at)
        total[quarter] += 1
        happy[quarter] += outcome in SATISFIED
    return [
        {
            "quarter": q,
            "callbacks": total[q],
            "satisfied": happy[q],
            "rate": round(happy[q] * 100 / total[q]),
        }
        for q in sorted(total)
    ]


def appeal_categories() -> QuerySet[Category]:
    """Active enterprise-appeal categories a demand can be filed under (leaves of the tree)."""
    return (
        Category.objects.filter(kind=Category.Kind.ENTERPRISE_APPEAL, active=True)
        .exclude(children__active=True)
        .order_by("code")
    )
