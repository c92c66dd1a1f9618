"""Event verbs: organise an event, register, cancel, accept an offer, approve, check in, rate
(the reminders a day ahead are in ``reminders``).

Every verb that takes or frees a seat holds the event row's lock (on SQLite every write
transaction is serialised anyway), so two requests can never both take the last seat. The lock's
order is the arrival order: each accepted attempt takes the event's next sequence number, and
the waitlist is served by it. Registering takes the lock last, in one conditional UPDATE of the
counters on the event row (``seats``); every other verb locks the row first, changes
registrations, offers free seats and sets the counters from the rows again (``_settle_seats``).
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import BigIntegerField, Count, OuterRef, Subquery, Value
from django.db.models.expressions import RawSQL
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from linli.core import audit, clock, limits
from linli.core.access import Access
from linli.core.messaging import notify
from linli.core.models import AuditEntry
from linli.frontoffice.events import rules, seats
from linli.frontoffice.events.availability import local_time, registration_refusal
from linli.frontoffice.events.models import (
    ACTIVE,
    SEATED,
    Audience,
    Event,
    Registration,
    State,
)
from linli.registry.models import Enterprise

logger = logging.getLogger(__name__)

CHECK_IN_OPENS = dt.timedelta(hours=1)  # before the start: people arrive early
ALREADY_REGISTERED = gettext_lazy("You are already registered for this event.")


def event_url(event: Event) -> str:
    return reverse("events:detail", args=[event.pk])


# --- organising ---------------------------------------------------------------------------


def save_event(event: Event, *, actor: Access) -> Event:
    """Create or change an event; more seats are offered to the waitlist at once."""
    actor.require(rules.may_organise(actor))
    event.full_clean(exclude={"subdistrict"})
    creating = event.pk is None
    with transaction.atomic():
        if creating:
            assert actor.subdistrict is not None  # noqa: S101 - organisers act in one
            event.subdistrict = actor.subdistrict
            event.save()
            audit.record(actor, "events.event.create", event, after=audit.snapshot(event))
            return event
        stored = Event.objects.select_for_update().get(pk=event.pk)
        before = audit.snapshot(stored)
        for counter in ("last_sequence", "seats_held", "waitlist_length", "last_registered_at"):
            setattr(event, counter, getattr(stored, counter))
        event.save()
        old, new = audit.changes(before, audit.snapshot(event))
        audit.record(actor, "events.event.update", event, before=old, after=new)
        _settle_seats(event, clock.now(), actor)
    return event


def cancel_event(event: Event, *, actor: Access) -> Event:
    """Call the event off: every live registration is cancelled and its person told."""
    actor.require(rules.may_organise(actor))
    with transaction.atomic():
        event = Event.objects.select_for_update().get(pk=event.pk)
        if event.cancelled_at is not None:
            return event
        now = clock.now()
        event.cancelled_at = now
        event.save(update_fields=["cancelled_at"])
        live = list(
            Registration.objects.filter(event=event, state__in=ACTIVE).select_related("user")
        )
        Registration.objects.filter(pk__in=[r.pk for r in live]).update(
            state=State.CANCELLED, cancelled_at=now, offer_expires_at=None
        )
        _settle_seats(event, now, actor)
        audit.record(actor, "events.event.cancel", event, note=f"{len(live)} registrations")
        notify(
            [r.user for r in live],
            event.subdistrict,
            title=_("Cancelled: %(event)s") % {"event": event.title},
            body=_("The event on %(start)s will not take place.")
            % {"start": local_time(event.starts_at)},
            url=event_url(event),
        )
    return event


# --- registering --------------------------------------------------------------------------


def _check_open(event: Event, now: dt.datetime) -> None:
    refusal = registration_refusal(event, now)
    if refusal is not None:
        raise ValidationError(refusal)


def _held(**conditions: object) -> Coalesce:
    """A count of registrations as a scalar subquery: several in one statement."""
    rows = (
        Registration.objects.filter(**conditions)
        .order_by()
        .values("event")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(rows), 0)


def register(event: Event, *, actor: Access, enterprise_id: int | None = None) -> Registration:
    """Take a seat if one is free, else join the waitlist; the answer says which.

    The path a popular event's opening minute hammers, so the event row is locked only by the
    last statement, the one that takes the place (``seats``), and held for it and the commit.
    What can refuse the attempt is read before, without that lock: the window, a registration
    the person already has, and the enterprise's registrations, counted while its row is locked
    (two colleagues registering at once queue there, not on the event). The final statement
    still refuses a window closed or an event cancelled meanwhile, and the one-per-person
    constraint a second registration made meanwhile.
    """
    if enterprise_id is None and event.audience == Audience.ENTERPRISES:
        raise ValidationError({"enterprise": [_("Choose the enterprise you register for.")]})
    actor.require(rules.may_register(actor, event, enterprise_id))
    user = actor.user
    assert user is not None  # noqa: S101 - may_register requires a person
    on_postgres = connection.vendor == "postgresql"
    with transaction.atomic():
        if enterprise_id:
            list(
                Enterprise.objects.select_for_update(no_key=True)
                .filter(pk=enterprise_id)
                .order_by()
                .values_list("pk")
            )
        now = clock.now()
        seen = (
            Event.objects.filter(pk=event.pk)
            .annotate(
                mine=_held(event=OuterRef("pk"), user=user, state__in=ACTIVE),
                theirs=(
                    _held(event=OuterRef("pk"), enterprise_id=enterprise_id, state__in=ACTIVE)
                    if enterprise_id
                    else Value(0)
                ),
                new_id=(
                    RawSQL(  # noqa: S611 - the table's own name, no input
                        seats.next_registration_id(), [], output_field=BigIntegerField()
                    )
                    if on_postgres
                    else Value(None, output_field=BigIntegerField())
                ),
            )
            .get()
        )
        _check_open(seen, now)
        if seen.mine:
            raise ValidationError(str(ALREADY_REGISTERED))
        if enterprise_id and seen.theirs >= seen.seats_per_enterprise:
            raise ValidationError(
                {
                    "enterprise": [
                        _("Your enterprise already has %(n)s registrations, the most allowed.")
                        % {"n": seen.seats_per_enterprise}
                    ]
                }
            )
        seat = State.PENDING_APPROVAL if seen.requires_approval else State.CONFIRMED
        registration = Registration(
            pk=seen.new_id,
            subdistrict_id=seen.subdistrict_id,
            event=seen,
            user=user,
            enterprise_id=enterprise_id,
            state=seat,
            sequence=0,
            registered_at=now,
        )
        try:
            if on_postgres:
                place = seats.take_and_write(
                    registration, seat, State.WAITLISTED, _audit_rows(registration, actor), now
                )
            else:
                place = seats.take(seen, now)
        except IntegrityError as exc:
            if "registration_one_active_per_person" in str(exc):
                raise ValidationError(str(ALREADY_REGISTERED)) from exc
            raise
        if place is None:  # cancelled or closed since it was read
            _check_open(Event.objects.get(pk=event.pk), now)
            raise ValidationError(_("Registration for this event is closed."))
        registration.state = State.WAITLISTED if place.waitlisted else seat
        registration.sequence = place.sequence
        registration.registered_at = place.registered_at
        if registration.state == State.CONFIRMED:
            registration.confirmed_at = place.registered_at
        if on_postgres:
            registration._state.adding, registration._state.db = False, connection.alias
        else:
            registration.save(force_insert=True)
            audit.record(
                actor,
                "events.registration.create",
                registration,
                after={"state": registration.state},
            )
    # The place in line as it registered, known without counting: for the answer to this call
    # only (``waitlist_position`` counts, as the line moves on).
    position = place.waitlist_length if place.waitlisted else None
    registration.arrival_waitlist_position = position  # type: ignore[attr-defined]
    return registration


def _audit_rows(registration: Registration, actor: Access) -> dict[str, AuditEntry]:
    """The audit row of a new registration, ready for each state it may get."""
    rows = {}
    taken = registration.state
    for state in (taken, State.WAITLISTED):
        registration.state = state
        rows[state] = audit.entry(
            actor, "events.registration.create", registration, after={"state": state}
        )
    registration.state = taken
    return rows


def waitlist_position(registration: Registration) -> int | None:
    """1 for the next in line; None when not on the waitlist.

    Arrival numbers run 1, 2, 3… without a gap (a refused attempt rolls its number back, and
    registrations are never deleted), so the people ahead are the earlier arrivals minus those
    no longer waiting. Those are counted: a few seats' worth of rows, however long the
    waitlist, where counting the waitlist itself would read every row of it on each call.
    """
    if registration.state != State.WAITLISTED:
        return None
    gone = (
        Registration.objects.filter(
            event_id=registration.event_id, sequence__lt=registration.sequence
        )
        .exclude(state=State.WAITLISTED)
        .count()
    )
    return registration.sequence - gone


def _locked(registration: Registration) -> tuple[Event, Registration]:
    """Lock the event, then the registration: always in this order, so no deadlock."""
    event = Event.objects.select_for_update().get(pk=registration.event_id)
    fresh = Registration.objects.select_for_update().get(pk=registration.pk)
    fresh.event = event
    return event, fresh


def _set_state(
    registration: Registration, state: str, actor: Access, action: str, **fields: object
) -> None:
    before = registration.state
    registration.state = state
    for name, value in fields.items():
        setattr(registration, name, value)
    registration.save(update_fields=["state", *fields])
    audit.record(
        actor,
        f"events.registration.{action}",
        registration,
        before={"state": before},
        after={"state": state},
    )


def _settle_seats(event: Event, now: dt.datetime, actor: Access) -> list[Registration]:
    """Offer every free seat to the next in line, and set the event's counters (``seats``)
    from its registrations. The caller holds the event's lock and has changed registrations
    under it: every verb but registering ends here, so the counters cannot drift for long."""
    counts = (
        Event.objects.filter(pk=event.pk)
        .values(
            seated=_held(event=OuterRef("pk"), state__in=SEATED),
            waiting=_held(event=OuterRef("pk"), state=State.WAITLISTED),
        )
        .get()
    )
    seated, waiting = counts["seated"], counts["waiting"]
    free = event.capacity - seated
    offered: list[Registration] = []
    if event.cancelled_at is None and now < event.starts_at and free > 0 and waiting:
        offered = _offer(event, now, actor, free)
    event.seats_held, event.waitlist_length = seated + len(offered), waiting - len(offered)
    Event.objects.filter(pk=event.pk).update(
        seats_held=event.seats_held, waitlist_length=event.waitlist_length
    )
    return offered


def _offer(event: Event, now: dt.datetime, actor: Access, free: int) -> list[Registration]:
    hold_until = min(now + dt.timedelta(hours=event.offer_hold_hours), event.starts_at)
    offered = list(
        Registration.objects.filter(event=event, state=State.WAITLISTED)
        .select_related("user")
        .order_by("sequence")[:free]
    )
    for registration in offered:
        _set_state(registration, State.OFFERED, actor, "offer", offer_expires_at=hold_until)
        notify(
            [registration.user],
            event.subdistrict,
            title=_("A seat is free for you: %(event)s") % {"event": event.title},
            body=_("Accept it before %(time)s, or it goes to the next person on the waitlist.")
            % {"time": local_time(hold_until)},
            url=event_url(event),
        )
    return offered


# --- what can be done with a registration ---------------------------------------------

# The states each change of a registration starts from. The verbs below refuse any other, and
# ``allowed_actions`` offers a change only where its verb would take it.
FROM_STATES: dict[str, tuple[str, ...]] = {
    "accept": (State.OFFERED,),
    "cancel": (State.PENDING_APPROVAL, State.CONFIRMED, State.WAITLISTED, State.OFFERED),
    "rate": (State.CHECKED_IN,),
    "approve": (State.PENDING_APPROVAL,),
    "reject": (State.PENDING_APPROVAL,),
}
ACTIONS = tuple(FROM_STATES)
WRONG_STATE = {
    "accept": gettext_lazy("There is no seat on offer for this registration."),
    "cancel": gettext_lazy("This registration can no longer be cancelled."),
    "rate": gettext_lazy("Only people who attended the event can rate it."),
    "approve": gettext_lazy("This registration is not waiting for approval."),
    "reject": gettext_lazy("This registration is not waiting for approval."),
}


def permitted(action: str, registration: Registration, actor: Access) -> bool:
    """The rule of a change: organisers decide; the registrant accepts and rates; both
    may cancel."""
    if action in ("approve", "reject"):
        return rules.may_organise(actor)
    if action == "cancel":
        return rules.is_registrant(actor, registration) or rules.may_organise(actor)
    return rules.is_registrant(actor, registration)


def refusal(action: str, registration: Registration, now: dt.datetime) -> str | None:
    """Why the registration cannot take the change now (None: it can); reads
    ``registration.event`` for a rating."""
    if registration.state not in FROM_STATES[action]:
        return str(WRONG_STATE[action])
    if action == "accept" and (
        registration.offer_expires_at is None or registration.offer_expires_at <= now
    ):
        return _("The offer has expired.")
    if action == "rate":
        if registration.event.ends_at > now:
            return _("You can rate the event once it has ended.")
        if registration.rated_at is not None:
            return _("You have already rated this event.")
    return None


def allowed_actions(
    registration: Registration, actor: Access, now: dt.datetime | None = None
) -> list[str]:
    """What ``actor`` may do with the registration now: the verbs' own rule and states."""
    now = now or clock.now()
    return [
        action
        for action in ACTIONS
        if permitted(action, registration, actor) and refusal(action, registration, now) is None
    ]


def _refuse_unless(action: str, registration: Registration, now: dt.datetime) -> None:
    message = refusal(action, registration, now)
    if message is not None:
        raise ValidationError(message)


def cancel_registration(registration: Registration, *, actor: Access) -> Registration:
    """Give the place up (also declines an offer); a freed seat goes to the next in line."""
    actor.require(permitted("cancel", registration, actor))
    with transaction.atomic():
        event, registration = _locked(registration)
        now = clock.now()
        _refuse_unless("cancel", registration, now)
        _set_state(
            registration,
            State.CANCELLED,
            actor,
            "cancel",
            cancelled_at=now,
            offer_expires_at=None,
        )
        _settle_seats(event, now, actor)
    return registration


def accept_offer(registration: Registration, *, actor: Access) -> Registration:
    actor.require(permitted("accept", registration, actor))
    with transaction.atomic():
        event, registration = _locked(registration)
        now = clock.now()
        _refuse_unless("accept", registration, now)
        _set_state(
            registration,
            State.CONFIRMED,
            actor,
            "accept_offer",
            confirmed_at=now,
            offer_expires_at=None,
        )
    return registration


def decide_registration(
    registration: Registration, *, actor: Access, approve: bool
) -> Registration:
    """An organiser approves or turns down a registration waiting for approval."""
    action = "approve" if approve else "reject"
    actor.require(permitted(action, registration, actor))
    with transaction.atomic():
        event, registration = _locked(registration)
        now = clock.now()
        _refuse_unless(action, registration, now)
        if approve:
            _set_state(registration, State.CONFIRMED, actor, "approve", confirmed_at=now)
            title = _("Registration confirmed: %(event)s")
        else:
            _set_state(registration, State.REJECTED, actor, "reject")
            _settle_seats(event, now, actor)
            title = _("Registration not approved: %(event)s")
        notify(
            [registration.user],
            event.subdistrict,
            title=title % {"event": event.title},
            url=event_url(event),
        )
    return registration


def expire_offers(now: dt.datetime | None = None) -> int:
    """Expire offers past their hold and offer those seats to the next in line.

    Idempotent: a registration is expired only while it is still an offer past its time, read
    under the event's lock, so a second run (or a second worker) finds nothing to do.
    """
    now = now or clock.now()
    due = (
        Registration.objects.filter(state=State.OFFERED, offer_expires_at__lte=now)
        .values_list("event_id", flat=True)
        .distinct()
    )
    expired = 0
    for event_id in list(due):
        with transaction.atomic():
            event = (
                Event.objects.select_for_update(of=("self",))
                .select_related("subdistrict")
                .get(pk=event_id)
            )
            system = Access.system(event.subdistrict)
            for registration in Registration.objects.select_for_update().filter(
                event=event, state=State.OFFERED, offer_expires_at__lte=now
            ):
                _set_state(registration, State.EXPIRED, system, "expire_offer")
                expired += 1
            _settle_seats(event, now, system)
    return expired


# --- on the day ---------------------------------------------------------------------------


class CheckInCode:
    OK = "ok"
    ALREADY_CHECKED_IN = "already_checked_in"
    NOT_REGISTERED = "not_registered"
    CANCELLED = "cancelled"
    WRONG_EVENT = "wrong_event"
    OUTSIDE_TIME = "outside_time"


CHECK_IN_MESSAGES = {
    CheckInCode.OK: gettext_lazy("Checked in. Welcome!"),
    CheckInCode.ALREADY_CHECKED_IN: gettext_lazy("Already checked in."),
    CheckInCode.NOT_REGISTERED: gettext_lazy("Not registered: no confirmed seat for this code."),
    CheckInCode.CANCELLED: gettext_lazy("This registration was cancelled."),
    CheckInCode.WRONG_EVENT: gettext_lazy("This code is for another event."),
    CheckInCode.OUTSIDE_TIME: gettext_lazy("Check-in is not open at this time."),
}


@dataclass(frozen=True)
class CheckIn:
    result: str
    registration: Registration | None = None

    @property
    def message(self) -> str:
        return str(CHECK_IN_MESSAGES[self.result])


def code_from_scan(text: str) -> str:
    """A scanner may type the whole URL of the QR code; the secret is its last part."""
    text = text.strip().rstrip("/")
    return text.rsplit("/", 1)[-1]


def check_in(event: Event, code: str, *, actor: Access, now: dt.datetime | None = None) -> CheckIn:
    """Check a person in by the secret code of their registration's QR.

    Idempotent: the registration row is locked, so two scans of one code give one ``ok`` and
    one ``already_checked_in``, and nothing changes the second time.
    """
    actor.require(rules.may_organise(actor))
    code = code_from_scan(code)
    now = now or clock.now()
    with transaction.atomic():
        registration = (
            Registration.objects.select_for_update(of=("self",))
            .select_related("user", "enterprise")
            .filter(code=code)
            .first()
            if code
            else None
        )
        if registration is None:
            return CheckIn(CheckInCode.NOT_REGISTERED)
        if registration.event_id != event.pk:
            return CheckIn(CheckInCode.WRONG_EVENT, registration)
        if registration.state == State.CANCELLED:
            return CheckIn(CheckInCode.CANCELLED, registration)
        if registration.state == State.CHECKED_IN:
            return CheckIn(CheckInCode.ALREADY_CHECKED_IN, registration)
        if registration.state != State.CONFIRMED:
            return CheckIn(CheckInCode.NOT_REGISTERED, registration)
        if not event.starts_at - CHECK_IN_OPENS <= now <= event.ends_at:
            return CheckIn(CheckInCode.OUTSIDE_TIME, registration)
        _set_state(registration, State.CHECKED_IN, actor, "check_in", checked_in_at=now)
    return CheckIn(CheckInCode.OK, registration)


def rate_event(
    registration: Registration, *, actor: Access, rating: int, comment: str = ""
) -> Registration:
    """Attendees rate an event once, after it has ended."""
    actor.require(permitted("rate", registration, actor))
    if not 1 <= rating <= 5:
        raise ValidationError({"rating": [_("Give a rating from 1 to 5.")]})
    comment = comment.strip()
    limits.refuse_overlong(Registration, comment=comment)
    with transaction.atomic():
        registration = (
            Registration.objects.select_for_update(of=("self",))
            .select_related("event")
            .get(pk=registration.pk)
        )
        now = clock.now()
        _refuse_unless("rate", registration, now)
        registration.rating = rating
        registration.comment = comment
        registration.rated_at = now
        registration.save(update_fields=["rating", "comment", "rated_at"])
        audit.record(actor, "events.registration.rate", registration, after={"rating": rating})
    return registration
