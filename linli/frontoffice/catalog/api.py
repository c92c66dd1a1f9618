"""Service catalog API: the items by affairs group and channel, one item's guide, and the
search (Chinese words, pinyin or pinyin initials). Applying online goes through the cases API
(``POST /api/v1/cases``) with the item's ``category``."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema

from linli.core.http import access_of
from linli.frontoffice.catalog import rules
from linli.frontoffice.catalog.models import Affairs, ServiceItem
from linli.frontoffice.catalog.queries import catalog_items
from linli.frontoffice.catalog.search import hits, search

router = Router(tags=["catalog"])

SEARCH_LIMIT = 50
CHANNEL_FIELDS = {"terminal": "by_terminal", "window": "by_window", "online": "by_online"}


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


class HitOut(ItemOut):
    matched_in: str  # "name", "keywords" or "guide"


class ListFilters(Schema):
    affairs: str = ""
    channel: str = ""  # terminal, window or online


def _place(organisation) -> dict:
    return {"code": organisation.code, "name": organisation.name, "address": organisation.address}


def _item(item: ServiceItem) -> dict:
    return {
        "code": item.code,
        "name": item.name,
        "name_en": item.name_en,
        "affairs": item.affairs,
        "topic": item.topic,
        "department": _place(item.department),
        "promised_days": item.promised_days,
        "legal_days": item.legal_days,
        "by_terminal": item.by_terminal,
        "by_window": item.by_window,
        "by_online": item.by_online,
        "category": item.category.code if item.can_apply_online and item.category else None,
    }


def _readable(request: HttpRequest) -> None:
    access = access_of(request)
    access.require(rules.may_view_catalog(access))


@router.get("/items", response=list[ItemOut])
def list_catalog_items(request: HttpRequest, filters: Query[ListFilters]) -> list[dict]:
    """Every item shown in the catalog, in catalog order."""
    _readable(request)
    errors = {}
    if filters.affairs and filters.affairs not in Affairs.values:
        errors["affairs"] = [_("Choose government, social or business.")]
    if filters.channel and filters.channel not in CHANNEL_FIELDS:
        errors["channel"] = [_("Choose terminal, window or online.")]
    if errors:
        raise ValidationError(errors)
    items = catalog_items()
    if filters.affairs:
        items = items.filter(affairs=filters.affairs)
    if filters.channel:
        items = items.filter(**{CHANNEL_FIELDS[filters.channel]: True})
    return [_item(i) for i in items]


@router.get("/items/{code}", response=ItemDetailOut)
def get_catalog_item(request: HttpRequest, code: str) -> dict:
    """One item's guide: conditions, materials, steps, time limits, fee, channels, places."""
    _readable(request)
    item = get_object_or_404(catalog_items(), code=code)
    fields = (
        "summary",
        "keywords",
        "conditions",
        "materials",
        "steps",
        "fee",
        "terminal_place",
        "centre_place",
        "online_url",
    )
    return {
        **_item(item),
        **{name: getattr(item, name) for name in fields},
        "subcentres": [_place(s) for s in item.subcentres.order_by("code")],
    }


@router.get("/search", response=list[HitOut])
def search_catalog(request: HttpRequest, q: str = "") -> list[dict]:
    """Items matching every word of ``q`` (Chinese, pinyin or pinyin initials), best first."""
    _readable(request)
    found = hits(search(catalog_items(), q[:100])[:SEARCH_LIMIT], q)
    return [{**_item(h.item), "matched_in": h.matched_in} for h in found]
