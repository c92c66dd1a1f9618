"""Time limits per category and stage, and the deadlines they give on the work calendar.

Defaults follow Shanghai 12345 practice (DESIGN.md §6): accept within 1 working hour of
dispatch, first contact within 1 working day, enquiries answered in 1 working day, help requests
and complaints resolved in 5 working days, complex cases 15 working days with approval (5 + an
extension of 10), re-handling after a dissatisfied callback 3 working days. The intake,
dispatch, verification and callback limits are this platform's own defaults; every one of them
can be set per category in ``TimeLimit`` (a limit on a category also covers its subtree).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from linli.cases.models import Category, Stage, TimeLimit
from linli.core.calendar import WorkCalendar

HOURS = TimeLimit.Unit.WORKING_HOURS
DAYS = TimeLimit.Unit.WORKING_DAYS

REMINDER_SHARE = 0.8


@dataclass(frozen=True)
class Limit:
    amount: int
    unit: str

    def after(self, calendar: WorkCalendar, start: dt.datetime) -> dt.datetime:
        if self.unit == DAYS:
            return calendar.add_working_days(start, self.amount)
        return calendar.add_working_hours(start, self.amount)


DEFAULT_LIMITS: dict[str, Limit] = {
    Stage.REGISTER: Limit(2, HOURS),
    Stage.DISPATCH: Limit(2, HOURS),
    Stage.ACCEPT: Limit(1, HOURS),
    Stage.FIRST_CONTACT: Limit(1, DAYS),
    Stage.RESOLVE: Limit(5, DAYS),
    Stage.EXTENSION: Limit(10, DAYS),
    Stage.REWORK: Limit(3, DAYS),
    Stage.VERIFY: Limit(1, DAYS),
    Stage.CALLBACK: Limit(1, DAYS),
    Stage.REOPEN: Limit(3, DAYS),
}

# An enquiry is answered, not worked on: one working day is its whole resolution limit.
KIND_LIMITS: dict[tuple[str, str], Limit] = {
    (Category.Kind.ENQUIRY, Stage.RESOLVE): Limit(1, DAYS),
}


def limit_for(
    category: Category, stage: str, available: Iterable[TimeLimit] | None = None
) -> Limit:
    """The nearest configured limit up the category tree, else the kind's or the default
    (picked from ``available`` when the caller has every configured limit at hand)."""
    lineage = category.lineage()
    ids = {c.pk for c in lineage}
    if available is None:
        rows: Iterable[TimeLimit] = TimeLimit.objects.filter(category_id__in=ids, stage=stage)
    else:
        rows = [row for row in available if row.category_id in ids and row.stage == stage]
    configured = {row.category_id: row for row in rows}
    for node in lineage:
        if node.pk in configured:
            row = configured[node.pk]
            return Limit(row.amount, row.unit)
    return KIND_LIMITS.get((category.kind, stage), DEFAULT_LIMITS[stage])


def reminder_point(
    calendar: WorkCalendar, start: dt.datetime, deadline: dt.datetime
) -> dt.datetime:
    """When 80% of the working time between start and deadline has gone by."""
    budget = calendar.working_seconds_between(start, deadline)
    return calendar.add_working_hours(start, REMINDER_SHARE * budget / 3600)


def shift(calendar: WorkCalendar, moment: dt.datetime | None, seconds: float) -> dt.datetime | None:
    """Move a deadline on by ``seconds`` of working time (the time a case spent paused)."""
    if moment is None or seconds <= 0:
        return moment
    return calendar.add_working_hours(moment, seconds / 3600)
