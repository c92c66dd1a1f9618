"""Read-side questions of the retention pages: who is overdue for a visit, how satisfied an
enterprise has been quarter by quarter, which appeal categories a visit can raise."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Max, QuerySet

from linli.cases.models import CaseEvent, Category, Satisfaction
from linli.core import clock
from linli.core.access import Access
from linli.core.calendar import local_zone
from linli.core.models import User
from linli.enterprise.retention.models import Visit, VisitPlan
from linli.enterprise.retention.risk import add_months
from linli.registry.models import Enterprise

SATISFIED = {Satisfaction.SATISFIED, Satisfaction.BASICALLY_SATISFIED}


@dataclass(frozen=True)
class VisitDue:
    """When an enterprise's next butler visit is due under the strictest plan covering it."""

    plan: VisitPlan
    last_visit: dt.date | None
    due_on: dt.date

    def overdue(self, today: dt.date | None = None) -> bool:
        return self.due_on <= (today or clock.today())

    def days_late(self, today: dt.date | None = None) -> int:
        return ((today or clock.today()) - self.due_on).days


def visits_due(enterprises: Iterable[Enterprise]) -> dict[int, VisitDue]:
    """The next visit due of each enterprise a plan covers, by enterprise id: the one place
    "a visit is overdue" is decided, for the overdue page, the enterprise list, its API and
    its export.

    Only enterprises with a butler and not closed are visited. A never-visited enterprise is
    due one plan period after the plan started. When several plans cover an enterprise, the
    strictest (shortest period) decides.
    """
    enterprises = [
        e for e in enterprises if e.butler_id is not None and e.status != Enterprise.Status.CLOSED
    ]
    plans = list(VisitPlan.objects.filter(active=True).order_by("every_months", "pk"))
    if not plans or not enterprises:
        return {}
    last = dict(
        Visit.objects.filter(enterprise_id__in=[e.pk for e in enterprises])
        .values("enterprise_id")
        .annotate(last=Max("visited_on"))
        .values_list("enterprise_id", "last")
    )
    found: dict[int, VisitDue] = {}
    for enterprise in enterprises:
        plan = next((p for p in plans if p.covers(enterprise)), None)
        if plan is None:
            continue
        seen = last.get(enterprise.pk)
        start = seen or plan.created_at.astimezone(local_zone()).date()
        found[enterprise.pk] = VisitDue(plan, seen, add_months(start, plan.every_months))
    return found


@dataclass(frozen=True)
class OverdueVisit:
    butler: User
    enterprise: Enterprise
    due: VisitDue
    today: dt.date

    @property
    def plan(self) -> VisitPlan:
        return self.due.plan

    @property
    def last_visit(self) -> dt.date | None:
        return self.due.last_visit

    @property
    def due_on(self) -> dt.date:
        return self.due.due_on

    @property
    def days_late(self) -> int:
        return self.due.days_late(self.today)


def overdue_visits(
    access: Access, *, today: dt.date | None = None
) -> dict[User, list[OverdueVisit]]:
    """Per butler, the enterprises ``access`` sees (a butler: the portfolio) that a plan wants
    visited by now and nobody has."""
    today = today or clock.today()
    # Only what the page shows and the plans read, and each butler loaded once: a leader's
    # list covers the whole sub-district.
    enterprises = list(
        Enterprise.objects.visible_to(access, "view_full")
        .filter(butler__isnull=False)
        .only("pk", "name", "butler_id", "status", "tags")
    )
    due = visits_due(enterprises)
    late = [e for e in enterprises if e.pk in due and due[e.pk].overdue(today)]
    butlers = User.objects.in_bulk({e.butler_id for e in late})
    found: dict[User, list[OverdueVisit]] = {}
    for enterprise in late:
        butler = butlers[enterprise.butler_id]
        found.setdefault(butler, []).append(
            OverdueVisit(butler, enterprise, due[enterprise.pk], today)
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
