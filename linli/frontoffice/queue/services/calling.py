"""Calling and moving tickets along: call the next, recall, start, finish, no-show, transfer,
cancel, and the actions a ticket offers now.

Calling locks the rows of the services a counter serves, so two counters sharing a service
call one after the other and never the same ticket; the state change itself is a conditional
UPDATE as a last guard. Every step is one row of ``ACTION_STATES`` and one rule
(``permitted``): the verbs check exactly these, and ``allowed_actions`` lists what passes them.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from linli.core import audit, clock
from linli.core.access import Access
from linli.frontoffice.queue import ordering, rules
from linli.frontoffice.queue.models import (
    Counter,
    DayCounter,
    Service,
    Ticket,
    TicketState,
)
from linli.frontoffice.queue.services.issuing import QueueRefusal, next_number, ticket_for_token


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


def lock_counter(counter: Counter, actor: Access) -> Counter:
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
        counter = lock_counter(counter, actor)
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


def permitted(action: str, ticket: Ticket, actor: Access) -> bool:
    """The rule of a step: whoever works the ticket's counter (the desk, for a ticket no
    counter has called yet); cancelling is the desk's (or the holder's, by the link)."""
    if action == "cancel" or ticket.counter is None:
        return actor.has_any(rules.DESK)
    return rules.may_work_counter(actor, ticket.counter)


def allowed_actions(ticket: Ticket, actor: Access) -> list[str]:
    """The steps ``actor`` may take with the ticket now: the verbs' own states and rule
    (needs ``ticket.counter`` and its hall)."""
    return [
        action
        for action, states in ACTION_STATES.items()
        if ticket.state in states and permitted(action, ticket, actor)
    ]


def _counter_step(ticket: Ticket, action: str, actor: Access) -> Ticket:
    """Lock the ticket, check the actor works its counter and the state allows the action."""
    locked = _locked_ticket(ticket)
    actor.require(permitted(action, locked, actor))
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
            number=next_number(service, ticket.day),
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
        actor.require(holder or permitted("cancel", locked, actor))
        _refuse_unless(locked, "cancel")
        before = audit.snapshot(locked)
        locked.state = TicketState.CANCELLED
        locked.finished_at = clock.now()
        _save(locked, actor, "queue.ticket.cancel", before, "state", "finished_at")
    return locked
