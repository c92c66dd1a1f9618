"""A recurring booking checks every date: the free ones are booked, the others are reported
with the rule that stops them."""

from __future__ import annotations

import datetime as dt

from linli.frontoffice.bookings import services as s
from linli.frontoffice.bookings.models import Booking, BookingSeries, State
from tests.bookings.conftest import local

NOW = local("2026-12-01 08:00")


def test_weekly_series_books_the_free_dates_and_reports_the_others(centre):
    room = centre.room(window_days=30)
    # Beta has the room on the second Tuesday.
    s.request_booking(
        room,
        actor=centre.access(centre.beta_member),
        enterprise=centre.beta,
        start=local("2026-12-08 10:30"),
        end=local("2026-12-08 11:30"),
        now=NOW,
    )
    slots = s.occurrences(
        local("2026-12-01 10:00"), local("2026-12-01 11:00"), frequency="weekly", count=6
    )
    assert [slot[0].astimezone(local("2026-12-01 00:00").tzinfo).date() for slot in slots] == [
        dt.date(2026, 12, 1) + dt.timedelta(weeks=n) for n in range(6)
    ]
    series, planned = s.book_series(
        room,
        actor=centre.access(centre.member),
        enterprise=centre.acme,
        slots=slots,
        frequency="weekly",
        purpose="Weekly stand-up",
        now=NOW,
    )
    report = {o.start.date().isoformat(): sorted(r.rule for r in o.refusals) for o in planned}
    assert report["2026-12-08"] == ["overlap"]  # Beta's booking
    assert report["2026-12-29"] == [] and report["2026-12-01"] == []
    # Thirty days ahead ends on 31 December: the sixth Tuesday is outside the window.
    assert report["2027-01-05"] == ["window"]
    assert series is not None and series.frequency == BookingSeries.Frequency.WEEKLY
    booked = Booking.objects.filter(series=series, state=State.CONFIRMED)
    assert booked.count() == 4
    assert {b.purpose for b in booked} == {"Weekly stand-up"}


def test_daily_series_until_a_date_skips_the_weekend_and_counts_its_own_quota(centre):
    room = centre.room(quota_per_week=3)
    slots = s.occurrences(
        local("2026-12-03 14:00"),
        local("2026-12-03 15:00"),
        frequency="daily",
        until=dt.date(2026, 12, 8),
    )
    assert len(slots) == 6
    planned = s.plan_series(room, enterprise_id=centre.acme.pk, slots=slots, now=NOW)
    rules = [sorted(r.rule for r in o.refusals) for o in planned]
    assert rules == [
        [],  # Thu 3
        [],  # Fri 4
        ["opening_hours"],  # Sat 5, not a working day
        ["opening_hours"],  # Sun 6
        [],  # Mon 7: a new week
        [],  # Tue 8
    ]
    # Planning writes nothing.
    assert not Booking.objects.exists()


def test_series_quota_counts_earlier_dates_of_the_same_series(centre):
    room = centre.room(quota_per_week=2)
    slots = s.occurrences(
        local("2026-12-01 14:00"), local("2026-12-01 15:00"), frequency="daily", count=3
    )
    planned = s.plan_series(room, enterprise_id=centre.acme.pk, slots=slots, now=NOW)
    assert [o.free for o in planned] == [True, True, False]
    assert planned[2].refusals[0].rule == "quota_week"


def test_nothing_free_books_nothing(centre):
    room = centre.room()
    slots = s.occurrences(
        local("2026-12-05 10:00"), local("2026-12-05 11:00"), frequency="weekly", count=2
    )
    series, planned = s.book_series(
        room,
        actor=centre.access(centre.member),
        enterprise=centre.acme,
        slots=slots,
        frequency="weekly",
        now=NOW,
    )
    assert series is None and not any(o.free for o in planned)
    assert not BookingSeries.objects.exists()
