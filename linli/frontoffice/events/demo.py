"""Demo step: a year of Enterprise Service Center events of every type, and the next two months.

Past events have their registrations (seats in arrival order, a waitlist when an event was
popular, some cancellations), check-ins (most confirmed people came) and ratings (about half
of those who came). Upcoming events have registrations so far; the demo accounts "enterprise"
and "resident" hold a few places, so their "My registrations" shows QR codes. The attendees are
a pool of synthetic accounts that cannot sign in (no usable password).
"""

from __future__ import annotations

import datetime as dt
import random
from typing import TYPE_CHECKING

from django.contrib.auth.hashers import make_password

from linli.core import clock
from linli.core.calendar import local_zone
from linli.core.models import Membership, Organisation, User
from linli.core.roles import Role
from linli.frontoffice.events.models import (
    PLACE_KINDS,
    Audience,
    Event,
    Kind,
    Registration,
    State,
    new_code,
)
from linli.registry.demo.people import DEMO_EMAIL_DOMAIN
from linli.registry.models import Enterprise

if TYPE_CHECKING:
    from linli.registry.demo.load import DemoContext

ATTENDEES = 160
PAST_DAYS, AHEAD_DAYS = 365, 60

TOPICS: dict[str, tuple[tuple[str, ...], Audience, tuple[int, int], tuple[int, int]]] = {
    # kind: (titles, audience, (min, max) seats, (start hour, hours))
    Kind.TRAINING: (
        ("电子税务局申报实务培训", "跨境电商合规培训", "小微企业财务规范培训", "数据安全合规培训"),
        Audience.ENTERPRISES,
        (30, 60),
        (14, 2),
    ),
    Kind.LECTURE: (
        ("人工智能产业政策解读讲座", "知识产权保护讲座", "稳岗扩岗政策宣讲会"),
        Audience.ENTERPRISES,
        (60, 120),
        (9, 2),
    ),
    Kind.LEGAL_CLINIC: (
        ("律师坐堂：劳动合同答疑", "律师坐堂：股权与合同纠纷", "企业合规法律咨询日"),
        Audience.ENTERPRISES,
        (12, 20),
        (14, 3),
    ),
    Kind.HEALTH_SESSION: (
        ("白领颈椎健康讲座", "职场心理减压工作坊", "秋冬季流感预防讲座"),
        Audience.PUBLIC,
        (30, 50),
        (12, 1),
    ),
    Kind.SPORTS: (
        ("楼宇白领羽毛球赛", "苏州河健步走", "企业职工趣味运动会"),
        Audience.PUBLIC,
        (40, 100),
        (9, 3),
    ),
    Kind.CULTURAL_FESTIVAL: (
        ("中秋楼宇文化节", "新春游园会", "社区读书节"),
        Audience.PUBLIC,
        (100, 200),
        (18, 3),
    ),
}
DEMO_ACCOUNTS = ("enterprise", "resident")
COMMENTS = ("内容很实用，谢谢！", "讲师讲得很清楚。", "希望多办几场。", "时间有点短。", "")


def loaded(ctx: DemoContext) -> bool:
    return Event.objects.filter(subdistrict=ctx.subdistrict).exists()


def _attendees(ctx: DemoContext, rng: random.Random) -> list[tuple[User, int | None]]:
    """The pool: (account, enterprise id or None for a resident), taken over on a reload."""
    enterprises = list(
        Enterprise.objects.filter(
            subdistrict=ctx.subdistrict, status=Enterprise.Status.ACTIVE
        ).values_list("id", flat=True)
    )
    names = [f"demo-attendee-{ctx.home.code}-{n:03d}" for n in range(ATTENDEES)]
    existing = {u.username: u for u in User.objects.filter(username__in=names)}
    unusable = make_password(None)
    new = [
        User(
            username=name,
            email=f"{name}@{DEMO_EMAIL_DOMAIN}",
            password=unusable,
            home_subdistrict=ctx.subdistrict,
        )
        for name in names
        if name not in existing
    ]
    existing |= {u.username: u for u in User.objects.bulk_create(new)}
    pool: list[tuple[User, int | None]] = []
    memberships = []
    for name in names:
        user = existing[name]
        enterprise = rng.choice(enterprises) if enterprises and rng.random() < 0.75 else None
        role = Role.ENTERPRISE_MEMBER if enterprise else Role.RESIDENT
        memberships.append(
            Membership(subdistrict=ctx.subdistrict, user=user, role=role, enterprise_id=enterprise)
        )
        pool.append((user, enterprise))
    Membership.objects.bulk_create(memberships)
    for username in DEMO_ACCOUNTS:
        membership = (
            Membership.objects.filter(subdistrict=ctx.subdistrict, user__username=username)
            .select_related("user")
            .first()
        )
        if membership is not None:
            pool.append((membership.user, membership.enterprise_id))
    return pool


def _plan_events(ctx: DemoContext, rng: random.Random, places: list[int]) -> list[Event]:
    zone = local_zone()
    today = clock.today()
    events = []
    day = today - dt.timedelta(days=PAST_DAYS)
    while day <= today + dt.timedelta(days=AHEAD_DAYS):
        weekend = day.weekday() >= 5
        kinds = [Kind.SPORTS, Kind.CULTURAL_FESTIVAL] if weekend else list(TOPICS)
        if rng.random() < (0.25 if weekend else 0.35):
            kind = rng.choice(kinds)
            titles, audience, seats, (hour, hours) = TOPICS[kind]
            starts = dt.datetime.combine(day, dt.time(hour), zone)
            events.append(
                Event(
                    subdistrict=ctx.subdistrict,
                    kind=kind,
                    title=rng.choice(titles),
                    description="",
                    audience=audience,
                    place_id=rng.choice(places),
                    room=rng.choice(("多功能厅", "一号会议室", "二号会议室", "")),
                    starts_at=starts,
                    ends_at=starts + dt.timedelta(hours=hours),
                    capacity=rng.randint(*seats),
                    registration_opens_at=starts - dt.timedelta(days=14),
                    registration_closes_at=starts - dt.timedelta(hours=2),
                    seats_per_enterprise=3,
                    requires_approval=kind == Kind.LEGAL_CLINIC,
                    offer_hold_hours=24,
                    created_at=starts - dt.timedelta(days=20),
                )
            )
        day += dt.timedelta(days=1)
    return Event.objects.bulk_create(events)


def _registrations(
    event: Event, rng: random.Random, pool: list[tuple[User, int | None]], now: dt.datetime
) -> list[Registration]:
    """Who registered, in arrival order, and what became of each, as of ``now``."""
    eligible = [p for p in pool if event.audience == Audience.PUBLIC or p[1] is not None]
    opens = event.registration_opens_at
    window = (min(event.registration_closes_at, now) - opens).total_seconds()
    if window <= 0:
        return []
    if event.starts_at <= now:
        share = rng.uniform(0.5, 1.0)
    else:  # so far; one upcoming event in five is already full, with a waitlist
        share = 1.4 if rng.random() < 0.2 else rng.uniform(0.1, 0.6)
    # The demo's own accounts come first to every event they may join.
    own = [p for p in eligible if p[0].username in DEMO_ACCOUNTS]
    others = [p for p in eligible if p[0].username not in DEMO_ACCOUNTS]
    demand = min(len(others), int(event.capacity * rng.uniform(0.6, 1.3) * share))
    people = own + rng.sample(others, demand)
    moments = sorted(opens + dt.timedelta(seconds=rng.uniform(0, window)) for _ in people)
    ended = event.ends_at <= now
    rows = []
    seated = 0
    for sequence, ((user, enterprise), at) in enumerate(zip(people, moments, strict=True), 1):
        row = Registration(
            subdistrict_id=event.subdistrict_id,
            event=event,
            user=user,
            enterprise_id=enterprise if event.audience == Audience.ENTERPRISES else None,
            sequence=sequence,
            registered_at=at,
            code=new_code(),
        )
        if seated >= event.capacity:
            row.state = State.WAITLISTED if not ended else State.EXPIRED
        elif rng.random() < 0.06:
            row.state, row.cancelled_at = State.CANCELLED, at + dt.timedelta(days=1)
        elif event.requires_approval and not ended and rng.random() < 0.5:
            seated += 1
            row.state = State.PENDING_APPROVAL
        else:
            seated += 1
            row.state, row.confirmed_at = State.CONFIRMED, at
            if ended and rng.random() < 0.82:
                row.state = State.CHECKED_IN
                row.checked_in_at = event.starts_at - dt.timedelta(minutes=rng.randint(0, 30))
                if rng.random() < 0.5:
                    row.rating = rng.choices((5, 4, 3, 2), weights=(50, 35, 12, 3))[0]
                    row.comment = rng.choice(COMMENTS)
                    row.rated_at = event.ends_at + dt.timedelta(hours=rng.randint(1, 48))
            if ended or event.starts_at - now < dt.timedelta(hours=24):
                row.reminded_at = event.starts_at - dt.timedelta(hours=20)
        rows.append(row)
    event.last_sequence = len(rows)
    return rows


def load(ctx: DemoContext) -> int:
    rng = ctx.rng("events")
    places = list(
        Organisation.objects.filter(subdistrict=ctx.subdistrict, kind__in=PLACE_KINDS)
        .order_by("code")
        .values_list("id", flat=True)
    )
    if not places:
        return 0
    pool = _attendees(ctx, rng)
    events = _plan_events(ctx, rng, places)
    now = clock.now()
    registrations = [r for event in events for r in _registrations(event, rng, pool, now)]
    Registration.objects.bulk_create(registrations, batch_size=2000)
    Event.objects.bulk_update(events, ["last_sequence"], batch_size=500)
    return len(events) + len(registrations)
