"""The bookings step of the demo: rooms, desks and advisors at the enterprise service centre
and its building sub-centres, and a year of bookings with the outcomes a real centre sees.

Most past bookings were used (checked in, completed); some were cancelled in time, a few were
no-shows (each a strike for the enterprise), and some requests for the approval-only hall were
rejected. The coming two weeks hold confirmed bookings and requests awaiting approval. The
centre's queue services take 15-minute window appointments (resources ``CK-A``…``CK-D``).
Slots of one resource never overlap (buffers included), as the exclusion constraint demands.
The resources and what people book them for are in ``resources.yaml``.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from linli.core import clock
from linli.core.calendar import WorkCalendar, local_zone
from linli.core.demo import DemoStep, read_yaml
from linli.core.models import Membership, Organisation, Subdistrict
from linli.core.roles import ADMINS, Role
from linli.frontoffice.bookings.models import Booking, Resource, State, Strike, StrikeRule
from linli.registry.demo.context import DemoContext
from linli.registry.demo.organisations import ENTERPRISE_CENTRE
from linli.registry.models import Enterprise

HISTORY_DAYS = 365
AHEAD_DAYS = 14
MEMBER_SHARE = 0.03


@dataclass(frozen=True)
class ResourceSpec:
    code: str
    name: str
    kind: str
    advisor_field: str = ""
    capacity: int = 1
    location: str = ""
    hours: dict[str, list[list[str]]] | None = None  # weekday → periods; None: WEEKDAYS_ONLY
    approval: bool = False
    buffer_after: int = 0
    max_minutes: int = 240
    usual: int = 60
    equipment: tuple[str, ...] = ()
    quota_day: int | None = None
    quota_week: int | None = None
    busy: float = 1.5  # mean bookings per working day


_RESOURCES = read_yaml(Path(__file__).with_name("resources.yaml"))
WEEKDAYS_ONLY: dict[str, list[list[str]]] = _RESOURCES["opening_hours"]["weekdays"]
CENTRE = tuple(ResourceSpec(**spec) for spec in _RESOURCES["centre"])
SUBCENTRE = tuple(ResourceSpec(**spec) for spec in _RESOURCES["subcentre"])
PURPOSES: tuple[str, ...] = tuple(_RESOURCES["purposes"])
DURATIONS: tuple[int, ...] = tuple(_RESOURCES["durations"])


def _resources(ctx: DemoContext) -> list[tuple[Resource, ResourceSpec]]:
    sd = ctx.subdistrict
    places = Organisation.objects.filter(subdistrict=sd)
    centre = places.filter(code=ENTERPRISE_CENTRE).first()
    subcentres = list(places.filter(kind=Organisation.Kind.SUBCENTRE).order_by("code"))
    rows = []
    plan = [(centre, "", CENTRE)] if centre else []
    plan += [(sub, f"{sub.code}-", SUBCENTRE) for sub in subcentres]
    for place, prefix, specs in plan:
        for spec in specs:
            name = (
                spec.name if not prefix else f"{place.name.removeprefix('企业服务中心')}{spec.name}"
            )
            rows.append(
                (
                    Resource(
                        subdistrict=sd,
                        kind=spec.kind,
                        advisor_field=spec.advisor_field,
                        code=f"{prefix}{spec.code}",
                        name=name[:100],
                        place=place,
                        location=spec.location,
                        capacity=spec.capacity,
                        equipment=list(spec.equipment),
                        default_duration_minutes=spec.usual,
                        opening_hours=spec.hours or WEEKDAYS_ONLY,
                        approval_required=spec.approval,
                        buffer_after_minutes=spec.buffer_after,
                        max_duration_minutes=spec.max_minutes,
                        quota_per_day=spec.quota_day,
                        quota_per_week=spec.quota_week,
                        min_notice_minutes=1440 if spec.kind == "advisor" else 60,
                        window_days=60 if spec.approval else 30,
                        cancel_cutoff_minutes=1440 if spec.approval else 120,
                    ),
                    spec,
                )
            )
    Resource.objects.bulk_create([resource for resource, _spec in rows])
    return rows


@dataclass
class Bookers:
    """Who books for which enterprise. An enterprise with a demo account books itself (it has
    a small share of the bookings, so its account shows a history); the others book by phone or
    at the counter, entered by window staff. Sub-centre resources are booked by the enterprises
    of the buildings that sub-centre serves."""

    members: dict[int, int]  # enterprise id -> its member's user id
    staff_id: int
    enterprises: list[int]
    own: list[int]  # enterprises with a member

    def pick(self, rng: random.Random) -> tuple[int, int]:
        if self.own and rng.random() < MEMBER_SHARE:
            enterprise_id = rng.choice(self.own)
        else:
            enterprise_id = rng.choice(self.enterprises)
        return self.members.get(enterprise_id, self.staff_id), enterprise_id


@dataclass
class BookersByPlace:
    everyone: Bookers
    local: dict[int, Bookers]

    def at(self, place_id: int) -> Bookers:
        return self.local.get(place_id, self.everyone)


def _bookers(sd: Subdistrict) -> BookersByPlace | None:
    staff = (
        Membership.objects.filter(subdistrict=sd, role__in=[Role.WINDOW_STAFF, *ADMINS])
        .order_by("role", "user_id")
        .values_list("user_id", flat=True)
        .first()
    )
    members = dict(
        Membership.objects.filter(
            subdistrict=sd, role=Role.ENTERPRISE_MEMBER, enterprise__isnull=False
        ).values_list("enterprise_id", "user_id")
    )
    rows = list(
        Enterprise.objects.filter(subdistrict=sd, status=Enterprise.Status.ACTIVE)
        .order_by("pk")
        .values_list("pk", "building__subcentre_id")
    )
    if staff is None or not rows:
        return None
    by_place: dict[int, list[int]] = defaultdict(list)
    for enterprise_id, subcentre_id in rows:
        if subcentre_id is not None:
            by_place[subcentre_id].append(enterprise_id)

    def bookers(enterprises: list[int]) -> Bookers:
        own = [e for e in enterprises if e in members]
        return Bookers(members, staff, enterprises, own)

    return BookersByPlace(
        bookers([e for e, _s in rows]), {p: bookers(ids) for p, ids in by_place.items()}
    )


def load(ctx: DemoContext) -> int:
    sd = ctx.subdistrict
    rng = ctx.rng("bookings")
    StrikeRule.objects.create(subdistrict=sd, resource_kind="", strikes=3, period_days=30)
    resources = _resources(ctx)
    bookers = _bookers(sd)
    if bookers is None:
        return len(resources)
    zone = local_zone()
    now = clock.now()
    today = clock.today()
    calendar = WorkCalendar.for_subdistrict(sd)
    bookings: list[Booking] = []
    day = today - dt.timedelta(days=HISTORY_DAYS)
    while day <= today + dt.timedelta(days=AHEAD_DAYS):
        if calendar.is_workday(day):
            for resource, spec in resources:
                people = bookers.at(resource.place_id)
                for opens, closes in resource.periods.get(day.weekday(), []):
                    period = (
                        dt.datetime.combine(day, opens, zone),
                        dt.datetime.combine(day, closes, zone),
                    )
                    bookings += _period(resource, spec.busy, period, rng, now, people)
        day += dt.timedelta(days=1)
    Booking.objects.bulk_create(bookings, batch_size=2000)
    strikes = [
        Strike(
            subdistrict=sd,
            enterprise_id=b.enterprise_id,
            booking=b,
            resource_kind=b.resource.kind,
            at=b.start + dt.timedelta(minutes=b.resource.release_after_minutes),
        )
        for b in bookings
        if b.state == State.RELEASED_NO_SHOW and b.enterprise_id is not None
    ]
    Strike.objects.bulk_create(strikes, batch_size=2000)
    return len(resources) + len(bookings) + len(strikes)


def _period(
    resource: Resource,
    busy: float,
    period: tuple[dt.datetime, dt.datetime],
    rng: random.Random,
    now: dt.datetime,
    people: Bookers,
) -> list[Booking]:
    """Non-overlapping bookings of one opening period, with outcomes by their time."""
    opens, closes = period
    period_hours = (closes - opens).total_seconds() / 3600
    wanted = rng.random() * 2 * busy * min(1.0, period_hours / 8)
    cursor = opens
    rows = []
    while wanted >= 1 or (wanted > 0 and rng.random() < wanted):
        wanted -= 1
        gap = dt.timedelta(minutes=30 * rng.randint(0, 4))
        minutes = min(rng.choice(DURATIONS), resource.max_duration_minutes)
        start = cursor + gap
        end = start + dt.timedelta(minutes=minutes)
        if end > closes:
            break
        user_id, enterprise_id = people.pick(rng)
        state, checked_in = _outcome(resource, start, end, now, rng)
        rows.append(
            Booking(
                subdistrict_id=resource.subdistrict_id,
                resource=resource,
                booker_id=user_id,
                enterprise_id=enterprise_id,
                start=start,
                end=end,
                blocked_start=start - resource.buffer_before,
                blocked_end=end + resource.buffer_after,
                state=state,
                purpose=rng.choice(PURPOSES),
                checked_in_at=checked_in,
                reason="场地已安排其他活动" if state == State.REJECTED else "",
                reminded_at=start - dt.timedelta(hours=2) if start < now else None,
            )
        )
        cursor = end + resource.buffer_after + resource.buffer_before
    return rows


def _outcome(
    resource: Resource, start: dt.datetime, end: dt.datetime, now: dt.datetime, rng: random.Random
) -> tuple[str, dt.datetime | None]:
    roll = rng.random()
    if resource.approval_required and roll < 0.12:
        return State.REJECTED, None
    if roll > 0.9:
        return State.CANCELLED, None
    if start > now:
        return (
            State.PENDING_APPROVAL if resource.approval_required and roll < 0.5 else State.CONFIRMED
        ), None
    checked_in = start + dt.timedelta(minutes=rng.randint(-10, 8))
    if roll > 0.83:
        return State.RELEASED_NO_SHOW, None
    if end <= now:
        return State.COMPLETED, checked_in
    return (State.CHECKED_IN, checked_in) if checked_in <= now else (State.CONFIRMED, None)


def loaded(ctx: DemoContext) -> bool:
    return Resource.objects.filter(subdistrict=ctx.subdistrict).exists()


STEPS = (
    DemoStep(
        "bookings",
        load,
        loaded,
        after=(
            "registry.organisations",
            "registry.staff accounts",
            "registry.public accounts",
            # Independent of the investment pipeline: loading after it keeps every id of a
            # fresh load what it was when the steps were one list.
            "investment.investment pipeline",
        ),
    ),
)
