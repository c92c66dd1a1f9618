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

    @staticmethod
    def resolve_service_ids(obj: Counter) -> list[int]:
        return [s.pk for s in obj.services.all()]


class HallOut(Schema):
    id: int
    name: str
    organisation: str
    services: list[ServiceOut]
    counters: list[CounterOut]

    @staticmethod
    def resolve_organisation(obj: Hall) -> str:
        return obj.organisation.name

    @staticmethod
    def resolve_services(obj: Hall) -> list[Service]:
        return list(obj.services.all())

    @staticmethod
    def resolve_counters(obj: Hall) -> list[Counter]:
        return list(obj.counters.all())


# The names of the steps in the API's paths (``POST /tickets/{id}/{action}``).
PATH_NAMES = {"no_show": "no-show"}


def _estimate(ticket: Ticket) -> estimates.Estimate | None:
    """Where a waiting ticket stands, worked out once per answer."""
    if not hasattr(ticket, "_estimate"):
        ticket._estimate = estimates.estimate(ticket)  # type: ignore[attr-defined]
    return ticket._estimate  # type: ignore[attr-defined,no-any-return]


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
    actions: list[str]  # recall, start, finish, no-show, transfer, cancel: what you may do now

    @staticmethod
    def resolve_service(obj: Ticket) -> str:
        return obj.service.name

    @staticmethod
    def resolve_counter(obj: Ticket) -> int | None:
        return obj.counter.number if obj.counter else None

    @staticmethod
    def resolve_people_ahead(obj: Ticket) -> int | None:
        found = _estimate(obj)
        return found.ahead if found else None

    @staticmethod
    def resolve_estimated_wait_minutes(obj: Ticket) -> int | None:
        found = _estimate(obj)
        return found.wait_minutes if found else None

    @staticmethod
    def resolve_link(obj: Ticket) -> str:
        return getattr(obj, "link", "")

    @staticmethod
    def resolve_actions(obj: Ticket, context: dict[str, Any]) -> list[str]:
        actor = access_of(context["request"])
        return [PATH_NAMES.get(a, a) for a in services.allowed_actions(obj, actor)]


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


def _conflict(exc: services.QueueRefusal) -> Status:
    return Status(409, error_body(exc.code, exc.message))


@router.get("/halls", response=list[HallOut])
def list_queue_halls(request: HttpRequest) -> Any:
    """Every hall of the sub-district with its services and counters."""
    return (
        Hall.objects.visible_to(access_of(request))
        .select_related("organisation")
        .prefetch_related("services", "counters__services")
    )


@router.post("/tickets", response={201: TicketOut, 409: ErrorOut})
def issue_queue_ticket(request: HttpRequest, payload: IssueIn) -> Any:
    """Issue a ticket at the desk (window staff, administrators), also for a booked slot."""
    access = access_of(request)
    access.require(rules.may_use_console(access))
    service = get_object_or_404(Service.objects.visible_to(access), pk=payload.service_id)
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
    ticket.link = request.build_absolute_uri(reverse("queue:ticket", args=[token]))  # type: ignore[attr-defined]
    return Status(201, ticket)


def _ticket(request: HttpRequest, ticket_id: int) -> Ticket:
    access = access_of(request)
    access.require(rules.may_use_console(access))
    tickets = Ticket.objects.visible_to(access).select_related("service", "counter__hall")
    return get_object_or_404(tickets, pk=ticket_id)


@router.get("/tickets/{ticket_id}", response=TicketOut)
def get_queue_ticket(request: HttpRequest, ticket_id: int) -> Any:
    return _ticket(request, ticket_id)


@router.post("/counters/{counter_id}/call-next", response={200: TicketOut | None, 409: ErrorOut})
def call_next_queue_ticket(request: HttpRequest, counter_id: int) -> Any:
    """Call the next ticket for this counter; null when nobody waits."""
    access = access_of(request)
    counter: Counter = get_object_or_404(
        Counter.objects.visible_to(access).select_related("hall"), pk=counter_id
    )
    access.require(rules.may_work_counter(access, counter))
    try:
        ticket = services.call_next(counter, actor=access)
    except services.QueueRefusal as exc:
        return _conflict(exc)
    return ticket


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
            target = get_object_or_404(Service.objects.visible_to(access), pk=payload.service_id)
            return services.transfer_ticket(ticket, target, actor=access)
        verb = ACTIONS.get(action)
        if verb is None:
            raise Http404
        return verb(ticket, actor=access)
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
    return statistics.statistics(
        form.cleaned_data["start"], form.cleaned_data["end"], access=access
    )
