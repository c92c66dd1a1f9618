"""Whether there is a place at an event: the seats taken and left, and whether registration is
open. One definition, read by the verbs, the pages, the API and the export alike."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext as _

from linli.core import clock, display
from linli.core.calendar import local_zone
from linli.frontoffice.events.models import SEATED, Event, Registration


def with_seats(events: QuerySet[Event]) -> QuerySet[Event]:
    """Each event with ``seats_taken``: registrations holding a seat (confirmed, checked in,
    awaiting approval, or a seat on offer)."""
    return events.annotate(
        seats_taken=Count("registrations", filter=Q(registrations__state__in=SEATED))
    )


def seats_taken(event: Event) -> int:
    taken = getattr(event, "seats_taken", None)
    if taken is None:
        taken = Registration.objects.filter(event=event, state__in=SEATED).count()
        event.seats_taken = taken  # type: ignore[attr-defined]
    return int(taken)


def seats_left(event: Event) -> int:
    return max(event.capacity - seats_taken(event), 0)


def local_time(moment: dt.datetime) -> str:
    return f"{moment.astimezone(local_zone()):%Y-%m-%d %H:%M}"


def registration_refusal(event: Event, now: dt.datetime | None = None) -> str | None:
    """Why nobody can register for the event now (None: registration is open)."""
    now = now or clock.now()
    if event.cancelled_at is not None:
        return _("This event has been cancelled.")
    if now < event.registration_opens_at:
        return _("Registration opens on %(time)s.") % {
            "time": local_time(event.registration_opens_at)
        }
    if now >= event.registration_closes_at or now >= event.starts_at:
        return _("Registration for this event is closed.")
    return None


def registration_open(event: Event, now: dt.datetime | None = None) -> bool:
    return registration_refusal(event, now) is None


@dataclass(frozen=True)
class Signup:
    """Where registration for an event stands, as the list shows it: ``cancelled``,
    ``not_open`` (with when it opens, in words), ``closed``, ``full`` (the waitlist takes
    registrations) or ``open``."""

    state: str
    opens: str = ""
    opens_in: str = ""


def signup(event: Event, now: dt.datetime | None = None) -> Signup:
    """The same tests, in the same order, as ``registration_refusal``."""
    now = now or clock.now()
    if event.cancelled_at is not None:
        return Signup("cancelled")
    if now < event.registration_opens_at:
        opens = event.registration_opens_at.astimezone(local_zone())
        days = (opens.date() - now.astimezone(local_zone()).date()).days
        return Signup(
            "not_open",
            opens=f"{display.day(opens.date())} {opens:%H:%M}",
            opens_in=display.days_from_today(days),
        )
    if now >= event.registration_closes_at or now >= event.starts_at:
        return Signup("closed")
    return Signup("full" if seats_left(event) == 0 else "open")
