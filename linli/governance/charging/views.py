"""E-bike charging pages: repeat addresses of charging reports, and the walking coverage of
the charging points with the what-if of a new site."""

from __future__ import annotations

import datetime as dt
import math

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from linli.core import clock
from linli.core.http import page_access
from linli.governance.charging import categories, coverage, repeats, rules, services

YEAR = 365


def _since(request: HttpRequest) -> dt.date:
    try:
        return dt.date.fromisoformat(request.GET.get("since", ""))
    except ValueError:
        return clock.today() - dt.timedelta(days=YEAR)


@login_required
def repeats_page(request: HttpRequest) -> HttpResponse:
    access = page_access(request)
    access.require(rules.may_see_reports(access))
    since = _since(request)
    return render(
        request,
        "charging/repeats.html",
        {
            "since": since,
            "found": repeats.repeat_addresses(access, since=since),
            "categories": list(categories.report_categories().order_by("code")),
            "missing": categories.missing_specs() if rules.may_set_up(access) else [],
        },
    )


@login_required
@require_POST
def set_up_categories(request: HttpRequest) -> HttpResponse:
    access = page_access(request)
    access.require(rules.may_set_up(access))
    made = services.set_up_categories(actor=access)
    messages.success(
        request,
        _("Case categories set up: %(names)s.") % {"names": ", ".join(c.name for c in made)}
        if made
        else _("The case categories were there already."),
    )
    return redirect("charging:repeats")


def _coordinate(value: str | None, low: float, high: float) -> float | None:
    try:
        number = float(value) if value else None
    except ValueError:
        return None
    return (
        number if number is not None and math.isfinite(number) and low <= number <= high else None
    )


@login_required
def coverage_page(request: HttpRequest) -> HttpResponse:
    access = page_access(request)
    access.require(rules.may_plan(access))
    lon = _coordinate(request.GET.get("lon"), -180, 180)
    lat = _coordinate(request.GET.get("lat"), -90, 90)
    asked = bool(request.GET.get("lon") or request.GET.get("lat"))
    candidate = (lon, lat) if lon is not None and lat is not None else None
    return render(
        request,
        "charging/coverage.html",
        {
            "result": coverage.coverage(access, candidate=candidate),
            "candidate_error": asked and candidate is None,
            "lon": request.GET.get("lon", ""),
            "lat": request.GET.get("lat", ""),
        },
    )
