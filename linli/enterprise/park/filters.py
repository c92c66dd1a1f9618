"""The filters of the Park Assistant's lists, one definition each for the page, the API and
the Excel export (``linli.core.filters``)."""

from __future__ import annotations

from typing import Annotated

from django.db.models import Q
from ninja import FilterLookup
from pydantic import field_validator

from linli.core.filters import Id, ListFilter
from linli.enterprise.park.models import BuildingRequest


class NoticeFilter(ListFilter):
    """Notices of one building, or whose title or text matches ``q``."""

    building: Id | None = None
    q: Annotated[str | None, FilterLookup(["title__icontains", "body__icontains"])] = None

    def filter_building(self, value: int | None) -> Q:
        return Q(building_id=value) if value is not None else Q()


class RequestFilter(ListFilter):
    """Requests of one building, of one enterprise, or in one status."""

    building: Id | None = None
    enterprise: Id | None = None
    status: str | None = None

    @field_validator("status")
    @classmethod
    def _status(cls, value: str | None) -> str | None:
        if value is not None and value not in BuildingRequest.Status.values:
            raise ValueError("not a status")
        return value

    def filter_building(self, value: int | None) -> Q:
        return Q(building_id=value) if value is not None else Q()

    def filter_enterprise(self, value: int | None) -> Q:
        return Q(enterprise_id=value) if value is not None else Q()
