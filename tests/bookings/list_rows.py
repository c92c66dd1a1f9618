"""The bookings list on its three surfaces (see ``tests/core/lists.py``): booking staff see
every booking, the enterprise's members, butler and whole-area staff its bookings, nobody else
any (residents, building managers)."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse

from linli.core import clock
from tests.core.lists import Surfaces


def _days(world) -> dict[str, str]:
    start = world.extra["bookings"]["booking"].start
    day = clock.local_day(start)
    return {"since": day.isoformat(), "until": (day + dt.timedelta(days=1)).isoformat()}


LISTS = [
    Surfaces(
        name="bookings",
        page=lambda w: reverse("bookings:list"),
        api=lambda w: reverse("api:list_bookings"),
        export=lambda w: reverse("bookings:export"),
        filters=(
            {},
            {"state": "confirmed"},
            lambda w: {"enterprise": w.a.records["enterprise"].pk},
            lambda w: {"resource": w.extra["bookings"]["room"].pk, "kind": "meeting_room"},
            {"q": "Room MX"},
            _days,
        ),
    )
]
