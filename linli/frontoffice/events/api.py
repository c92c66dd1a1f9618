"""Events API: the events open to the caller, registering (seat or waitlist), cancelling,
accepting an offer, the caller's registrations, staff check-in and attendance figures.

Every registration carries ``actions``: what the caller may do with it now (accept, cancel,
rate; approve, reject for organisers), from the same rules and states its verbs check."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, Query, Router, Schema, Status

from linli.core.api import ErrorOut
from linli.core.filters import PageParams
from linli.core.http import access_of
from linli.frontoffice.events import availability, rules, services, statistics
from linli.frontoffice.events.filters import EventFilter
from linli.frontoffice.events.lists import listed
from linli.frontoffice.events.models import Event, Registration

router = Router(tags=["events"])

# The longest text a door scanner may send: a registration's QR code holds a whole URL.
SCAN_LENGTH = 300


class AgendaItemOut(Schema):
    time: str  # HH:MM, Shanghai
    title: str


class CentreEventOut(Schema):
    id: int
    kind: str
    title: str
    description: str
    agenda: list[AgendaItemOut]
    audience: str
    place: str
    room: str
    starts_at: dt.datetime
    ends_at: dt.datetime
    capacity: int
    registration_opens_at: dt.datetime
    registration_closes_at: dt.datetime
    seats_per_enterprise: int
    requires_approval: bool
    offer_hold_hours: int
    cancelled: bool
    seats_taken: int
    seats_left: int
    registration_open: bool

    @staticmethod
    def resolve_place(obj: Event) -> str:
        return obj.place.name

    @staticmethod
    def resolve_cancelled(obj: Event) -> bool:
        return obj.cancelled_at is not None

    @staticmethod
    def resolve_seats_taken(obj: Event) -> int:
        return availability.seats_taken(obj)

    @staticmethod
    def resolve_seats_left(obj: Event) -> int:
        return availability.seats_left(obj)

    @staticmethod
    def resolve_registration_open(obj: Event) -> bool:
        return availability.registration_open(obj)


class RegistrationIn(Schema):
    enterprise: int | None = None


class RegistrationOut(Schema):
    id: int
    event: int
    state: str
    sequence: int
    waitlist_position: int | None
    enterprise: int | None
    registered_at: dt.datetime
    offer_expires_at: dt.datetime | None
    checked_in_at: dt.datetime | None
    actions: list[str]

    @staticmethod
    def resolve_event(obj: Registration) -> int:
        return obj.event_id

    @staticmethod
    def resolve_enterprise(obj: Registration) -> int | None:
        return obj.enterprise_id

    @staticmethod
    def resolve_waitlist_position(obj: Registration) -> int | None:
        # A registration just made knows its place without counting (``services.register``).
        arrival = getattr(obj, "arrival_waitlist_position", None)
        return int(arrival) if arrival is not None else services.waitlist_position(obj)

    @staticmethod
    def resolve_actions(obj: Registration, context: dict[str, Any]) -> list[str]:
        return services.allowed_actions(obj, access_of(context["request"]))


class CheckInIn(Schema):
    code: str = Field(..., max_length=SCAN_LENGTH)


class CheckInOut(Schema):
    result: str
    message: str
    registration: int | None

    @staticmethod
    def resolve_registration(obj: services.CheckIn) -> int | None:
        return obj.registration.pk if obj.registration else None


class AttendanceFiguresOut(Schema):
    registered: int
    confirmed: int
    checked_in: int
    waitlisted: int
    no_show_rate: float | None
    ratings: int
    mean_rating: float | None


def _event(request: HttpRequest, event_id: int) -> Event:
    events = Event.objects.visible_to(access_of(request)).select_related("place")
    return get_object_or_404(events, pk=event_id)


def _registration(request: HttpRequest, registration_id: int, *, own: bool) -> Registration:
    """A registration the caller sees (``own``: only one of their own)."""
    access = access_of(request)
    if access.user is None:
        raise Http404
    found = Registration.objects.visible_to(access).select_related("event")
    if own:
        found = found.filter(user=access.user)
    return get_object_or_404(found, pk=registration_id)


@router.get("", response=list[CentreEventOut])
def list_events(request: HttpRequest, filters: Query[EventFilter], page: Query[PageParams]) -> Any:
    """The events open to the caller, soonest first, one page at a time (``page``,
    ``page_size``); filtered as on the events page (``upcoming`` by default). Cancelled events
    stay in the list with ``cancelled`` set."""
    start = (page.page - 1) * page.page_size
    return listed(access_of(request), filters)[start : start + page.page_size]


@router.get("/registrations/mine", response=list[RegistrationOut])
def my_event_registrations(request: HttpRequest, page: Query[PageParams]) -> Any:
    """The caller's registrations, newest first, one page at a time."""
    access = access_of(request)
    if access.user is None:
        return []
    rows = (
        Registration.objects.visible_to(access)
        .filter(user=access.user)
        .select_related("event")
        .order_by("-registered_at", "-pk")
    )
    start = (page.page - 1) * page.page_size
    return rows[start : start + page.page_size]


@router.get("/{int:event_id}", response={200: CentreEventOut, 404: ErrorOut})
def get_event(request: HttpRequest, event_id: int) -> Any:
    return _event(request, event_id)


@router.post(
    "/{int:event_id}/registrations",
    response={201: RegistrationOut, 400: ErrorOut, 403: ErrorOut, 404: ErrorOut},
)
def register_for_event(request: HttpRequest, event_id: int, payload: RegistrationIn) -> Status:
    """Register the caller (on behalf of ``enterprise``, or as themselves for a public event).

    The answer's ``state`` says what they got: ``confirmed`` (or ``pending_approval``) when a
    seat was free, ``waitlisted`` with a ``waitlist_position`` when not.
    """
    access = access_of(request)
    event = get_object_or_404(
        Event.objects.visible_to(access).only("id", "audience", "subdistrict_id"),
        pk=event_id,
    )
    registration = services.register(event, actor=access, enterprise_id=payload.enterprise)
    return Status(201, registration)


@router.post(
    "/registrations/{int:registration_id}/cancel",
    response={200: RegistrationOut, 400: ErrorOut, 403: ErrorOut, 404: ErrorOut},
)
def cancel_event_registration(request: HttpRequest, registration_id: int) -> Any:
    """The registrant gives their place up; an organiser may cancel anyone's."""
    registration = _registration(request, registration_id, own=False)
    return services.cancel_registration(registration, actor=access_of(request))


@router.post(
    "/registrations/{int:registration_id}/accept",
    response={200: RegistrationOut, 400: ErrorOut, 404: ErrorOut},
)
def accept_event_offer(request: HttpRequest, registration_id: int) -> Any:
    registration = _registration(request, registration_id, own=True)
    return services.accept_offer(registration, actor=access_of(request))


@router.post(
    "/{int:event_id}/check-in",
    response={200: CheckInOut, 403: ErrorOut, 404: ErrorOut},
)
def check_in_to_event(request: HttpRequest, event_id: int, payload: CheckInIn) -> Any:
    """Check in by the code of a registration's QR; ``result`` is one of ok,
    already_checked_in, not_registered, cancelled, wrong_event, outside_time."""
    event = _event(request, event_id)
    return services.check_in(event, payload.code, actor=access_of(request))


@router.get(
    "/{int:event_id}/statistics", response={200: AttendanceFiguresOut, 403: ErrorOut, 404: ErrorOut}
)
def get_event_statistics(request: HttpRequest, event_id: int) -> Any:
    access = access_of(request)
    access.require(rules.may_read_attendance(access))
    return statistics.event_figures(_event(request, event_id))
