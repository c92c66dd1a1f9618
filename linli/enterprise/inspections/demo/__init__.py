"""Demo step: a quarter of joint inspections. The regulators (market regulation, fire and
rescue, tax, urban management, the public-safety office) plan checks of some forty enterprises
in the current quarter; plans of the same period merge into joint visits as they are added.
Visits whose date has passed have their results (mostly passed, some issues, a few follow-ups),
and a few plans were cancelled after merging. What each regulator checks, and the result notes,
are in ``inspections.yaml``."""

from __future__ import annotations

import datetime as dt
import random
from pathlib import Path

from django.db.models import F
from django_scopes import scope

from linli.core.access import Access
from linli.core.demo import DemoStep, read_yaml
from linli.core.models import Organisation
from linli.enterprise.inspections import services
from linli.enterprise.inspections.models import InspectionPlan, InspectionResult, JointVisit
from linli.enterprise.inspections.queries import Period
from linli.enterprise.inspections.rules import INSPECTING_KINDS
from linli.registry.demo.context import DemoContext
from linli.registry.models import Enterprise

ENTERPRISES = 40
_INSPECTIONS = read_yaml(Path(__file__).with_name("inspections.yaml"))
# Regulator (organisation code) → what it checks: the subject and the matters looked at.
SUBJECTS: dict[str, tuple[str, str]] = {
    code: (s["subject"], s["matters"]) for code, s in _INSPECTIONS["subjects"].items()
}
INSPECTORS: list[str] = _INSPECTIONS["inspectors"]
ISSUE_NOTES: list[str] = _INSPECTIONS["issue_notes"]
FOLLOW_UP_NOTES: list[str] = _INSPECTIONS["follow_up_notes"]


def loaded(ctx: DemoContext) -> bool:
    return InspectionPlan.objects.filter(subdistrict=ctx.subdistrict).exists()


def load(ctx: DemoContext) -> int:
    rng = ctx.rng("inspections")
    sd = ctx.subdistrict
    system = Access.system(sd)
    today = services.today()
    quarter = Period.quarter_of(today)
    days = (quarter.end - quarter.start).days
    with scope(subdistrict=sd):
        regulators = list(
            Organisation.objects.filter(kind__in=INSPECTING_KINDS, code__in=list(SUBJECTS))
        )
        if len(regulators) < 2:
            return 0
        enterprises = list(
            Enterprise.objects.exclude(status=Enterprise.Status.CLOSED)
            .filter(building__isnull=False)
            .order_by("credit_code")
        )
        written = 0
        for enterprise in rng.sample(enterprises, min(ENTERPRISES, len(enterprises))):
            # Most departments aim at around the same weeks; now and then one plans apart.
            focus = quarter.start + dt.timedelta(days=rng.randrange(0, max(days - 20, 1)))
            for regulator in rng.sample(regulators, rng.randint(2, min(4, len(regulators)))):
                start = focus + dt.timedelta(days=rng.randint(-5, 5))
                if rng.random() < 0.15:
                    start = quarter.start + dt.timedelta(days=rng.randrange(0, days - 10))
                start = max(quarter.start, start)
                end = min(quarter.end, start + dt.timedelta(days=rng.randint(14, 30)))
                subject, matters = SUBJECTS[regulator.code]
                services.plan_inspection(
                    actor=system,
                    enterprise=enterprise,
                    department=regulator,
                    subject=subject,
                    matters=matters,
                    window_start=start,
                    window_end=end,
                    inspectors=rng.choice(INSPECTORS),
                )
                written += 1
        written += _cancel_a_few(system)
        written += _record_past_visits(system, today, rng)
    return written


def _cancel_a_few(system: Access) -> int:
    """Every seventeenth merged plan is withdrawn after merging."""
    merged = list(InspectionPlan.objects.filter(joint_visit__isnull=False).order_by("pk"))[::17]
    for plan in merged:
        services.cancel_plan(plan, actor=system)
    return len(merged)


def _record_past_visits(system: Access, today: dt.date, rng: random.Random) -> int:
    written = 0
    past = JointVisit.objects.filter(status=JointVisit.Status.SCHEDULED, scheduled_on__lt=today)
    for visit in past.order_by("scheduled_on", "pk"):
        for plan in visit.plans.filter(status=InspectionPlan.Status.PLANNED).order_by("pk"):
            roll = rng.random()
            if roll < 0.7:
                outcome, notes = InspectionResult.Outcome.PASSED, ""
            elif roll < 0.9:
                outcome, notes = InspectionResult.Outcome.ISSUES, rng.choice(ISSUE_NOTES)
            else:
                outcome, notes = InspectionResult.Outcome.FOLLOW_UP, rng.choice(FOLLOW_UP_NOTES)
            services.record_result(plan, actor=system, outcome=outcome, notes=notes)
            written += 1
    # The demo records results today for visits of the past weeks: date them to the visit.
    JointVisit.objects.filter(status=JointVisit.Status.DONE).update(visited_on=F("scheduled_on"))
    return written


STEPS = (
    DemoStep(
        "joint inspections",
        load,
        loaded,
        after=("registry.organisations", "registry.enterprises"),
    ),
)
