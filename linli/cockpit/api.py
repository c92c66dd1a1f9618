"""The cockpit: dashboards for leaders, starting with the buildings.

Leaders, administrators and butlers read every building; a building manager reads their own
building's dashboard only. Tax in 10k yuan (万元); rates as fractions (0.1 = 10 %)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema

from linli.cockpit import rules
from linli.cockpit.buildings import BuildingRow, dashboard, ranking
from linli.cockpit.views import visible_building
from linli.core.http import access_of

router = Router(tags=["cockpit"])


class TaxYearOut(Schema):
    year: int
    reported: Decimal | None
    enterprises: Decimal | None
    tax: Decimal | None
    hundred_million: bool


class BuildingFiguresOut(Schema):
    id: int
    code: str
    name: str
    year: int | None
    enterprises: int
    by_status: dict[str, int]
    tax: Decimal | None
    previous_tax: Decimal | None
    growth: float | None
    hundred_million: bool
    hundred_million_years: list[int]
    vacant_area_m2: Decimal
    vacancy_rate: float
    open_cases: int


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
    tax_years: list[TaxYearOut]
    industries: list[IndustryOut]
    subcentre_usage: UsageOut


def _figures(row: BuildingRow) -> dict[str, Any]:
    return {
        "id": row.building.pk,
        "code": row.building.code,
        "name": row.building.name,
        "year": row.year,
        "enterprises": row.enterprises,
        "by_status": row.by_status,
        "tax": row.tax,
        "previous_tax": row.previous_tax,
        "growth": row.growth,
        "hundred_million": row.hundred_million,
        "hundred_million_years": row.hundred_million_years,
        "vacant_area_m2": row.vacant_area,
        "vacancy_rate": round(row.vacancy_rate, 4),
        "open_cases": row.open_cases,
    }


@router.get(
    "/buildings",
    response=list[BuildingFiguresOut],
    operation_id="list_cockpit_buildings",
    url_name="list_cockpit_buildings",
)
def list_buildings(request: HttpRequest, sort: str = "tax", order: str = "desc") -> Any:
    """Every building ranked by ``sort`` (tax, growth, vacancy, cases, enterprises, name)."""
    access = access_of(request)
    access.require(rules.can_view_ranking(access))
    return [_figures(row) for row in ranking(sort, order != "asc")]


@router.get(
    "/buildings/{pk}",
    response=BuildingDashboardOut,
    operation_id="get_cockpit_building",
    url_name="get_cockpit_building",
)
def get_building(request: HttpRequest, pk: int) -> Any:
    """One building's dashboard: figures, tax by year, industry mix and sub-centre usage."""
    board = dashboard(visible_building(access_of(request), pk))
    row = board.row
    return {
        **_figures(row),
        "tax_years": [
            {
                "year": y.year,
                "reported": y.reported,
                "enterprises": y.enterprises,
                "tax": y.tax,
                "hundred_million": y.hundred_million,
            }
            for y in row.years
        ],
        "industries": board.industries,
        "subcentre_usage": {"since": board.usage_since, "until": board.usage_until, **board.usage},
    }
