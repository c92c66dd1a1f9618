"""Booking verbs: request (one slot or a series), approve, reject, cancel, check in, release
no-shows with strikes and suspensions, remind, and the calendar-feed tokens.

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
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext as _

from linli.core import audit, clock
from linli.core.access import Access
from linli.core.calendar import WorkCalendar
from linli.core.messaging import notify
from linli.core.models import Subdistrict, User
from linli.frontoffice.bookings import rules
from linli.frontoffice.bookings.arrival import arrival_code_matches
from linli.frontoffice.bookings.checks import (
    BookingRefused,
    Refusal,
    Slot,
    blocked,
    check_slot,
    checkin_window,
    local,
    overlap_refusal,
    shown,
)
from linli.frontoffice.bookings.models import (
    Booking,
    BookingSeries,
    FeedToken,
    Resource,
    State,
    Strike,
    StrikeRule,
    Suspension,
    new_token,
)
from linli.registry.models import Enterprise

MAX_OCCURRENCES = 52
REMIND_BEFORE = dt.timedelta(hours=2)
DEFAULT_STRIKE_RULE = StrikeRule(strikes=3, period_days=30, suspension_days=14)


def _now(now: dt.datetime | None) -> dt.datetime:
    return now or clock.now()


def _locked(resource: Resource) -> Resource:
    return Resource.objects.select_for_update().get(pk=resource.pk)


def _booker(actor: Access, enterprise: Enterprise | None) -> User:
    """The person booking: a signed-in user who may book for ``enterprise``."""
    user = actor.user
    if user is None or not rules.can_book(actor):
        raise PermissionDenied(_("You are not allowed to do this."))
    if not rules.may_book_for(actor, enterprise.pk if enterprise is not None else None):
        raise BookingRefused(
            [Refusal("enterprise", "enterprise", _("You may only book for your own enterprise."))]
        )
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


def _announce(booking: Booking) -> None:
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
    booker = _booker(actor, enterprise)
    now = _now(now)
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
        _announce(booking)
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
    now = _now(now)
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
    booker = _booker(actor, enterprise)
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


# --- decisions and changes ----------------------------------------------------------------


def _transition(
    booking: Booking,
    *,
    actor: Access,
    allowed_from: tuple[str, ...],
    to: str,
    action: str,
    **changes: object,
) -> Booking:
    """Move a locked booking from one of ``allowed_from`` to ``to``, with its audit row."""
    current = Booking.objects.select_for_update().select_related("resource").get(pk=booking.pk)
    if current.state not in allowed_from:
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


def approve_booking(booking: Booking, *, actor: Access) -> Booking:
    actor.require(rules.is_booking_staff(actor))
    with transaction.atomic():
        done = _transition(
            booking,
            actor=actor,
            allowed_from=(State.PENDING_APPROVAL,),
            to=State.CONFIRMED,
            action="approve",
            decided_by=actor.user,
        )
        _announce(done)
    return done


def reject_booking(booking: Booking, *, actor: Access, reason: str) -> Booking:
    actor.require(rules.is_booking_staff(actor))
    reason = reason.strip()
    if not reason:
        raise BookingRefused([Refusal("reason", "reason", _("Say why the booking is rejected."))])
    with transaction.atomic():
        done = _transition(
            booking,
            actor=actor,
            allowed_from=(State.PENDING_APPROVAL, State.REQUESTED),
            to=State.REJECTED,
            action="reject",
            decided_by=actor.user,
            reason=reason[:300],
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


def cancellation_cutoff(booking: Booking) -> dt.datetime:
    return booking.start - dt.timedelta(minutes=booking.resource.cancel_cutoff_minutes)


def cancel_booking(
    booking: Booking, *, actor: Access, reason: str = "", now: dt.datetime | None = None
) -> Booking:
    """Before the resource's cut-off the booker cancels; booking staff may cancel any time."""
    actor.require(rules.may_change_booking(actor, booking))
    now = _now(now)
    cutoff = cancellation_cutoff(booking)
    if now > cutoff and not rules.is_booking_staff(actor):
        raise BookingRefused(
            [
                Refusal(
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
            ]
        )
    with transaction.atomic():
        return _transition(
            booking,
            actor=actor,
            allowed_from=(State.REQUESTED, State.PENDING_APPROVAL, State.CONFIRMED),
            to=State.CANCELLED,
            action="cancel",
            reason=reason[:300],
        )


def check_in(
    booking: Booking, *, actor: Access, code: str = "", now: dt.datetime | None = None
) -> Booking:
    """Check in within the window; a second scan of a checked-in booking changes nothing.

    ``code`` is the booking's code as typed or scanned at a queue kiosk: whoever holds it may
    check in, like the holder of the booking's QR code."""
    holder = bool(code) and arrival_code_matches(booking, code)
    actor.require(holder or rules.may_change_booking(actor, booking))
    now = _now(now)
    if booking.state == State.CHECKED_IN:
        return booking
    opens, closes = checkin_window(booking)
    if not opens <= now <= closes:
        raise BookingRefused(
            [
                Refusal(
                    "checkin_window",
                    "__all__",
                    _("Check-in for this booking is open from %(opens)s to %(closes)s.")
                    % {"opens": shown(opens), "closes": f"{local(closes):%H:%M}"},
                )
            ]
        )
    with transaction.atomic():
        return _transition(
            booking,
            actor=actor,
            allowed_from=(State.CONFIRMED,),
            to=State.CHECKED_IN,
            action="check_in",
            checked_in_at=now,
        )


def booking_at_door(resource: Resource, actor: Access, now: dt.datetime) -> Booking | None:
    """The person's booking of this resource whose check-in window contains ``now``."""
    if actor.user is None:
        return None
    candidates = (
        Booking.objects.filter(
            resource=resource,
            state__in=(State.CONFIRMED, State.CHECKED_IN),
            start__lte=now + dt.timedelta(minutes=resource.checkin_opens_minutes),
            end__gt=now,
        )
        .filter(Q(booker=actor.user) | Q(enterprise_id__in=sorted(actor.linked_ids("enterprise"))))
        .select_related("resource")
        .order_by("start")
    )
    return candidates.first()


def check_in_at_door(
    resource: Resource, *, actor: Access, now: dt.datetime | None = None
) -> Booking:
    """The QR code on the door: check in the scanner's booking that is starting now."""
    now = _now(now)
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


# --- background sweeps --------------------------------------------------------------------


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
    now = _now(now)
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
                done = _transition(
                    booking,
                    actor=actor,
                    allowed_from=(State.CONFIRMED,),
                    to=State.RELEASED_NO_SHOW,
                    action="release_no_show",
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
    now = _now(now)
    actor = Access.system(subdistrict)
    done = 0
    for booking in Booking.objects.filter(
        subdistrict=subdistrict, state=State.CHECKED_IN, end__lte=now
    ):
        with transaction.atomic():
            try:
                _transition(
                    booking,
                    actor=actor,
                    allowed_from=(State.CHECKED_IN,),
                    to=State.COMPLETED,
                    action="complete",
                )
            except BookingRefused:
                continue
            done += 1
    return done


def send_reminders(subdistrict: Subdistrict, *, now: dt.datetime | None = None) -> int:
    """One in-app reminder per confirmed booking, in the two hours before it starts. The
    conditional update claims the booking first, so a second worker never reminds twice."""
    now = _now(now)
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


# --- resources and feeds ------------------------------------------------------------------


def save_resource(resource: Resource, *, actor: Access) -> Resource:
    """Create or change a resource (the form has validated its fields)."""
    actor.require(rules.can_manage_resources(actor))
    creating = resource.pk is None
    with transaction.atomic():
        before = None if creating else audit.snapshot(Resource.objects.get(pk=resource.pk))
        resource.save()
        audit.record(
            actor,
            "bookings.resource.create" if creating else "bookings.resource.update",
            resource,
            before=before,
            after=audit.snapshot(resource),
        )
    return resource


def rotate_resource_tokens(resource: Resource, *, actor: Access) -> Resource:
    """New door QR code and feed URL: the printed code and old subscriptions stop working."""
    actor.require(rules.can_manage_resources(actor))
    with transaction.atomic():
        resource.door_token = new_token()
        resource.feed_token = new_token()
        resource.save(update_fields=["door_token", "feed_token"])
        audit.record(actor, "bookings.resource.rotate_tokens", resource)
    return resource


def feed_token(actor: Access) -> FeedToken:
    """The person's feed token in this sub-district, made on first use."""
    if actor.user is None or actor.subdistrict is None:
        raise PermissionDenied(_("You are not allowed to do this."))
    token, _created = FeedToken.objects.get_or_create(
        subdistrict=actor.subdistrict, user=actor.user
    )
    return token


def rotate_feed_token(*, actor: Access) -> FeedToken:
    actor.require(actor.user is not None and actor.subdistrict is not None)
    with transaction.atomic():
        token = feed_token(actor)
        token.token = new_token()
        token.save(update_fields=["token"])
        audit.record(actor, "bookings.feed.rotate", token)
    return token
