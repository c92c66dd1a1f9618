"""The one clock of linli. Code reads the time only here, so a test can stand anywhere in the
calendar by patching ``now`` (the ``clock`` fixture in ``tests/conftest.py`` does).

Moments are aware and in UTC; the local day and local times are Asia/Shanghai (``TIME_ZONE``).
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone


def now() -> dt.datetime:
    return timezone.now()


def local_zone() -> ZoneInfo:
    return ZoneInfo(settings.TIME_ZONE)


def local(moment: dt.datetime) -> dt.datetime:
    return moment.astimezone(local_zone())


def local_day(moment: dt.datetime) -> dt.date:
    """The Shanghai calendar day a moment falls on."""
    return local(moment).date()


def today() -> dt.date:
    """Today in Shanghai (never the server's own zone, nor UTC's date)."""
    return local_day(now())


def stamp() -> dt.datetime:
    """The default of a "when" field. It looks ``now`` up when called, so a clock a test has
    set applies to rows created under it too (``default=now`` would keep the real one)."""
    return now()
