from typing import Any

from django.conf import settings
from django.http import HttpRequest

from linli.core.access import Access
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
    }
