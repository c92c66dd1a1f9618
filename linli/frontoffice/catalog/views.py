"""Catalog pages: the catalog by affairs group, one item's guide, and the search (live with htmx).

Applying online is the cases intake form itself: the guide links to the report page with the
item's case category chosen, and staff at the window to the walk-in entry page, so there is one
form and one path into a case whatever the channel.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse

from linli.cases import rules as case_rules
from linli.cases.models import Channel
from linli.core.access import Access
from linli.core.filters import from_query
from linli.core.http import is_htmx, page_access
from linli.frontoffice.catalog import rules
from linli.frontoffice.catalog.filters import SEARCH_LIMIT, CatalogFilter, SearchQuery
from linli.frontoffice.catalog.models import Affairs, ServiceItem
from linli.frontoffice.catalog.queries import catalog_items
from linli.frontoffice.catalog.search import hits, search


def _access(request: HttpRequest) -> Access:
    access = page_access(request)
    access.require(rules.may_view_catalog(access))
    return access


@login_required
def home(request: HttpRequest) -> HttpResponse:
    access = _access(request)
    filters, errors = from_query(CatalogFilter, request.GET)
    items = list(filters.apply(catalog_items(access)))
    groups = []
    for value, label in Affairs.choices:
        if filters.affairs and filters.affairs != value:
            continue
        topics: dict[str, list[ServiceItem]] = {}
        for item in items:
            if item.affairs == value:
                topics.setdefault(item.topic, []).append(item)
        groups.append({"value": value, "label": label, "topics": topics})
    return render(
        request,
        "catalog/home.html",
        {
            "groups": groups,
            "channel": filters.channel or "",
            "affairs": filters.affairs or "",
            "affairs_choices": Affairs.choices,
            "count": len(items),
            "errors": [m for messages in errors.values() for m in messages],
        },
    )


def apply_links(access: Access, item: ServiceItem) -> dict[str, str]:
    """Where to apply: the cases intake with the item's category chosen (web for everyone;
    staff entry for window staff, with the walk-in channel chosen too, since staff forget to
    change it), and the outside online service if there is one."""
    links = {"online": item.online_url if item.by_online else ""}
    category = item.category if item.category_id else None
    if category is None or not category.active:
        return links
    if item.by_online:
        links["apply"] = reverse("cases:report") + "?" + urlencode({"category": category.code})
    if item.by_window and case_rules.may_submit(access, Channel.WALK_IN):
        query = urlencode({"category": category.code, "channel": Channel.WALK_IN.value})
        links["window"] = reverse("cases:intake") + "?" + query
    return links


@login_required
def detail(request: HttpRequest, code: str) -> HttpResponse:
    access = _access(request)
    item = get_object_or_404(catalog_items(access), code=code)
    return render(
        request,
        "catalog/detail.html",
        {
            "item": item,
            "subcentres": item.subcentres.order_by("code"),
            "links": apply_links(access, item),
            "may_edit": rules.may_edit_catalog(access) and request.user.is_staff,
        },
    )


@login_required
def search_page(request: HttpRequest) -> HttpResponse:
    access = _access(request)
    params, errors = from_query(SearchQuery, request.GET)
    query = params.q.strip()
    found = search(catalog_items(access), query) if query else None
    context = {
        "q": request.GET.get("q", "") if errors else query,
        "results": hits(found[:SEARCH_LIMIT], query) if found is not None else [],
        "matched": found.count() if found is not None else 0,
        "limit": SEARCH_LIMIT,
        "errors": [m for messages in errors.values() for m in messages],
    }
    if is_htmx(request):
        return render(request, "catalog/_results.html", context)
    return render(request, "catalog/search.html", context)
