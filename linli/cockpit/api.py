"""The cockpit: dashboards for leaders, starting with the buildings.

Leaders, administrators and butlers read every building; a building manager reads their own
building's dashboard only. Tax in 10k yuan (万元); rates as fractions (0.1 = 10 %)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema

from linli.cockpit import rules
from linli.cockpit.buildings import BuildingRow, Dashboard, dashboard, ranking
from linli.cockpit.views import RankingOrder, visible_building
from linli.core.http import access_of

router = Router(tags=["cockpit"])


class TaxYearOut(Schema):
    year: int
    reported: Decimal | None
    enterprises: Decimal | None
    tax: Decimal | None
    hundred_million: bool


class BuildingFiguresOut(Schema):
    """Built from a ``BuildingRow``."""

    id: int = Field(validation_alias="building.pk")
    code: str = Field(validation_alias="building.code")
    name: str = Field(validation_alias="building.name")
    year: int | None
    enterprises: int
    by_status: dict[str, int]
    tax: Decimal | None
    previous_tax: Decimal | None
    growth: float | None
    hundred_million: bool
    hundred_million_years: list[int]
    vacant_area_m2: Decimal = Field(validation_alias="vacant_area")
    vacancy_rate: float
    open_cases: int

    @staticmethod
    def resolve_vacancy_rate(row: BuildingRow) -> float:
        return round(row.vacancy_rate, 4)


class IndustryOut(Schema):
    section: str
    name: str
    count: int


class UsageOut(Schema):
    since: dt.date
    until: dt.date
    bookings: int
    hours: float
    checked_in_rate: float


class BuildingDashboardOut(BuildingFiguresOut):
    """Built from a ``Dashboard`` (a building's figures and what only its dashboard shows)."""

    tax_years: list[TaxYearOut] = Field(validation_alias="years")
    industries: list[IndustryOut]
    subcentre_usage: UsageOut

    @staticmethod
    def resolve_subcentre_usage(board: Dashboard) -> dict[str, Any]:
        return {"since": board.usage_since, "until": board.usage_until, **board.usage}


@router.get(
    "/buildings",
    response=list[BuildingFiguresOut],
    operation_id="list_cockpit_buildings",
    url_name="list_cockpit_buildings",
)
def list_buildings(request: HttpRequest, order: Query[RankingOrder]) -> Any:
    """Every building ranked by ``sort`` (tax, growth, vacancy, cases, enterprises, name)."""
    access = access_of(request)
    access.require(rules.can_view_ranking(access))
    return ranking(access, order.sort, order.descending)


@router.get(
    "/buildings/{pk}",
    response=BuildingDashboardOut,
    operation_id="get_cockpit_building",
    url_name="get_cockpit_building",
)
def get_building(request: HttpRequest, pk: int) -> Any:
    """One building's dashboard: figures, tax by year, industry mix and sub-centre usage."""
    access = access_of(request)
    return dashboard(access, visible_building(access, pk))
