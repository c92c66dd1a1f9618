from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _

from linli.core.access import Access
from linli.core.models import Subdistrict
from linli.core.navigation import menu_for


def shell(request: HttpRequest) -> dict[str, Any]:
    access: Access = getattr(request, "access", Access.anonymous())
    unread = 0
    if access.user is not None and access.subdistrict is not None:
        from linli.core.models import Notification

        unread = Notification.objects.filter(user=access.user, read_at__isnull=True).count()
    return {
        "access": access,
        "current_subdistrict": access.subdistrict,
        "subdistricts": getattr(request, "subdistricts", []),
        "menu": menu_for(access) if access.user is not None else [],
        "unread_count": unread,
        "map_tiles": settings.MAP_TILES,
        "map_tiles_key": settings.MAP_TILES_KEY,
        "map_config": map_config(access),
    }


def map_config(access: Access) -> dict[str, Any] | None:
    """What every map of the page needs besides its own layers (``linli/map.js`` reads it from
    the page): the sub-district's offline base map, drawn when no tiles are configured, and the
    place search with its words. A signed-out visitor has none, except on a public map
    (``public_map_config``)."""
    if access.user is None or access.subdistrict is None:
        return None
    return _map_config(access.subdistrict.code, reverse("registry:place_search"))


def public_map_config(subdistrict: Subdistrict) -> dict[str, Any]:
    """The same for a signed-out visitor of ``subdistrict``'s public map of reports: its base
    map, and the search over its public places (``linli.core.public_area``)."""
    return _map_config(
        subdistrict.code, reverse("registry:public_place_search", args=[subdistrict.code])
    )


def _map_config(code: str, place_search_url: str) -> dict[str, Any]:
    return {
        "basemapUrl": reverse("lifecircle:basemap", args=[code]),
        "placeSearchUrl": place_search_url,
        "labels": {
            "search": _("Find a place"),
            "searchPlaceholder": _("Name, address or pinyin"),
            "searchNone": _("No place found."),
            "searchOne": _("1 place found; use the arrow keys to choose."),
            "searchMany": _("%(count)s places found; use the arrow keys to choose."),
            "searchFailed": _("The search is not available right now."),
            "basemapAttribution": _("Base map © OpenStreetMap contributors"),
        },
    }
