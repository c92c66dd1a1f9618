"""When two plans can share one visit: the merge rule (a setting) and the common window.

``INSPECTION_MERGE_RULE`` (environment ``LINLI_INSPECTION_MERGE_RULE``; the settings take the
default and the allowed values from here, and refuse any other value at start-up):

- ``"overlap"`` (the default): plans share a visit when all their windows have at least one day
  in common; the visit's window is that common part, so the date suits every department.
- ``"month"``: plans share a visit when their windows start in the same calendar month; the
  visit's window is their common part if they have one, else that whole month (the departments
  agree to move within the month).
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Sequence

from django.conf import settings

OVERLAP, MONTH = "overlap", "month"
RULES = (OVERLAP, MONTH)

Window = tuple[dt.date, dt.date]


def merge_rule() -> str:
    """The configured rule: linli/settings.py lets nothing but one of ``RULES`` through."""
    return settings.INSPECTION_MERGE_RULE


def common_window(windows: Sequence[Window], rule: str | None = None) -> Window | None:
    """The window a visit covering all these plans has, or None when they cannot share one."""
    rule = rule or merge_rule()
    start = max(w[0] for w in windows)
    end = min(w[1] for w in windows)
    overlap = (start, end) if start <= end else None
    if rule == OVERLAP:
        return overlap
    months = {(w[0].year, w[0].month) for w in windows}
    if len(months) != 1:
        return None
    if overlap is not None:
        return overlap
    year, month = months.pop()
    return dt.date(year, month, 1), dt.date(year, month, calendar.monthrange(year, month)[1])
