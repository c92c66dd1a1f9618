"""Issuing numbers: the kiosk's and the desk's tickets, the device key and the ticket link.

Numbers come from a ``DayCounter`` row per service and local day, incremented with ``F()``
under a row lock: on PostgreSQL the UPDATE makes concurrent kiosks wait for each other, on
SQLite every transaction takes the write lock when it begins (``transaction_mode=IMMEDIATE``);
the unique key (sub-district, service, day, number) stands behind both.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils.translation import gettext as _

from linli.core import audit, clock
from linli.core.access import Access
from linli.frontoffice.queue import rules
from linli.frontoffice.queue.models import (
    Counter,
    DayCounter,
    Hall,
    PriorityReason,
    Service,
    Ticket,
    TicketKind,
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


def next_number(service: Service, day: dt.date) -> int:
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
    if not Counter.objects.filter(services=service).exists():
        # A number no window can ever call would only make someone wait for nothing.
        raise QueueRefusal(
            _("No window serves “%(service)s”: please ask at the front desk.")
            % {"service": service.name},
            code="no_window",
        )
    token = secrets.token_urlsafe(18)
    with transaction.atomic():
        ticket = create_ticket(
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


def create_ticket(
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
        number=next_number(service, day),
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
