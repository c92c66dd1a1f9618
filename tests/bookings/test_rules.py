"""The rules of a resource: each refusal names the rule and the field, and nothing is written."""

from __future__ import annotations

import datetime as dt

import pytest

from linli.core.calendar import seed_year
from linli.core.models import WorkDay
from linli.frontoffice.bookings import services as s
from linli.frontoffice.bookings.checks import BookingRefused
from linli.frontoffice.bookings.models import Booking, State, Suspension
from tests.bookings.conftest import local

NOW = local("2026-12-01 08:00")  # a Tuesday


def book(centre, room, start, end, *, user=None, enterprise=None, now=NOW):
    user = user or centre.member
    return s.request_booking(
        room,
        actor=centre.access(user),
        enterprise=enterprise or centre.acme,
        start=local(start),
        end=local(end),
        now=now,
    )


def refused(centre, room, start, end, **kwargs) -> BookingRefused:
    before = Booking.objects.count()
    with pytest.raises(BookingRefused) as caught:
        book(centre, room, start, end, **kwargs)
    assert Booking.objects.count() == before
    return caught.value


def test_a_free_slot_is_confirmed_and_the_booker_told(centre):
    room = centre.room()
    booking = book(centre, room, "2026-12-01 10:00", "2026-12-01 11:00")
    assert booking.state == State.CONFIRMED
    assert booking.booker == centre.member and booking.enterprise == centre.acme
    assert centre.member.notifications.filter(title__startswith="Booking confirmed").exists()


def test_opening_hours_per_weekday(centre):
    room = centre.room(opening_hours={"1": [["09:00", "12:00"], ["13:00", "17:00"]]})
    error = refused(centre, room, "2026-12-01 11:30", "2026-12-01 13:30")
    assert error.rules == {"opening_hours"}
    assert "09:00–12:00, 13:00–17:00" in error.message_dict["start"][0]
    # Wednesday has no hours at all.
    assert refused(centre, room, "2026-12-02 10:00", "2026-12-02 11:00").rules == {"opening_hours"}
    assert book(centre, room, "2026-12-01 13:00", "2026-12-01 17:00").state == State.CONFIRMED


def test_closed_on_non_working_days_of_the_work_calendar(centre):
    room = centre.room(opening_hours={str(d): [["09:00", "17:00"]] for d in range(7)})
    sunday = refused(centre, room, "2026-12-06 10:00", "2026-12-06 11:00")
    assert "closed on 2026-12-06 (not a working day)" in sunday.message_dict["start"][0]
    # A day the calendar editor marked as a holiday is closed too, although it is a Thursday.
    seed_year(2026)
    WorkDay.objects.filter(date=dt.date(2026, 12, 3)).update(
        is_workday=False, source=WorkDay.Source.MANUAL
    )
    assert refused(centre, room, "2026-12-03 10:00", "2026-12-03 11:00").rules == {"opening_hours"}
    weekend_room = centre.room(
        opening_hours={str(d): [["09:00", "17:00"]] for d in range(7)},
        open_on_non_working_days=True,
    )
    assert book(centre, weekend_room, "2026-12-06 10:00", "2026-12-06 11:00")


def test_notice_window_and_duration(centre):
    room = centre.room(min_notice_minutes=120, window_days=7, max_duration_minutes=90)
    notice = refused(centre, room, "2026-12-01 09:30", "2026-12-01 10:00")
    assert notice.rules == {"notice"} and "120 minutes" in notice.message_dict["start"][0]
    window = refused(centre, room, "2026-12-09 10:00", "2026-12-09 11:00")
    assert window.rules == {"window"} and "7 days ahead" in window.message_dict["start"][0]
    duration = refused(centre, room, "2026-12-02 10:00", "2026-12-02 12:00")
    assert duration.rules == {"duration"} and "90 minutes" in duration.message_dict["end"][0]
    backwards = refused(centre, room, "2026-12-02 11:00", "2026-12-02 10:00")
    assert "end" in backwards.message_dict


def test_buffers_keep_time_free_between_bookings(centre):
    room = centre.room(buffer_before_minutes=10, buffer_after_minutes=15)
    book(centre, room, "2026-12-01 10:00", "2026-12-01 11:00")
    # 11:20 minus 10 minutes before is 11:10, inside the 15 minutes kept after 11:00.
    clash = refused(
        centre,
        room,
        "2026-12-01 11:20",
        "2026-12-01 12:00",
        user=centre.beta_member,
        enterprise=centre.beta,
    )
    assert clash.rules == {"overlap"}
    message = clash.message_dict["start"][0]
    assert "2026-12-01 10:00 to 11:00" in message and "15 minutes after" in message
    assert "Acme" not in message  # another enterprise's name is not given away
    assert book(
        centre,
        room,
        "2026-12-01 11:25",
        "2026-12-01 12:00",
        user=centre.beta_member,
        enterprise=centre.beta,
    )


def test_the_daily_quota_binds_when_it_is_the_stricter(centre):
    room = centre.room(quota_per_day=2, quota_per_week=5)
    book(centre, room, "2026-12-01 10:00", "2026-12-01 10:30")
    book(centre, room, "2026-12-01 11:00", "2026-12-01 11:30")
    third = refused(centre, room, "2026-12-01 14:00", "2026-12-01 14:30")
    assert third.rules == {"quota_day"}
    assert "Daily quota" in third.message_dict["start"][0] and "limit 2" in third.messages[0]
    # Another enterprise has its own quota, and the next day is a new day.
    assert book(
        centre,
        room,
        "2026-12-01 14:00",
        "2026-12-01 14:30",
        user=centre.beta_member,
        enterprise=centre.beta,
    )
    assert book(centre, room, "2026-12-02 10:00", "2026-12-02 10:30")


def test_the_weekly_quota_binds_when_it_is_the_stricter(centre):
    room = centre.room(quota_per_day=2, quota_per_week=3)
    book(centre, room, "2026-12-01 10:00", "2026-12-01 10:30")
    book(centre, room, "2026-12-02 10:00", "2026-12-02 10:30")
    book(centre, room, "2026-12-03 10:00", "2026-12-03 10:30")
    # Friday has no booking yet, so the daily quota would allow it: the week is full.
    fourth = refused(centre, room, "2026-12-04 10:00", "2026-12-04 10:30")
    assert fourth.rules == {"quota_week"}
    assert "Weekly quota" in fourth.messages[0] and "limit 3" in fourth.messages[0]
    # Cancelled bookings give their place back; next week (from Monday) is a new week.
    s.cancel_booking(
        Booking.objects.get(start=local("2026-12-03 10:00")),
        actor=centre.access(centre.member),
        now=NOW,
    )
    assert book(centre, room, "2026-12-04 10:00", "2026-12-04 10:30")
    assert book(centre, room, "2026-12-07 10:00", "2026-12-07 10:30")


def test_approval_required_waits_then_confirms_or_rejects(centre):
    room = centre.room(approval_required=True)
    first = book(centre, room, "2026-12-01 10:00", "2026-12-01 11:00")
    assert first.state == State.PENDING_APPROVAL
    # A pending request holds the slot.
    assert refused(
        centre,
        room,
        "2026-12-01 10:30",
        "2026-12-01 11:30",
        user=centre.beta_member,
        enterprise=centre.beta,
    ).rules == {"overlap"}
    staff = centre.access(centre.staff)
    assert s.approve_booking(first, actor=staff).state == State.CONFIRMED
    second = book(centre, room, "2026-12-01 14:00", "2026-12-01 15:00")
    with pytest.raises(BookingRefused) as no_reason:
        s.reject_booking(second, actor=staff, reason=" ")
    assert "reason" in no_reason.value.message_dict
    rejected = s.reject_booking(second, actor=staff, reason="Room under repair")
    assert rejected.state == State.REJECTED
    assert centre.member.notifications.filter(body="Room under repair").exists()
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        s.approve_booking(first, actor=centre.access(centre.member))


def test_a_member_books_only_for_their_own_enterprise(centre):
    room = centre.room()
    error = refused(centre, room, "2026-12-01 10:00", "2026-12-01 11:00", enterprise=centre.beta)
    assert error.rules == {"enterprise"}
    # Window staff book for any enterprise (a walk-in at the counter).
    assert book(
        centre,
        room,
        "2026-12-01 10:00",
        "2026-12-01 11:00",
        user=centre.staff,
        enterprise=centre.beta,
    )


def test_a_suspended_enterprise_is_told_until_when(centre):
    room = centre.room()
    Suspension.objects.create(
        subdistrict=centre.subdistrict,
        enterprise=centre.acme,
        starts_at=local("2026-11-30 09:00"),
        ends_at=local("2026-12-14 09:00"),
        strikes=3,
    )
    error = refused(centre, room, "2026-12-01 10:00", "2026-12-01 11:00")
    assert error.rules == {"suspended"}
    assert "until 2026-12-14 09:00" in error.message_dict["enterprise"][0]
    assert book(
        centre,
        room,
        "2026-12-01 10:00",
        "2026-12-01 11:00",
        user=centre.beta_member,
        enterprise=centre.beta,
    )


def test_cancellation_cut_off(centre):
    room = centre.room(cancel_cutoff_minutes=120)
    booking = book(centre, room, "2026-12-01 11:00", "2026-12-01 12:00")
    member = centre.access(centre.member)
    with pytest.raises(BookingRefused) as late:
        s.cancel_booking(booking, actor=member, now=local("2026-12-01 09:30"))
    assert "until 2026-12-01 09:00" in late.value.messages[0]
    assert Booking.objects.get(pk=booking.pk).state == State.CONFIRMED
    done = s.cancel_booking(booking, actor=member, now=local("2026-12-01 08:30"))
    assert done.state == State.CANCELLED
    # The freed slot can be booked again.
    assert book(
        centre,
        room,
        "2026-12-01 11:00",
        "2026-12-01 12:00",
        user=centre.beta_member,
        enterprise=centre.beta,
    )
