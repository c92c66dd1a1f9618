"""Working-time arithmetic over the work calendar and a sub-district's business hours.

"5 working days" is never ``timedelta(days=5)``: holidays and swapped workdays (调休) come from
the ``WorkDay`` table, which is seeded from the State Council schedule and editable by hand.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, MutableMapping, Sequence

from django.db import transaction

from linli.core.clock import local_zone
from linli.core.models import DEFAULT_BUSINESS_HOURS, Subdistrict, WorkDay

Period = tuple[dt.time, dt.time]


def parse_business_hours(value: object) -> list[Period]:
    """Business hours as sorted, non-overlapping (start, end) periods within one day."""
    if not isinstance(value, list | tuple) or not value:
        raise ValueError("business hours must be a non-empty list of [start, end] pairs")
    periods: list[Period] = []
    for pair in value:
        if not isinstance(pair, list | tuple) or len(pair) != 2:
            raise ValueError("each business-hours period must be a [start, end] pair")
        try:
            start, end = (dt.time.fromisoformat(str(part)) for part in pair)
        except ValueError as exc:
            raise ValueError(f"invalid time in business hours: {pair!r}") from exc
        if end <= start:
            raise ValueError(f"period {pair!r} ends before it starts")
        periods.append((start, end))
    periods.sort()
    for (_, end), (start, _) in zip(periods, periods[1:], strict=False):
        if start < end:
            raise ValueError("business-hours periods overlap")
    return periods


def _aware(moment: dt.datetime) -> dt.datetime:
    """Deadlines are computed between aware moments only: a naive one has no defined instant."""
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError("working-time arithmetic needs an aware datetime (use UTC)")
    return moment


def official_day(day: dt.date) -> tuple[bool, str, str]:
    """(is_workday, holiday name, source) of a date, from chinese-calendar if it knows the year."""
    import chinese_calendar

    try:
        on_holiday, name = chinese_calendar.get_holiday_detail(day)
    except NotImplementedError:
        return day.weekday() < 5, "", WorkDay.Source.WEEKDAY_RULE
    return (not on_holiday), (str(name) if name else ""), WorkDay.Source.OFFICIAL


def seed_year(year: int) -> int:
    """Fill in the missing days of a year. Days edited by hand are never overwritten."""
    existing = set(WorkDay.objects.filter(date__year=year).values_list("date", flat=True))
    day = dt.date(year, 1, 1)
    rows = []
    while day.year == year:
        if day not in existing:
            workday, name, source = official_day(day)
            rows.append(WorkDay(date=day, is_workday=workday, name=name, source=source))
        day += dt.timedelta(days=1)
    WorkDay.objects.bulk_create(rows, ignore_conflicts=True)
    return len(rows)


def refresh_year(year: int) -> int:
    """Re-apply the official schedule to a year (after a package update), keeping manual edits."""
    changed = 0
    with transaction.atomic():
        seed_year(year)
        for row in WorkDay.objects.filter(date__year=year).exclude(source=WorkDay.Source.MANUAL):
            workday, name, source = official_day(row.date)
            if (row.is_workday, row.name, row.source) != (workday, name, source):
                WorkDay.objects.filter(pk=row.pk).update(
                    is_workday=workday, name=name, source=source
                )
                changed += 1
    return changed


def year_days(year: int) -> dict[dt.date, bool]:
    """Whether each day of the year is a working day, seeding the year on first use."""
    days = dict(WorkDay.objects.filter(date__year=year).values_list("date", "is_workday"))
    if not days:
        seed_year(year)
        days = dict(WorkDay.objects.filter(date__year=year).values_list("date", "is_workday"))
    return days


class WorkCalendar:
    """Working days from the table (filled lazily per year) plus business hours.

    ``years`` lets a caller keep the table's years between calendars (``year_days`` for each
    year, filled in as they are needed); the caller answers for it being current.
    """

    def __init__(
        self,
        business_hours: Sequence[Sequence[str]] | None = None,
        *,
        years: MutableMapping[int, dict[dt.date, bool]] | None = None,
    ) -> None:
        self.periods = parse_business_hours(list(business_hours or DEFAULT_BUSINESS_HOURS))
        self._days: dict[dt.date, bool] = {}
        self._years: set[int] = set()
        self._kept = years

    @classmethod
    def for_subdistrict(cls, subdistrict: Subdistrict | None) -> WorkCalendar:
        return cls(subdistrict.business_hours if subdistrict else None)

    def _load_year(self, year: int) -> None:
        if year in self._years:
            return
        days = None if self._kept is None else self._kept.get(year)
        if days is None:
            days = year_days(year)
            if self._kept is not None:
                self._kept[year] = days
        self._days.update(days)
        self._years.add(year)

    def is_workday(self, day: dt.date) -> bool:
        self._load_year(day.year)
        return self._days.get(day, day.weekday() < 5)

    def workdays(self, start: dt.date, end: dt.date) -> Iterable[dt.date]:
        day = start
        while day <= end:
            if self.is_workday(day):
                yield day
            day += dt.timedelta(days=1)

    def next_workday(self, day: dt.date) -> dt.date:
        while not self.is_workday(day):
            day += dt.timedelta(days=1)
        return day

    def _opening(self, moment: dt.datetime) -> dt.datetime:
        """The moment itself if within business hours, else the next opening."""
        tz = local_zone()
        local = _aware(moment).astimezone(tz)
        day = local.date()
        while True:
            if self.is_workday(day):
                for start, end in self.periods:
                    open_at = dt.datetime.combine(day, start, tz)
                    close_at = dt.datetime.combine(day, end, tz)
                    if local < close_at:
                        return max(local, open_at)
            day += dt.timedelta(days=1)
            local = dt.datetime.combine(day, dt.time.min, tz)

    def add_working_hours(self, moment: dt.datetime, hours: float) -> dt.datetime:
        """The moment when ``hours`` of business time have passed after ``moment``."""
        if hours < 0:
            raise ValueError("hours must not be negative")
        tz = local_zone()
        remaining = dt.timedelta(hours=hours)
        current = self._opening(moment)
        while True:
            day = current.date()
            for start, end in self.periods:
                close_at = dt.datetime.combine(day, end, tz)
                open_at = dt.datetime.combine(day, start, tz)
                if current >= close_at:
                    continue
                current = max(current, open_at)
                available = close_at - current
                if remaining <= available:
                    return (current + remaining).astimezone(dt.UTC)
                remaining -= available
                current = close_at
            current = self._opening(current)

    def add_working_days(self, moment: dt.datetime, days: int) -> dt.datetime:
        """The same clock time ``days`` working days later (from the next opening if closed).

        Day limits are counted the way handlers count them: a case received on Monday at 10:00
        with 1 working day is due on Tuesday at 10:00. Outside business hours the clock starts
        at the next opening, so one received on Friday evening is due on Tuesday at opening.
        """
        if days < 0:
            raise ValueError("days must not be negative")
        tz = local_zone()
        start = self._opening(moment)
        day = start.date()
        for _ in range(days):
            day = self.next_workday(day + dt.timedelta(days=1))
        return dt.datetime.combine(day, start.timetz().replace(tzinfo=None), tz).astimezone(dt.UTC)

    def working_seconds_between(self, start: dt.datetime, end: dt.datetime) -> float:
        """Business time elapsed between two moments, for SLA percentages and paused clocks."""
        if _aware(end) <= _aware(start):
            return 0.0
        tz = local_zone()
        total = 0.0
        day = start.astimezone(tz).date()
        last = end.astimezone(tz).date()
        while day <= last:
            if self.is_workday(day):
                for p_start, p_end in self.periods:
                    lo = max(start, dt.datetime.combine(day, p_start, tz))
                    hi = min(end, dt.datetime.combine(day, p_end, tz))
                    if hi > lo:
                        total += (hi - lo).total_seconds()
            day += dt.timedelta(days=1)
        return total


def add_working_time(
    moment: dt.datetime,
    *,
    hours: float = 0,
    days: int = 0,
    subdistrict: Subdistrict | None = None,
) -> dt.datetime:
    """Add N working days, then N working hours, from a moment, in the sub-district's hours."""
    calendar = WorkCalendar.for_subdistrict(subdistrict)
    result = moment
    if days:
        result = calendar.add_working_days(result, days)
    if hours:
        result = calendar.add_working_hours(result, hours)
    if not days and not hours:
        result = calendar._opening(result).astimezone(dt.UTC)
    return result
