"""Building dashboards: the ranking of all buildings (sortable, Excel) and one building."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from linli.cockpit import rules
from linli.cockpit.buildings import SORTS, BuildingRow, dashboard, ranking
from linli.core import clock
from linli.core.access import Access
from linli.core.http import access_of, xlsx_response
from linli.core.spreadsheets import rows_to_xlsx
from linli.registry.models import Building, Enterprise


def _sort(request: HttpRequest) -> tuple[str, bool]:
    sort = request.GET.get("sort", "tax")
    return (sort if sort in SORTS else "tax"), request.GET.get("order", "desc") != "asc"


@login_required
def index(request: HttpRequest) -> HttpResponse:
    """The ranking; a building manager goes straight to their own building."""
    access = access_of(request)
    if not rules.can_view_ranking(access):
        own = sorted(rules.own_buildings(access))
        if not own:
            raise PermissionDenied(_("The building dashboards are for leaders and butlers."))
        return redirect("cockpit:building", pk=own[0])
    sort, descending = _sort(request)
    rows = ranking(sort, descending)
    return render(
        request,
        "cockpit/ranking.html",
        {
            "rows": rows,
            "sort": sort,
            "descending": descending,
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
            ]
        )
    return table


@login_required
def export(request: HttpRequest) -> HttpResponse:
    access = access_of(request)
    access.require(rules.can_view_ranking(access))
    sort, descending = _sort(request)
    content = rows_to_xlsx(_("Buildings"), ranking_table(ranking(sort, descending)))
    return xlsx_response(content, f"buildings-{clock.today().isoformat()}.xlsx")


def visible_building(access: Access, pk: int) -> Building:
    if not rules.can_view_dashboards(access):
        raise PermissionDenied(_("The building dashboards are for leaders and butlers."))
    building = get_object_or_404(Building, pk=pk)
    if not rules.may_view_building(access, building):
        # Another building's figures are not the manager's business: as if it did not exist.
        raise Http404
    return building


@login_required
def building(request: HttpRequest, pk: int) -> HttpResponse:
    access = access_of(request)
    board = dashboard(visible_building(access, pk))
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
        },
    )
