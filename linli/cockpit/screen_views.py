"""The large screen of the command centre: the leaders' figures, dark and at a glance."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from linli.cockpit import catalogue, rules  # noqa: F401 - registers the indicators
from linli.cockpit.overview import _period
from linli.cockpit.screen import REFRESH_SECONDS, screen
from linli.core import clock
from linli.core.http import page_access


@login_required
def large_screen(request: HttpRequest) -> HttpResponse:
    """For the same readers as the overview: it shows the same figures."""
    access = page_access(request)
    access.require(rules.can_view_overview(access))
    period, _bad_month = _period(request)
    tiles, tops = screen(access, period)
    return render(
        request,
        "cockpit/screen.html",
        {
            "tiles": tiles,
            "tops": tops,
            "period": period,
            "subdistrict": access.subdistrict,
            "computed_at": clock.now(),
            "refresh": REFRESH_SECONDS,
        },
    )
