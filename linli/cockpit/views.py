"""Building dashboards: the ranking of all buildings (sortable, Excel) and one building."""

from __future__ import annotations

from typing import Any, Literal

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from ninja import Schema

from linli.cockpit import rules
from linli.cockpit.buildings import BuildingRow, dashboard, ranking
from linli.core import clock
from linli.core.access import Access
from linli.core.filters import from_query
from linli.core.http import access_of, xlsx_response
from linli.core.roles import WHOLE_AREA
from linli.core.spreadsheets import rows_to_xlsx
from linli.registry.models import Building, Enterprise


class RankingOrder(Schema):
    """How the ranking is sorted, for the page, the API and the Excel export alike."""

    sort: Literal["tax", "growth", "vacancy", "cases", "enterprises", "name"] = "tax"
    order: Literal["desc", "asc"] = "desc"

    @property
    def descending(self) -> bool:
        return self.order != "asc"


def refuse_dashboards(access: Access) -> None:
    if not rules.can_view_dashboards(access):
        raise PermissionDenied(_("The building dashboards are for leaders and butlers."))


@login_required
def index(request: HttpRequest) -> HttpResponse:
    """The ranking; a building manager goes straight to their own building."""
    access = access_of(request)
    if not rules.can_view_ranking(access):
        refuse_dashboards(access)
        own = Building.objects.visible_to(access).order_by("code").first()
        if own is None:
            raise PermissionDenied(_("The building dashboards are for leaders and butlers."))
        return redirect("cockpit:building", pk=own.pk)
    order, errors = from_query(RankingOrder, request.GET)
    rows = ranking(access, order.sort, order.descending)
    return render(
        request,
        "cockpit/ranking.html",
        {
            "rows": rows,
            "sort": order.sort,
            "descending": order.descending,
            "errors": errors,
            "whole_area": access.has_any(WHOLE_AREA),
            "year": rows[0].year if rows else None,
            "columns": [
                ("name", _("Building")),
                ("enterprises", _("Enterprises")),
                ("tax", _("Tax (10k yuan)")),
                ("growth", _("Growth")),
                ("vacancy", _("Vacancy rate")),
                ("cases", _("Open cases")),
            ],
        },
    )


def ranking_table(rows: list[BuildingRow]) -> list[list[Any]]:
    year = rows[0].year if rows else None
    table: list[list[Any]] = [
        [
            _("Code"),
            _("Building"),
            _("Enterprises"),
            _("Tax %(year)s (10k yuan)") % {"year": year or ""},
            _("Tax the year before (10k yuan)"),
            _("Growth (%)"),
            _("100-million-yuan building"),
            _("Years at 100 million yuan"),
            _("Vacant area (m²)"),
            _("Vacancy rate (%)"),
            _("Open cases"),
            "id",
        ]
    ]
    for row in rows:
        table.append(
            [
                row.building.code,
                row.building.name,
                row.enterprises,
                float(row.tax) if row.tax is not None else None,
                float(row.previous_tax) if row.previous_tax is not None else None,
                round(row.growth * 100, 1) if row.growth is not None else None,
                _("yes") if row.hundred_million else _("no"),
                ", ".join(str(y) for y in row.hundred_million_years),
                float(row.vacant_area),
                round(row.vacancy_rate * 100, 1),
                row.open_cases,
                row.building.pk,
            ]
        )
    return table


@login_required
def export(request: HttpRequest) -> HttpResponse:
    access = access_of(request)
    access.require(rules.can_view_ranking(access))
    order, _errors = from_query(RankingOrder, request.GET)
    rows = ranking(access, order.sort, order.descending)
    content = rows_to_xlsx(_("Buildings"), ranking_table(rows))
    return xlsx_response(content, f"buildings-{clock.today().isoformat()}.xlsx")


def visible_building(access: Access, pk: int) -> Building:
    """A building ``access`` sees (a building manager: their own), else 404."""
    refuse_dashboards(access)
    return get_object_or_404(Building.objects.visible_to(access), pk=pk)


@login_required
def building(request: HttpRequest, pk: int) -> HttpResponse:
    access = access_of(request)
    board = dashboard(access, visible_building(access, pk))
    row = board.row
    statuses = dict(Enterprise.Status.choices)
    chart = {
        "years": [y.year for y in row.years],
        "reported": [float(y.reported) if y.reported is not None else None for y in row.years],
        "enterprises": [
            float(y.enterprises) if y.enterprises is not None else None for y in row.years
        ],
        "threshold": 10000,
        "industries": [{"name": i["name"], "value": i["count"]} for i in board.industries],
        "labels": {
            "reported": _("Tax reported by the building"),
            "enterprises": _("Sum of its enterprises' tax"),
            "threshold": _("100 million yuan"),
        },
    }
    return render(
        request,
        "cockpit/building.html",
        {
            "board": board,
            "row": row,
            "by_status": [(statuses.get(k, k), n) for k, n in sorted(row.by_status.items())],
            "chart": chart,
            "may_rank": rules.can_view_ranking(access),
            "whole_area": access.has_any(WHOLE_AREA),
        },
    )
