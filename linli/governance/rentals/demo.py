"""The group-rental demo: 40 synthetic files in every stage, written through the verbs (as the
system) so each stage carries what the real path leaves behind: inspections with their
breaches and parameter versions, notices with working-day deadlines, joint enforcement by the
housing office and city management, re-inspections, and the cases the overdue sweep opens.

Dates are drawn back from today, so the stages stay current whenever the demo is loaded; the
draw itself is seeded.
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from linli.cases.models import Case
from linli.core import clock
from linli.core.access import Access
from linli.core.demo import DemoStep, in_home, present
from linli.core.models import Organisation
from linli.governance.rentals import services
from linli.governance.rentals.checks import RoomFacts
from linli.governance.rentals.models import GroupRental
from linli.people.models import Dwelling
from linli.registry.demo.context import DemoContext
from linli.registry.demo.organisations import HOUSING, URBAN_MANAGEMENT
from linli.registry.models import Quarter

Rooms = tuple[tuple[str, str, int, bool], ...]
# Crowded layouts (each breaks a rule) and lawful ones.
BREACHES: tuple[Rooms, ...] = (
    (("bedroom", "8", 2, False), ("bedroom", "8", 2, False), ("kitchen", "5", 0, False)),
    (("bedroom", "14", 2, False), ("balcony", "5", 1, False), ("living_room", "12", 2, False)),
    (("bedroom", "18", 4, False), ("living_room", "15", 0, False), ("bathroom", "4", 0, False)),
    (("bedroom", "12", 2, False), ("bedroom", "9", 2, False), ("storeroom", "4", 1, False)),
)
LAWFUL: tuple[Rooms, ...] = (
    (("bedroom", "14", 4, True), ("living_room", "12", 0, False), ("kitchen", "5", 0, False)),
    (("bedroom", "12", 2, False), ("bedroom", "10", 1, False), ("living_room", "14", 0, False)),
)
# How many files end in each state (40 in all).
PLAN: tuple[tuple[str, int], ...] = (
    ("lead", 7),
    ("inspected", 5),
    ("no_breach", 4),
    ("notice", 5),
    ("notice_overdue", 2),
    ("enforcement", 4),
    ("reinspection_overdue", 2),
    ("reinspection", 5),
    ("rectified", 6),
)
SOURCES = (
    GroupRental.Source.PATROL,
    GroupRental.Source.PATROL,
    GroupRental.Source.PROPERTY_MANAGER,
    GroupRental.Source.CASE,
)
TEXTS = (
    "网格巡查发现该户每天进出人员多，疑似群租。",
    "物业反映该户住了七八个人，有隔断。",
    "邻居反映该户床位出租，晚上很吵。",
    "楼组长反映阳台住人。",
)


def _rooms(spec: Rooms) -> list[RoomFacts]:
    return [
        RoomFacts(position=n, kind=k, area_m2=Decimal(a), sleepers=s, one_family=f)
        for n, (k, a, s, f) in enumerate(spec, start=1)
    ]


def _dwellings(rng: random.Random, count: int) -> list[Dwelling]:
    """Rented dwellings of buildings on the map, a few quarters' worth."""
    rented = list(
        Dwelling.objects.filter(
            tenure=Dwelling.Tenure.RENTED,
            unit__building__lon__isnull=False,
            unit__building__lat__isnull=False,
        )
        .select_related("unit__building__quarter")
        .order_by("pk")
    )
    if len(rented) < count:
        rented = list(Dwelling.objects.select_related("unit__building__quarter").order_by("pk"))
    return rng.sample(rented, min(count, len(rented)))


def load(ctx: DemoContext) -> int:
    subdistrict = ctx.subdistrict
    rng = ctx.rng("rentals")
    system = Access.system(subdistrict)
    today = clock.today()
    departments = list(
        Organisation.objects.filter(code__in=(HOUSING, URBAN_MANAGEMENT)).order_by("code")
    ) or list(Organisation.objects.filter(kind=Organisation.Kind.DEPARTMENT).order_by("pk")[:2])
    cases = list(
        Case.objects.filter(category__name__contains="群租")
        .order_by("pk")
        .values_list("pk", flat=True)[:20]
    )
    total = sum(n for _stage, n in PLAN)
    dwellings = iter(_dwellings(rng, total))
    written = 0
    for state, count in PLAN:
        for _ in range(count):
            dwelling = next(dwellings, None)
            if dwelling is None:
                return written
            written += _one(system, rng, dwelling, state, today, departments, cases)
    written += len(services.sweep_overdue(actor=system, today=today))
    free = [
        q
        for q in Quarter.objects.order_by("code")
        if services.open_files_in(q) == 0
        and GroupRental.objects.filter(dwelling__unit__building__quarter=q).exists()
    ][:2]
    for quarter in free:
        services.certify_quarter(quarter, actor=system, certified_on=today, note="演示数据")
        written += 1
    return written


def _one(
    system: Access,
    rng: random.Random,
    dwelling: Dwelling,
    state: str,
    today: dt.date,
    departments: list[Organisation],
    cases: list[int],
) -> int:
    def days(low: int, high: int) -> dt.timedelta:
        return dt.timedelta(rng.randint(low, high))

    # Enforcement this many days ago puts the re-inspections where the state needs them.
    enforced_ago = {
        "enforcement": (0, 15),
        "reinspection_overdue": (35, 55),
        "reinspection": (40, 80),
        "rectified": (100, 160),
    }
    if state in enforced_ago:
        noticed = today - days(*enforced_ago[state]) - dt.timedelta(14)
    elif state == "notice":
        noticed = today - days(0, 2)
    elif state == "notice_overdue":
        noticed = today - days(20, 30)
    else:
        noticed = today - days(1, 15)
    inspected = noticed - days(0, 2)
    reported = inspected - days(1, 5)
    source = rng.choice(SOURCES)
    case = None
    if source == GroupRental.Source.CASE:
        if cases:
            case = Case.objects.get(pk=rng.choice(cases))
        else:
            source = GroupRental.Source.PATROL
    group_rental = services.record_lead(
        dwelling,
        actor=system,
        source=source,
        description=rng.choice(TEXTS),
        reported_on=reported if state != "lead" else today - days(0, 20),
        case=case,
    )
    if state == "lead":
        return 1
    layout = rng.choice(LAWFUL if state == "no_breach" else BREACHES)
    services.record_inspection(
        group_rental, actor=system, rooms=_rooms(layout), inspected_on=inspected
    )
    if state in ("inspected", "no_breach"):
        return 2
    notice = services.issue_notice(group_rental, actor=system, issued_on=noticed)
    if state.startswith("notice"):
        return 3
    on = min(today, notice.deadline + days(0, 4))
    services.record_enforcement(
        group_rental,
        actor=system,
        on=on,
        departments=departments,
        result=rng.choice(("拆除隔断，清退超员租客。", "责令房东解除合同，租客已搬离。")),
    )
    first, second = group_rental.reinspections.order_by("due_on")
    if state in ("reinspection", "rectified"):
        services.record_reinspection(first, actor=system, compliant=True, done_on=first.due_on)
    if state == "rectified":
        services.record_reinspection(second, actor=system, compliant=True, done_on=second.due_on)
    return 6


STEPS = (
    DemoStep(
        "group rentals",
        in_home(load),
        present(GroupRental),
        after=("people.homes and residents", "cases.cases"),
    ),
)
