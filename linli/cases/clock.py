"""The one place the case engine reads the time, so tests can stand anywhere in the calendar."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone


def now() -> dt.datetime:
    return timezone.now()
