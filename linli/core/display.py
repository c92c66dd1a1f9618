"""Facts in words for pages: what a reader sees instead of a raw number or an ISO string."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.utils import formats, numberformat, timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext_lazy

from linli.core import clock


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


def number(value: int | float | Decimal, decimals: int = 0) -> str:
    """A count or an amount with its thousands grouped as the reader's language does
    (12,345; 1,234.5 with ``decimals=1``)."""
    # The separators are the language's (linli's zh_Hans format groups by three with a comma,
    # as Chinese official figures do), the same as a template's ``floatformat:"0g"``.
    return numberformat.format(
        value,
        formats.get_format("DECIMAL_SEPARATOR"),
        decimal_pos=decimals,
        grouping=formats.get_format("NUMBER_GROUPING"),
        thousand_sep=formats.get_format("THOUSAND_SEPARATOR"),
        force_grouping=True,
    )


def percent(share: float | Decimal) -> str:
    """A share between 0 and 1 as a percentage with one decimal (0.9652 → "96.5%")."""
    return f"{number(float(share) * 100, decimals=1)}%"


def moment(value: dt.datetime) -> str:
    """An aware moment as the reader's language writes a short date and time, in Shanghai
    time (2026/12/08 14:30, 12/08/2026 2:30 p.m.)."""
    return formats.date_format(
        timezone.localtime(value, clock.local_zone()), "SHORT_DATETIME_FORMAT"
    )


# The holiday names the official schedule (the chinese-calendar package) seeds the work calendar
# with, in English; the package's own Chinese names are shortened (清明, 端午), the State
# Council's notices write them in full.
HOLIDAYS = {
    "New Year's Day": pgettext_lazy("holiday", "New Year's Day"),
    "Spring Festival": pgettext_lazy("holiday", "Spring Festival"),
    "Tomb-sweeping Day": pgettext_lazy("holiday", "Tomb-sweeping Day"),
    "Labour Day": pgettext_lazy("holiday", "Labour Day"),
    "Dragon Boat Festival": pgettext_lazy("holiday", "Dragon Boat Festival"),
    "National Day": pgettext_lazy("holiday", "National Day"),
    "Mid-autumn Festival": pgettext_lazy("holiday", "Mid-autumn Festival"),
    "Anti-Fascist 70th Day": pgettext_lazy("holiday", "Anti-Fascist 70th Day"),
}


def holiday(name: str) -> str:
    """A work-calendar day's name in the reader's language: an official holiday's by its
    translation, a name entered by hand (from a notice) as it was written."""
    return str(HOLIDAYS.get(name, name))
