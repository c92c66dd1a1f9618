"""Demo caring visits: about 600 living-alone elders of the registry with visit plans, most
visited this month and some overdue; the demo volunteer visits a dozen of the first quarter's;
three 老伙伴 groups; a few alerts and a concern that became a case (opened through the verbs,
so they sit on the committee's workbench like any other case)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Q

from linli.core import clock
from linli.core.access import Access
from linli.core.demo import DemoStep, demo_account, in_home, present
from linli.core.models import Membership, Organisation, User
from linli.core.roles import Role
from linli.livelihood.caring import groups, planning, services
from linli.livelihood.caring.models import Alert, CaringPlan, CaringVisit, CompanionMember
from linli.people.models import Person
from linli.registry.demo.context import DemoContext

PLANS = 600
VOLUNTEER_LIST = 12
OVERDUE_SHARE = 0.12
GROUPS = 3
GROUP_SIZE = 5
BUILDING = "dwelling__unit__building"


def load(ctx: DemoContext) -> int:
    rng = ctx.rng("caring")
    today = clock.today()
    system = Access.system(ctx.subdistrict)
    starts = today - dt.timedelta(days=120)
    entitled: Any = planning.without_plan(today)  # annotated with ``alone``
    persons = list(
        entitled.filter(alone=True, dwelling__isnull=False)
        .order_by(f"{BUILDING}__quarter__code", "pk")
        .values_list("pk", f"{BUILDING}__quarter__committee_id")[:PLANS]
    )
    volunteer = User.objects.filter(username=ctx.home.username("volunteer")).first()
    first_committee = _first_committee(ctx)
    plans: list[CaringPlan] = []
    visits: list[CaringVisit] = []
    assigned = 0
    for pk, committee_id in persons:
        visitor = None
        if volunteer is not None and committee_id == first_committee and assigned < VOLUNTEER_LIST:
            visitor, assigned = volunteer, assigned + 1
        if rng.random() < OVERDUE_SHARE:
            last = today - dt.timedelta(days=rng.randint(34, 55))
        else:
            last = today - dt.timedelta(days=rng.randint(0, max(0, today.day - 1)))
        plan = CaringPlan(
            subdistrict=ctx.subdistrict,
            person_id=pk,
            reason=CaringPlan.Reason.LIVING_ALONE,
            visitor=visitor,
            starts_on=starts,
            last_visited_on=last,
            next_due_on=last + dt.timedelta(days=30),
        )
        plans.append(plan)
    CaringPlan.objects.bulk_create(plans, batch_size=1000)
    for plan in plans:
        assert plan.last_visited_on is not None  # noqa: S101 - set above
        for back in (0, 30):
            on = plan.last_visited_on - dt.timedelta(days=back)
            if on < starts:
                continue
            visits.append(
                CaringVisit(
                    subdistrict=ctx.subdistrict,
                    plan=plan,
                    person_id=plan.person_id,
                    visitor=plan.visitor,
                    kind=CaringVisit.Kind.HOME,
                    outcome=CaringVisit.Outcome.SEEN_WELL,
                    on=on,
                    note="",
                )
            )
    CaringVisit.objects.bulk_create(visits, batch_size=2000)
    written = len(plans) + len(visits)
    written += _groups(ctx, system, today)
    written += _alerts(ctx, system, plans)
    return written


def _first_committee(ctx: DemoContext) -> int | None:
    membership = (
        Membership.objects.filter(
            subdistrict=ctx.subdistrict,
            user__username=ctx.home.username("volunteer"),
            organisation__kind=Organisation.Kind.COMMITTEE,
        )
        .values_list("organisation_id", flat=True)
        .first()
    )
    return membership


def _groups(ctx: DemoContext, system: Access, today: dt.date) -> int:
    """Three 老伙伴 groups: a younger elder (60–69, not living alone) with a volunteer account
    and five older elders (80+) of the same quarter with no group yet."""
    young = planning.birth_cutoff(today, 60)
    old = planning.birth_cutoff(today, 80)
    leaders = list(
        Person.objects.filter(
            status=Person.Status.LIVING,
            user__isnull=True,
            birth_date__lte=young,
            birth_date__gt=planning.birth_cutoff(today, 70),
            dwelling__isnull=False,
        )
        .exclude(tags__kind__code="living_alone")
        .order_by(f"{BUILDING}__quarter__code", "pk")[: GROUPS * 20 : 20]
    )
    written = 0
    for index, leader in enumerate(leaders, start=1):
        user = demo_account(ctx.home.username(f"laohuoban{index}"), ctx.subdistrict)
        user.display_name = leader.name
        user.save()
        Membership.objects.get_or_create(
            user=user, subdistrict=ctx.subdistrict, role=Role.VOLUNTEER
        )
        Person.objects.filter(pk=leader.pk).update(user=user)
        leader.user = user
        quarter = leader.dwelling.unit.building.quarter_id  # type: ignore[union-attr]
        members = list(
            Person.objects.filter(
                status=Person.Status.LIVING,
                birth_date__lte=old,
                **{f"{BUILDING}__quarter_id": quarter},
            )
            .exclude(Q(pk=leader.pk) | Q(user__isnull=False))
            .exclude(
                pk__in=CompanionMember.objects.filter(left_on__isnull=True).values("person_id")
            )
            .order_by("pk")[:GROUP_SIZE]
        )
        if members:
            groups.form_group(system, leader=leader, members=members, on=today)
            written += 1 + len(members)
    return written


def _alerts(ctx: DemoContext, system: Access, plans: list[CaringPlan]) -> int:
    """A fall, a caregiver's call and a concern found on a visit: cases for the committee."""
    chosen = [p for p in plans if p.visitor_id is None][:2]
    kinds = [
        (Alert.Kind.FALL, "女儿来电：老人在卫生间摔倒，能说话但起不来。", "女儿"),
        (Alert.Kind.CAREGIVER_CALL, "护理员上门敲门无人应答，电话未接。", "护理员"),
    ]
    for plan, (kind, note, caller) in zip(chosen, kinds, strict=False):
        person = Person.objects.get(pk=plan.person_id)
        services.report_alert(system, person=person, kind=kind, note=note, caller_name=caller)
    concern = next((p for p in plans if p.visitor_id is not None), None)
    if concern is not None:
        assert concern.visitor is not None  # noqa: S101 - chosen so
        visitor = Access.for_user(concern.visitor, ctx.subdistrict)
        services.log_visit(
            visitor,
            CaringPlan.objects.get(pk=concern.pk),
            outcome=CaringVisit.Outcome.CONCERN,
            note="家中暖气坏了，老人说晚上很冷。",
        )
    return len(chosen) + (1 if concern is not None else 0)


STEPS = (
    DemoStep(
        "caring visits",
        in_home(load),
        present(CaringPlan),
        after=("people.homes and residents", "cases.cases"),
        accounts=("laohuoban1", "laohuoban2", "laohuoban3"),
    ),
)
