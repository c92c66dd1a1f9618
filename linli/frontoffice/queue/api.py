"""Queue API: halls with their services and counters, issuing at the desk, calling and moving
tickets along, and the statistics. A refused transition is a 409 with the reason."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status

from linli.core import clock
from linli.core.api import ErrorOut, error_body
from linli.core.http import access_of
from linli.frontoffice.queue import estimates, rules, services, statistics
from linli.frontoffice.queue.forms import DayRangeForm
from linli.frontoffice.queue.models import Counter, Hall, Service, Ticket, TicketKind

router = Router(tags=["queue"])


class ServiceOut(Schema):
    id: int
    prefix: str
    name: str
    active: bool
    priority_streak: int
    appointment_lead_minutes: int


class CounterOut(Schema):
    id: int
    number: int
    is_open: bool
    service_ids: list[int]


class HallOut(Schema):
    id: int
    name: str
    organisation: str
    services: list[ServiceOut]
    counters: list[CounterOut]


class TicketOut(Schema):
    id: int
    code: str
    service_id: int
    service: str
    kind: str
    priority_reason: str
    state: str
    day: dt.date
    issued_at: dt.datetime
    queued_at: dt.datetime
    called_at: dt.datetime | None
    started_at: dt.datetime | None
    finished_at: dt.datetime | None
    counter: int | None  # window number
    people_ahead: int | None
    estimated_wait_minutes: int | None
    link: str = ""  # the holder's page, only in the answer that issued the ticket


class IssueIn(Schema):
    service_id: int
    kind: str = TicketKind.NORMAL
    priority_reason: str = ""
    slot_start: dt.datetime | None = None
    slot_end: dt.datetime | None = None


class ActionIn(Schema):
    service_id: int | None = None  # the target of a transfer


class GroupOut(Schema):
    label: str
    tickets: int
    served: int
    no_shows: int
    mean_wait_minutes: float | None
    mean_service_minutes: float | None


class QueueStatisticsOut(Schema):
    start: dt.date
    end: dt.date
    total: GroupOut
    by_service: list[GroupOut]
    by_counter: list[GroupOut]
    by_hour: list[GroupOut]


def ticket_out(ticket: Ticket, link: str = "") -> dict[str, Any]:
    estimate = estimates.estimate(ticket)
    return {
        "id": ticket.pk,
        "code": ticket.code,
        "service_id": ticket.service_id,
        "service": ticket.service.name,
        "kind": ticket.kind,
        "priority_reason": ticket.priority_reason,
        "state": ticket.state,
        "day": ticket.day,
        "issued_at": ticket.issued_at,
        "queued_at": ticket.queued_at,
        "called_at": ticket.called_at,
        "started_at": ticket.started_at,
        "finished_at": ticket.finished_at,
        "counter": ticket.counter.number if ticket.counter else None,
        "people_ahead": estimate.ahead if estimate else None,
        "estimated_wait_minutes": estimate.wait_minutes if estimate else None,
        "link": link,
    }


def _conflict(exc: services.QueueRefusal) -> Status:
    return Status(409, error_body(exc.code, exc.message))


@router.get("/halls", response=list[HallOut])
def list_queue_halls(request: HttpRequest) -> list[dict[str, Any]]:
    """Every hall of the sub-district with its services and counters."""
    halls = Hall.objects.select_related("organisation").prefetch_related(
        "services", "counters__services"
    )
    return [
        {
            "id": hall.pk,
            "name": hall.name,
            "organisation": hall.organisation.name,
            "services": list(hall.services.all()),
            "counters": [
                {
                    "id": c.pk,
                    "number": c.number,
                    "is_open": c.is_open,
                    "service_ids": [s.pk for s in c.services.all()],
                }
                for c in hall.counters.all()
            ],
        }
        for hall in halls
    ]


@router.post("/tickets", response={201: TicketOut, 409: ErrorOut})
def issue_queue_ticket(request: HttpRequest, payload: IssueIn) -> Any:
    """Issue a ticket at the desk (window staff, administrators), also for a booked slot."""
    access = access_of(request)
    access.require(rules.may_use_console(access))
    service = get_object_or_404(Service, pk=payload.service_id)
    try:
        ticket, token = services.issue_ticket(
            service,
            actor=access,
            kind=payload.kind,
            priority_reason=payload.priority_reason,
            slot_start=payload.slot_start,
            slot_end=payload.slot_end,
        )
    except services.QueueRefusal as exc:
        return _conflict(exc)
    link = request.build_absolute_uri(reverse("queue:ticket", args=[token]))
    return Status(201, ticket_out(ticket, link))


def _ticket(request: HttpRequest, ticket_id: int) -> Ticket:
    access = access_of(request)
    access.require(rules.may_use_console(access))
    return get_object_or_404(Ticket.objects.select_related("service", "counter"), pk=ticket_id)


@router.get("/tickets/{ticket_id}", response=TicketOut)
def get_queue_ticket(request: HttpRequest, ticket_id: int) -> dict[str, Any]:
    return ticket_out(_ticket(request, ticket_id))


@router.post("/counters/{counter_id}/call-next", response={200: TicketOut | None, 409: ErrorOut})
def call_next_queue_ticket(request: HttpRequest, counter_id: int) -> Any:
    """Call the next ticket for this counter; null when nobody waits."""
    access = access_of(request)
    counter: Counter = get_object_or_404(Counter.objects.select_related("hall"), pk=counter_id)
    access.require(rules.may_work_counter(access, counter))
    try:
        ticket = services.call_next(counter, actor=access)
    except services.QueueRefusal as exc:
        return _conflict(exc)
    return ticket_out(ticket) if ticket is not None else None


ACTIONS = {
    "recall": services.recall,
    "start": services.start_service,
    "finish": services.finish_service,
    "no-show": services.mark_no_show,
    "cancel": services.cancel_ticket,
}


@router.post("/tickets/{ticket_id}/{action}", response={200: TicketOut, 409: ErrorOut})
def act_on_queue_ticket(
    request: HttpRequest, ticket_id: int, action: str, payload: ActionIn | None = None
) -> Any:
    """recall, start, finish, no-show, cancel, or transfer (with ``service_id``)."""
    access = access_of(request)
    ticket = _ticket(request, ticket_id)
    try:
        if action == "transfer":
            if payload is None or payload.service_id is None:
                raise ValidationError({"service_id": _("Choose the service to transfer to.")})
            target = get_object_or_404(Service, pk=payload.service_id)
            return ticket_out(services.transfer_ticket(ticket, target, actor=access))
        verb = ACTIONS.get(action)
        if verb is None:
            raise Http404
        return ticket_out(verb(ticket, actor=access))
    except services.QueueRefusal as exc:
        return _conflict(exc)


@router.get("/statistics", response={200: QueueStatisticsOut, 400: ErrorOut})
def queue_statistics(
    request: HttpRequest, start: dt.date | None = None, end: dt.date | None = None
) -> Any:
    """Mean wait and service time per service, counter and hour for a range of days."""
    access = access_of(request)
    access.require(rules.may_see_statistics(access))
    today = clock.local_day(clock.now())
    form = DayRangeForm(
        {
            "start": (start or today - dt.timedelta(days=27)).isoformat(),
            "end": (end or today).isoformat(),
        }
    )
    if not form.is_valid():
        fields = {name: [str(e) for e in errors] for name, errors in form.errors.items()}
        return Status(400, error_body("invalid", next(iter(fields.values()))[0], fields))
    stats = statistics.statistics(form.cleaned_data["start"], form.cleaned_data["end"])
    return stats
