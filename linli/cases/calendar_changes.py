"""When the work calendar changes (a holiday notice entered), open cases keep the working time
they had left: a deadline that spans a day that became a holiday moves later, one that spans a
day that became a working day moves earlier. Each moved deadline is audited on its case.

The remaining time is measured from now in the calendar as it was (the changed days flipped
back) and laid out again in the calendar as it is.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Q
from django_scopes import scopes_disabled

from linli.cases.deadlines import reminder_point
from linli.cases.models import FINAL_STATES, Case
from linli.core import audit, clock
from linli.core.access import Access
from linli.core.calendar import WorkCalendar, year_days
from linli.core.models import Subdistrict


def calendars(
    subdistrict: Subdistrict, changed: frozenset[dt.date]
) -> tuple[WorkCalendar, WorkCalendar]:
    """The sub-district's calendar before and after the change."""
    years = {day.year for day in changed} | {clock.today().year, clock.today().year + 1}
    after = {year: year_days(year) for year in years}
    before = {year: dict(days) for year, days in after.items()}
    for day in changed:
        before[day.year][day] = not after[day.year][day]
    return (
        WorkCalendar(subdistrict.business_hours, years=before),
        WorkCalendar(subdistrict.business_hours, years=after),
    )


def moved(
    old: WorkCalendar, new: WorkCalendar, now: dt.datetime, deadline: dt.datetime
) -> dt.datetime:
    left = old.working_seconds_between(now, deadline)
    return new.add_working_hours(now, left / 3600)


def recompute_deadlines(sender: Any, days: frozenset[dt.date], actor: Access, **kwargs: Any) -> int:
    """Move the open deadlines the changed days fall under; return how many cases moved."""
    now = clock.now()
    earliest = dt.datetime.combine(min(days), dt.time(0), tzinfo=clock.local_zone())
    count = 0
    with scopes_disabled():
        for subdistrict in Subdistrict.objects.all():
            old, new = calendars(subdistrict, days)
            open_cases = (
                Case.objects.filter(subdistrict=subdistrict)
                .exclude(state__in=FINAL_STATES)
                .filter(
                    Q(stage_deadline__gte=max(now, earliest))
                    | Q(resolve_deadline__gte=max(now, earliest))
                )
            )
            for case in open_cases.select_for_update():
                before = {
                    "stage_deadline": case.stage_deadline,
                    "resolve_deadline": case.resolve_deadline,
                }
                if case.stage_deadline is not None and case.stage_deadline > now:
                    case.stage_deadline = moved(old, new, now, case.stage_deadline)
                    start = case.stage_started_at or now
                    case.reminder_at = reminder_point(new, start, case.stage_deadline)
                if case.resolve_deadline is not None and case.resolve_deadline > now:
                    case.resolve_deadline = moved(old, new, now, case.resolve_deadline)
                after = {
                    "stage_deadline": case.stage_deadline,
                    "resolve_deadline": case.resolve_deadline,
                }
                if after == before:
                    continue
                case.save(update_fields=["stage_deadline", "resolve_deadline", "reminder_at"])
                audit.record(
                    actor,
                    "cases.case.recompute_deadline",
                    case,
                    before={k: v.isoformat() if v else None for k, v in before.items()},
                    after={k: v.isoformat() if v else None for k, v in after.items()},
                    note="work calendar",
                )
                count += 1
    return count
