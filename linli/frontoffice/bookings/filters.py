"""The filters of the bookings list, one definition for its page, its API endpoint and its
Excel export (``linli.core.filters``)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from django.db.models import Q, QuerySet
from ninja import FilterLookup
from pydantic import Field, ValidationInfo, field_validator

from linli.core.calendar import local_zone
from linli.core.filters import Id, ListFilter
from linli.frontoffice.bookings.models import Booking, Resource, ResourceKind, State

SEARCH_LENGTH = 100
MAX_SEATS = 10_000


def _day_start(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time.min, local_zone())


class BookingFilter(ListFilter):
    """Bookings by state, resource (or its kind or place), enterprise, the days they start on
    (Shanghai days, both ends included) and words of their resource, enterprise or purpose."""

    state: Annotated[str | None, Field(description=" | ".join(State.values))] = None
    kind: Annotated[
        str | None,
        FilterLookup("resource__kind"),
        Field(description=" | ".join(ResourceKind.values)),
    ] = None
    resource: Annotated[Id | None, FilterLookup("resource_id")] = None
    place: Annotated[Id | None, FilterLookup("resource__place_id")] = None
    enterprise: Annotated[Id | None, FilterLookup("enterprise_id")] = None
    since: dt.date | None = None
    until: dt.date | None = None
    q: Annotated[str | None, Field(max_length=SEARCH_LENGTH)] = None

    @field_validator("state")
    @classmethod
    def _known_state(cls, value: str | None) -> str | None:
        if value is not None and value not in State.values:
            raise ValueError("unknown state")
        return value

    @field_validator("kind")
    @classmethod
    def _known_kind(cls, value: str | None) -> str | None:
        if value is not None and value not in ResourceKind.values:
            raise ValueError("unknown kind")
        return value

    @field_validator("until")
    @classmethod
    def _not_before_since(cls, value: dt.date | None, info: ValidationInfo) -> dt.date | None:
        since = info.data.get("since")
        if value is not None and since is not None and value < since:
            raise ValueError("until is before since")
        return value

    def filter_since(self, value: dt.date | None) -> Q:
        return Q(start__gte=_day_start(value)) if value else Q()

    def filter_until(self, value: dt.date | None) -> Q:
        return Q(start__lt=_day_start(value + dt.timedelta(days=1))) if value else Q()

    def filter_q(self, value: str | None) -> Q:
        words = (value or "").split()
        condition = Q()
        for word in words:
            condition &= (
                Q(resource__name__icontains=word)
                | Q(enterprise__name__icontains=word)
                | Q(purpose__icontains=word)
            )
        return condition


def filtered(bookings: QuerySet[Booking], filters: BookingFilter) -> QuerySet[Booking]:
    """The list's rows: newest start first."""
    return filters.apply(bookings).order_by("-start", "-pk")


class ResourceFilter(ListFilter):
    """Bookable resources by kind, place and the seats they need at least: one definition for
    the booking grid's rows and the resources API."""

    kind: Annotated[str | None, Field(description=" | ".join(ResourceKind.values))] = None
    place: Annotated[Id | None, FilterLookup("place_id")] = None
    min_capacity: Annotated[
        int | None, FilterLookup("capacity__gte"), Field(ge=1, le=MAX_SEATS)
    ] = None

    @field_validator("kind")
    @classmethod
    def _known_kind(cls, value: str | None) -> str | None:
        if value is not None and value not in ResourceKind.values:
            raise ValueError("unknown kind")
        return value


def bookable(resources: QuerySet[Resource], filters: ResourceFilter) -> QuerySet[Resource]:
    """The bookable rows the filters keep, by place, kind and code."""
    return (
        filters.apply(resources.filter(is_active=True))
        .select_related("place")
        .order_by("place__name", "kind", "code")
    )
