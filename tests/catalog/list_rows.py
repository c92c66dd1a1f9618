"""The catalog's lists on their surfaces (see ``tests/core/lists.py``): the catalog by affairs
group and channel, and the search, on their page and in the API (the catalog has no Excel
export: it is a guide, not a register). Everyone signed in reads their own sub-district's."""

from __future__ import annotations

from django.urls import reverse

from tests.core.lists import Surfaces

LISTS = [
    Surfaces(
        name="catalog",
        page=lambda w: reverse("catalog:home"),
        api=lambda w: reverse("api:list_catalog_items"),
        key="code",
        filters=({}, {"affairs": "government"}, {"affairs": "social"}, {"channel": "window"}),
    ),
    Surfaces(
        name="catalog_search",
        page=lambda w: reverse("catalog:search"),
        api=lambda w: reverse("api:search_catalog"),
        key="code",
        filters=({"q": "yyzz"}, {"q": "营业执照"}, {"q": "nothing-like-it"}),
    ),
]
