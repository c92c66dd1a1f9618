"""Demo step: the homes and residents of each demo sub-district, generated on the fly.

Per quarter, as many dwellings as its population needs at about 2.5 persons a dwelling (about
12,000 for the 30,000 residents of the first home), in buildings of the quarter's age: before
2000 six or seven floors without a lift, later taller ones with lifts. Dwellings are rented
(about a fifth: old public housing let by the housing bureau, or a private owner's flat) or
vacant (a few percent); households have the sizes a central Shanghai sub-district has, with the
quarter's share of residents over 60 and about 600 elderly people living alone, tagged so.
About one resident in eight lives away from their registered residence (人户分离), most tenants
among them.

ID numbers are valid GB 11643 numbers of Jing'an (310106) with random birth dates and sequence
numbers: synthetic, never a real person's by design, though nothing can promise that a random
valid number was never issued. Mobile numbers are drawn the same way. Everything comes from the
step's own random stream and is written with ``bulk_create``.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field
from decimal import Decimal

from linli.core.demo import DemoStep, present
from linli.core.models import User
from linli.core.pii import encrypt, lookup_hash, resident_id_check_digit
from linli.people.models import (
    Dwelling,
    Household,
    LifeEvent,
    Ownership,
    Person,
    PersonTag,
    Rental,
    ResidentialBuilding,
    TagKind,
    Unit,
)
from linli.registry.demo.context import DemoContext
from linli.registry.demo.names import mobile_number, person_name
from linli.registry.models import Quarter

AREA_CODE = "310106"  # Jing'an district
REFERENCE = dt.date(2026, 1, 1)  # ages are drawn as of this day, so a load never depends on today
PERSONS_PER_DWELLING = 2.5
RENTED, VACANT = 0.2, 0.06
SIZES = (1, 2, 3, 4, 5)
SIZE_WEIGHTS = (0.2, 0.33, 0.27, 0.13, 0.07)
ELDERLY_SINGLE = 0.3  # of one-person households: an elderly person living alone
AWAY_FROM_REGISTRATION = 0.1  # of owners' households; most tenants too
HOUSING_BUREAU = "静安区房屋管理局（直管公房）"
ELSEWHERE = (
    "上海市普陀区",
    "上海市闸北区",
    "上海市杨浦区",
    "江苏省南通市",
    "安徽省合肥市",
    "浙江省宁波市",
    "河南省信阳市",
    "四川省成都市",
)


@dataclass
class Draft:
    """The rows of one home, before they are written."""

    buildings: list[ResidentialBuilding] = field(default_factory=list)
    # (building index, unit number) and the dwelling in that unit
    dwellings: list[tuple[tuple[int, str], Dwelling]] = field(default_factory=list)
    units: dict[tuple[int, str], Unit] = field(default_factory=dict)
    ids: set[str] = field(default_factory=set)


def _resident_id(rng: random.Random, born: dt.date, male: bool, taken: set[str]) -> str:
    while True:
        order = rng.randrange(0, 500) * 2 + (1 if male else 0)
        first17 = f"{AREA_CODE}{born:%Y%m%d}{order:03d}"
        number = first17 + resident_id_check_digit(first17)
        if number not in taken:
            taken.add(number)
            return number


def _born(rng: random.Random, age: int) -> dt.date:
    return REFERENCE - dt.timedelta(days=age * 365 + rng.randrange(365))


def _buildings(ctx: DemoContext, quarter: Quarter, dwellings: int, draft: Draft) -> None:
    rng = ctx.rng(f"people-buildings-{quarter.code}")
    old = (quarter.built_year or 1990) < 2000
    lons = [p[0] for ring in (quarter.polygon or {}).get("coordinates", [[]]) for p in ring]
    lats = [p[1] for ring in (quarter.polygon or {}).get("coordinates", [[]]) for p in ring]
    made, number = 0, 1
    while made < dwellings:
        floors = rng.choice((6, 6, 7)) if old else rng.choice((11, 14, 18, 24))
        units, per_floor = (rng.choice((2, 3, 4)), 2) if old else (2, 4)
        building = ResidentialBuilding(
            subdistrict=ctx.subdistrict,
            quarter=quarter,
            grid_id=quarter.grid_id,
            code=f"{quarter.code}-{number:02d}",
            number=f"{number}号楼",
            address=f"{quarter.address}{number}号" if quarter.address else "",
            floors=floors,
            built_year=(quarter.built_year or 1990) + rng.randrange(3),
            has_lift=not old,
            lon=rng.uniform(min(lons), max(lons)) if lons else None,
            lat=rng.uniform(min(lats), max(lats)) if lats else None,
        )
        index = len(draft.buildings)
        draft.buildings.append(building)
        for unit in range(1, units + 1):
            for floor in range(1, floors + 1):
                for door in range(1, per_floor + 1):
                    if made >= dwellings:
                        break
                    area = rng.uniform(38, 62) if old else rng.uniform(70, 140)
                    key = (index, f"{unit}单元")
                    draft.units.setdefault(
                        key, Unit(subdistrict=ctx.subdistrict, number=f"{unit}单元")
                    )
                    draft.dwellings.append(
                        (
                            key,
                            Dwelling(
                                subdistrict=ctx.subdistrict,
                                number=f"{floor}{door:02d}",
                                floor=floor,
                                floor_area_m2=Decimal(f"{area:.2f}"),
                                tenure=_tenure(rng),
                            ),
                        )
                    )
                    made += 1
        number += 1


def _tenure(rng: random.Random) -> str:
    roll = rng.random()
    if roll < VACANT:
        return Dwelling.Tenure.VACANT
    if roll < VACANT + RENTED:
        return Dwelling.Tenure.RENTED
    return Dwelling.Tenure.OWNER_OCCUPIED


@dataclass(frozen=True)
class Member:
    relation: str
    age: int


def _household(rng: random.Random, elderly_share: float) -> list[Member]:
    """The members of one household: the head and their relations, with ages."""
    size = rng.choices(SIZES, SIZE_WEIGHTS)[0]
    if size == 1:
        age = rng.randint(62, 94) if rng.random() < ELDERLY_SINGLE else rng.randint(22, 58)
        return [Member(Person.Relation.HEAD, age)]
    elderly_head = rng.random() < elderly_share * (1.4 if size == 2 else 0.55)
    head_age = rng.randint(60, 90) if elderly_head else rng.randint(28, 59)
    members = [Member(Person.Relation.HEAD, head_age)]
    members.append(Member(Person.Relation.SPOUSE, max(20, head_age + rng.randint(-4, 3))))
    for _ in range(size - 2):
        if not elderly_head and head_age < 50 and rng.random() < 0.35:
            parent = min(95, head_age + rng.randint(24, 32))
            members.append(Member(Person.Relation.PARENT, parent))
        elif head_age > 45:
            child = head_age - rng.randint(24, 34)
            members.append(
                Member(Person.Relation.CHILD, child)
                if child > 0
                else Member(Person.Relation.GRANDCHILD, rng.randint(1, 12))
            )
        else:
            members.append(Member(Person.Relation.CHILD, max(0, head_age - rng.randint(24, 34))))
    return members


def load(ctx: DemoContext) -> int:
    quarters = list(Quarter.objects.filter(subdistrict=ctx.subdistrict).order_by("code"))
    draft = Draft()
    for quarter in quarters:
        _buildings(ctx, quarter, round(quarter.population / PERSONS_PER_DWELLING), draft)
    ResidentialBuilding.objects.bulk_create(draft.buildings, batch_size=500)
    for (index, _number), unit in draft.units.items():
        unit.building = draft.buildings[index]
    Unit.objects.bulk_create(draft.units.values(), batch_size=1000)
    dwellings = []
    for key, dwelling in draft.dwellings:
        dwelling.unit = draft.units[key]
        dwellings.append(dwelling)
    Dwelling.objects.bulk_create(dwellings, batch_size=2000)
    return len(dwellings) + _residents(ctx, quarters, dwellings, draft.ids)


def _residents(
    ctx: DemoContext, quarters: list[Quarter], dwellings: list[Dwelling], taken: set[str]
) -> int:
    rng = ctx.rng("people-residents")
    by_quarter = {q.pk: q for q in quarters}
    households: list[Household] = []
    members: list[tuple[int, Member, Dwelling]] = []  # household index, member, dwelling
    for dwelling in dwellings:
        if dwelling.tenure == Dwelling.Tenure.VACANT:
            continue
        quarter = by_quarter[dwelling.unit.building.quarter_id]
        share = quarter.over_60 / quarter.population if quarter.population else 0.27
        households.append(
            Household(
                subdistrict=ctx.subdistrict,
                number=f"{quarter.code}-{len(households) + 1:05d}",
                dwelling=dwelling,
            )
        )
        for member in _household(rng, share):
            members.append((len(households) - 1, member, dwelling))
    Household.objects.bulk_create(households, batch_size=2000)
    persons = []
    for index, member, dwelling in members:
        male = rng.random() < 0.49
        born = _born(rng, member.age)
        number = _resident_id(rng, born, male, taken)
        mobile = mobile_number(rng) if member.age >= 16 and rng.random() < 0.85 else ""
        rented = dwelling.tenure == Dwelling.Tenure.RENTED
        away = rng.random() < (0.7 if rented else AWAY_FROM_REGISTRATION)
        persons.append(
            Person(
                subdistrict=ctx.subdistrict,
                name=person_name(rng),
                resident_id_cipher=encrypt(number),
                resident_id_hash=lookup_hash(number),
                mobile_cipher=encrypt(mobile),
                mobile_hash=lookup_hash(mobile),
                sex=Person.Sex.MALE if male else Person.Sex.FEMALE,
                birth_date=born,
                registered_address=rng.choice(ELSEWHERE) if away else "",
                registered_here=not away,
                dwelling=dwelling,
                household=households[index],
                relation=member.relation,
                status_since=_moved_in(rng, dwelling, member.age),
            )
        )
    Person.objects.bulk_create(persons, batch_size=2000)
    _link_the_demo_resident(ctx, persons)
    events = [
        LifeEvent(
            subdistrict=ctx.subdistrict,
            person=p,
            dwelling=p.dwelling,
            kind=kind,
            on=p.status_since or REFERENCE,
        )
        for p in persons
        for kind in (LifeEvent.Kind.REGISTERED, LifeEvent.Kind.MOVED_IN)
    ]
    LifeEvent.objects.bulk_create(events, batch_size=5000)
    return len(households) + len(persons) + _homes_records(ctx, rng, persons)


def _moved_in(rng: random.Random, dwelling: Dwelling, age: int) -> dt.date:
    years = rng.randint(0, 3) if dwelling.tenure == Dwelling.Tenure.RENTED else rng.randint(0, 30)
    return REFERENCE - dt.timedelta(days=min(years, age) * 365 + rng.randrange(365))


def _link_the_demo_resident(ctx: DemoContext, persons: list[Person]) -> None:
    """The demo resident's account is the head of the first household of the first quarter."""
    user = User.objects.filter(username=ctx.home.username("resident")).first()
    if user is not None and persons:
        Person.objects.filter(pk=persons[0].pk).update(user=user)


def _homes_records(ctx: DemoContext, rng: random.Random, persons: list[Person]) -> int:
    """Owners, rental records and the living-alone tags."""
    heads = {p.dwelling_id: p for p in persons if p.relation == Person.Relation.HEAD}
    tenants: dict[int, list[Person]] = {}
    for p in persons:
        tenants.setdefault(p.dwelling_id or 0, []).append(p)
    ownerships, rentals = [], []
    for head in heads.values():
        dwelling = head.dwelling
        assert dwelling is not None  # noqa: S101 - every demo resident has a dwelling
        if dwelling.tenure == Dwelling.Tenure.OWNER_OCCUPIED:
            ownerships.append(
                Ownership(
                    subdistrict=ctx.subdistrict,
                    dwelling=dwelling,
                    person=head,
                    share=Decimal(1),
                    exclusive_area_m2=dwelling.floor_area_m2,
                    since=head.status_since,
                )
            )
        else:
            if dwelling.floor_area_m2 < 62:
                ownerships.append(
                    Ownership(
                        subdistrict=ctx.subdistrict,
                        dwelling=dwelling,
                        organisation_name=HOUSING_BUREAU,
                        share=Decimal(1),
                        exclusive_area_m2=dwelling.floor_area_m2,
                    )
                )
            rentals.append(
                Rental(
                    subdistrict=ctx.subdistrict,
                    dwelling=dwelling,
                    starts_on=head.status_since or REFERENCE,
                    ends_on=(head.status_since or REFERENCE) + dt.timedelta(days=730),
                )
            )
    Ownership.objects.bulk_create(ownerships, batch_size=2000)
    Rental.objects.bulk_create(rentals, batch_size=2000)
    through = Rental.tenants.through
    through.objects.bulk_create(
        [
            through(rental_id=r.pk, person_id=t.pk)
            for r in rentals
            for t in tenants.get(r.dwelling_id, [])
        ],
        batch_size=5000,
    )
    alone = TagKind.objects.get(code="living_alone")
    sizes: dict[int, int] = {}
    for p in persons:
        sizes[p.household_id or 0] = sizes.get(p.household_id or 0, 0) + 1
    tags = [
        PersonTag(
            subdistrict=ctx.subdistrict,
            person=p,
            kind=alone,
            source=PersonTag.Source.SURVEY,
            valid_from=p.status_since or REFERENCE,
            reason="居委会入户走访确认独居",
        )
        for p in persons
        if sizes[p.household_id or 0] == 1
        and p.age_on(REFERENCE) is not None
        and (p.age_on(REFERENCE) or 0) >= 60
    ]
    PersonTag.objects.bulk_create(tags, batch_size=2000)
    return len(ownerships) + len(rentals) + len(tags)


STEPS = (
    DemoStep(
        "homes and residents",
        load,
        present(Person),
        after=("registry.grids and quarters", "registry.public accounts"),
    ),
)
