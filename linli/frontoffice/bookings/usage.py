"""Booking figures per building, for the building dashboards."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from linli.core import clock
from linli.core.access import Access
from linli.frontoffice.bookings.checks import day_bounds
from linli.frontoffice.bookings.models import QUOTA_STATES, Booking, State
from linli.registry.models import Building


def subcentre_usage(
    building_ids: Iterable[int], since: date, until: date, *, access: Access | None = None
) -> dict[int, dict]:
    """Per building id: bookings, booked hours and the share checked in, of the resources at
    the building's sub-centre, for bookings starting from ``since`` to ``until`` (inclusive).

    The figures count the bookings ``access`` may count (``visible_to(access, "usage")``: the
    staff of the sub-district count them all, naming nobody); without ``access`` they are the
    sub-district's own figures, as a background job reads them.

    Counted: bookings that held their slot (confirmed, checked in, completed, no-shows); the
    check-in rate is checked in or completed over those whose start has passed. Buildings
    without a sub-centre get zeros.
    """
    ids = list(building_ids)
    subcentres = dict(Building.objects.filter(pk__in=ids).values_list("pk", "subcentre_id"))
    begin, _end = day_bounds(since)
    _start, finish = day_bounds(until)
    now = clock.now()
    figures: dict[int, dict] = {}
    per_place: dict[int, dict] = {}
    counted = (
        Booking.objects.visible_to(access, "usage") if access is not None else Booking.objects.all()
    )
    for place_id in {p for p in subcentres.values() if p is not None}:
        bookings = counted.filter(
            resource__place_id=place_id,
            state__in=QUOTA_STATES,
            start__gte=begin,
            start__lt=finish,
        ).only("start", "end", "state")
        count, hours, past, shown_up = 0, 0.0, 0, 0
        for booking in bookings:
            count += 1
            hours += booking.hours
            if booking.start <= now and booking.state in (
                State.CHECKED_IN,
                State.COMPLETED,
                State.RELEASED_NO_SHOW,
                State.CONFIRMED,
            ):
                past += 1
                shown_up += booking.state in (State.CHECKED_IN, State.COMPLETED)
        per_place[place_id] = {
            "bookings": count,
            "hours": round(hours, 2),
            "checked_in_rate": round(shown_up / past, 4) if past else 0.0,
        }
    empty = {"bookings": 0, "hours": 0.0, "checked_in_rate": 0.0}
    for building_id in ids:
        subcentre_id = subcentres.get(building_id)
        figures[building_id] = dict(per_place.get(subcentre_id, empty) if subcentre_id else empty)
    return figures
