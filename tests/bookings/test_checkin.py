"""Check-in: with the QR code on the door or the booking's own code, within its window."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied

from linli.frontoffice.bookings import services as s
from linli.frontoffice.bookings.checks import BookingRefused
from linli.frontoffice.bookings.models import State
from tests.bookings.conftest import local

NOW = local("2026-12-01 08:00")


@pytest.fixture
def booked(centre):
    room = centre.room(checkin_opens_minutes=15, release_after_minutes=10)
    booking = s.request_booking(
        room,
        actor=centre.access(centre.member),
        enterprise=centre.acme,
        start=local("2026-12-01 10:00"),
        end=local("2026-12-01 11:00"),
        now=NOW,
    )
    return room, booking


def test_door_check_in_finds_the_scanners_booking(centre, booked):
    room, booking = booked
    member = centre.access(centre.member)
    too_early = local("2026-12-01 09:40")
    with pytest.raises(BookingRefused) as early:
        s.check_in_at_door(room, actor=member, now=too_early)
    assert early.value.rules == {"no_booking"}
    assert "15 minutes before" in early.value.messages[0]
    done = s.check_in_at_door(room, actor=member, now=local("2026-12-01 09:50"))
    assert done.pk == booking.pk and done.state == State.CHECKED_IN
    assert done.checked_in_at == local("2026-12-01 09:50")
    # Scanning again changes nothing.
    again = s.check_in_at_door(room, actor=member, now=local("2026-12-01 10:05"))
    assert again.state == State.CHECKED_IN and again.checked_in_at == done.checked_in_at


def test_someone_without_a_booking_is_not_checked_in(centre, booked):
    room, _booking = booked
    with pytest.raises(BookingRefused):
        s.check_in_at_door(
            room, actor=centre.access(centre.beta_member), now=local("2026-12-01 10:00")
        )


def test_a_colleague_of_the_same_enterprise_may_check_in(centre, booked):
    from tests.factories import MembershipFactory, UserFactory

    room, booking = booked
    colleague = UserFactory()
    MembershipFactory(
        user=colleague,
        subdistrict=centre.subdistrict,
        role="enterprise_member",
        enterprise=centre.acme,
    )
    done = s.check_in_at_door(room, actor=centre.access(colleague), now=local("2026-12-01 10:00"))
    assert done.pk == booking.pk


def test_booking_code_window_closes_at_release_time(centre, booked):
    _room, booking = booked
    member = centre.access(centre.member)
    with pytest.raises(BookingRefused) as late:
        s.check_in(booking, actor=member, now=local("2026-12-01 10:11"))
    assert "from 2026-12-01 09:45 to 10:10" in late.value.messages[0]
    with pytest.raises(PermissionDenied):
        s.check_in(booking, actor=centre.access(centre.beta_member), now=local("2026-12-01 10:00"))
    # Desk staff scanning the booker's code check them in.
    done = s.check_in(booking, actor=centre.access(centre.staff), now=local("2026-12-01 10:10"))
    assert done.state == State.CHECKED_IN
