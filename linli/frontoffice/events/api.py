"""Events API: the events open to the caller, registering (seat or waitlist), cancelling,
accepting an offer, the caller's registrations, staff check-in and attendance figures."""

from __future__ import annotations

import datetime as dt

from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Query, Router, Schema, Status

from linli.core import clock
from linli.core.api import ErrorOut
from linli.core.http import access_of
from linli.frontoffice.events import rules, services, statistics
from linli.frontoffice.events.models import Event, Registration

router = Router(tags=["events"])


class CentreEventOut(Schema):
    id: int
    kind: str
    title: str
    description: str
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


class CheckInIn(Schema):
    code: str


class CheckInOut(Schema):
    result: str
    message: str
    registration: int | None


class AttendanceFiguresOut(Schema):
    registered: int
    confirmed: int
    checked_in: int
    waitlisted: int
    no_show_rate: float | None
    ratings: int
    mean_rating: float | None


class EventFilter(Schema):
    kind: str | None = None
    upcoming: bool = True


def _event_out(event: Event) -> dict:
    return {
        "id": event.pk,
        "kind": event.kind,
        "title": event.title,
        "description": event.description,
        "audience": event.audience,
        "place": event.place.name,
        "room": event.room,
        "starts_at": event.starts_at,
        "ends_at": event.ends_at,
        "capacity": event.capacity,
        "registration_opens_at": event.registration_opens_at,
        "registration_closes_at": event.registration_closes_at,
        "seats_per_enterprise": event.seats_per_enterprise,
        "requires_approval": event.requires_approval,
        "offer_hold_hours": event.offer_hold_hours,
        "cancelled": event.cancelled_at is not None,
    }


def _registration_out(registration: Registration) -> dict:
    return {
        "id": registration.pk,
        "event": registration.event_id,
        "state": registration.state,
        "sequence": registration.sequence,
        "waitlist_position": services.waitlist_position(registration),
        "enterprise": registration.enterprise_id,
        "registered_at": registration.registered_at,
        "offer_expires_at": registration.offer_expires_at,
        "checked_in_at": registration.checked_in_at,
    }


def _event(request: HttpRequest, event_id: int) -> Event:
    access = access_of(request)
    events = rules.visible_events(access, Event.objects.select_related("place"))
    return get_object_or_404(events, pk=event_id)


def _own_registration(request: HttpRequest, registration_id: int) -> Registration:
    access = access_of(request)
    if access.user is None:
        raise Http404
    return get_object_or_404(Registration, pk=registration_id, user=access.user)


@router.get("", response=list[CentreEventOut])
def list_events(request: HttpRequest, filters: Query[EventFilter]) -> list[dict]:
    access = access_of(request)
    events = rules.visible_events(access, Event.objects.select_related("place"))
    if filters.kind:
        events = events.filter(kind=filters.kind)
    if filters.upcoming:
        events = events.filter(ends_at__gte=clock.now())
    return [_event_out(e) for e in events.order_by("starts_at")[:200]]


@router.get("/registrations/mine", response=list[RegistrationOut])
def my_event_registrations(request: HttpRequest) -> list[dict]:
    access = access_of(request)
    if access.user is None:
        return []
    rows = Registration.objects.filter(user=access.user).order_by("-registered_at")[:200]
    return [_registration_out(r) for r in rows]


@router.get("/{int:event_id}", response={200: CentreEventOut, 404: ErrorOut})
def get_event(request: HttpRequest, event_id: int) -> dict:
    return _event_out(_event(request, event_id))


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
        rules.visible_events(access, Event.objects.all()).only("id", "audience", "subdistrict_id"),
        pk=event_id,
    )
    registration = services.register(event, actor=access, enterprise_id=payload.enterprise)
    return Status(201, _registration_out(registration))


@router.post(
    "/registrations/{int:registration_id}/cancel",
    response={200: RegistrationOut, 400: ErrorOut, 404: ErrorOut},
)
def cancel_event_registration(request: HttpRequest, registration_id: int) -> dict:
    registration = _own_registration(request, registration_id)
    registration = services.cancel_registration(registration, actor=access_of(request))
    return _registration_out(registration)


@router.post(
    "/registrations/{int:registration_id}/accept",
    response={200: RegistrationOut, 400: ErrorOut, 404: ErrorOut},
)
def accept_event_offer(request: HttpRequest, registration_id: int) -> dict:
    registration = _own_registration(request, registration_id)
    registration = services.accept_offer(registration, actor=access_of(request))
    return _registration_out(registration)


@router.post(
    "/{int:event_id}/check-in",
    response={200: CheckInOut, 403: ErrorOut, 404: ErrorOut},
)
def check_in_to_event(request: HttpRequest, event_id: int, payload: CheckInIn) -> dict:
    """Check in by the code of a registration's QR; ``result`` is one of ok,
    already_checked_in, not_registered, cancelled, wrong_event, outside_time."""
    event = _event(request, event_id)
    outcome = services.check_in(event, payload.code, actor=access_of(request))
    return {
        "result": outcome.result,
        "message": outcome.message,
        "registration": outcome.registration.pk if outcome.registration else None,
    }


@router.get(
    "/{int:event_id}/statistics", response={200: AttendanceFiguresOut, 403: ErrorOut, 404: ErrorOut}
)
def get_event_statistics(request: HttpRequest, event_id: int) -> dict:
    access = access_of(request)
    access.require(rules.may_read_attendance(access))
    figures = statistics.event_figures(_event(request, event_id))
    return {
        "registered": figures.registered,
        "confirmed": figures.confirmed,
        "checked_in": figures.checked_in,
        "waitlisted": figures.waitlisted,
        "no_show_rate": figures.no_show_rate,
        "ratings": figures.ratings,
        "mean_rating": figures.mean_rating,
    }
