"""The district roll-up page: for the people of a district's office (``DistrictMembership``)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from linli.cockpit import catalogue, rules  # noqa: F401 - registers the indicators
from linli.cockpit.district import districts_of, rollup
from linli.cockpit.overview import _period
from linli.core.access import Access, memberships_of


@login_required
def district(request: HttpRequest) -> HttpResponse:
    """One of the reader's districts (``?district=<code>``, else the first): a person of no
    district finds nothing here (404), as for a record of another sub-district."""
    mine = districts_of(request.user)  # type: ignore[arg-type]
    asked = request.GET.get("district", "")
    shown = next((d for d in mine if d.code == asked), None) if asked else None
    if not mine or (asked and shown is None):
        raise Http404
    shown = shown or mine[0]
    period, bad_month = _period(request)
    subdistricts, rows = rollup(shown, period)
    everywhere = memberships_of(request.user)  # type: ignore[arg-type]
    # Only where the reader may open the overview as a member do they go further.
    openable = {
        sd.pk
        for sd in subdistricts
        if rules.can_view_overview(Access.for_user(request.user, sd, everywhere))  # type: ignore[arg-type]
    }
    return render(
        request,
        "cockpit/district.html",
        {
            "district": shown,
            "districts": mine,
            "subdistricts": subdistricts,
            "rows": rows,
            "openable": openable,
            "period": period,
            "bad_month": bad_month,
        },
    )
