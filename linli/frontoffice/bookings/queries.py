"""Read-side helpers: resources at a place, the day grid, a person's bookings."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import QuerySet

from linli.core import clock
from linli.core.access import Access
from linli.core.calendar import WorkCalendar, local_zone
from linli.core.models import Organisation
from linli.frontoffice.bookings import rules
from linli.frontoffice.bookings.arrival import arrival_code, arrival_secret, parse_code
from linli.frontoffice.bookings.checks import checkin_window, day_bounds, opening_periods
from linli.frontoffice.bookings.filters import ResourceFilter, bookable
from linli.frontoffice.bookings.models import (
    ACTIVE_STATES,
    QUOTA_STATES,
    Booking,
    Resource,
    ResourceKind,
)

GRID_STEP = dt.timedelta(minutes=30)
GRID_RANGE = dt.timedelta(days=400)  # a year back for history, the longest window ahead


def in_grid_range(day: dt.date) -> bool:
    today = clock.today()
    return today - GRID_RANGE <= day <= today + GRID_RANGE


def resources_at(organisation: Organisation, access: Access | None = None) -> QuerySet[Resource]:
    """The bookable resources of the centre or of one sub-centre (the Park Assistant asks), as
    ``access`` may see them (every signed-in role sees every resource)."""
    found = Resource.objects.filter(place=organisation, is_active=True)
    if access is not None:
        found = found.visible_to(access)
    return found.order_by("kind", "code")


@dataclass(frozen=True)
class Arrival:
    """A window appointment found by its code: the booking, when it may be checked in, and
    the secret of the queue ticket it leads to."""

    booking: Booking
    resource_code: str
    opens: dt.datetime
    closes: dt.datetime
    secret: str


# A short code is looked up among the place's window bookings this far around today, so a
# code for another day is recognised (and refused as such) rather than unknown.
ARRIVAL_SEARCH = (dt.timedelta(days=31), dt.timedelta(days=93))


def booking_for_arrival(code: str, place: Organisation, *, now: dt.datetime) -> Arrival | None:
    """The window appointment at ``place`` whose QR code or short code this is, in any state
    (the caller decides what each state means), or None. Call inside the place's scope."""
    token, short = parse_code(code)
    bookings = Booking.objects.filter(
        resource__place=place, resource__kind=ResourceKind.WINDOW
    ).select_related("resource")
    booking: Booking | None = None
    if token:
        booking = bookings.filter(checkin_token=token).first()
    elif short:
        before, after = ARRIVAL_SEARCH
        nearby = bookings.filter(start__gte=now - before, start__lt=now + after)
        booking = next((b for b in nearby if arrival_code(b) == short), None)
    if booking is None:
        return None
    opens, closes = checkin_window(booking)
    return Arrival(booking, booking.resource.code, opens, closes, arrival_secret(booking))


def window_appointments(place: Organisation, since: dt.datetime, until: dt.datetime) -> list:
    """``(booking id, resource code, start, end, checked in at)`` of the window appointments
    at ``place`` that held their slot and started in ``[since, until)`` (the queue's demo)."""
    return list(
        Booking.objects.filter(
            resource__place=place,
            resource__kind=ResourceKind.WINDOW,
            state__in=QUOTA_STATES,
            start__gte=since,
            start__lt=until,
        )
        .order_by("start")
        .values_list("pk", "resource__code", "start", "end", "checked_in_at")
    )


def places() -> QuerySet[Organisation]:
    """Organisations that have bookable resources: the centre and its sub-centres."""
    return (
        Organisation.objects.filter(bookable_resources__isnull=False)
        .distinct()
        .order_by("kind", "name")
    )


def visible_bookings(access: Access) -> QuerySet[Booking]:
    """The bookings ``access`` may see (the bookings policy in ``rules``), ready to show."""
    return Booking.objects.visible_to(access).select_related(
        "resource", "resource__place", "enterprise", "booker"
    )


def my_bookings(access: Access) -> QuerySet[Booking]:
    """The person's own bookings and those of their enterprises, newest first."""
    return (
        visible_bookings(access).filter(rules.own_or_enterprise(access)).order_by("-start", "-pk")
    )


@dataclass
class Cell:
    start: dt.datetime
    status: str  # "closed", "past", "free", "busy", "mine"


@dataclass
class Row:
    resource: Resource
    cells: list[Cell] = field(default_factory=list)


@dataclass
class Grid:
    day: dt.date
    times: list[dt.datetime]
    rows: list[Row]

    @property
    def previous(self) -> dt.date:
        return self.day - dt.timedelta(days=1)

    @property
    def next(self) -> dt.date:
        return self.day + dt.timedelta(days=1)


def day_grid(access: Access, day: dt.date, filters: ResourceFilter | None = None) -> Grid:
    """Resources (those the filters keep) × half-hour slots of one day: closed, free, taken,
    or taken by you."""
    resources = list(
        bookable(Resource.objects.visible_to(access), filters or ResourceFilter()).select_related(
            "subdistrict"
        )
    )
    calendar = WorkCalendar.for_subdistrict(access.subdistrict)
    begin, end = day_bounds(day)
    hours = {r.pk: opening_periods(r, day, calendar) for r in resources}
    spans = [p for periods in hours.values() for p in periods]
    if spans:
        first = min(a for a, _b in spans)
        last = max(b for _a, b in spans)
    else:
        first = dt.datetime.combine(day, dt.time(9), local_zone())
        last = dt.datetime.combine(day, dt.time(18), local_zone())
    times = []
    moment = first
    while moment < last:
        times.append(moment)
        moment += GRID_STEP
    taken: dict[int, list[Booking]] = {}
    for booking in Booking.objects.visible_to(access, "availability").filter(
        resource__in=resources,
        state__in=ACTIVE_STATES,
        blocked_start__lt=end,
        blocked_end__gt=begin,
    ):
        taken.setdefault(booking.resource_id, []).append(booking)
    # "Yours": the person's own and their enterprises' (staff see every booking, and the
    # grid still names none of them).
    own = (
        set(
            Booking.objects.visible_to(access)
            .filter(
                rules.own_or_enterprise(access),
                resource__in=resources,
                start__lt=end,
                end__gt=begin,
            )
            .values_list("pk", flat=True)
        )
        if not rules.is_booking_staff(access)
        else set()
    )
    rows = []
    now = clock.now()
    for resource in resources:
        row = Row(resource)
        for slot in times:
            slot_end = slot + GRID_STEP
            status = "closed"
            if any(a <= slot and slot_end <= b for a, b in hours[resource.pk]):
                # A slot already begun cannot be booked: it is not offered as free.
                status = "free" if slot >= now else "past"
            for booking in taken.get(resource.pk, []):
                if booking.blocked_start < slot_end and slot < booking.blocked_end:
                    status = "mine" if booking.pk in own else "busy"
            row.cells.append(Cell(slot, status))
        rows.append(row)
    return Grid(day, times, rows)
