"""The work calendar (State Council schedule, editable) and working-time arithmetic.

Business hours are the default 09:00–12:00 and 13:00–17:30 (7.5 hours a day) in Asia/Shanghai.
Every moment goes in and comes out as an aware UTC datetime.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import chinese_calendar
import pytest

from linli.core.calendar import (
    WorkCalendar,
    add_working_time,
    parse_business_hours,
    refresh_year,
    seed_year,
)
from linli.core.models import WorkDay
from tests.factories import SubdistrictFactory

SH = ZoneInfo("Asia/Shanghai")
pytestmark = pytest.mark.django_db


def at(text: str) -> dt.datetime:
    """A Shanghai wall-clock time as the aware UTC moment that is stored."""
    return dt.datetime.fromisoformat(text).replace(tzinfo=SH).astimezone(dt.UTC)


def add(start: str, **kwargs) -> dt.datetime:
    result = add_working_time(at(start), **kwargs)
    assert result.utcoffset() == dt.timedelta(0), "results are aware UTC"
    return result


# --- Seeding from chinese-calendar --------------------------------------------------------------


def days(year: int) -> dict[dt.date, WorkDay]:
    return {d.date: d for d in WorkDay.objects.filter(date__year=year)}


def test_2026_is_seeded_from_the_official_schedule() -> None:
    assert seed_year(2026) == 365
    table = days(2026)

    assert len(table) == 365
    for day in range(1, 8):
        row = table[dt.date(2026, 10, day)]
        assert not row.is_workday and row.name == "National Day", row
    # The swapped workdays (调休) of National Day 2026 fall on a Sunday and a Saturday.
    assert table[dt.date(2026, 9, 20)].is_workday
    assert table[dt.date(2026, 10, 10)].is_workday
    assert dt.date(2026, 9, 20).weekday() == 6 and dt.date(2026, 10, 10).weekday() == 5
    assert not table[dt.date(2026, 10, 11)].is_workday  # an ordinary Sunday
    assert table[dt.date(2026, 10, 8)].is_workday
    assert {row.source for row in table.values()} == {WorkDay.Source.OFFICIAL}
    # Every day agrees with the package itself.
    disagree = [d for d, row in table.items() if row.is_workday != chinese_calendar.is_workday(d)]
    assert disagree == []


def test_seeding_twice_adds_nothing() -> None:
    seed_year(2026)
    assert seed_year(2026) == 0
    assert WorkDay.objects.filter(date__year=2026).count() == 365


def test_a_year_the_package_does_not_know_follows_the_weekday_rule() -> None:
    seed_year(2099)
    table = days(2099)
    assert {row.source for row in table.values()} == {WorkDay.Source.WEEKDAY_RULE}
    assert table[dt.date(2099, 1, 1)].is_workday  # a Thursday: nobody knows the holidays yet
    assert not table[dt.date(2099, 1, 3)].is_workday  # Saturday


def test_refresh_keeps_manual_edits_and_restores_others() -> None:
    seed_year(2026)
    # A day off decreed locally, edited by hand; and a row changed without saying so.
    WorkDay.objects.filter(date=dt.date(2026, 5, 6)).update(
        is_workday=False, name="Local holiday", source=WorkDay.Source.MANUAL
    )
    WorkDay.objects.filter(date=dt.date(2026, 10, 10)).update(is_workday=False)

    changed = refresh_year(2026)

    assert changed == 1
    manual = WorkDay.objects.get(date=dt.date(2026, 5, 6))
    assert (manual.is_workday, manual.name, manual.source) == (False, "Local holiday", "manual")
    assert WorkDay.objects.get(date=dt.date(2026, 10, 10)).is_workday


def test_the_calendar_uses_manual_edits() -> None:
    seed_year(2026)
    WorkDay.objects.filter(date=dt.date(2026, 3, 10)).update(
        is_workday=False, source=WorkDay.Source.MANUAL
    )
    # Monday 10:00 + 1 working day skips the Tuesday made a holiday.
    assert add("2026-03-09 10:00", days=1) == at("2026-03-11 10:00")


# --- Working days -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "n", "due"),
    [
        ("2026-03-09 10:00", 1, "2026-03-10 10:00"),  # Monday → Tuesday, same clock time
        ("2026-03-06 16:00", 1, "2026-03-09 16:00"),  # Friday → Monday
        ("2026-03-09 10:00", 5, "2026-03-16 10:00"),  # a whole week
        ("2026-03-06 19:00", 1, "2026-03-10 09:00"),  # Friday evening: clock starts Monday
        ("2026-03-07 11:00", 1, "2026-03-10 09:00"),  # Saturday: likewise
        ("2026-03-09 12:30", 1, "2026-03-10 13:00"),  # lunch: clock starts at 13:00
        ("2026-09-30 16:00", 1, "2026-10-08 16:00"),  # over National Day and Mid-Autumn
        ("2026-09-24 10:00", 1, "2026-09-28 10:00"),  # Mid-Autumn Fri 25 to Sun 27
        ("2026-09-18 10:00", 1, "2026-09-20 10:00"),  # Friday → the swapped Sunday
        ("2026-10-09 10:00", 1, "2026-10-10 10:00"),  # Friday → the swapped Saturday
        ("2026-09-29 10:00", 3, "2026-10-09 10:00"),
    ],
)
def test_add_working_days(start, n, due) -> None:
    assert add(start, days=n) == at(due)


# --- Working hours ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "hours", "due"),
    [
        ("2026-03-09 09:00", 1, "2026-03-09 10:00"),
        ("2026-03-09 11:30", 1, "2026-03-09 13:30"),  # over lunch
        ("2026-03-09 09:00", 7.5, "2026-03-09 17:30"),  # exactly one business day
        ("2026-03-09 09:00", 8, "2026-03-10 09:30"),
        ("2026-03-06 16:30", 2, "2026-03-09 10:00"),  # Friday afternoon → Monday
        ("2026-03-07 10:00", 1, "2026-03-09 10:00"),  # starts on a Saturday
        ("2026-03-09 07:00", 1, "2026-03-09 10:00"),  # before opening
        ("2026-03-09 12:15", 0.5, "2026-03-09 13:30"),  # during lunch
        ("2026-03-09 20:00", 1, "2026-03-10 10:00"),  # after closing
        ("2026-09-30 17:00", 1, "2026-10-08 09:30"),  # into National Day
        ("2026-09-18 17:00", 1, "2026-09-20 09:30"),  # Friday → the swapped Sunday
        ("2026-03-09 09:00", 0.25, "2026-03-09 09:15"),
    ],
)
def test_add_working_hours(start, hours, due) -> None:
    assert add(start, hours=hours) == at(due)


def test_days_then_hours() -> None:
    assert add("2026-03-06 16:00", days=1, hours=2) == at("2026-03-10 09:30")


def test_nothing_to_add_gives_the_next_opening() -> None:
    assert add("2026-03-07 10:00") == at("2026-03-09 09:00")
    assert add("2026-03-09 10:15") == at("2026-03-09 10:15")


def test_the_subdistricts_own_business_hours_apply() -> None:
    early = SubdistrictFactory(business_hours=[["08:30", "11:30"], ["13:30", "17:00"]])
    assert add_working_time(at("2026-03-09 11:15"), hours=1, subdistrict=early) == at(
        "2026-03-09 14:15"
    )
    assert add_working_time(at("2026-03-09 08:00"), hours=1, subdistrict=early) == at(
        "2026-03-09 09:30"
    )
    # The default hours give a different answer for the same request.
    assert add("2026-03-09 11:15", hours=1) == at("2026-03-09 13:15")


def test_any_aware_timezone_goes_in_and_utc_comes_out() -> None:
    # Sunday 22:00 in New York (EDT since that morning) is Monday 10:00 in Shanghai.
    new_york = dt.datetime(2026, 3, 8, 22, 0, tzinfo=ZoneInfo("America/New_York"))
    result = add_working_time(new_york, hours=1)
    assert result.tzinfo == dt.UTC
    assert result == at("2026-03-09 11:00")


def test_naive_datetimes_and_negative_amounts_are_refused() -> None:
    with pytest.raises(ValueError, match="aware"):
        add_working_time(dt.datetime(2026, 3, 9, 10, 0), hours=1)  # noqa: DTZ001
    with pytest.raises(ValueError):
        add_working_time(at("2026-03-09 10:00"), hours=-1)
    with pytest.raises(ValueError):
        add_working_time(at("2026-03-09 10:00"), days=-1)


# --- Working time between two moments -----------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "end", "hours"),
    [
        ("2026-03-09 09:00", "2026-03-09 17:30", 7.5),
        ("2026-03-09 11:00", "2026-03-09 14:00", 2),  # lunch does not count
        ("2026-03-06 16:30", "2026-03-09 10:00", 2),  # nor does the weekend
        ("2026-09-30 17:00", "2026-10-08 09:30", 1),  # nor National Day
        ("2026-03-09 18:00", "2026-03-09 20:00", 0),
        ("2026-03-09 10:00", "2026-03-09 09:00", 0),  # end before start
        ("2026-03-09 09:00", "2026-03-16 09:00", 37.5),
    ],
)
def test_working_seconds_between(start, end, hours) -> None:
    assert WorkCalendar().working_seconds_between(at(start), at(end)) == hours * 3600


def test_adding_and_measuring_agree() -> None:
    calendar = WorkCalendar()
    start = at("2026-09-29 15:20")
    for hours in (0.5, 3, 7.5, 11, 40):
        due = calendar.add_working_hours(start, hours)
        assert calendar.working_seconds_between(start, due) == pytest.approx(hours * 3600)


@pytest.mark.parametrize(
    "value",
    [[], [["09:00"]], [["12:00", "09:00"]], [["09:00", "12:00"], ["11:00", "13:00"]], "9-5"],
)
def test_bad_business_hours_are_refused(value) -> None:
    with pytest.raises(ValueError):
        parse_business_hours(value)
