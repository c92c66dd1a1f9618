"""The filters of the pipeline's lists, one definition each for the page, the API and the
Excel export (``linli.core.filters``)."""

from __future__ import annotations

from typing import Annotated

from django.db.models import Q
from ninja import FilterLookup
from pydantic import field_validator

from linli.core.filters import Id, ListFilter
from linli.enterprise.investment.models import Source, Stage


def _one_of(value: str, choices: list[str]) -> str:
    if value and value not in choices:
        raise ValueError("not a choice")
    return value


class ProspectFilter(ListFilter):
    """The prospects of a stage, of a source, of an ambassador, or whose name or contact
    matches ``q``."""

    stage: str = ""
    source: str = ""
    ambassador: Id | None = None
    q: Annotated[str | None, FilterLookup(["name__icontains", "contact_name__icontains"])] = None

    @field_validator("stage")
    @classmethod
    def _stage(cls, value: str) -> str:
        return _one_of(value, Stage.values)

    @field_validator("source")
    @classmethod
    def _source(cls, value: str) -> str:
        return _one_of(value, Source.values)

    def filter_stage(self, value: str) -> Q:
        return Q(stage=value) if value else Q()

    def filter_source(self, value: str) -> Q:
        return Q(source=value) if value else Q()

    def filter_ambassador(self, value: int | None) -> Q:
        return Q(ambassador_id=value) if value is not None else Q()


class UnitFilter(ListFilter):
    """Vacant units: only the free ones unless ``free`` is false, optionally of one building."""

    building: Id | None = None
    free: bool = True

    def filter_building(self, value: int | None) -> Q:
        return Q(building_id=value) if value is not None else Q()

    def filter_free(self, value: bool) -> Q:
        return Q(taken_at__isnull=True) if value else Q()
