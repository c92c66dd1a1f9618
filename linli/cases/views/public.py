"""The public map of reports, for anyone, signed in or not (``public_map`` says what it shows
and why). The sub-district is named in the address by its division code, as Open311's
``jurisdiction_id`` names it; ``/cases/public/`` leads to the one a signed-in person works in,
or to the deployment's only one. Turned off by the sub-district, both answer 404."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET
from django_scopes import scope

from linli.cases import public_map
from linli.cases.forms import category_label
from linli.cases.models import Category
from linli.core.context_processors import map_config, public_map_config
from linli.core.filters import from_query
from linli.core.http import access_of
from linli.core.models import Subdistrict


def _subdistrict(code: str) -> Subdistrict:
    found = Subdistrict.objects.filter(code=code).first()
    if found is None:
        raise Http404
    return found


@require_GET
def public_map_home(request: HttpRequest) -> HttpResponse:
    current = access_of(request).subdistrict
    if current is None:
        only = list(Subdistrict.objects.all()[:2])
        if len(only) != 1:
            raise Http404
        current = only[0]
    return redirect("cases:public_map", code=current.code)


def _categories() -> list[tuple[str, str]]:
    """The categories the public map may show, for its filter."""
    shown = Category.objects.filter(public_display=True, active=True).select_related("parent")
    return [(c.code, category_label(c)) for c in shown if c.offered_to_residents]


def _map_config(request: HttpRequest, subdistrict: Subdistrict) -> dict[str, Any] | None:
    """The base map and place search under the public map: the page's sub-district's, for a
    signed-out visitor as for its own people; none for a person signed in elsewhere (their own
    sub-district's streets would be drawn under these reports)."""
    access = access_of(request)
    if access.user is None:
        return public_map_config(subdistrict)
    return map_config(access) if access.subdistrict == subdistrict else None


def _places(found: list[public_map.PublicReport]) -> dict[str, Any]:
    """One dot per rounded place, however many reports share it (most do: a quarter's or a
    building's reports stand at one point), leading to the newest of them in the list."""
    by_place: dict[tuple[float, float], list[public_map.PublicReport]] = {}
    for r in found:  # newest first
        if r.lon is not None and r.lat is not None:
            by_place.setdefault((r.lon, r.lat), []).append(r)
    features = []
    for (lon, lat), here in by_place.items():
        newest = here[0]
        count = ngettext("%(n)s report", "%(n)s reports", len(here)) % {"n": len(here)}
        features.append(
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [lon, lat]},
                "properties": {
                    "name": f"{newest.place} · {count}" if newest.place else count,
                    "status": newest.status,
                    "url": f"#report-{newest.number}",
                },
            }
        )
    return {"type": "FeatureCollection", "features": features}


@require_GET
def public_map_page(request: HttpRequest, code: str) -> HttpResponse:
    subdistrict = _subdistrict(code)
    with scope(subdistrict=subdistrict):
        if not public_map.is_on(subdistrict):
            raise Http404
        filters, errors = from_query(public_map.PublicReportFilter, request.GET)
        found = public_map.reports(subdistrict, filters)
        context = {
            "map_config": _map_config(request, subdistrict),
            "subdistrict": subdistrict,
            "filters": filters,
            "errors": errors,
            "categories": _categories(),
            "found": found,
            "limit": public_map.MAP_SIZE,
            "window_days": public_map.WINDOW.days,
            "features": _places(found),
        }
        return render(request, "cases/public_map.html", context)


@require_GET
def public_reports(request: HttpRequest, code: str) -> HttpResponse:
    """The same list as JSON; ``lon`` and ``lat`` ask for the open reports within 200 m."""
    subdistrict = _subdistrict(code)
    with scope(subdistrict=subdistrict):
        if not public_map.is_on(subdistrict):
            raise Http404
        filters, errors = from_query(public_map.PublicReportFilter, request.GET)
        if errors:
            return JsonResponse({"errors": errors}, status=400)
        found = public_map.reports(subdistrict, filters)
        return JsonResponse(
            {
                "subdistrict": subdistrict.code,
                "reports": [r.as_json() for r in found],
            },
            json_dumps_params={"ensure_ascii": False},
        )
