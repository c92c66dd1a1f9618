"""Opening hours as people read them. Facilities keep OpenStreetMap's ``opening_hours`` syntax
(what an OSM import brings); pages show "周一至周五 08:00–17:00；周六 08:00–11:30".

Only the everyday part of the syntax is put into words: weekday ranges and lists, time
ranges, ``off``, ``PH off`` and ``24/7``. Anything richer (months, week numbers, sunrise) is
shown as written rather than guessed at.
"""

from __future__ import annotations

import re

from django.utils.translation import gettext as _
from django.utils.translation import pgettext

DAY_CODES = ("Mo", "Tu", "We", "Th", "Fr", "Sa", "Su")
TIME_RANGE = re.compile(r"^([01]\d|2[0-4]):[0-5]\d-([01]\d|2[0-4]):[0-5]\d$")
DAY_SPEC = re.compile(r"^(Mo|Tu|We|Th|Fr|Sa|Su)(-(Mo|Tu|We|Th|Fr|Sa|Su))?$")


def _day_names() -> dict[str, str]:
    return {
        "Mo": pgettext("weekday", "Mon"),
        "Tu": pgettext("weekday", "Tue"),
        "We": pgettext("weekday", "Wed"),
        "Th": pgettext("weekday", "Thu"),
        "Fr": pgettext("weekday", "Fri"),
        "Sa": pgettext("weekday", "Sat"),
        "Su": pgettext("weekday", "Sun"),
    }


def _days(spec: str) -> str | None:
    names = _day_names()
    parts = []
    for item in spec.split(","):
        match = DAY_SPEC.match(item)
        if match is None:
            return None
        first, last = match.group(1), match.group(3)
        if last is None:
            parts.append(names[first])
        else:
            parts.append(
                pgettext("weekday range", "%(first)s–%(last)s")
                % {"first": names[first], "last": names[last]}
            )
    return pgettext("list separator", ", ").join(parts)


def _times(spec: str) -> str | None:
    if spec in ("off", "closed"):
        return pgettext("opening hours", "closed")
    ranges = spec.split(",")
    if not all(TIME_RANGE.match(r) for r in ranges):
        return None
    return pgettext("list separator", ", ").join(r.replace("-", "–") for r in ranges)


def _rule(rule: str) -> str | None:
    if rule == "24/7":
        return _("open around the clock")
    if rule in ("PH off", "PH closed"):
        return _("closed on public holidays")
    head, _space, rest = rule.partition(" ")
    if rest and (days := _days(head)) is not None:
        times = _times(rest.strip())
        return None if times is None else f"{days} {times}"
    times = _times(rule)
    return None if times is None else _("daily %(times)s") % {"times": times}


def in_words(value: str) -> str:
    """The hours in the reader's language, or as written when they say more than we read."""
    rules = [r.strip() for r in value.split(";") if r.strip()]
    words = [_rule(r) for r in rules]
    if not rules or any(w is None for w in words):
        return value
    return pgettext("rule separator", "; ").join(w for w in words if w)
