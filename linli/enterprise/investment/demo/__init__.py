"""Demo step: vacant units in the buildings and ~80 prospects across stages and sources.

The units of a building add up to the vacant area the building reported, so the dashboards
show the same vacancy whichever figure they read. Registered prospects are linked to demo
enterprises founded in the last two tax years (their registration is the founding date);
open prospects are dated back from today, with next actions, some of them overdue. The one
demo ambassador owns most prospects; online enquiries nobody picked up yet have none. The
pipeline's shape and words are in ``prospects.yaml``.
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal
from pathlib import Path

from linli.core import clock
from linli.core.calendar import local_zone
from linli.core.demo import DemoStep, read_yaml
from linli.core.models import Membership
from linli.core.pii import encrypt, lookup_hash
from linli.core.roles import Role
from linli.enterprise.investment.models import (
    FORWARD,
    LostReason,
    NextAction,
    Prospect,
    Source,
    Stage,
    StageChange,
    VacantUnit,
)
from linli.registry.demo.context import DemoContext
from linli.registry.demo.names import mobile_number
from linli.registry.demo.places import LATEST_YEAR
from linli.registry.models import Building, Enterprise

_PIPELINE = read_yaml(Path(__file__).with_name("prospects.yaml"))
STAGE_COUNTS: dict[str, int] = _PIPELINE["stage_counts"]
SOURCE_WEIGHTS: dict[str, int] = _PIPELINE["source_weights"]
INDUSTRIES: tuple[str, ...] = tuple(_PIPELINE["industries"])
NAME_WORDS: tuple[str, ...] = tuple(_PIPELINE["name_words"])
NAME_KINDS: tuple[str, ...] = tuple(_PIPELINE["name_kinds"])
SURNAMES = "".join(_PIPELINE["contact_surnames"])
GIVEN: tuple[str, ...] = tuple(_PIPELINE["contact_given"])
ACTIONS: tuple[str, ...] = tuple(_PIPELINE["actions"])
UNIT_AREA = (150, 1500)  # m²


def _noon(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(10, 30), tzinfo=local_zone()).astimezone(dt.UTC)


def _units(ctx: DemoContext, rng: random.Random) -> list[VacantUnit]:
    """Split each building's reported vacant area into units on distinct floors."""
    units = []
    for building in Building.objects.filter(subdistrict=ctx.subdistrict).order_by("code"):
        left = building.vacant_area_m2
        floors = rng.sample(range(2, max(building.floors, 2) + 1), k=min(6, building.floors - 1))
        rent = building.rent_per_m2_day or Decimal("7.00")
        for floor in floors:
            if left < 50:
                break
            area = min(left, Decimal(rng.randint(*UNIT_AREA)))
            if left - area < 50:
                area = left
            units.append(
                VacantUnit(
                    subdistrict=ctx.subdistrict,
                    building=building,
                    label=f"{floor:02d}{rng.randint(1, 8):02d}",
                    floor=floor,
                    area_m2=area,
                    rent_per_m2_day=(rent * Decimal(rng.uniform(0.9, 1.1))).quantize(
                        Decimal("0.01")
                    ),
                    available_from=clock.today() + dt.timedelta(days=rng.randint(-200, 90)),
                )
            )
            left -= area
        if left >= 50 and units and units[-1].building_id == building.pk:
            # More vacant area than six units hold: the last unit takes the rest.
            units[-1].area_m2 += left
    return VacantUnit.objects.bulk_create(units)


def _name(rng: random.Random, taken: set[str]) -> str:
    # Words × kinds give fewer names than a large home needs: a numbered branch then keeps
    # names unique instead of drawing for ever.
    for _ in range(20):
        name = f"上海{rng.choice(NAME_WORDS)}{rng.choice(NAME_KINDS)}有限公司"
        if name not in taken:
            taken.add(name)
            return name
    name = f"上海{rng.choice(NAME_WORDS)}{rng.choice(NAME_KINDS)}第{len(taken) + 1}有限公司"
    taken.add(name)
    return name


def _path(stage: str, rng: random.Random) -> tuple[list[str], str]:
    """The stages a prospect went through to reach ``stage`` (and the reason, if lost)."""
    if stage == Stage.LOST:
        furthest = rng.choices(range(5), weights=(3, 4, 4, 3, 1))[0]
        return [*FORWARD[: furthest + 1], Stage.LOST], rng.choice(LostReason.values)
    return list(FORWARD[: FORWARD.index(stage) + 1]), ""


def load(ctx: DemoContext) -> int:
    rng = ctx.rng("investment")
    units = _units(ctx, rng)
    ambassador = (
        Membership.objects.filter(subdistrict=ctx.subdistrict, role=Role.AMBASSADOR)
        .order_by("id")
        .values_list("user_id", flat=True)
        .first()
    )
    recent = list(
        Enterprise.objects.filter(
            subdistrict=ctx.subdistrict,
            founded_on__year__gte=LATEST_YEAR - 1,
            building__isnull=False,
        ).order_by("founded_on", "credit_code")
    )
    registered_into = rng.sample(recent, k=min(STAGE_COUNTS[Stage.REGISTERED], len(recent)))
    today = clock.today()
    names: set[str] = set()
    plans = [stage for stage, n in STAGE_COUNTS.items() for _ in range(n)]
    prospects, histories = [], []
    for stage in plans:
        source = rng.choices(list(SOURCE_WEIGHTS), weights=list(SOURCE_WEIGHTS.values()))[0]
        enterprise = (
            registered_into.pop() if stage == Stage.REGISTERED and registered_into else None
        )
        if stage == Stage.REGISTERED and enterprise is None:
            stage = Stage.SIGNED
        path, reason = _path(stage, rng)
        end = enterprise.founded_on if enterprise else today - dt.timedelta(rng.randint(0, 40))
        steps = [rng.randint(4, 35) for _ in path[1:]]
        day = end - dt.timedelta(days=sum(steps))
        moments = [day]
        for gap in steps:
            day += dt.timedelta(days=gap)
            moments.append(day)
        area = Decimal(rng.randint(*UNIT_AREA))
        low = rng.randint(2, 20)
        phone = mobile_number(rng)
        prospect = Prospect(
            subdistrict=ctx.subdistrict,
            name=enterprise.name if enterprise else _name(rng, names),
            credit_code=enterprise.credit_code if enterprise else "",
            industry_code=enterprise.industry_code if enterprise else rng.choice(INDUSTRIES),
            source=source,
            ambassador_id=None if source == Source.ONLINE and rng.random() < 0.5 else ambassador,
            contact_name=rng.choice(SURNAMES) + rng.choice(GIVEN),
            contact_phone_cipher=encrypt(phone),
            contact_phone_hash=lookup_hash(phone),
            area_m2=area,
            floor_min=low,
            floor_max=low + rng.randint(3, 15),
            budget_per_m2_day=Decimal(rng.randint(50, 120)) / 10,
            expected_tax=Decimal(rng.choice((50, 120, 300, 800, 1500, 4000))),
            registered_capital=Decimal(rng.choice((100, 500, 1000, 5000))),
            headcount=rng.randint(5, 120),
            stage=path[-1],
            lost_reason=reason,
            created_at=_noon(moments[0]),
            stage_changed_at=_noon(moments[-1]),
            enterprise=enterprise,
        )
        prospects.append(prospect)
        histories.append((path, moments, reason))
    Prospect.objects.bulk_create(prospects)
    changes, actions = [], []
    for prospect, (path, moments, reason) in zip(prospects, histories, strict=True):
        previous = ""
        for step, day in zip(path, moments, strict=True):
            changes.append(
                StageChange(
                    subdistrict=ctx.subdistrict,
                    prospect=prospect,
                    at=_noon(day),
                    actor_id=prospect.ambassador_id,
                    from_stage=previous,
                    to_stage=step,
                    reason=reason if step == Stage.LOST else "",
                )
            )
            previous = step
        count = rng.randint(1, 2) if prospect.is_open else 0
        for _ in range(count):
            actions.append(
                NextAction(
                    subdistrict=ctx.subdistrict,
                    prospect=prospect,
                    title=rng.choice(ACTIONS),
                    due_on=today + dt.timedelta(days=rng.randint(-10, 21)),
                    created_at=prospect.stage_changed_at,
                    created_by_id=prospect.ambassador_id,
                )
            )
    StageChange.objects.bulk_create(changes)
    NextAction.objects.bulk_create(actions)
    return len(units) + len(prospects) + len(changes) + len(actions)


def loaded(ctx: DemoContext) -> bool:
    return Prospect.objects.filter(subdistrict=ctx.subdistrict).exists()


STEPS = (
    DemoStep(
        "investment pipeline",
        load,
        loaded,
        after=("registry.buildings", "registry.enterprises", "registry.staff accounts"),
    ),
)
