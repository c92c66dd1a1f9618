"""Keeping the work calendar current when the State Council publishes next year's holidays.

The holiday package linli seeds from knows years only up to its release; for a later year every
weekday counts as a working day. From 1 November the administrators are warned while next year
is still on that weekday rule (in their inbox, and on the calendar page), and one form takes the
notice as it is published: holiday ranges and swapped working days (调休). Entering it changes
the days, writes an audit row, and tells the apps whose deadlines depend on those days
(``work_calendar_changed``), which recompute their open deadlines.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

import django.dispatch
from django.db import transaction

from linli.core import audit, clock, rules
from linli.core.access import Access
from linli.core.calendar import seed_year
from linli.core.models import WorkDay

# Sent after the days changed, inside the same transaction: ``days`` are the dates whose
# working status changed, ``actor`` who changed them.
work_calendar_changed = django.dispatch.Signal()

WARN_FROM = (11, 1)  # month, day


@dataclass(frozen=True)
class Holiday:
    first: dt.date
    last: dt.date
    name: str


@dataclass(frozen=True)
class Notice:
    """A State Council holiday notice: days off, and weekend days worked instead."""

    year: int
    holidays: tuple[Holiday, ...]
    swapped_workdays: tuple[tuple[dt.date, str], ...]


def year_on_weekday_rule(year: int) -> bool:
    """True while no official schedule or hand edits exist for ``year``."""
    seed_year(year)
    return (
        not WorkDay.objects.filter(date__year=year)
        .exclude(source=WorkDay.Source.WEEKDAY_RULE)
        .exists()
    )


def pending_year(today: dt.date | None = None) -> int | None:
    """Next year, from 1 November, while it is still on the weekday rule."""
    today = today or clock.today()
    if (today.month, today.day) < WARN_FROM:
        return None
    year = today.year + 1
    return year if year_on_weekday_rule(year) else None


def apply_notice(actor: Access, notice: Notice) -> list[dt.date]:
    """Enter a notice: its holidays become days off, its swapped days working days, and every
    other day of the year keeps the weekday rule. Returns the dates that changed."""
    actor.require(rules.may_edit_calendar(actor))
    wanted: dict[dt.date, tuple[bool, str]] = {}
    for holiday in notice.holidays:
        day = holiday.first
        while day <= holiday.last:
            wanted[day] = (False, holiday.name)
            day += dt.timedelta(days=1)
    for day, name in notice.swapped_workdays:
        wanted[day] = (True, name)
    with transaction.atomic():
        seed_year(notice.year)
        rows = {row.date: row for row in WorkDay.objects.filter(date__year=notice.year)}
        changed: list[dt.date] = []
        for day, row in sorted(rows.items()):
            workday, name = wanted.get(day, (day.weekday() < 5, ""))
            if (row.is_workday, row.name) != (workday, name) or row.source != WorkDay.Source.MANUAL:
                if row.is_workday != workday:
                    changed.append(day)
                WorkDay.objects.filter(pk=row.pk).update(
                    is_workday=workday, name=name, source=WorkDay.Source.MANUAL
                )
        audit.record(
            actor,
            "core.calendar.notice",
            object_type="core.workday",
            object_id=str(notice.year),
            after={
                "holidays": [
                    [h.first.isoformat(), h.last.isoformat(), h.name] for h in notice.holidays
                ],
                "workdays": [[d.isoformat(), n] for d, n in notice.swapped_workdays],
                "changed": [d.isoformat() for d in changed],
            },
        )
        if changed:
            work_calendar_changed.send(sender=WorkDay, days=frozenset(changed), actor=actor)
    return changed


def off_days(days: Iterable[WorkDay]) -> list[WorkDay]:
    """The days that differ from the plain weekday rule: holidays and swapped workdays."""
    return [d for d in days if d.is_workday != (d.date.weekday() < 5)]
