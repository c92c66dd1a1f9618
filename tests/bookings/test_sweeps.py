"""The background sweeps: no-shows released with a strike (and a suspension after enough of
them), checked-in bookings completed, one reminder each; running a sweep twice changes nothing."""

from __future__ import annotations

import datetime as dt

import pytest

from linli.core.models import Notification
from linli.frontoffice.bookings import services as s
from linli.frontoffice.bookings.checks import BookingRefused
from linli.frontoffice.bookings.models import Booking, State, Strike, StrikeRule, Suspension
from tests.bookings.conftest import local


def booking_at(centre, room, start: str, *, minutes: int = 60, now=None) -> Booking:
    begin = local(start)
    return s.request_booking(
        room,
        actor=centre.access(centre.member),
        enterprise=centre.acme,
        start=begin,
        end=begin + dt.timedelta(minutes=minutes),
        now=now or begin - dt.timedelta(days=1),
    )


def test_no_show_is_released_once_with_one_strike(centre):
    room = centre.room(release_after_minutes=15)
    booking = booking_at(centre, room, "2026-12-01 10:00")
    sd = centre.subdistrict
    assert s.release_no_shows(sd, now=local("2026-12-01 10:14")) == 0
    assert s.release_no_shows(sd, now=local("2026-12-01 10:16")) == 1
    assert s.release_no_shows(sd, now=local("2026-12-01 10:20")) == 0
    booking.refresh_from_db()
    assert booking.state == State.RELEASED_NO_SHOW
    assert Strike.objects.filter(enterprise=centre.acme).count() == 1
    assert Notification.objects.filter(user=centre.member, title__startswith="Nobody").count() == 1
    # The released time is free again for someone else.
    assert s.request_booking(
        room,
        actor=centre.access(centre.beta_member),
        enterprise=centre.beta,
        start=local("2026-12-01 10:30"),
        end=local("2026-12-01 11:00"),
        now=local("2026-12-01 09:00"),
    )


def test_three_no_shows_within_the_period_suspend_the_enterprise(centre):
    StrikeRule.objects.create(
        subdistrict=centre.subdistrict,
        resource_kind="",
        strikes=3,
        period_days=30,
        suspension_days=14,
    )
    room = centre.room(release_after_minutes=15)
    days = ["2026-12-01", "2026-12-02", "2026-12-03"]
    for day in days:
        booking_at(centre, room, f"{day} 10:00")
    for day in days[:2]:
        s.release_no_shows(centre.subdistrict, now=local(f"{day} 10:30"))
    assert not Suspension.objects.exists()
    s.release_no_shows(centre.subdistrict, now=local("2026-12-03 10:30"))
    suspension = Suspension.objects.get()
    assert suspension.ends_at == local("2026-12-17 10:30")
    with pytest.raises(BookingRefused) as refused:
        booking_at(centre, room, "2026-12-04 14:00", now=local("2026-12-04 09:00"))
    assert "may not book until 2026-12-17 10:30" in refused.value.message_dict["enterprise"][0]
    assert Notification.objects.filter(body__contains="2026-12-17 10:30").exists()


def test_strike_rule_per_resource_kind_wins_over_the_general_one(centre):
    sd = centre.subdistrict
    StrikeRule.objects.create(subdistrict=sd, resource_kind="", strikes=5)
    StrikeRule.objects.create(subdistrict=sd, resource_kind="desk", strikes=1, suspension_days=3)
    desk = centre.room(kind="desk", name="Desk 1")
    room = centre.room()
    booking_at(centre, desk, "2026-12-01 10:00")
    s.release_no_shows(sd, now=local("2026-12-01 11:00"))
    suspension = Suspension.objects.get()
    assert suspension.resource_kind == "desk"
    # Desks are suspended; rooms are not.
    with pytest.raises(BookingRefused):
        booking_at(centre, desk, "2026-12-02 10:00", now=local("2026-12-01 12:00"))
    assert booking_at(centre, room, "2026-12-02 10:00", now=local("2026-12-01 12:00"))


def test_checked_in_bookings_are_completed_after_their_end(centre):
    room = centre.room()
    booking = booking_at(centre, room, "2026-12-01 10:00")
    s.check_in(booking, actor=centre.access(centre.member), now=local("2026-12-01 10:00"))
    sd = centre.subdistrict
    assert s.complete_finished(sd, now=local("2026-12-01 10:59")) == 0
    assert s.release_no_shows(sd, now=local("2026-12-01 10:59")) == 0
    assert s.complete_finished(sd, now=local("2026-12-01 11:00")) == 1
    assert s.complete_finished(sd, now=local("2026-12-01 11:05")) == 0
    booking.refresh_from_db()
    assert booking.state == State.COMPLETED
    assert not Strike.objects.exists()


def test_one_reminder_before_the_start(centre):
    room = centre.room()
    booking = booking_at(centre, room, "2026-12-01 14:00")
    sd = centre.subdistrict
    assert s.send_reminders(sd, now=local("2026-12-01 11:30")) == 0  # too early
    assert s.send_reminders(sd, now=local("2026-12-01 12:30")) == 1
    assert s.send_reminders(sd, now=local("2026-12-01 12:35")) == 0
    reminders = Notification.objects.filter(user=centre.member, title__startswith="Reminder")
    assert reminders.count() == 1
    assert "2026-12-01 14:00" in reminders.get().title
    booking.refresh_from_db()
    assert booking.reminded_at == local("2026-12-01 12:30")


def test_periodic_jobs_are_registered():
    from linli.core.scheduler import JOBS

    assert {"bookings.release_no_shows", "bookings.send_reminders"} <= set(JOBS)
