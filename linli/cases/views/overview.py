"""The case map (hot spots, open, overdue and recently closed cases) and the organisations'
metrics, on the page and as an Excel file."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from linli.cases import metrics, rules
from linli.cases.forms import category_label
from linli.cases.map_layers import case_layers
from linli.cases.models import Category
from linli.core import clock
from linli.core.access import Access
from linli.core.calendar import local_zone
from linli.core.http import page_access, xlsx_response
from linli.core.models import Organisation
from linli.core.roles import STAFF

MAP_PERIODS = (7, 30, 90, 365)


def _days(value: str | None) -> int:
    try:
        days = int(value or 90)
    except ValueError:
        return 90
    return days if days in MAP_PERIODS else 90


@login_required
def case_map(request: HttpRequest) -> HttpResponse:
    access = page_access(request)
    access.require(access.has_any(STAFF))
    return render(
        request,
        "cases/map.html",
        {
            "categories": [(c.code, category_label(c)) for c in Category.objects.order_by("code")],
            "periods": MAP_PERIODS,
            "days": _days(request.GET.get("days")),
            "category": request.GET.get("category", ""),
        },
    )


@login_required
def map_layers(request: HttpRequest) -> HttpResponse:
    access = page_access(request)
    access.require(access.has_any(STAFF))
    body = case_layers(
        access, days=_days(request.GET.get("days")), category=request.GET.get("category", "")
    )
    return JsonResponse(body, json_dumps_params={"ensure_ascii": False})


def _period(params: Any) -> tuple[dt.date, dt.date]:
    today = clock.now().astimezone(local_zone()).date()
    start, end = today.replace(day=1), today
    try:
        if params.get("start"):
            start = dt.date.fromisoformat(params["start"])
        if params.get("end"):
            end = dt.date.fromisoformat(params["end"])
    except ValueError:
        return today.replace(day=1), today
    return (start, end) if start <= end else (end, start)


def _metrics(
    access: Access, params: Any
) -> tuple[list[metrics.OrganisationMetrics], dt.date, dt.date, dt.datetime, dt.datetime]:
    access.require(rules.may_see_metrics(access))
    start, end = _period(params)
    zone = local_zone()
    start_at = dt.datetime.combine(start, dt.time.min, zone)
    end_at = dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min, zone)
    only = None if rules.is_dispatcher(access) else sorted(access.linked_ids("organisation"))
    wanted = params.get("organisation", "")
    if wanted.isdigit():
        only = [int(wanted)] if only is None or int(wanted) in only else []
    rows = metrics.organisation_metrics(start_at, end_at, organisation_ids=only)
    return rows, start, end, start_at, end_at


@login_required
def metrics_page(request: HttpRequest) -> HttpResponse:
    access = page_access(request)
    rows, start, end, _start_at, _end_at = _metrics(access, request.GET)
    total = metrics.OrganisationMetrics(0, _("All organisations"))
    for row in rows:
        for name in metrics.COUNT_NAMES:
            setattr(total, name, getattr(total, name) + getattr(row, name))
    today = clock.now().astimezone(local_zone()).date()
    first_of_month = today.replace(day=1)
    last_month_end = first_of_month - dt.timedelta(days=1)
    organisations = Organisation.objects.order_by("kind", "code")
    if not rules.is_dispatcher(access):
        organisations = organisations.filter(pk__in=access.linked_ids("organisation"))
    query = request.GET.copy()
    return render(
        request,
        "cases/metrics.html",
        {
            "rows": rows,
            "total": total,
            "labels": metrics.rate_labels(),
            "start": start,
            "end": end,
            "organisations": organisations,
            "organisation": request.GET.get("organisation", ""),
            "presets": [
                (_("This month"), first_of_month, today),
                (_("Last month"), last_month_end.replace(day=1), last_month_end),
                (_("This year"), today.replace(month=1, day=1), today),
                (_("Last 12 months"), today - dt.timedelta(days=365), today),
            ],
            "query": query.urlencode(),
        },
    )


@login_required
def metrics_xlsx(request: HttpRequest) -> HttpResponse:
    access = page_access(request)
    rows, start, end, start_at, end_at = _metrics(access, request.GET)
    return xlsx_response(
        metrics.export_xlsx(rows, start_at, end_at), f"case-metrics-{start}-{end}.xlsx"
    )
