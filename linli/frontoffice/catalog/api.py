"""Service catalog API: the items by affairs group and channel, one item's guide, and the
search (Chinese words, pinyin or pinyin initials). Applying online goes through the cases API
(``POST /api/v1/cases``) with the item's ``category``. The filters and the search are the
pages' own (``filters``)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Query, Router, Schema

from linli.core.http import access_of
from linli.frontoffice.catalog import rules
from linli.frontoffice.catalog.filters import SEARCH_LIMIT, CatalogFilter, SearchQuery
from linli.frontoffice.catalog.models import ServiceItem
from linli.frontoffice.catalog.queries import catalog_items
from linli.frontoffice.catalog.search import hits, search

router = Router(tags=["catalog"])


class PlaceOut(Schema):
    code: str
    name: str
    address: str


class ItemOut(Schema):
    code: str
    name: str
    name_en: str
    affairs: str
    topic: str
    department: PlaceOut
    promised_days: int
    legal_days: int
    by_terminal: bool
    by_window: bool
    by_online: bool
    category: str | None  # the case category to apply under, if online application is open

    @staticmethod
    def resolve_category(obj: ServiceItem) -> str | None:
        return obj.category.code if obj.can_apply_online and obj.category else None


class ItemDetailOut(ItemOut):
    summary: str
    keywords: str
    conditions: str
    materials: list[str]
    steps: list[str]
    fee: str
    terminal_place: str
    centre_place: str
    online_url: str
    subcentres: list[PlaceOut]

    @staticmethod
    def resolve_subcentres(obj: ServiceItem) -> Any:
        return obj.subcentres.order_by("code")


class HitOut(ItemOut):
    matched_in: str  # "name", "keywords" or "guide"


def _readable(request: HttpRequest) -> Any:
    access = access_of(request)
    access.require(rules.may_view_catalog(access))
    return catalog_items(access)


@router.get("/items", response=list[ItemOut])
def list_catalog_items(request: HttpRequest, filters: Query[CatalogFilter]) -> Any:
    """Every item shown in the catalog, in catalog order, of one affairs group (``affairs``)
    or channel (``channel``: terminal, window or online) if asked."""
    return filters.apply(_readable(request))


@router.get("/items/{code}", response=ItemDetailOut)
def get_catalog_item(request: HttpRequest, code: str) -> Any:
    """One item's guide: conditions, materials, steps, time limits, fee, channels, places."""
    return get_object_or_404(_readable(request), code=code)


@router.get("/search", response=list[HitOut])
def search_catalog(request: HttpRequest, params: Query[SearchQuery]) -> Any:
    """Items matching every word of ``q`` (Chinese, pinyin or pinyin initials), best first:
    the 50 best, as on the search page."""
    items = _readable(request)
    query = params.q.strip()
    if not query:
        return []
    found = hits(search(items, query)[:SEARCH_LIMIT], query)
    for hit in found:
        hit.item.matched_in = hit.matched_in  # type: ignore[attr-defined]
    return [hit.item for hit in found]
