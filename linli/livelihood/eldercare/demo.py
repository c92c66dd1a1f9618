"""Demo step: elderly care of each demo sub-district, on the registry's elders.

About 900 elders of 60+ have a file and a care-needs assessment (grades in the shares a central
Shanghai sub-district sees), about 300 of grades 2–6 a home-care order with the home-care
provider (``JJYL``) and this month's visits: done up to now (a few missed), planned from now on,
so the demo caregiver has visits today whatever day the demo is loaded. Two care homes with
their beds and a waiting list, a comprehensive elderly service centre, and the day-care centres
run by the provider. Everything comes from the step's own random stream and ``bulk_create``.
"""

from __future__ import annotations

import datetime as dt
import random

from linli.core import clock
from linli.core.demo import DemoStep, present
from linli.core.models import Organisation, User
from linli.livelihood.eldercare import planner
from linli.livelihood.eldercare.models import (
    Assessment,
    CareOrder,
    CareVisit,
    ElderFile,
    grade_number,
)
from linli.livelihood.eldercare.services import add_months
from linli.people.models import Person, PersonTag, TagKind
from linli.registry.demo.context import DemoContext
from linli.registry.demo.organisations import HOME_CARE_PROVIDER
from linli.registry.models import Facility

ASSESSED = 900
HOME_CARE_ORDERS = 300
GRADES = ("normal", "1", "2", "3", "4", "5", "6")
GRADE_WEIGHTS = (0.1, 0.12, 0.2, 0.2, 0.16, 0.12, 0.1)
MISSED = 0.03
# code, name, beds, beds taken, waiting (the full one first: its waiting list always fills)
CARE_HOMES = (("EC-CH1", "延中养老院", 40, 40, 12), ("EC-CH2", "静安长者照护之家", 60, 52, 0))
CENTRE = ("EC-CTR", "社区综合为老服务中心")
LEGAL_BASIS = "长期护理保险申请（老年照护统一需求评估）"
ASSESSORS = ("静安区老年照护统一需求评估中心", "上海市第一评估所")


def _facilities(ctx: DemoContext, provider: Organisation) -> list[Facility]:
    """The care homes and the centre (next to an existing facility), and the provider as the
    operator of the day-care centres."""
    near = Facility.objects.filter(subdistrict=ctx.subdistrict).order_by("code").first()
    entrances = near.entrances if near else []
    quarter = near.quarter if near else None
    homes = [
        Facility(
            subdistrict=ctx.subdistrict,
            code=code,
            name=name,
            category=Facility.Category.CARE_HOME,
            entrances=entrances,
            capacity=beds,
            capacity_unit="床位",
            opening_hours="24/7",
            quarter=quarter,
            operator=provider,
        )
        for code, name, beds, _taken, _waiting in CARE_HOMES
    ]
    centre = Facility(
        subdistrict=ctx.subdistrict,
        code=CENTRE[0],
        name=CENTRE[1],
        category=Facility.Category.ELDERLY_SERVICE_CENTRE,
        entrances=entrances,
        opening_hours="Mo-Su 08:00-20:00",
        quarter=quarter,
        operator=provider,
    )
    Facility.objects.bulk_create([*homes, centre])
    Facility.objects.filter(
        subdistrict=ctx.subdistrict,
        category=Facility.Category.ELDERLY_DAY_CARE,
        operator__isnull=True,
    ).update(operator=provider)
    return homes


def _elders(ctx: DemoContext, rng: random.Random, today: dt.date) -> list[Person]:
    born_before = today.replace(year=today.year - 60)
    elders = list(
        Person.objects.filter(
            subdistrict=ctx.subdistrict,
            status=Person.Status.LIVING,
            dwelling__isnull=False,
            birth_date__lte=born_before,
        ).order_by("pk")
    )
    return sorted(rng.sample(elders, min(ASSESSED, len(elders))), key=lambda p: p.pk)


def _files_and_assessments(
    ctx: DemoContext, rng: random.Random, elders: list[Person], today: dt.date
) -> list[Assessment]:
    alone = set(
        PersonTag.objects.filter(
            subdistrict=ctx.subdistrict, kind__code="living_alone", ended_on__isnull=True
        ).values_list("person_id", flat=True)
    )
    ElderFile.objects.bulk_create(
        ElderFile(
            subdistrict=ctx.subdistrict,
            person=p,
            living=ElderFile.Living.ALONE
            if p.pk in alone
            else rng.choice((ElderFile.Living.SPOUSE, ElderFile.Living.FAMILY)),
        )
        for p in elders
    )
    kind = TagKind.objects.get(code="care_grade")
    assessments, tags = [], []
    for person in elders:
        grade = rng.choices(GRADES, GRADE_WEIGHTS)[0]
        # Within the last 23 months, and at least a month ago, so this month is covered.
        on = today - dt.timedelta(days=rng.randrange(35, 700))
        until = add_months(on, 24) - dt.timedelta(days=1)
        tag = PersonTag(
            subdistrict=ctx.subdistrict,
            person=person,
            kind=kind,
            grade=grade,
            source=PersonTag.Source.CIVIL_AFFAIRS,
            valid_from=on,
            valid_until=until,
            reason="老年照护统一需求评估",
            legal_basis=LEGAL_BASIS,
        )
        tags.append(tag)
        assessments.append(
            Assessment(
                subdistrict=ctx.subdistrict,
                person=person,
                grade=grade,
                assessed_on=on,
                valid_until=until,
                assessor=rng.choice(ASSESSORS),
                cognitive_impairment=grade_number(grade) >= 3 and rng.random() < 0.2,
                tag=tag,
            )
        )
    PersonTag.objects.bulk_create(tags, batch_size=2000)
    for assessment in assessments:
        assessment.tag_id = assessment.tag.pk if assessment.tag else None
    return Assessment.objects.bulk_create(assessments, batch_size=2000)


def _home_care(
    ctx: DemoContext,
    rng: random.Random,
    assessed: list[Assessment],
    provider: Organisation,
    today: dt.date,
) -> int:
    covered = [a for a in assessed if grade_number(a.grade) >= 2]
    chosen = rng.sample(covered, min(HOME_CARE_ORDERS, len(covered)))
    first, last = planner.month_bounds(today)
    orders = CareOrder.objects.bulk_create(
        CareOrder(
            subdistrict=ctx.subdistrict,
            person_id=a.person_id,
            kind=CareOrder.Kind.HOME_CARE,
            provider=provider,
            status=CareOrder.Status.SCHEDULED,
            requested_on=a.assessed_on + dt.timedelta(days=7),
            approved_on=a.assessed_on + dt.timedelta(days=14),
            grade=a.grade,
            entitled=True,
            slot_time=dt.time(rng.randrange(8, 17), rng.choice((0, 30))),
        )
        for a in chosen
    )
    caregiver = User.objects.filter(username="caregiver").first()
    now = clock.now()
    visits = []
    for order in orders:
        for visit in planner.plan(order, first, last):
            if visit.ends_at < now:
                if rng.random() < MISSED:
                    visit.status = CareVisit.Status.MISSED
                else:
                    late = dt.timedelta(minutes=rng.randrange(0, 15))
                    visit.status = CareVisit.Status.DONE
                    visit.caregiver = caregiver
                    visit.checked_in_at = visit.starts_at + late
                    visit.checked_out_at = visit.ends_at + late
                    visit.rating = rng.choice((4, 5, 5, 5)) if rng.random() < 0.3 else None
            visits.append(visit)
    CareVisit.objects.bulk_create(visits, batch_size=5000)
    return len(orders) + len(visits)


def _beds(
    ctx: DemoContext,
    rng: random.Random,
    assessed: list[Assessment],
    homes: list[Facility],
    provider: Organisation,
    today: dt.date,
) -> int:
    taken = set(
        CareOrder.objects.filter(subdistrict=ctx.subdistrict).values_list("person_id", flat=True)
    )
    pool = [a for a in assessed if a.person_id not in taken and grade_number(a.grade) >= 1]
    rng.shuffle(pool)
    rows = []
    for home, (_code, _name, _beds, occupied, waiting) in zip(homes, CARE_HOMES, strict=True):
        for n in range(min(occupied + waiting, len(pool))):
            a = pool.pop()
            in_bed = n < occupied
            entitled = grade_number(a.grade) >= 3 or a.cognitive_impairment
            rows.append(
                CareOrder(
                    subdistrict=ctx.subdistrict,
                    person_id=a.person_id,
                    kind=CareOrder.Kind.CARE_HOME_BED,
                    provider=provider,
                    facility=home,
                    status=CareOrder.Status.SCHEDULED if in_bed else CareOrder.Status.REQUESTED,
                    requested_on=today - dt.timedelta(days=rng.randrange(5, 400)),
                    grade=a.grade,
                    entitled=entitled,
                )
            )
    CareOrder.objects.bulk_create(rows)
    return len(rows)


def load(ctx: DemoContext) -> int:
    rng = ctx.rng("eldercare")
    today = clock.today()
    provider = Organisation.objects.get(subdistrict=ctx.subdistrict, code=HOME_CARE_PROVIDER)
    homes = _facilities(ctx, provider)
    elders = _elders(ctx, rng, today)
    assessed = _files_and_assessments(ctx, rng, elders, today)
    return (
        len(homes)
        + 2 * len(assessed)
        + _home_care(ctx, rng, assessed, provider, today)
        + _beds(ctx, rng, assessed, homes, provider, today)
    )


STEPS = (
    DemoStep(
        "elderly care",
        load,
        present(ElderFile),
        after=(
            "people.homes and residents",
            "registry.facilities",
            "registry.public accounts",
        ),
    ),
)
