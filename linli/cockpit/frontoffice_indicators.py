"""The front-office indicators of the cockpit: queue waits, bookings and room use of the service
sub-centres, and event attendance.

Waits are counted as the queue's own statistics count them (issue → first call, over the tickets
called; tickets closed by the end-of-day job left out), bookings as the building dashboards'
usage counts them (the bookings that held their slot), attendance over the registrations that
held a seat. Each reads through the reader's visibility of those rows.
"""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlencode

from django.db.models import Count, DurationField, ExpressionWrapper, F, Q, QuerySet, Sum
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from linli.cockpit.indicators import Figure, Part, Period, indicator, rate
from linli.core import clock
from linli.core.access import Access
from linli.core.calendar import WorkCalendar
from linli.core.models import Organisation
from linli.frontoffice.bookings.checks import opening_periods
from linli.frontoffice.bookings.models import QUOTA_STATES, Booking, Resource, ResourceKind
from linli.frontoffice.events.models import ATTENDING, Event, Registration
from linli.frontoffice.events.models import State as Attendance
from linli.frontoffice.queue.models import Ticket
from linli.frontoffice.queue.statistics import CALLED

FRONT_OFFICE = _("Front office")
MINUTE = dt.timedelta(minutes=1)
# Room use is about space; an advisor's or a window's time is not a room.
ROOMS = (ResourceKind.NEGOTIATION_ROOM, ResourceKind.MEETING_ROOM, ResourceKind.DESK)
WAIT = ExpressionWrapper(F("called_at") - F("issued_at"), output_field=DurationField())


def _days(period: Period) -> dict[str, str]:
    return {"start": str(period.first_day), "end": str(period.last_day)}


def _called(access: Access, period: Period) -> QuerySet[Ticket]:
    """The tickets of the month's days that were called, as the queue statistics count them."""
    return (
        Ticket.objects.visible_to(access, "statistics")
        .filter(day__gte=period.first_day, day__lte=period.last_day)
        .filter(CALLED)
    )


def _stats_url(period: Period) -> str:
    return reverse("queue:stats") + "?" + urlencode(_days(period))


@indicator(
    key="frontoffice.queue_wait_median",
    group=FRONT_OFFICE,
    label=_("Median queue wait (minutes)"),
    definition=_(
        "Half of the called tickets of the month waited less than this, half more: minutes from "
        "taking the number to the first call. Tickets never called and those closed at the end "
        "of the day are left out; a month without a called ticket has no value."
    ),
    formula=_("median(first call − issue) over the tickets called in the month"),
    lower_is_better=True,
)
def queue_wait_median(access: Access, period: Period) -> Figure:
    called = _called(access, period)
    count = called.count()
    if not count:
        return Figure(None, _stats_url(period), base=0)
    # The middle one or two waits, read by the database's ordering, never every ticket.
    middle = list(
        called.annotate(wait=WAIT)
        .order_by("wait", "pk")
        .values_list("wait", flat=True)[(count - 1) // 2 : count // 2 + 1]
    )
    minutes = sum(middle, dt.timedelta()) / len(middle) / MINUTE
    return Figure(round(minutes, 1), _stats_url(period), base=count)


@indicator(
    key="frontoffice.queue_wait_mean",
    group=FRONT_OFFICE,
    label=_("Mean queue wait (minutes)"),
    definition=_(
        "Mean minutes from taking the number to the first call, over the tickets of the month "
        "that were called (as the queue statistics count them); a month without a called "
        "ticket has no value."
    ),
    formula=_("sum(first call − issue) ÷ tickets called"),
    lower_is_better=True,
)
def queue_wait_mean(access: Access, period: Period) -> Figure:
    totals = _called(access, period).aggregate(n=Count("pk"), wait=Sum(WAIT))
    if not totals["n"]:
        return Figure(None, _stats_url(period), base=0)
    minutes = totals["wait"] / totals["n"] / MINUTE
    return Figure(round(minutes, 1), _stats_url(period), base=totals["n"])


def _held(access: Access, period: Period) -> QuerySet[Booking]:
    """The bookings at a sub-centre starting in the month that held their slot (cancelled and
    rejected ones did not)."""
    return Booking.objects.visible_to(access, "usage").filter(
        resource__place__kind=Organisation.Kind.SUBCENTRE,
        state__in=QUOTA_STATES,
        start__gte=period.start,
        start__lt=period.end,
    )


def _bookings_url(period: Period, **more: object) -> str:
    query = {"since": str(period.first_day), "until": str(period.last_day), **more}
    return reverse("bookings:list") + "?" + urlencode(query)


@indicator(
    key="frontoffice.subcentre_bookings",
    group=FRONT_OFFICE,
    label=_("Sub-centre bookings"),
    definition=_(
        "Bookings of rooms, desks and advisors at the service sub-centres starting in the month "
        "that held their slot: confirmed, checked in, completed, released as a no-show or still "
        "awaiting a decision. Cancelled and rejected bookings are not counted (the list behind "
        "shows them too)."
    ),
    formula=_("count(bookings at sub-centres starting in the month, not cancelled or rejected)"),
    breakdown=_("By sub-centre"),
)
def subcentre_bookings(access: Access, period: Period) -> Figure:
    rows = (
        _held(access, period)
        .values("resource__place_id", "resource__place__name")
        .annotate(n=Count("pk"))
        .order_by("-n", "resource__place__name")
    )
    parts = tuple(
        Part(
            row["resource__place__name"],
            row["n"],
            _bookings_url(period, place=row["resource__place_id"]),
        )
        for row in rows
    )
    return Figure(sum(p.value for p in parts), _bookings_url(period), parts)


def _open_hours(resources: list[Resource], period: Period, calendar: WorkCalendar) -> float:
    seconds = 0.0
    day = period.first_day
    while day <= period.last_day:
        for resource in resources:
            for start, end in opening_periods(resource, day, calendar):
                seconds += (end - start).total_seconds()
        day += dt.timedelta(days=1)
    return seconds / 3600


@indicator(
    key="frontoffice.room_use",
    group=FRONT_OFFICE,
    label=_("Room use at the sub-centres"),
    definition=_(
        "Hours booked in the month in the rooms and shared desks of the service sub-centres, "
        "over the hours they were open (their opening hours on the days they open, by the work "
        "calendar). Cancelled and rejected bookings do not count; a month without opening "
        "hours has no rate."
    ),
    formula=_("booked hours ÷ opening hours of the sub-centres' rooms and desks"),
    is_rate=True,
)
def room_use(access: Access, period: Period) -> Figure:
    # The rooms themselves, a few dozen at most: their opening hours are read, never bookings.
    resources = list(
        Resource.objects.visible_to(access).filter(
            place__kind=Organisation.Kind.SUBCENTRE, kind__in=ROOMS, is_active=True
        )
    )
    calendar = WorkCalendar.for_subdistrict(access.subdistrict)
    available = _open_hours(resources, period, calendar)
    booked = (
        _held(access, period)
        .filter(resource__in=resources)
        .aggregate(hours=Sum(F("end") - F("start")))["hours"]
    )
    hours = (booked or dt.timedelta()).total_seconds() / 3600
    value = round(hours / available, 4) if available else None
    return Figure(value, _bookings_url(period), base=round(available))


@indicator(
    key="frontoffice.event_attendance",
    group=FRONT_OFFICE,
    label=_("Event attendance"),
    definition=_(
        "Of the people holding a seat (confirmed or checked in) at the events that started in "
        "the month and have ended, not cancelled, the share who checked in. Cancelled "
        "registrations and the waitlist do not count; a month without such a seat has no rate."
    ),
    formula=_("checked in ÷ (confirmed + checked in)"),
    is_rate=True,
)
def event_attendance(access: Access, period: Period) -> Figure:
    events = Event.objects.visible_to(access).filter(
        starts_at__gte=period.start,
        starts_at__lt=period.end,
        ends_at__lte=clock.now(),
        cancelled_at__isnull=True,
    )
    counts = (
        Registration.objects.visible_to(access)
        .filter(event__in=events, state__in=ATTENDING)
        .aggregate(seats=Count("pk"), came=Count("pk", filter=Q(state=Attendance.CHECKED_IN)))
    )
    url = reverse("events:statistics") + "?" + urlencode(_days(period))
    return Figure(rate(counts["came"], counts["seats"]), url, base=counts["seats"])
