"""Demo step: about 150 catering establishments among the demo enterprises, a year of
inspections generated into the joint-inspection planner for the market-regulation office, and
results of part of the visits already made, with a few rectifications.

The establishments are the catering and hotel enterprises of the registry, topped up with the
largest other employers as staff canteens (a staff canteen holds a food business licence too).
A few caterers serve the elderly or schools or run a central kitchen, so count as grade D.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import F
from django_scopes import scope

from linli.core import clock
from linli.core.access import Access
from linli.core.demo import DemoStep, in_home, present
from linli.core.models import Organisation
from linli.enterprise.inspections import services as inspections
from linli.enterprise.inspections.models import InspectionPlan, InspectionResult, JointVisit
from linli.governance.foodsafety import services
from linli.governance.foodsafety.models import (
    Establishment,
    Grade,
    GradeChange,
    Kind,
)
from linli.registry.demo.context import DemoContext
from linli.registry.demo.organisations import MARKET_REGULATION
from linli.registry.models import Enterprise

ESTABLISHMENTS = 150
GRADES = (Grade.A, Grade.B, Grade.C, Grade.D)
GRADE_WEIGHTS = (0.25, 0.4, 0.25, 0.1)
SPECIAL = {Kind.ELDERLY: 6, Kind.SCHOOL: 5, Kind.CENTRAL_KITCHEN: 3}
RESULTS_SHARE = 0.7  # of the visits already past: the rest wait for their result
ISSUES = (
    "后厨地面油污，防鼠设施不全。",
    "部分从业人员健康证过期。",
    "进货查验记录不完整。",
    "冷藏设备温度记录缺失。",
)


def _pick(ctx: DemoContext) -> list[tuple[Enterprise, str]]:
    open_ = Enterprise.objects.exclude(status=Enterprise.Status.CLOSED).order_by("credit_code")
    caterers = list(open_.filter(industry_code__startswith="H62"))
    hotels = list(open_.filter(industry_code__startswith="H61"))
    taken = {e.pk for e in caterers + hotels}
    canteens = [e for e in open_.order_by("-headcount", "credit_code")[:400] if e.pk not in taken]
    chosen: list[tuple[Enterprise, str]] = []
    special = [kind for kind, n in SPECIAL.items() for _ in range(n)]
    for enterprise in caterers:
        chosen.append((enterprise, special.pop() if special else Kind.RESTAURANT))
    chosen += [(e, Kind.RESTAURANT) for e in hotels]
    chosen += [(e, Kind.CANTEEN) for e in canteens]
    return chosen[:ESTABLISHMENTS]


def load(ctx: DemoContext) -> int:
    rng = ctx.rng("food safety")
    sd = ctx.subdistrict
    system = Access.system(sd)
    today = clock.today()
    with scope(subdistrict=sd):
        regulator = Organisation.objects.filter(code=MARKET_REGULATION).first()
        if regulator is None:
            return 0
        establishments, gradings = [], []
        for i, (enterprise, kind) in enumerate(_pick(ctx)):
            grade = rng.choices(GRADES, GRADE_WEIGHTS)[0]
            graded_on = today - dt.timedelta(days=rng.randint(30, 700))
            establishments.append(
                Establishment(
                    subdistrict=sd,
                    enterprise=enterprise,
                    kind=kind,
                    licence_number=f"JY231010601{i:05d}",
                    licence_valid_until=today + dt.timedelta(days=rng.randint(-60, 1800)),
                    grade=grade,
                    graded_on=graded_on,
                )
            )
        Establishment.objects.bulk_create(establishments)
        for e in establishments:
            if rng.random() < 0.2:
                # An earlier grading, a grade lower or higher than today's.
                earlier = rng.choice([g for g in GRADES if g != e.grade])
                gradings.append(
                    GradeChange(
                        subdistrict=sd,
                        establishment=e,
                        grade=earlier,
                        graded_on=e.graded_on - dt.timedelta(days=365),
                        reason="年度风险等级评定",
                    )
                )
            gradings.append(
                GradeChange(
                    subdistrict=sd,
                    establishment=e,
                    grade=e.grade,
                    graded_on=e.graded_on,
                    reason="年度风险等级评定",
                )
            )
        GradeChange.objects.bulk_create(gradings)
        report = services.generate_inspections(system, year=today.year, department=regulator)
        written = len(establishments) + len(gradings) + report.planned
        past = (
            InspectionPlan.objects.filter(
                food_inspection__isnull=False,
                status=InspectionPlan.Status.PLANNED,
                joint_visit__status=JointVisit.Status.SCHEDULED,
                joint_visit__scheduled_on__lt=today,
            )
            .select_related("joint_visit", "enterprise")
            .order_by("joint_visit__scheduled_on", "pk")
        )
        for plan in past:
            if rng.random() > RESULTS_SHARE:
                continue
            issues = rng.random() < 0.2
            note = rng.choice(ISSUES) if issues else ""
            outcome = InspectionResult.Outcome.ISSUES if issues else InspectionResult.Outcome.PASSED
            inspections.record_result(plan, actor=system, outcome=outcome, notes=note)
            written += 1
            if issues:
                establishment = plan.food_inspection.establishment
                rectification = services.order_rectification(
                    establishment, actor=system, requirement=note, plan=plan
                )
                if rng.random() < 0.6:
                    services.follow_up_rectification(
                        rectification,
                        actor=system,
                        rectified=rng.random() < 0.85,
                        on=today,
                        notes="复查时仍未整改到位。",
                    )
                written += 1
        # The demo records results today for visits of the past weeks: date them to the visit.
        JointVisit.objects.filter(status=JointVisit.Status.DONE, visited_on=today).update(
            visited_on=F("scheduled_on")
        )
    return written


STEPS = (
    DemoStep(
        "catering establishments",
        in_home(load),
        present(Establishment),
        # Last of all (after the events), so that the earlier steps keep writing the same rows
        # with the same ids (audit entries, notifications) as before this step existed.
        after=("inspections.joint inspections", "events.events"),
    ),
)
