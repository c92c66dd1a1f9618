"""The one place the queue reads the time, so tests can replay a day on a fixed clock."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from linli.core.calendar import local_zone


def now() -> dt.datetime:
    return timezone.now()


def local_day(moment: dt.datetime) -> dt.date:
    """The Shanghai calendar day a moment falls on: numbers restart on each of these."""
    return moment.astimezone(local_zone()).date()


def local(moment: dt.datetime) -> dt.datetime:
    return moment.astimezone(local_zone())
