"""Sub-centre usage of a building, from the bookings app, behind one seam.

The cockpit calls the bookings app only through this function, so tests (and a deployment
without bookings) can replace it; a building without a sub-centre gets zeros.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

EMPTY = {"bookings": 0, "hours": 0.0, "checked_in_rate": 0.0}


def subcentre_usage(building_ids: Iterable[int], since: dt.date, until: dt.date) -> dict[int, dict]:
    from linli.frontoffice.bookings.usage import subcentre_usage as bookings_usage

    ids = list(building_ids)
    figures = bookings_usage(ids, since, until)
    return {pk: {**EMPTY, **figures.get(pk, {})} for pk in ids}
