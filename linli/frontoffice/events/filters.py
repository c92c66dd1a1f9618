"""The filters of the events list, one definition for its page, its API endpoint and its Excel
export (``linli.core.filters``)."""

from __future__ import annotations

from typing import Annotated

from django.db.models import Q, QuerySet
from ninja import FilterLookup
from pydantic import Field, field_validator

from linli.core import clock
from linli.core.filters import Id, ListFilter
from linli.frontoffice.events.models import Audience, Event, Kind

SEARCH_LENGTH = 100


class EventFilter(ListFilter):
    """Events by type, place and audience, words of their title, and (by default) only those
    not yet over. Cancelled events stay in the list, marked as such: whoever registered looks
    for them there."""

    kind: Annotated[str | None, Field(description=" | ".join(Kind.values))] = None
    place: Annotated[Id | None, FilterLookup("place_id")] = None
    audience: Annotated[str | None, Field(description=" | ".join(Audience.values))] = None
    upcoming: bool = True
    q: Annotated[str | None, Field(max_length=SEARCH_LENGTH)] = None

    @field_validator("kind")
    @classmethod
    def _known_kind(cls, value: str | None) -> str | None:
        if value is not None and value not in Kind.values:
            raise ValueError("unknown event type")
        return value

    @field_validator("audience")
    @classmethod
    def _known_audience(cls, value: str | None) -> str | None:
        if value is not None and value not in Audience.values:
            raise ValueError("unknown audience")
        return value

    def filter_upcoming(self, value: bool) -> Q:
        return Q(ends_at__gte=clock.now()) if value else Q()

    def filter_q(self, value: str | None) -> Q:
        condition = Q()
        for word in (value or "").split():
            condition &= Q(title__icontains=word) | Q(room__icontains=word)
        return condition


def filtered(events: QuerySet[Event], filters: EventFilter) -> QuerySet[Event]:
    """The list's rows: soonest first."""
    return filters.apply(events).order_by("starts_at", "pk")
