"""Asking for a booking: one slot, or a recurring series of them.

Overlap is decided with the resource row locked (``select_for_update``; on SQLite every
transaction takes the write lock up front), so two requests for one resource are checked one
after the other. On PostgreSQL the exclusion constraint of migration 0002 refuses an overlap
that would slip past anyway; its error becomes the same refusal.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from linli.core import audit, clock, limits
from linli.core.access import Access
from linli.core.calendar import WorkCalendar
from linli.core.messaging import notify
from linli.core.models import User
from linli.frontoffice.bookings import rules
from linli.frontoffice.bookings.checks import (
    BookingRefused,
    Refusal,
    Slot,
    blocked,
    check_slot,
    local,
    overlap_refusal,
    shown,
)
from linli.frontoffice.bookings.models import Booking, BookingSeries, Resource, State
from linli.registry.models import Enterprise

MAX_OCCURRENCES = 52


def _locked(resource: Resource) -> Resource:
    return Resource.objects.select_for_update().get(pk=resource.pk)


def _booker(actor: Access, enterprise: Enterprise | None, purpose: str) -> User:
    """The person booking: a signed-in user who may book for ``enterprise``."""
    user = actor.user
    if user is None or not rules.can_book(actor):
        raise PermissionDenied(_("You are not allowed to do this."))
    if not rules.may_book_for(actor, enterprise.pk if enterprise is not None else None):
        raise BookingRefused(
            [Refusal("enterprise", "enterprise", _("You may only book for your own enterprise."))]
        )
    limits.refuse_overlong(Booking, purpose=purpose)
    return user


def _create(
    resource: Resource,
    *,
    actor: Access,
    booker: User,
    enterprise: Enterprise | None,
    start: dt.datetime,
    end: dt.datetime,
    purpose: str,
    series: BookingSeries | None = None,
) -> Booking:
    low, high = blocked(resource, start, end)
    state = State.PENDING_APPROVAL if resource.approval_required else State.CONFIRMED
    booking = Booking(
        subdistrict_id=resource.subdistrict_id,
        resource=resource,
        booker=booker,
        enterprise=enterprise,
        series=series,
        start=start,
        end=end,
        blocked_start=low,
        blocked_end=high,
        state=state,
        purpose=purpose,
    )
    try:
        with transaction.atomic():
            booking.save()
    except IntegrityError as exc:
        # Only the PostgreSQL exclusion constraint can get here: the locked check came first.
        clash = overlap_refusal(resource, start, end) or Refusal(
            "overlap",
            "start",
            _("Already booked: %(resource)s is taken at this time.") % {"resource": resource.name},
        )
        raise BookingRefused([clash]) from exc
    audit.record(
        actor, "bookings.booking.book", booking, after={"state": state, "start": start.isoformat()}
    )
    return booking


def announce(booking: Booking) -> None:
    """Tell the booker their booking is confirmed, or received and awaiting approval."""
    url = reverse("bookings:detail", kwargs={"pk": booking.pk})
    if booking.state == State.PENDING_APPROVAL:
        title = _("Booking request received: %(resource)s on %(start)s, awaiting approval.")
    else:
        title = _("Booking confirmed: %(resource)s on %(start)s.")
    values = {"resource": booking.resource.name, "start": shown(booking.start)}
    notify([booking.booker], booking.resource.subdistrict, title=title % values, url=url)


def request_booking(
    resource: Resource,
    *,
    actor: Access,
    enterprise: Enterprise | None,
    start: dt.datetime,
    end: dt.datetime,
    purpose: str = "",
    now: dt.datetime | None = None,
) -> Booking:
    """Book one slot: confirmed at once, or awaiting approval where the resource asks for it."""
    booker = _booker(actor, enterprise, purpose)
    now = now or clock.now()
    calendar = WorkCalendar.for_subdistrict(resource.subdistrict)
    with transaction.atomic():
        resource = _locked(resource)
        refusals = check_slot(
            resource,
            enterprise.pk if enterprise is not None else None,
            start,
            end,
            now=now,
            calendar=calendar,
        )
        if refusals:
            raise BookingRefused(refusals)
        booking = _create(
            resource,
            actor=actor,
            booker=booker,
            enterprise=enterprise,
            start=start,
            end=end,
            purpose=purpose,
        )
        announce(booking)
    return booking


# --- recurring bookings -------------------------------------------------------------------


@dataclass
class Occurrence:
    start: dt.datetime
    end: dt.datetime
    refusals: list[Refusal] = field(default_factory=list)
    booking: Booking | None = None

    @property
    def free(self) -> bool:
        return not self.refusals


def occurrences(
    start: dt.datetime,
    end: dt.datetime,
    *,
    frequency: str,
    count: int | None = None,
    until: dt.date | None = None,
) -> list[Slot]:
    """The slots of a series, the same local time each day or week, at most 52 of them."""
    step = dt.timedelta(days=7 if frequency == BookingSeries.Frequency.WEEKLY else 1)
    limit = min(count or MAX_OCCURRENCES, MAX_OCCURRENCES)
    slots: list[Slot] = []
    first = local(start)
    length = end - start
    while len(slots) < limit:
        begin = first + step * len(slots)
        if until is not None and begin.date() > until:
            break
        slots.append((begin.astimezone(dt.UTC), (begin + length).astimezone(dt.UTC)))
    return slots


def plan_series(
    resource: Resource,
    *,
    enterprise_id: int | None,
    slots: list[Slot],
    now: dt.datetime | None = None,
) -> list[Occurrence]:
    """Check every occurrence (earlier ones of the same series count, for overlap and quota)."""
    now = now or clock.now()
    calendar = WorkCalendar.for_subdistrict(resource.subdistrict)
    planned: list[Occurrence] = []
    accepted: list[Slot] = []
    for start, end in slots:
        refusals = check_slot(
            resource, enterprise_id, start, end, now=now, calendar=calendar, pending=accepted
        )
        planned.append(Occurrence(start, end, refusals))
        if not refusals:
            accepted.append((start, end))
    return planned


def book_series(
    resource: Resource,
    *,
    actor: Access,
    enterprise: Enterprise | None,
    slots: list[Slot],
    frequency: str,
    purpose: str = "",
    now: dt.datetime | None = None,
) -> tuple[BookingSeries | None, list[Occurrence]]:
    """Book the free occurrences, re-checked under the lock; report every one of them."""
    booker = _booker(actor, enterprise, purpose)
    with transaction.atomic():
        resource = _locked(resource)
        planned = plan_series(
            resource,
            enterprise_id=enterprise.pk if enterprise is not None else None,
            slots=slots,
            now=now,
        )
        free = [o for o in planned if o.free]
        if not free:
            return None, planned
        series = BookingSeries.objects.create(
            subdistrict_id=resource.subdistrict_id,
            resource=resource,
            booker=booker,
            frequency=frequency,
            occurrences=len(planned),
        )
        for occurrence in free:
            occurrence.booking = _create(
                resource,
                actor=actor,
                booker=booker,
                enterprise=enterprise,
                start=occurrence.start,
                end=occurrence.end,
                purpose=purpose,
                series=series,
            )
        notify(
            [booker],
            resource.subdistrict,
            title=_("%(count)s of %(total)s dates of %(resource)s booked.")
            % {"count": len(free), "total": len(planned), "resource": resource.name},
            url=reverse("bookings:mine"),
        )
    return series, planned
