"""iCalendar feeds of bookings, per person and per resource (secret URLs).

What a feed holds: every booking from 90 days back that is or was confirmed. Confirmed,
checked-in and completed ones are CONFIRMED events; cancelled, rejected and released (no-show)
ones stay in the feed as CANCELLED, so a calendar that already shows them removes them rather
than keeping a stale entry. Requests still awaiting approval are left out until approved.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import QuerySet
from django.urls import reverse
from django.utils.translation import gettext as _

from linli.core import clock
from linli.core.access import Access
from linli.core.ics import IcsEvent, ics_document
from linli.frontoffice.bookings.models import Booking, Resource, State

HISTORY = dt.timedelta(days=90)
SHOWN = (State.CONFIRMED, State.CHECKED_IN, State.COMPLETED)
WITHDRAWN = (State.CANCELLED, State.REJECTED, State.RELEASED_NO_SHOW)


def _events(bookings: QuerySet[Booking], *, with_enterprise: bool) -> list[IcsEvent]:
    since = clock.now() - HISTORY
    rows = (
        bookings.filter(state__in=SHOWN + WITHDRAWN, end__gte=since)
        .select_related("resource", "resource__place", "enterprise")
        .order_by("start")
    )
    events = []
    for booking in rows:
        resource = booking.resource
        summary = resource.name
        if with_enterprise and booking.enterprise is not None:
            summary = f"{resource.name} · {booking.enterprise.name}"
        events.append(
            IcsEvent(
                uid=f"booking-{booking.pk}@linli",
                start=booking.start,
                end=booking.end,
                summary=summary,
                location=" ".join(
                    part for part in (str(resource.place), resource.location) if part
                ),
                description=booking.purpose,
                url=reverse("bookings:detail", kwargs={"pk": booking.pk}),
                cancelled=booking.state in WITHDRAWN,
            )
        )
    return events


def user_calendar(owner: Access) -> bytes:
    """The bookings the feed's owner made (their feed URL stands for them)."""
    mine = Booking.objects.visible_to(owner).filter(booker=owner.user)
    return ics_document(_("My bookings"), _events(mine, with_enterprise=False))


def resource_calendar(resource: Resource) -> bytes:
    """Every booking of the resource: its secret feed URL is handed to the resource's
    administrators only, and stands for them."""
    return ics_document(
        resource.name, _events(Booking.objects.filter(resource=resource), with_enterprise=True)
    )
