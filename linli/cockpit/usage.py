"""Sub-centre usage of a building, from the bookings app, behind one seam.

The cockpit calls the bookings app only through this function, so tests (and a deployment
without bookings) can replace it; a building without a sub-centre gets zeros.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from linli.core.access import Access

EMPTY = {"bookings": 0, "hours": 0.0, "checked_in_rate": 0.0}


def subcentre_usage(
    building_ids: Iterable[int], since: dt.date, until: dt.date, *, access: Access
) -> dict[int, dict]:
    """The figures ``access`` may count (the bookings app's ``usage`` reading)."""
    from linli.frontoffice.bookings.usage import subcentre_usage as bookings_usage

    ids = list(building_ids)
    figures = bookings_usage(ids, since, until, access=access)
    return {pk: {**EMPTY, **figures.get(pk, {})} for pk in ids}
