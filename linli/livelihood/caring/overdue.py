"""The overdue sweep: a visit overdue by N days reminds the visitor, then tells the residents'
committee; past a second limit it becomes a case (the parameters ``caring.remind_visitor_after_
days``, ``caring.remind_committee_after_days``, ``caring.case_after_days``, read on the day the
visit fell due and kept on each step).

Each step is one ``OverdueStep`` row per plan, due date and level under a unique key, written
in the transaction that does the step with the plan row locked: a second run, a second worker
or a restart finds the row and does nothing again. A visit logged moves the due date on, so
the next lapse starts afresh.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from linli.core import audit, parameters
from linli.core.access import Access
from linli.core.messaging import Message, notify_each
from linli.core.models import Membership, User
from linli.core.roles import STAFF
from linli.livelihood.caring import casework, categories
from linli.livelihood.caring.models import CaringPlan, OverdueStep

Level = OverdueStep.Level
LIMITS = {
    Level.VISITOR: "caring.remind_visitor_after_days",
    Level.COMMITTEE: "caring.remind_committee_after_days",
    Level.CASE: "caring.case_after_days",
}


@dataclass
class SweepReport:
    steps: dict[str, int] = field(default_factory=lambda: defaultdict(int))

    @property
    def total(self) -> int:
        return sum(self.steps.values())


def committee_staff(committee_id: int | None) -> list[User]:
    if committee_id is None:
        return []
    users = Membership.objects.filter(organisation_id=committee_id, role__in=STAFF).values(
        "user_id"
    )
    return list(User.objects.filter(pk__in=users, is_active=True))


def sweep(system: Access, today: dt.date) -> SweepReport:
    """Take every step now due for the open plans of the active sub-district."""
    report = SweepReport()
    timelines = {level: parameters.timeline(key) for level, key in LIMITS.items()}
    smallest = min(int(t.at(today).value) for t in timelines.values())
    candidates = (
        CaringPlan.objects.filter(
            ended_on__isnull=True, next_due_on__lte=today - dt.timedelta(days=smallest)
        )
        .select_related("person__dwelling__unit__building__quarter", "visitor")
        .order_by("pk")
    )
    done = defaultdict(set)
    for plan_id, due_on, level in OverdueStep.objects.filter(
        plan__in=candidates.values("pk")
    ).values_list("plan_id", "due_on", "level"):
        done[(plan_id, due_on)].add(level)
    for plan in candidates.iterator(chunk_size=500):
        late = (today - plan.next_due_on).days
        for level in (Level.VISITOR, Level.COMMITTEE, Level.CASE):
            version = timelines[level].at(plan.next_due_on)
            if late < int(version.value) or level in done[(plan.pk, plan.next_due_on)]:
                continue
            if _take(system, plan, level, int(version.value), version.pk, late):
                report.steps[level] += 1
    return report


def _take(
    system: Access, plan: CaringPlan, level: str, limit: int, version: int | None, late: int
) -> bool:
    with transaction.atomic():
        fresh = CaringPlan.objects.select_for_update().get(pk=plan.pk)
        if (
            fresh.ended_on is not None
            or fresh.next_due_on != plan.next_due_on
            or OverdueStep.objects.filter(plan=fresh, due_on=plan.next_due_on, level=level).exists()
        ):
            return False
        person = plan.person
        case = None
        committee = casework.committee_of(person)
        url = reverse("caring:plan", kwargs={"pk": plan.pk})
        title = _("Caring visit to %(person)s overdue by %(days)s days") % {
            "person": person.name,
            "days": late,
        }
        if level == Level.CASE:
            case = casework.open_case(
                actor=system,
                code=categories.OVERDUE,
                person=person,
                title=title,
                description=_(
                    "The caring visit due by %(day)s has not happened. Please visit or "
                    "assign a visitor."
                )
                % {"day": plan.next_due_on.isoformat()},
            )
        step = OverdueStep.objects.create(
            subdistrict=plan.subdistrict,
            plan=fresh,
            due_on=plan.next_due_on,
            level=level,
            days_limit=limit,
            limit_version=version,
            case=case,
        )
        audit.record(system, "caring.overdue.step", step, after=audit.snapshot(step))
        if level == Level.VISITOR and plan.visitor is not None:
            to = [plan.visitor]
        elif level == Level.COMMITTEE or (level == Level.VISITOR and plan.visitor is None):
            to = committee_staff(committee.pk if committee else None)
        else:
            to = []
        if to:
            notify_each(plan.subdistrict, [Message(to, title, "", url)])
    return True
