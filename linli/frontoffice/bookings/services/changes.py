"""Changing a booking: approve, reject, cancel, check in (per booking and at the door).

Each change is one row of ``FROM_STATES`` (the states it starts from), one rule (``permitted``)
and, for cancelling and checking in, one time limit (``timing_refusal``). The verbs check
exactly these; ``allowed_actions`` lists what passes them now, for the pages and the API, so
no surface offers a change its verb would refuse.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from linli.core import audit, clock, limits
from linli.core.access import Access
from linli.core.messaging import notify
from linli.frontoffice.bookings import rules
from linli.frontoffice.bookings.arrival import arrival_code_matches
from linli.frontoffice.bookings.checks import (
    BookingRefused,
    Refusal,
    checkin_window,
    local,
    shown,
)
from linli.frontoffice.bookings.models import Booking, Resource, State
from linli.frontoffice.bookings.services.requests import announce

# The states each change starts from; the sweeps' own changes are the last two rows.
FROM_STATES: dict[str, tuple[str, ...]] = {
    "check_in": (State.CONFIRMED,),
    "cancel": (State.REQUESTED, State.PENDING_APPROVAL, State.CONFIRMED),
    "approve": (State.PENDING_APPROVAL,),
    "reject": (State.PENDING_APPROVAL, State.REQUESTED),
    "release_no_show": (State.CONFIRMED,),
    "complete": (State.CHECKED_IN,),
}
# What a person can be offered, in the order the pages show it.
ACTIONS = ("check_in", "cancel", "approve", "reject")


def permitted(action: str, booking: Booking, actor: Access) -> bool:
    """The rule of a change: booking staff decide; the booker's side cancels and checks in."""
    if action in ("approve", "reject"):
        return rules.is_booking_staff(actor)
    return rules.may_change_booking(actor, booking)


def cancellation_cutoff(booking: Booking) -> dt.datetime:
    return booking.start - dt.timedelta(minutes=booking.resource.cancel_cutoff_minutes)


def timing_refusal(
    action: str, booking: Booking, actor: Access, now: dt.datetime
) -> Refusal | None:
    """Why the time is wrong for the change (None when it is not)."""
    if action == "cancel":
        cutoff = cancellation_cutoff(booking)
        if now > cutoff and not rules.is_booking_staff(actor):
            return Refusal(
                "cancel_cutoff",
                "__all__",
                _(
                    "Cancellation cut-off: %(resource)s can be cancelled until %(cutoff)s "
                    "(%(minutes)s minutes before the start)."
                )
                % {
                    "resource": booking.resource.name,
                    "cutoff": shown(cutoff),
                    "minutes": booking.resource.cancel_cutoff_minutes,
                },
            )
    if action == "check_in":
        opens, closes = checkin_window(booking)
        if not opens <= now <= closes:
            return Refusal(
                "checkin_window",
                "__all__",
                _("Check-in for this booking is open from %(opens)s to %(closes)s.")
                % {"opens": shown(opens), "closes": f"{local(closes):%H:%M}"},
            )
    return None


def allowed_actions(booking: Booking, actor: Access, now: dt.datetime | None = None) -> list[str]:
    """The changes ``actor`` may make to the booking now: the verbs' own rule, states and
    time limits (needs ``booking.resource``)."""
    now = now or clock.now()
    return [
        action
        for action in ACTIONS
        if booking.state in FROM_STATES[action]
        and permitted(action, booking, actor)
        and timing_refusal(action, booking, actor, now) is None
    ]


def transition(
    booking: Booking, *, actor: Access, action: str, to: str, **changes: object
) -> Booking:
    """Move the locked booking from one of the action's ``FROM_STATES`` to ``to``, with its
    audit row; a booking in any other state is refused."""
    current = Booking.objects.select_for_update().select_related("resource").get(pk=booking.pk)
    if current.state not in FROM_STATES[action]:
        raise BookingRefused(
            [
                Refusal(
                    "state",
                    "__all__",
                    _("This booking is %(state)s: it cannot be changed this way.")
                    % {"state": current.get_state_display()},
                )
            ]
        )
    before = current.state
    current.state = to
    for name, value in changes.items():
        setattr(current, name, value)
    current.save()
    audit.record(
        actor, f"bookings.booking.{action}", current, before={"state": before}, after={"state": to}
    )
    return current


def _refuse_if_late(action: str, booking: Booking, actor: Access, now: dt.datetime) -> None:
    refusal = timing_refusal(action, booking, actor, now)
    if refusal is not None:
        raise BookingRefused([refusal])


def approve_booking(booking: Booking, *, actor: Access) -> Booking:
    actor.require(permitted("approve", booking, actor))
    with transaction.atomic():
        done = transition(
            booking, actor=actor, action="approve", to=State.CONFIRMED, decided_by=actor.user
        )
        announce(done)
    return done


def reject_booking(booking: Booking, *, actor: Access, reason: str) -> Booking:
    actor.require(permitted("reject", booking, actor))
    reason = reason.strip()
    if not reason:
        raise BookingRefused([Refusal("reason", "reason", _("Say why the booking is rejected."))])
    limits.refuse_overlong(Booking, reason=reason)
    with transaction.atomic():
        done = transition(
            booking,
            actor=actor,
            action="reject",
            to=State.REJECTED,
            decided_by=actor.user,
            reason=reason,
        )
        notify(
            [done.booker],
            done.resource.subdistrict,
            title=_("Booking rejected: %(resource)s on %(start)s.")
            % {"resource": done.resource.name, "start": shown(done.start)},
            body=reason,
            url=reverse("bookings:detail", kwargs={"pk": done.pk}),
        )
    return done


def cancel_booking(
    booking: Booking, *, actor: Access, reason: str = "", now: dt.datetime | None = None
) -> Booking:
    """Before the resource's cut-off the booker cancels; booking staff may cancel any time."""
    actor.require(permitted("cancel", booking, actor))
    reason = reason.strip()
    limits.refuse_overlong(Booking, reason=reason)
    _refuse_if_late("cancel", booking, actor, now or clock.now())
    with transaction.atomic():
        return transition(booking, actor=actor, action="cancel", to=State.CANCELLED, reason=reason)


def check_in(
    booking: Booking, *, actor: Access, code: str = "", now: dt.datetime | None = None
) -> Booking:
    """Check in within the window; a second scan of a checked-in booking changes nothing.

    ``code`` is the booking's code as typed or scanned at a queue kiosk: whoever holds it may
    check in, like the holder of the booking's QR code."""
    holder = bool(code) and arrival_code_matches(booking, code)
    actor.require(holder or permitted("check_in", booking, actor))
    now = now or clock.now()
    if booking.state == State.CHECKED_IN:
        return booking
    _refuse_if_late("check_in", booking, actor, now)
    with transaction.atomic():
        return transition(
            booking, actor=actor, action="check_in", to=State.CHECKED_IN, checked_in_at=now
        )


def booking_at_door(resource: Resource, actor: Access, now: dt.datetime) -> Booking | None:
    """The person's own (or their enterprise's) booking of this resource whose check-in window
    contains ``now``."""
    if actor.user is None:
        return None
    candidates = (
        Booking.objects.visible_to(actor)
        .filter(
            resource=resource,
            state__in=(State.CONFIRMED, State.CHECKED_IN),
            start__lte=now + dt.timedelta(minutes=resource.checkin_opens_minutes),
            end__gt=now,
        )
        .filter(rules.own_or_enterprise(actor))
        .select_related("resource")
        .order_by("start")
    )
    return candidates.first()


def check_in_at_door(
    resource: Resource, *, actor: Access, now: dt.datetime | None = None
) -> Booking:
    """The QR code on the door: check in the scanner's booking that is starting now."""
    now = now or clock.now()
    booking = booking_at_door(resource, actor, now)
    if booking is None:
        raise BookingRefused(
            [
                Refusal(
                    "no_booking",
                    "__all__",
                    _(
                        "You have no booking of %(resource)s now. Check-in opens %(minutes)s "
                        "minutes before the start."
                    )
                    % {"resource": resource.name, "minutes": resource.checkin_opens_minutes},
                )
            ]
        )
    return check_in(booking, actor=actor, now=now)
