"""Rows of the permission matrix for the catalog pages and API (see tests/core/matrix.py).

The catalog is everyone's who is signed in to the sub-district: every role reads the list, the
search and an item's guide. Another sub-district's administrator reads their own catalog, and
gets 404 for A's item. Editing happens in the admin, which is not part of the matrix.
"""

from __future__ import annotations

from django.urls import reverse

from linli.core.access import Access
from linli.frontoffice.catalog.models import Affairs
from linli.frontoffice.catalog.services import create_item
from tests.core.matrix import EVERYONE, Endpoint, fixed, statuses
from tests.core.world import World

CODE = "MATRIX-ITEM"


def populate(world: World) -> None:
    """One item in A, handled by A's department; one in B with another code."""
    for place, code in ((world.a, CODE), (world.b, "MATRIX-B")):
        create_item(
            actor=Access.system(place.subdistrict),
            code=code,
            name="营业执照设立登记",
            affairs=Affairs.GOVERNMENT,
            conditions="本街道企业。",
            materials=["申请书"],
            steps=["递交材料", "领取执照"],
            legal_days=3,
            promised_days=1,
            fee="免费",
            department=place.records["organisation"],
            centre_place="1号窗口",
        )


def item_url(name: str):
    def url(world: World, who: str) -> str:
        return reverse(name, kwargs={"code": CODE})

    return url


ENDPOINTS: list[Endpoint] = [
    Endpoint("catalog:home", "GET", fixed("catalog:home"), statuses(EVERYONE)),
    Endpoint(
        "catalog:search",
        "GET",
        lambda world, who: reverse("catalog:search") + "?q=yyzz",
        statuses(EVERYONE),
    ),
    Endpoint("catalog:detail", "GET", item_url("catalog:detail"), statuses(EVERYONE, other=404)),
    Endpoint(
        "api:list_catalog_items",
        "GET",
        fixed("api:list_catalog_items"),
        statuses(EVERYONE, anonymous=401),
    ),
    Endpoint(
        "api:search_catalog",
        "GET",
        lambda world, who: reverse("api:search_catalog") + "?q=yyzz",
        statuses(EVERYONE, anonymous=401),
    ),
    Endpoint(
        "api:get_catalog_item",
        "GET",
        item_url("api:get_catalog_item"),
        statuses(EVERYONE, anonymous=401, other=404),
    ),
]
