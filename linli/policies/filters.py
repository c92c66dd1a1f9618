"""The filters of the policy lists, one definition each for the page, the API and the Excel
export (``linli.core.filters``)."""

from __future__ import annotations

from typing import Annotated

from django.db.models import Q
from ninja import FilterLookup
from pydantic import Field

from linli.core import clock, limits
from linli.core.filters import Id, ListFilter
from linli.policies.models import Benefit, Mode, PolicyVersion

Search = Annotated[str, Field(max_length=100)]
PolicyId = Annotated[str, Field(max_length=limits.max_length(PolicyVersion, "policy_id"))]


class LibraryFilter(ListFilter):
    """The library (on each policy's current version)."""

    q: Search | None = Field(None, description="Part of the title or of the policy's id.")
    benefit: Annotated[Benefit | None, FilterLookup("benefit")] = None
    mode: Annotated[Mode | None, FilterLookup("mode")] = None
    in_force: bool | None = Field(None, description="Only the policies in force today.")

    def filter_q(self, value: str | None) -> Q:
        if not value or not value.strip():
            return Q()
        value = value.strip()
        return (
            Q(title_zh__icontains=value)
            | Q(title_en__icontains=value)
            | Q(policy_id__icontains=value)
        )

    def filter_in_force(self, value: bool | None) -> Q:
        if not value:
            return Q()
        today = clock.today()
        return Q(valid_from__lte=today) & (Q(valid_to__isnull=True) | Q(valid_to__gte=today))


class EligibleFilter(ListFilter):
    """A policy's eligible enterprises (decisions)."""

    q: Annotated[
        Search | None,
        FilterLookup(["enterprise__name__icontains", "enterprise__credit_code__icontains"]),
    ] = Field(None, description="Part of the enterprise's name or of its credit code.")
    building: Annotated[Id | None, FilterLookup("enterprise__building_id")] = None


class UnclaimedFilter(EligibleFilter):
    """Eligible benefits not yet claimed (decisions)."""

    policy: Annotated[PolicyId | None, FilterLookup("policy_id")] = None
    mode: Annotated[Mode | None, FilterLookup("policy_version__mode")] = None
