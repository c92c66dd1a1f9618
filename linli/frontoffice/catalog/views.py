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
from linli.core.http import is_htmx, page_access
from linli.frontoffice.catalog import rules
from linli.frontoffice.catalog.models import Affairs, ServiceItem
from linli.frontoffice.catalog.queries import catalog_items
from linli.frontoffice.catalog.search import hits, search

SEARCH_LIMIT = 30
CHANNEL_FILTERS = {"terminal": "by_terminal", "online": "by_online", "window": "by_window"}


def _access(request: HttpRequest) -> Access:
    access = page_access(request)
    access.require(rules.may_view_catalog(access))
    return access


@login_required
def home(request: HttpRequest) -> HttpResponse:
    _access(request)
    channel = request.GET.get("channel", "")
    found = catalog_items()
    if channel in CHANNEL_FILTERS:
        found = found.filter(**{CHANNEL_FILTERS[channel]: True})
    items = list(found)
    groups = []
    for value, label in Affairs.choices:
        topics: dict[str, list[ServiceItem]] = {}
        for item in items:
            if item.affairs == value:
                topics.setdefault(item.topic, []).append(item)
        groups.append({"value": value, "label": label, "topics": topics})
    return render(
        request,
        "catalog/home.html",
        {"groups": groups, "channel": channel, "count": len(items)},
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
    item = get_object_or_404(catalog_items(), code=code)
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
    _access(request)
    query = request.GET.get("q", "").strip()[:100]
    results = hits(search(catalog_items(), query)[:SEARCH_LIMIT], query) if query else []
    context = {"q": query, "results": results}
    if is_htmx(request):
        return render(request, "catalog/_results.html", context)
    return render(request, "catalog/search.html", context)
