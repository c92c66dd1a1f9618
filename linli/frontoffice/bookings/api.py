"""Bookings API: resources and their free slots, booking, the bookings list and one's own,
cancelling, check-in.

A refused booking answers 400 with the project error shape; ``fields`` names the field each
broken rule is about (``start``, ``end``, ``enterprise``) with a message saying which rule.
Every booking carries ``actions``: what the caller may do with it now, from the same rules,
states and time limits its verbs check.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema, Status

from linli.core import clock, limits
from linli.core.access import Access
from linli.core.filters import PageParams
from linli.core.http import access_of
from linli.frontoffice.bookings import queries, rules, services
from linli.frontoffice.bookings.filters import BookingFilter, ResourceFilter, bookable
from linli.frontoffice.bookings.lists import listed
from linli.frontoffice.bookings.models import Booking, Resource
from linli.registry.models import Enterprise

router = Router(tags=["bookings"])


class ResourceOut(Schema):
    id: int
    code: str
    name: str
    kind: str
    advisor_field: str
    place_id: int
    place: str
    location: str
    capacity: int
    equipment: list[str]
    has_photo: bool
    default_duration_minutes: int
    approval_required: bool
    min_notice_minutes: int
    window_days: int
    max_duration_minutes: int
    buffer_before_minutes: int
    buffer_after_minutes: int
    quota_per_day: int | None
    quota_per_week: int | None
    cancel_cutoff_minutes: int

    @staticmethod
    def resolve_place(obj: Resource) -> str:
        return obj.place.name

    @staticmethod
    def resolve_has_photo(obj: Resource) -> bool:
        return bool(obj.photo)


class SlotOut(Schema):
    start: dt.datetime
    status: str  # closed, free, busy, mine


class DayOut(Schema):
    resource_id: int
    date: dt.date
    slots: list[SlotOut]


class BookingIn(Schema):
    resource_id: int
    enterprise_id: int | None = None
    start: dt.datetime
    end: dt.datetime
    purpose: limits.Text(Booking, "purpose") = ""  # type: ignore[valid-type]


class BookingOut(Schema):
    id: int
    resource_id: int
    resource: str
    enterprise_id: int | None
    start: dt.datetime
    end: dt.datetime
    state: str
    purpose: str
    checked_in_at: dt.datetime | None
    actions: list[str]  # check_in, cancel, approve, reject: what the caller may do now

    @staticmethod
    def resolve_resource(obj: Booking) -> str:
        return obj.resource.name

    @staticmethod
    def resolve_actions(obj: Booking, context: dict[str, Any]) -> list[str]:
        return services.allowed_actions(obj, access_of(context["request"]))


class BookingPage(Schema):
    count: int
    page: int
    items: list[BookingOut]


@router.get(
    "/resources",
    response=list[ResourceOut],
    operation_id="list_booking_resources",
    url_name="list_booking_resources",
)
def list_resources(
    request: HttpRequest, filters: Query[ResourceFilter], place_id: int | None = None
) -> Any:
    """Bookable rooms, desks and advisors, optionally of one place (centre or sub-centre;
    ``place_id`` or ``place``), of one kind, with at least ``min_capacity`` seats."""
    access = access_of(request)
    access.require(rules.can_view_availability(access))
    found = bookable(Resource.objects.visible_to(access), filters)
    if place_id is not None:
        found = found.filter(place_id=place_id)
    return found.order_by("code")


@router.get(
    "/resources/{pk}/day",
    response=DayOut,
    operation_id="get_booking_day",
    url_name="get_booking_day",
)
def get_day(request: HttpRequest, pk: int, date: dt.date | None = None) -> Any:
    """The half-hour slots of one day (default today) of a resource: closed, free or taken."""
    access = access_of(request)
    access.require(rules.can_view_availability(access))
    resource: Resource = get_object_or_404(
        Resource.objects.visible_to(access).select_related("place"), pk=pk
    )
    day = date or clock.today()
    if not queries.in_grid_range(day):
        raise ValidationError({"date": [_("Choose a day within about a year of today.")]})
    grid = queries.day_grid(access, day, ResourceFilter(place=resource.place_id))
    row = next((r for r in grid.rows if r.resource.pk == resource.pk), None)
    if row is None:
        raise Http404
    return {"resource_id": resource.pk, "date": day, "slots": row.cells}


@router.post(
    "/bookings",
    response={201: BookingOut},
    operation_id="create_booking",
    url_name="create_booking",
)
def create_booking(request: HttpRequest, payload: BookingIn) -> Any:
    """Book a slot; confirmed at once, or ``pending_approval`` where the resource asks."""
    access = access_of(request)
    access.require(rules.can_book(access))
    resource = get_object_or_404(Resource.objects.visible_to(access), pk=payload.resource_id)
    enterprise = None
    enterprises = Enterprise.objects.visible_to(access)
    if payload.enterprise_id is not None:
        enterprise = get_object_or_404(enterprises, pk=payload.enterprise_id)
    elif not rules.is_booking_staff(access) and len(access.linked_ids("enterprise")) == 1:
        enterprise = enterprises.get(pk=next(iter(access.linked_ids("enterprise"))))
    booking = services.request_booking(
        resource,
        actor=access,
        enterprise=enterprise,
        start=payload.start,
        end=payload.end,
        purpose=payload.purpose,
    )
    return Status(201, booking)


@router.get(
    "/bookings",
    response=BookingPage,
    operation_id="list_bookings",
    url_name="list_bookings",
)
def list_bookings(
    request: HttpRequest, filters: Query[BookingFilter], page: Query[PageParams]
) -> Any:
    """The bookings the caller may see (booking staff: all; an enterprise's people: its
    bookings; everyone: their own), newest first, filtered as on the bookings page."""
    rows = listed(access_of(request), filters)
    start = (page.page - 1) * page.page_size
    return {
        "count": rows.count(),
        "page": page.page,
        "items": list(rows[start : start + page.page_size]),
    }


@router.get(
    "/bookings/mine",
    response=list[BookingOut],
    operation_id="list_my_bookings",
    url_name="list_my_bookings",
)
def list_mine(request: HttpRequest, page: Query[PageParams]) -> Any:
    """Your bookings and your enterprises', newest first, one page at a time (``page``,
    ``page_size``); the bookings list (``GET /bookings``) filters them and counts them."""
    start = (page.page - 1) * page.page_size
    return list(queries.my_bookings(access_of(request))[start : start + page.page_size])


def _visible(request: HttpRequest, pk: int) -> tuple[Access, Booking]:
    access = access_of(request)
    return access, get_object_or_404(queries.visible_bookings(access), pk=pk)


@router.post(
    "/bookings/{pk}/cancel",
    response=BookingOut,
    operation_id="cancel_booking",
    url_name="cancel_booking",
)
def cancel(request: HttpRequest, pk: int) -> Any:
    """Cancel before the resource's cut-off (booking staff: any time)."""
    access, booking = _visible(request, pk)
    return services.cancel_booking(booking, actor=access)


@router.post(
    "/bookings/{pk}/check-in",
    response=BookingOut,
    operation_id="check_in_booking",
    url_name="check_in_booking",
)
def check_in(request: HttpRequest, pk: int) -> Any:
    """Check in within the window (from a few minutes before the start); idempotent."""
    access, booking = _visible(request, pk)
    return services.check_in(booking, actor=access)
