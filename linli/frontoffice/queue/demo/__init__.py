"""The queue step of the demo: a hall in the Enterprise Service Centre and one in each
sub-centre, their services and windows, and four weeks of past working days.

Window appointments people booked (bookings demo) and checked in to come in as appointment
tickets. The days are played through the real call order (``ordering``: booked slots, the
priority swap, first come first served) on an in-memory clock, then written with
``bulk_create`` with their historic times, so the statistics show what the rules would have
produced. The demo's window staff account (``window``) works window 1 of the centre. The halls,
their services and windows are in ``halls.yaml``.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import heapq
import random
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from linli.core import clock
from linli.core.calendar import WorkCalendar, local_zone, parse_business_hours
from linli.core.demo import DemoStep, read_yaml
from linli.core.models import Organisation, User
from linli.frontoffice.bookings.queries import window_appointments
from linli.frontoffice.queue import ordering
from linli.frontoffice.queue.models import (
    Counter,
    CounterService,
    DayCounter,
    Hall,
    Service,
    Ticket,
    TicketKind,
    TicketState,
)
from linli.registry.demo.context import DemoContext
from linli.registry.demo.organisations import ENTERPRISE_CENTRE

DAYS = 20  # working days of history
WINDOW_USERNAME = "window"

PRIORITY_SHARE = 0.12
NO_SHOW_SHARE = 0.04


@dataclass(frozen=True)
class HallSpec:
    """A kind of hall (``halls.yaml``): the centre's or a sub-centre's."""

    name: str  # {organisation}: the organisation's name
    services: tuple[tuple[str, str, float, float], ...]  # prefix, name, mean minutes, share
    windows: tuple[tuple[str, ...], ...]  # the service prefixes each window calls
    visitors: tuple[int, int]  # people a working day, drawn from
    appointments: dict[str, str]  # service prefix → bookings window resource

    @classmethod
    def from_data(cls, data: dict[str, Any]) -> HallSpec:
        low, high = data["visitors"]
        return cls(
            name=data["name"],
            services=tuple(
                (s["prefix"], s["name"], s["minutes"], s["share"]) for s in data["services"]
            ),
            windows=tuple(tuple(prefixes) for prefixes in data["windows"]),
            visitors=(low, high),
            appointments=data.get("appointments", {}),
        )


_HALLS = read_yaml(Path(__file__).with_name("halls.yaml"))
CENTRE_HALL = HallSpec.from_data(_HALLS["centre"])
SUBCENTRE_HALL = HallSpec.from_data(_HALLS["subcentre"])


def loaded(ctx: DemoContext) -> bool:
    return Hall.objects.filter(subdistrict=ctx.subdistrict).exists()


@dataclass
class Played:
    """One ticket of a played day, before it is written."""

    service: Service
    number: int
    kind: str
    priority_reason: str
    issued: dt.datetime
    no_show: bool
    duration: dt.timedelta
    slot_start: dt.datetime | None = None
    slot_end: dt.datetime | None = None
    booking_ref: int | None = None
    called: dt.datetime | None = None
    counter: Counter | None = None
    started: dt.datetime | None = None
    finished: dt.datetime | None = None


@dataclass
class HallPlan:
    hall: Hall
    services: list[tuple[Service, float, float]]  # service, mean minutes, share
    windows: list[tuple[Counter, list[Service]]]
    visitors: tuple[int, int]
    numbers: dict[tuple[int, dt.date], int] = field(default_factory=dict)
    # booking id, service, slot start, slot end, checked in at: the hall's kept appointments
    booked: list[tuple[int, Service, dt.datetime, dt.datetime, dt.datetime]] = field(
        default_factory=list
    )


def _hall(
    ctx: DemoContext, organisation: Organisation, spec: HallSpec, staff: User | None
) -> HallPlan:
    sd = ctx.subdistrict
    rng = ctx.rng(f"queue keys {organisation.code}")
    hall = Hall.objects.create(
        subdistrict=sd,
        organisation=organisation,
        name=spec.name.format(organisation=organisation.name),
        device_key=f"{rng.getrandbits(160):040x}",
    )
    by_prefix = {}
    planned = []
    for position, (prefix, label, minutes, share) in enumerate(spec.services):
        service = Service.objects.create(
            subdistrict=sd,
            hall=hall,
            prefix=prefix,
            name=label,
            position=position,
            default_service_minutes=round(minutes),
            appointment_resource=spec.appointments.get(prefix, ""),
        )
        by_prefix[prefix] = service
        planned.append((service, minutes, share))
    counters = []
    for number, prefixes in enumerate(spec.windows, start=1):
        counter = Counter.objects.create(
            subdistrict=sd, hall=hall, number=number, staff=staff if number == 1 else None
        )
        CounterService.objects.bulk_create(
            CounterService(subdistrict=sd, counter=counter, service=by_prefix[p]) for p in prefixes
        )
        counters.append((counter, [by_prefix[p] for p in prefixes]))
    return HallPlan(hall, planned, counters, spec.visitors)


def _arrivals(rng: random.Random, plan: HallPlan, day: dt.date, periods) -> list[Played]:
    zone = local_zone()
    count = rng.randint(*plan.visitors)
    minutes = [(s.hour * 60 + s.minute, e.hour * 60 + e.minute - 20) for s, e in periods]
    total = sum(end - start for start, end in minutes)
    played = []
    for _ in range(count):
        offset = rng.uniform(0, total)
        for start, end in minutes:
            if offset <= end - start:
                at = start + offset
                break
            offset -= end - start
        issued = dt.datetime.combine(day, dt.time(0), tzinfo=zone) + dt.timedelta(minutes=at)
        service, mean, _share = rng.choices(plan.services, weights=[s[2] for s in plan.services])[0]
        priority = rng.random() < PRIORITY_SHARE
        played.append(
            Played(
                service=service,
                number=0,
                kind=TicketKind.PRIORITY if priority else TicketKind.NORMAL,
                priority_reason=rng.choice(["elderly", "elderly", "disabled"]) if priority else "",
                issued=issued.replace(microsecond=0),
                no_show=rng.random() < NO_SHOW_SHARE,
                duration=dt.timedelta(minutes=max(1.5, rng.gauss(mean, mean / 3))),
            )
        )
    means = {s.pk: mean for s, mean, _share in plan.services}
    for booking_id, service, start, end, arrived in plan.booked:
        if clock.local_day(start) == day:
            played.append(
                Played(
                    service=service,
                    number=0,
                    kind=TicketKind.APPOINTMENT,
                    priority_reason="",
                    issued=arrived,
                    no_show=False,
                    duration=dt.timedelta(minutes=max(1.5, rng.gauss(means[service.pk], 2))),
                    slot_start=start,
                    slot_end=end,
                    booking_ref=booking_id,
                )
            )
    played.sort(key=lambda p: p.issued)
    for p in played:
        key = (p.service.pk, day)
        plan.numbers[key] = plan.numbers.get(key, 0) + 1
        p.number = plan.numbers[key]
    return played


def play_day(rng: random.Random, plan: HallPlan, day: dt.date, periods) -> list[Played]:
    """Arrivals through the day and the windows calling them by the real call order."""
    played = _arrivals(rng, plan, day, periods)
    rules = {
        s.pk: ordering.LineRule(s.priority_streak, dt.timedelta(minutes=s.appointment_lead_minutes))
        for s, _m, _w in plan.services
    }
    waiting: dict[int, list[ordering.Waiting]] = {s.pk: [] for s, _m, _w in plan.services}
    runs = dict.fromkeys(waiting, 0)
    events: list[tuple[dt.datetime, int, int]] = []  # (time, order, ticket index or -window)
    for i, p in enumerate(played):
        heapq.heappush(events, (p.issued, i, i))
    free = set(range(len(plan.windows)))
    order = len(played)
    while events:
        at, _o, what = heapq.heappop(events)
        if what >= 0:
            p = played[what]
            waiting[p.service.pk].append(
                ordering.Waiting(what, p.service.pk, p.kind, p.issued, p.slot_start, p.slot_end)
            )
        else:
            free.add(-what - 1)
        for w in sorted(free):
            counter, served = plan.windows[w]
            heads = [
                found
                for s in served
                if (found := ordering.head(waiting[s.pk], rules[s.pk], runs[s.pk], at))
            ]
            chosen = ordering.pick(heads)
            if chosen is None:
                continue
            waiting[chosen.service_id].remove(chosen)
            runs[chosen.service_id] = ordering.next_run(runs[chosen.service_id], chosen.kind)
            p = played[chosen.id]
            p.called, p.counter = at, counter
            if p.no_show:
                p.finished = at + dt.timedelta(minutes=3)
            else:
                p.started = at + dt.timedelta(seconds=rng.randint(30, 120))
                p.finished = p.started + p.duration
            free.discard(w)
            order += 1
            heapq.heappush(events, (p.finished, order, -w - 1))
    return played


def _ticket(ctx: DemoContext, rng: random.Random, p: Played, day: dt.date) -> Ticket:
    secret = f"{rng.getrandbits(128):032x}"
    return Ticket(
        subdistrict=ctx.subdistrict,
        service=p.service,
        day=day,
        number=p.number,
        kind=p.kind,
        priority_reason=p.priority_reason,
        channel=Ticket.Channel.KIOSK,
        state=TicketState.NO_SHOW if p.no_show else TicketState.DONE,
        queued_at=p.issued,
        issued_at=p.issued,
        called_at=p.called,
        last_called_at=p.called,
        started_at=p.started,
        finished_at=p.finished,
        calls=1,
        counter=p.counter,
        slot_start=p.slot_start,
        slot_end=p.slot_end,
        booking_ref=p.booking_ref,
        token_hash=hashlib.sha256(secret.encode()).hexdigest(),
    )


def _kept_appointments(plan: HallPlan, place: Organisation, first: dt.date, today: dt.date) -> None:
    """The window appointments people checked in to on the played days (bookings demo)."""
    services = {s.appointment_resource: s for s, _m, _w in plan.services if s.appointment_resource}
    zone = local_zone()
    since = dt.datetime.combine(first, dt.time(0), tzinfo=zone)
    until = dt.datetime.combine(today, dt.time(0), tzinfo=zone)
    for booking_id, code, start, end, arrived in window_appointments(place, since, until):
        if arrived is not None and code in services:
            plan.booked.append((booking_id, services[code], start, end, arrived))


def load(ctx: DemoContext) -> int:
    sd = ctx.subdistrict
    centre = Organisation.objects.filter(subdistrict=sd, code=ENTERPRISE_CENTRE).first()
    if centre is None:
        return 0
    staff = User.objects.filter(username=WINDOW_USERNAME, memberships__subdistrict=sd).first()
    plans = [_hall(ctx, centre, CENTRE_HALL, staff)]
    for sub in Organisation.objects.filter(
        subdistrict=sd, kind=Organisation.Kind.SUBCENTRE
    ).order_by("code"):
        plans.append(_hall(ctx, sub, SUBCENTRE_HALL, None))
    calendar = WorkCalendar.for_subdistrict(sd)
    periods = parse_business_hours(sd.business_hours)
    today = clock.local_day(clock.now())
    days: list[dt.date] = []
    day = today - dt.timedelta(days=1)
    while len(days) < DAYS:
        if calendar.is_workday(day):
            days.append(day)
        day -= dt.timedelta(days=1)
    _kept_appointments(plans[0], centre, min(days), today)
    rng = ctx.rng("queue days")
    tickets: list[Ticket] = []
    for day in sorted(days):
        for plan in plans:
            tickets += [_ticket(ctx, rng, p, day) for p in play_day(rng, plan, day, periods)]
    Ticket.objects.bulk_create(tickets, batch_size=2000)
    counters = [
        DayCounter(subdistrict=sd, service_id=service_id, day=day, last_number=number)
        for plan in plans
        for (service_id, day), number in plan.numbers.items()
    ]
    DayCounter.objects.bulk_create(counters, batch_size=2000)
    configured = sum(1 + len(p.services) + 2 * len(p.windows) for p in plans)
    return configured + len(tickets) + len(counters)


STEPS = (
    DemoStep(
        "queue",
        load,
        loaded,
        after=(
            "registry.organisations",
            "registry.staff accounts",
            # Kept window appointments become tickets.
            "bookings.bookings",
            # Independent of the joint inspections: loading after them keeps every id of a
            # fresh load what it was when the steps were one list.
            "inspections.joint inspections",
        ),
    ),
)
