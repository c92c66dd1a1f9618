"""Queue verbs: issuing numbers, calling, serving, transfers and the end of the day.

Every verb checks who is acting, runs in one transaction and writes the audit log. Numbers come
from a ``DayCounter`` row per service and local day, incremented with ``F()`` under a row lock:
on PostgreSQL the UPDATE makes concurrent kiosks wait for each other, on SQLite every
transaction takes the write lock when it begins (``transaction_mode=IMMEDIATE``); the unique
key (sub-district, service, day, number) stands behind both. Calling locks the rows of the
services a counter serves, so two counters sharing a service call one after the other and never
the same ticket; the state change itself is a conditional UPDATE as a last guard.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from linli.core import audit, clock
from linli.core.access import Access
from linli.core.models import Subdistrict
from linli.frontoffice.bookings.checks import BookingRefused
from linli.frontoffice.bookings.models import Booking
from linli.frontoffice.bookings.models import State as BookingState
from linli.frontoffice.bookings.queries import Arrival, booking_for_arrival
from linli.frontoffice.bookings.services import check_in as check_in_booking
from linli.frontoffice.queue import ordering, rules
from linli.frontoffice.queue.models import (
    OPEN_STATES,
    Counter,
    DayCounter,
    Hall,
    PriorityReason,
    Service,
    Ticket,
    TicketKind,
    TicketState,
    new_device_key,
)


class QueueRefusal(Exception):
    """An action the ticket's or counter's state does not allow; ``message`` says why."""

    def __init__(self, message: str, *, code: str = "invalid_transition") -> None:
        super().__init__(message)
        self.message = message
        self.code = code


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def ticket_for_token(token: str) -> Ticket | None:
    """The ticket a link leads to, following transfers (call with scopes disabled)."""
    if not token:
        return None
    ticket = (
        Ticket.objects.select_related("service", "counter")
        .filter(token_hash=token_hash(token))
        .first()
    )
    while ticket is not None and ticket.transferred_to_id is not None:
        ticket = Ticket.objects.select_related("service", "counter").get(
            pk=ticket.transferred_to_id
        )
    return ticket


def hall_for_key(key: str) -> Hall | None:
    """The hall whose kiosks and screen use this device key (call with scopes disabled)."""
    if not key or len(key) < 16:
        return None
    return Hall.objects.select_related("subdistrict", "organisation").filter(device_key=key).first()


# --- issuing -----------------------------------------------------------------------------


def _next_number(service: Service, day: dt.date) -> int:
    """Take the next number of the service's day (inside the caller's transaction)."""
    counter = DayCounter.objects.filter(
        subdistrict_id=service.subdistrict_id, service=service, day=day
    ).first()
    if counter is None:
        try:
            with transaction.atomic():
                counter = DayCounter.objects.create(
                    subdistrict_id=service.subdistrict_id, service=service, day=day
                )
        except IntegrityError:
            # Another kiosk created the day's row at the same moment: use theirs.
            counter = DayCounter.objects.get(
                subdistrict_id=service.subdistrict_id, service=service, day=day
            )
    DayCounter.objects.filter(pk=counter.pk).update(last_number=F("last_number") + 1)
    return DayCounter.objects.values_list("last_number", flat=True).get(pk=counter.pk)


def _check_issue(
    kind: str,
    priority_reason: str,
    slot_start: dt.datetime | None,
    slot_end: dt.datetime | None,
) -> None:
    errors: dict[str, str] = {}
    if kind not in TicketKind.values:
        errors["kind"] = _("Choose normal, priority or appointment.")
    if kind == TicketKind.PRIORITY and priority_reason not in PriorityReason.values:
        errors["priority_reason"] = _("Say why the ticket has priority: elderly or disability.")
    if kind != TicketKind.PRIORITY and priority_reason:
        errors["priority_reason"] = _("Only priority tickets have a priority reason.")
    if kind == TicketKind.APPOINTMENT:
        if slot_start is None:
            errors["slot_start"] = _("An appointment ticket needs the start of its slot.")
        elif slot_end is not None and slot_end <= slot_start:
            errors["slot_end"] = _("The slot must end after it starts.")
    elif slot_start is not None or slot_end is not None:
        errors["slot_start"] = _("Only appointment tickets have a slot.")
    if errors:
        raise ValidationError(errors)


def issue_ticket(
    service: Service,
    *,
    actor: Access,
    kind: str = TicketKind.NORMAL,
    priority_reason: str = "",
    slot_start: dt.datetime | None = None,
    slot_end: dt.datetime | None = None,
    device: Hall | None = None,
) -> tuple[Ticket, str]:
    """Issue the next number of the service for today; returns the ticket and its link secret.

    ``device`` is the hall whose kiosk asks (its key was checked by the caller); without it the
    actor issues at the desk."""
    actor.require(rules.may_issue(actor, service, device=device))
    if kind == TicketKind.APPOINTMENT:
        actor.require(rules.may_issue_appointment(actor))
    _check_issue(kind, priority_reason, slot_start, slot_end)
    if not service.active:
        raise QueueRefusal(_("“%(service)s” is not issuing numbers now.") % {"service": service})
    token = secrets.token_urlsafe(18)
    with transaction.atomic():
        ticket = _create_ticket(
            service,
            actor=actor,
            token=token,
            kind=kind,
            priority_reason=priority_reason,
            slot_start=slot_start,
            slot_end=slot_end,
            channel=Ticket.Channel.KIOSK if device is not None else Ticket.Channel.STAFF,
        )
    return ticket, token


def _create_ticket(
    service: Service,
    *,
    actor: Access,
    token: str,
    kind: str,
    channel: str,
    priority_reason: str = "",
    slot_start: dt.datetime | None = None,
    slot_end: dt.datetime | None = None,
    booking_ref: int | None = None,
) -> Ticket:
    """Take today's next number and write the ticket (inside the caller's transaction)."""
    now = clock.now()
    day = clock.local_day(now)
    ticket = Ticket.objects.create(
        subdistrict_id=service.subdistrict_id,
        service=service,
        day=day,
        number=_next_number(service, day),
        kind=kind,
        priority_reason=priority_reason,
        channel=channel,
        slot_start=slot_start,
        slot_end=slot_end if slot_start is not None else None,
        queued_at=now,
        issued_at=now,
        token_hash=token_hash(token),
        booking_ref=booking_ref,
    )
    audit.record(actor, "queue.ticket.issue", ticket, after=audit.snapshot(ticket))
    return ticket


# --- arriving for a booked slot ----------------------------------------------------------


def _latest(ticket: Ticket) -> Ticket:
    while ticket.transferred_to_id is not None:
        ticket = Ticket.objects.select_related("service", "counter").get(
            pk=ticket.transferred_to_id
        )
    return ticket


def _refuse_booking(booking: Booking, arrival: Arrival, now: dt.datetime) -> None:
    """Why a booking cannot become a ticket now, as a refusal for the kiosk (or nothing)."""
    when = {
        "time": f"{clock.local(booking.start):%H:%M}",
        "day": f"{clock.local(booking.start):%Y-%m-%d}",
        "opens": f"{clock.local(arrival.opens):%H:%M}",
        "closes": f"{clock.local(arrival.closes):%H:%M}",
    }
    if booking.state in (BookingState.REQUESTED, BookingState.PENDING_APPROVAL):
        message = _("This appointment is not confirmed yet, so it cannot be checked in.")
        code = "not_confirmed"
    elif booking.state in (BookingState.CANCELLED, BookingState.REJECTED):
        message = _("This appointment was cancelled. Please take a normal number.")
        code = "cancelled"
    elif booking.state == BookingState.COMPLETED:
        message = _("This appointment code has already been used.")
        code = "already_used"
    elif booking.state == BookingState.RELEASED_NO_SHOW or (
        clock.local_day(booking.start) == clock.local_day(now) and now > arrival.closes
    ):
        message = (
            _(
                "Too late: your appointment at %(time)s could be checked in until %(closes)s. "
                "Please take a normal number."
            )
            % when
        )
        code = "too_late"
    elif clock.local_day(booking.start) != clock.local_day(now):
        message = _("This appointment is on %(day)s at %(time)s, not today.") % when
        code = "wrong_day"
    elif now < arrival.opens:
        message = (
            _("Too early: your appointment is at %(time)s. Please check in from %(opens)s.") % when
        )
        code = "too_early"
    else:
        return
    raise QueueRefusal(message, code=code)


def check_in_appointment(
    hall: Hall, code: str, *, actor: Access, device: Hall | None = None
) -> tuple[Ticket, str]:
    """Someone who booked a window slot arrives: find the booking by its code, check it in
    (through the bookings verb) and issue an appointment ticket with the slot's times, all in
    one transaction. Scanning the same code again shows the same ticket while it is open;
    anything that does not fit (unknown code, another hall, another day, too early or late,
    already used) is a ``QueueRefusal`` and issues nothing."""
    actor.require(rules.may_check_in_appointment(actor, hall, device=device))
    now = clock.now()
    unknown = QueueRefusal(
        _("No appointment at %(hall)s has this code. Check the code, or take a normal number.")
        % {"hall": hall.name},
        code="unknown_code",
    )
    arrival = booking_for_arrival(code, hall.organisation, now=now)
    if arrival is None:
        raise unknown
    booking = arrival.booking
    service = Service.objects.filter(
        hall=hall, active=True, appointment_resource=arrival.resource_code
    ).first()
    if service is None:
        raise unknown
    with transaction.atomic():
        # One arrival of a service at a time: two scans of one code find each other's ticket.
        Service.objects.select_for_update().filter(pk=service.pk).first()
        issued = (
            Ticket.objects.select_related("service", "counter")
            .filter(subdistrict_id=hall.subdistrict_id, booking_ref=booking.pk)
            .first()
        )
        if issued is not None:
            latest = _latest(issued)
            if latest.is_open:
                return latest, arrival.secret
            raise QueueRefusal(
                _("This appointment code has already been used (ticket %(code)s).")
                % {"code": latest.code},
                code="already_used",
            )
        _refuse_booking(booking, arrival, now)
        try:
            check_in_booking(booking, actor=actor, code=code, now=now)
        except BookingRefused as exc:
            raise QueueRefusal(" ".join(exc.messages), code="checkin_refused") from exc
        ticket = _create_ticket(
            service,
            actor=actor,
            token=arrival.secret,
            kind=TicketKind.APPOINTMENT,
            channel=Ticket.Channel.KIOSK if device is not None else Ticket.Channel.STAFF,
            slot_start=booking.start,
            slot_end=booking.end,
            booking_ref=booking.pk,
        )
    return ticket, arrival.secret


# --- calling -----------------------------------------------------------------------------


def line_rule(service: Service) -> ordering.LineRule:
    return ordering.LineRule(
        streak_limit=service.priority_streak,
        lead=dt.timedelta(minutes=service.appointment_lead_minutes),
    )


def waiting_of(service: Service, day: dt.date) -> list[ordering.Waiting]:
    rows = Ticket.objects.filter(service=service, day=day, state=TicketState.ISSUED).values_list(
        "id", "kind", "queued_at", "slot_start", "slot_end"
    )
    return [
        ordering.Waiting(id=i, service_id=service.pk, kind=k, queued_at=q, slot_start=s, slot_end=e)
        for i, k, q, s, e in rows
    ]


def current_run(service: Service, day: dt.date) -> int:
    run = (
        DayCounter.objects.filter(service=service, day=day)
        .values_list("priority_run", flat=True)
        .first()
    )
    return run or 0


def current_ticket(counter: Counter) -> Ticket | None:
    """The ticket a counter has called or is serving."""
    return (
        Ticket.objects.select_related("service")
        .filter(counter=counter, state__in=(TicketState.CALLED, TicketState.SERVING))
        .order_by("-last_called_at")
        .first()
    )


def _lock_counter(counter: Counter, actor: Access) -> Counter:
    locked = (
        Counter.objects.select_for_update(of=("self",)).select_related("hall").get(pk=counter.pk)
    )
    actor.require(rules.may_work_counter(actor, locked))
    return locked


def call_next(counter: Counter, *, actor: Access) -> Ticket | None:
    """Call the next ticket for this counter (None when nobody waits). Calling opens a closed
    counter; a counter with a ticket still called or being served must deal with it first."""
    actor.require(rules.may_work_counter(actor, counter))
    now = clock.now()
    day = clock.local_day(now)
    with transaction.atomic():
        counter = _lock_counter(counter, actor)
        busy = current_ticket(counter)
        if busy is not None:
            raise QueueRefusal(
                _(
                    "%(window)s still has %(code)s open: finish it, mark it a no-show or "
                    "transfer it before calling the next number."
                )
                % {"window": counter, "code": busy.code},
                code="counter_busy",
            )
        served = list(
            Service.objects.select_for_update()
            .filter(pk__in=counter.services.values("pk"), active=True)
            .order_by("pk")
        )
        heads = []
        runs = {service.pk: current_run(service, day) for service in served}
        for service in served:
            found = ordering.head(
                waiting_of(service, day), line_rule(service), runs[service.pk], now
            )
            if found is not None:
                heads.append(found)
        chosen = ordering.pick(heads)
        if not counter.is_open:
            Counter.objects.filter(pk=counter.pk).update(is_open=True)
            audit.record(actor, "queue.counter.open", counter)
        if chosen is None:
            return None
        updated = Ticket.objects.filter(pk=chosen.id, state=TicketState.ISSUED).update(
            state=TicketState.CALLED, counter=counter, called_at=now, last_called_at=now, calls=1
        )
        if updated != 1:
            raise QueueRefusal(_("That number was just called elsewhere: call again."))
        DayCounter.objects.filter(service_id=chosen.service_id, day=day).update(
            priority_run=ordering.next_run(runs[chosen.service_id], chosen.kind)
        )
        ticket = Ticket.objects.select_related("service", "counter").get(pk=chosen.id)
        audit.record(actor, "queue.ticket.call", ticket, after={"counter": counter.number})
    return ticket


def _locked_ticket(ticket: Ticket) -> Ticket:
    return (
        Ticket.objects.select_for_update(of=("self",))
        .select_related("service", "counter", "counter__hall")
        .get(pk=ticket.pk)
    )


ACTION_STATES: dict[str, tuple[str, ...]] = {
    "recall": (TicketState.CALLED,),
    "start": (TicketState.CALLED,),
    "finish": (TicketState.SERVING,),
    "no_show": (TicketState.CALLED,),
    "transfer": (TicketState.ISSUED, TicketState.CALLED, TicketState.SERVING),
    "cancel": (TicketState.ISSUED, TicketState.CALLED),
}


def _refuse_unless(ticket: Ticket, action: str) -> None:
    allowed = ACTION_STATES[action]
    if ticket.state in allowed:
        return
    labels = {
        "recall": pgettext("queue ticket action", "called again"),
        "start": pgettext("queue ticket action", "started"),
        "finish": pgettext("queue ticket action", "finished"),
        "no_show": pgettext("queue ticket action", "marked a no-show"),
        "transfer": pgettext("queue ticket action", "transferred"),
        "cancel": pgettext("queue ticket action", "cancelled"),
    }
    needed = _(" or ").join(str(TicketState(s).label) for s in allowed)
    raise QueueRefusal(
        _("%(code)s is “%(state)s”; it can only be %(action)s when it is “%(needed)s”.")
        % {
            "code": ticket.code,
            "state": TicketState(ticket.state).label,
            "action": labels[action],
            "needed": needed,
        }
    )


def _counter_step(ticket: Ticket, action: str, actor: Access) -> Ticket:
    """Lock the ticket, check the actor works its counter and the state allows the action."""
    locked = _locked_ticket(ticket)
    if locked.counter is None:
        actor.require(actor.has_any(rules.DESK))
    else:
        actor.require(rules.may_work_counter(actor, locked.counter))
    _refuse_unless(locked, action)
    return locked


def _save(ticket: Ticket, actor: Access, action: str, before: dict[str, Any], *fields: str) -> None:
    ticket.save(update_fields=list(fields))
    old, new = audit.changes(before, audit.snapshot(ticket))
    audit.record(actor, action, ticket, before=old, after=new)


def recall(ticket: Ticket, *, actor: Access) -> Ticket:
    """Call the same number again (the screen announces it once more)."""
    with transaction.atomic():
        ticket = _counter_step(ticket, "recall", actor)
        before = audit.snapshot(ticket)
        ticket.calls += 1
        ticket.last_called_at = clock.now()
        _save(ticket, actor, "queue.ticket.recall", before, "calls", "last_called_at")
    return ticket


def start_service(ticket: Ticket, *, actor: Access) -> Ticket:
    with transaction.atomic():
        ticket = _counter_step(ticket, "start", actor)
        before = audit.snapshot(ticket)
        ticket.state = TicketState.SERVING
        ticket.started_at = clock.now()
        _save(ticket, actor, "queue.ticket.start", before, "state", "started_at")
    return ticket


def finish_service(ticket: Ticket, *, actor: Access) -> Ticket:
    with transaction.atomic():
        ticket = _counter_step(ticket, "finish", actor)
        before = audit.snapshot(ticket)
        ticket.state = TicketState.DONE
        ticket.finished_at = clock.now()
        _save(ticket, actor, "queue.ticket.finish", before, "state", "finished_at")
    return ticket


def mark_no_show(ticket: Ticket, *, actor: Access) -> Ticket:
    with transaction.atomic():
        ticket = _counter_step(ticket, "no_show", actor)
        before = audit.snapshot(ticket)
        ticket.state = TicketState.NO_SHOW
        ticket.finished_at = clock.now()
        _save(ticket, actor, "queue.ticket.no_show", before, "state", "finished_at")
    return ticket


def transfer_ticket(ticket: Ticket, service: Service, *, actor: Access) -> Ticket:
    """Send the person on to another service of the same hall. The new ticket takes the target
    service's next number but keeps the time the person first joined a line (``queued_at``),
    so they stand ahead of everyone who took a number after them. Their link follows."""
    with transaction.atomic():
        ticket = _counter_step(ticket, "transfer", actor)
        if service.pk == ticket.service_id:
            raise ValidationError({"service": _("Choose another service than the ticket's own.")})
        if service.hall_id != ticket.service.hall_id or not service.active:
            raise ValidationError({"service": _("Choose an open service of the same hall.")})
        now = clock.now()
        before = audit.snapshot(ticket)
        moved = Ticket.objects.create(
            subdistrict_id=ticket.subdistrict_id,
            service=service,
            day=ticket.day,
            number=_next_number(service, ticket.day),
            kind=ticket.kind,
            priority_reason=ticket.priority_reason,
            channel=Ticket.Channel.TRANSFER,
            slot_start=ticket.slot_start,
            slot_end=ticket.slot_end,
            queued_at=ticket.queued_at,
            issued_at=now,
        )
        ticket.state = TicketState.TRANSFERRED
        ticket.finished_at = now
        ticket.transferred_to = moved
        _save(
            ticket, actor, "queue.ticket.transfer", before, "state", "finished_at", "transferred_to"
        )
        audit.record(
            actor, "queue.ticket.issue", moved, after=audit.snapshot(moved), note=ticket.code
        )
    return moved


def cancel_ticket(ticket: Ticket, *, actor: Access, token: str = "") -> Ticket:
    """The holder (with the link's secret) or the desk cancels a ticket that is not served."""
    with transaction.atomic():
        locked = _locked_ticket(ticket)
        holder = bool(token) and ticket_for_token(token) == locked
        actor.require(holder or actor.has_any(rules.DESK))
        _refuse_unless(locked, "cancel")
        before = audit.snapshot(locked)
        locked.state = TicketState.CANCELLED
        locked.finished_at = clock.now()
        _save(locked, actor, "queue.ticket.cancel", before, "state", "finished_at")
    return locked


# --- counters and devices ----------------------------------------------------------------


def open_counter(counter: Counter, *, actor: Access) -> Counter:
    with transaction.atomic():
        counter = _lock_counter(counter, actor)
        if not counter.is_open:
            counter.is_open = True
            counter.save(update_fields=["is_open"])
            audit.record(actor, "queue.counter.open", counter)
    return counter


def close_counter(counter: Counter, *, actor: Access) -> Counter:
    with transaction.atomic():
        counter = _lock_counter(counter, actor)
        busy = current_ticket(counter)
        if busy is not None:
            raise QueueRefusal(
                _("Finish, transfer or mark %(code)s a no-show before closing the window.")
                % {"code": busy.code},
                code="counter_busy",
            )
        if counter.is_open:
            counter.is_open = False
            counter.save(update_fields=["is_open"])
            audit.record(actor, "queue.counter.close", counter)
    return counter


def rotate_device_key(hall: Hall, *, actor: Access) -> Hall:
    """A new key for the hall's kiosks and screen; the old URLs stop working at once."""
    actor.require(rules.may_manage_devices(actor))
    with transaction.atomic():
        hall = Hall.objects.select_for_update(of=("self",)).get(pk=hall.pk)
        hall.device_key = new_device_key()
        hall.save(update_fields=["device_key"])
        audit.record(actor, "queue.hall.rotate_device_key", hall)
    return hall


# --- end of day --------------------------------------------------------------------------

DAY_END_STATES = {
    TicketState.ISSUED: TicketState.CANCELLED,
    TicketState.CALLED: TicketState.NO_SHOW,
    TicketState.SERVING: TicketState.DONE,
}


def close_past_days(subdistrict: Subdistrict, *, actor: Access, today: dt.date) -> int:
    """Close the tickets of days before ``today`` still open: waiting ones are cancelled,
    called ones are no-shows, those being served are done. They are marked, so their times
    stay out of the statistics. Running it twice closes nothing more."""
    actor.require(actor.is_system or actor.has_any(rules.ADMINS))
    now = clock.now()
    closed = 0
    with transaction.atomic():
        stale = Ticket.objects.filter(subdistrict=subdistrict, day__lt=today, state__in=OPEN_STATES)
        for state, final in DAY_END_STATES.items():
            closed += stale.filter(state=state).update(
                state=final, finished_at=now, closed_at_day_end=True
            )
        if closed:
            audit.record(
                actor,
                "queue.day.close",
                object_type="queue.ticket",
                note=_("%(count)s tickets closed before %(day)s")
                % {"count": closed, "day": today.isoformat()},
            )
    return closed
