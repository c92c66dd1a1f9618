"""The filters of the retention lists, one definition each for the page, the API and the Excel
export (``linli.core.filters``)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from django.db.models import Q
from ninja import FilterLookup
from pydantic import Field

from linli.core import limits
from linli.core.filters import Id, ListFilter
from linli.registry.models import Enterprise

Search = Annotated[str, Field(max_length=100)]


class EnterpriseFilter(ListFilter):
    """The enterprise list (a butler: their portfolio) and the relocation watch list."""

    q: Annotated[Search | None, FilterLookup(["name__icontains", "credit_code__icontains"])] = (
        Field(None, description="Part of the name or of the credit code.")
    )
    building: Annotated[Id | None, FilterLookup("building_id")] = None
    butler: Annotated[Id | None, FilterLookup("butler_id")] = None
    industry: Annotated[
        str | None, Field(max_length=limits.max_length(Enterprise, "industry_code"))
    ] = Field(None, description="A GB/T 4754 code or its beginning, e.g. I or I65.")

    def filter_industry(self, value: str | None) -> Q:
        return Q(industry_code__startswith=value.strip().upper()) if value else Q()


class VisitFilter(ListFilter):
    """The visit log."""

    q: Annotated[
        Search | None,
        FilterLookup(["enterprise__name__icontains", "topics__icontains"]),
    ] = Field(None, description="Part of the enterprise's name or of the topics.")
    enterprise: Annotated[Id | None, FilterLookup("enterprise_id")] = None
    butler: Annotated[Id | None, FilterLookup("butler_id")] = None
    since: Annotated[dt.date | None, FilterLookup("visited_on__gte")] = None
    until: Annotated[dt.date | None, FilterLookup("visited_on__lte")] = None
