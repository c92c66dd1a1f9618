"""Where a case stands against its clock, defined once: "overdue" and "due today".

A case is overdue when its running clock's deadline has passed and the clock is not paused
(waiting for the reporter stops it). ``overdue(now)`` says so to the database, for lists,
queues, counts and map layers; ``is_overdue`` says it of one case already read (a model or a
row of ``listing.read_page``), for the case page and the API. Both are written here side by
side, so they cannot drift apart.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from django.db.models import Q

from linli.core.calendar import local_zone


def overdue(now: dt.datetime) -> Q:
    """The cases whose running clock is past its deadline."""
    return Q(stage_deadline__lt=now, paused_since__isnull=True)


def is_overdue(case: Any, now: dt.datetime) -> bool:
    """``overdue(now)`` of one case (a ``Case``, or a row with its columns)."""
    if isinstance(case, Mapping):
        deadline, paused_since = case["stage_deadline"], case["paused_since"]
    else:
        deadline, paused_since = case.stage_deadline, case.paused_since
    return deadline is not None and paused_since is None and deadline < now


def end_of_today(now: dt.datetime) -> dt.datetime:
    today = now.astimezone(local_zone()).date()
    return dt.datetime.combine(today + dt.timedelta(days=1), dt.time.min, local_zone())


def due_today(now: dt.datetime) -> Q:
    """The cases whose running clock runs out later today (Shanghai time)."""
    return Q(stage_deadline__gte=now, stage_deadline__lt=end_of_today(now))
