"""The background sweeps of bookings: no-shows are released (with strikes and suspensions),
finished bookings completed, reminders sent.

Each sweep is idempotent: a booking changes state under a row lock and only from the state the
sweep expects, and a reminder is claimed by a conditional update before it is sent.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from linli.core import clock
from linli.core.access import Access
from linli.core.messaging import notify
from linli.core.models import Subdistrict
from linli.frontoffice.bookings.checks import BookingRefused, checkin_window, shown
from linli.frontoffice.bookings.models import Booking, State, Strike, StrikeRule, Suspension
from linli.frontoffice.bookings.services.changes import transition

REMIND_BEFORE = dt.timedelta(hours=2)
DEFAULT_STRIKE_RULE = StrikeRule(strikes=3, period_days=30, suspension_days=14)


def strike_rule(subdistrict_id: int, kind: str) -> StrikeRule:
    """The rule for a resource kind, else the sub-district's general one, else the default."""
    found = {
        r.resource_kind: r
        for r in StrikeRule.objects.filter(
            subdistrict_id=subdistrict_id, resource_kind__in=[kind, ""]
        )
    }
    return found.get(kind) or found.get("") or DEFAULT_STRIKE_RULE


def _strike(booking: Booking, now: dt.datetime) -> Suspension | None:
    """One strike for the no-show; enough strikes within the period suspend the enterprise."""
    if booking.enterprise_id is None:
        return None
    kind = booking.resource.kind
    Strike.objects.get_or_create(
        booking=booking,
        defaults={
            "subdistrict_id": booking.subdistrict_id,
            "enterprise_id": booking.enterprise_id,
            "resource_kind": kind,
            "at": now,
        },
    )
    rule = strike_rule(booking.subdistrict_id, kind)
    scope_kind = rule.resource_kind  # blank: the rule (and suspension) covers every kind
    strikes = Strike.objects.filter(
        enterprise_id=booking.enterprise_id, at__gt=now - dt.timedelta(days=rule.period_days)
    )
    if scope_kind:
        strikes = strikes.filter(resource_kind=scope_kind)
    count = strikes.count()
    active = Suspension.objects.filter(
        enterprise_id=booking.enterprise_id, resource_kind=scope_kind, ends_at__gt=now
    ).exists()
    if count < rule.strikes or active:
        return None
    return Suspension.objects.create(
        subdistrict_id=booking.subdistrict_id,
        enterprise_id=booking.enterprise_id,
        resource_kind=scope_kind,
        starts_at=now,
        ends_at=now + dt.timedelta(days=rule.suspension_days),
        strikes=count,
    )


def release_no_shows(subdistrict: Subdistrict, *, now: dt.datetime | None = None) -> int:
    """Confirmed bookings nobody checked in to within the grace time become no-shows."""
    now = now or clock.now()
    actor = Access.system(subdistrict)
    released = 0
    due = Booking.objects.filter(
        subdistrict=subdistrict, state=State.CONFIRMED, start__lt=now
    ).select_related("resource", "booker")
    for booking in due:
        _opens, closes = checkin_window(booking)
        if now <= closes:
            continue
        with transaction.atomic():
            try:
                done = transition(
                    booking, actor=actor, action="release_no_show", to=State.RELEASED_NO_SHOW
                )
            except BookingRefused:
                continue  # checked in or cancelled meanwhile
            suspension = _strike(done, now)
            body = ""
            if suspension is not None:
                body = _(
                    "After %(count)s no-shows your enterprise may not book until %(until)s."
                ) % {"count": suspension.strikes, "until": shown(suspension.ends_at)}
            notify(
                [done.booker],
                subdistrict,
                title=_(
                    "Nobody checked in: your booking of %(resource)s on %(start)s was released."
                )
                % {"resource": done.resource.name, "start": shown(done.start)},
                body=body,
                url=reverse("bookings:detail", kwargs={"pk": done.pk}),
            )
            released += 1
    return released


def complete_finished(subdistrict: Subdistrict, *, now: dt.datetime | None = None) -> int:
    """Checked-in bookings whose time is over are completed."""
    now = now or clock.now()
    actor = Access.system(subdistrict)
    done = 0
    for booking in Booking.objects.filter(
        subdistrict=subdistrict, state=State.CHECKED_IN, end__lte=now
    ):
        with transaction.atomic():
            try:
                transition(booking, actor=actor, action="complete", to=State.COMPLETED)
            except BookingRefused:
                continue
            done += 1
    return done


def send_reminders(subdistrict: Subdistrict, *, now: dt.datetime | None = None) -> int:
    """One in-app reminder per confirmed booking, in the two hours before it starts. The
    conditional update claims the booking first, so a second worker never reminds twice."""
    now = now or clock.now()
    sent = 0
    due = Booking.objects.filter(
        subdistrict=subdistrict,
        state=State.CONFIRMED,
        reminded_at__isnull=True,
        start__gt=now,
        start__lte=now + REMIND_BEFORE,
    ).select_related("resource", "booker")
    for booking in due:
        with transaction.atomic():
            claimed = Booking.objects.filter(pk=booking.pk, reminded_at__isnull=True).update(
                reminded_at=now
            )
            if not claimed:
                continue
            notify(
                [booking.booker],
                subdistrict,
                title=_("Reminder: %(resource)s is booked for you at %(start)s.")
                % {"resource": booking.resource.name, "start": shown(booking.start)},
                body=booking.resource.location,
                url=reverse("bookings:detail", kwargs={"pk": booking.pk}),
            )
            sent += 1
    return sent
