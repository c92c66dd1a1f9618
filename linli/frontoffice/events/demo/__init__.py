"""Demo step: a year of Enterprise Service Center events of every type, and the next two months.

Past events have their registrations (seats in arrival order, a waitlist when an event was
popular, some cancellations), check-ins (most confirmed people came) and ratings (about half
of those who came). Upcoming events have registrations so far; the demo accounts "enterprise"
and "resident" hold a few places, so their "My registrations" shows QR codes. The attendees are
a pool of synthetic accounts that cannot sign in (no usable password). The kinds of events,
their titles and sizes are in ``events.yaml``.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass
from pathlib import Path

from django.contrib.auth.hashers import make_password

from linli.core import clock
from linli.core.calendar import local_zone
from linli.core.demo import DEMO_EMAIL_DOMAIN, DemoStep, read_yaml
from linli.core.models import Membership, Organisation, User
from linli.core.roles import Role
from linli.frontoffice.events.models import (
    PLACE_KINDS,
    Audience,
    Event,
    Registration,
    State,
    new_code,
)
from linli.registry.demo.context import DemoContext
from linli.registry.demo.names import display_name
from linli.registry.models import Enterprise

ATTENDEES = 160
PAST_DAYS, AHEAD_DAYS = 365, 60


@dataclass(frozen=True)
class EventKind:
    """What the events of one kind are like (``events.yaml``)."""

    titles: tuple[str, ...]
    audience: str  # events.Audience
    seats: tuple[int, int]  # drawn from
    starts_at: int  # hour
    hours: int
    weekends: bool = False  # held at weekends (only such kinds are)
    approval: bool = False  # places need approval
    description: str = ""
    agenda: tuple[tuple[int, str], ...] = ()  # (minutes after the start, title)


_EVENTS = read_yaml(Path(__file__).with_name("events.yaml"))
TOPICS: dict[str, EventKind] = {
    kind: EventKind(
        **{
            **data,
            "titles": tuple(data["titles"]),
            "seats": (data["seats"][0], data["seats"][1]),
            "description": data.get("description", "").strip(),
            "agenda": tuple((minutes, title) for minutes, title in data.get("agenda", [])),
        }
    )
    for kind, data in _EVENTS["kinds"].items()
}
ROOMS: tuple[str, ...] = tuple(_EVENTS["rooms"])
COMMENTS: tuple[str, ...] = tuple(_EVENTS["comments"])
DEMO_ACCOUNTS = ("enterprise", "resident")


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
            display_name=display_name(ctx.seed, name),
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
        kinds = [k for k, topic in TOPICS.items() if topic.weekends or not weekend]
        if rng.random() < (0.25 if weekend else 0.35):
            kind = rng.choice(kinds)
            topic = TOPICS[kind]
            starts = dt.datetime.combine(day, dt.time(topic.starts_at), zone)
            events.append(
                Event(
                    subdistrict=ctx.subdistrict,
                    kind=kind,
                    title=rng.choice(topic.titles),
                    description=topic.description,
                    agenda=[
                        {"time": f"{starts + dt.timedelta(minutes=m):%H:%M}", "title": title}
                        for m, title in topic.agenda
                    ],
                    audience=topic.audience,
                    place_id=rng.choice(places),
                    room=rng.choice(ROOMS),
                    starts_at=starts,
                    ends_at=starts + dt.timedelta(hours=topic.hours),
                    capacity=rng.randint(*topic.seats),
                    registration_opens_at=starts - dt.timedelta(days=14),
                    registration_closes_at=starts - dt.timedelta(hours=2),
                    seats_per_enterprise=3,
                    requires_approval=topic.approval,
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
    event.seats_held = seated
    event.waitlist_length = sum(row.state == State.WAITLISTED for row in rows)
    event.last_registered_at = moments[-1] if moments else None
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
    Event.objects.bulk_update(
        events,
        ["last_sequence", "seats_held", "waitlist_length", "last_registered_at"],
        batch_size=500,
    )
    return len(events) + len(registrations)


STEPS = (
    DemoStep(
        "events",
        load,
        loaded,
        after=(
            "registry.organisations",
            "registry.enterprises",
            "registry.public accounts",
            # Independent of the queue: loading after it keeps every id of a fresh load what it
            # was when the steps were one list.
            "queue.queue",
        ),
    ),
)
