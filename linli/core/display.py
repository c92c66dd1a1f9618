"""Facts in words for pages: what a reader sees instead of a raw number or an ISO string."""

from __future__ import annotations

import datetime as dt

from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import ngettext


def day(value: dt.date) -> str:
    """A date as the reader's language writes it (2026年12月8日, Dec. 8, 2026)."""
    return formats.date_format(value, "DATE_FORMAT")


def days_from_today(days: int) -> str:
    """How far a day is from today, either way: "in 3 days", "today", "200 days ago"."""
    if days == 0:
        return _("today")
    if days > 0:
        return ngettext("in %(count)d day", "in %(count)d days", days) % {"count": days}
    return ngettext("%(count)d day ago", "%(count)d days ago", -days) % {"count": -days}
