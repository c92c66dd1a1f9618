"""Window appointments as the queue's kiosk sees them: a booking of a window resource is found
by its QR code or its short code at its own place, and whoever holds the code may check in."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from linli.core.access import Access
from linli.frontoffice.bookings import services as s
from linli.frontoffice.bookings.arrival import arrival_code, shown_code
from linli.frontoffice.bookings.models import State
from linli.frontoffice.bookings.queries import booking_for_arrival
from tests.bookings.conftest import local

NOW = local("2026-12-01 08:00")


@pytest.fixture
def window(centre):
    return centre.open_room(kind="window", code="CK-B", name="Tax window", max_duration_minutes=15)


def _book(centre, resource, start: str):
    begin = local(start)
    return s.request_booking(
        resource,
        actor=centre.access(centre.member),
        enterprise=centre.acme,
        start=begin,
        end=begin + dt.timedelta(minutes=15),
        now=NOW,
    )


@pytest.fixture
def slot(centre, window):
    return _book(centre, window, "2026-12-01 10:00")


def test_a_window_slot_is_booked_with_the_usual_rules(centre, window, slot):
    assert slot.state == State.CONFIRMED
    with pytest.raises(s.BookingRefused) as refused:
        s.request_booking(
            window,
            actor=centre.access(centre.beta_member),
            enterprise=centre.beta,
            start=local("2026-12-01 10:00"),
            end=local("2026-12-01 10:30"),
            now=NOW,
        )
    assert {"overlap", "duration"} <= refused.value.rules


@pytest.mark.parametrize(
    "typed",
    [
        "token",
        "url",
        "short",
        "short lower case with a dash",
    ],
)
def test_the_booking_is_found_by_any_form_of_its_code(centre, slot, typed):
    code = {
        "token": slot.checkin_token,
        "url": f"https://linli.example/bookings/check-in/{slot.checkin_token}/",
        "short": arrival_code(slot),
        "short lower case with a dash": f"  {shown_code(slot).lower()} ",
    }[typed]
    found = booking_for_arrival(code, centre.centre, now=local("2026-12-01 09:50"))
    assert found is not None and found.booking == slot
    assert found.resource_code == "CK-B"
    assert (found.opens, found.closes) == (local("2026-12-01 09:45"), local("2026-12-01 10:15"))
    again = booking_for_arrival(arrival_code(slot), centre.centre, now=local("2026-12-01 09:51"))
    assert again is not None and again.secret == found.secret and len(found.secret) == 32


def test_codes_of_other_places_or_other_resources_find_nothing(centre, window, slot):
    at = local("2026-12-01 09:50")
    assert booking_for_arrival(arrival_code(slot), centre.subcentre, now=at) is None
    assert booking_for_arrival("ABCDEFGH", centre.centre, now=at) is None
    assert booking_for_arrival("", centre.centre, now=at) is None
    room = centre.open_room(code="ROOM")
    booking = _book(centre, room, "2026-12-01 10:00")
    assert booking_for_arrival(booking.checkin_token, centre.centre, now=at) is None


def test_whoever_holds_the_code_may_check_in(centre, slot):
    kiosk = Access.anonymous(centre.subdistrict)
    at = local("2026-12-01 09:55")
    with pytest.raises(PermissionDenied):
        s.check_in(slot, actor=kiosk, now=at)
    with pytest.raises(PermissionDenied):
        s.check_in(slot, actor=kiosk, code="WRONGCOD", now=at)
    done = s.check_in(slot, actor=kiosk, code=shown_code(slot), now=at)
    assert done.state == State.CHECKED_IN and done.checked_in_at == at


def test_the_booking_page_shows_the_short_code_of_a_window_slot(centre, slot, client_for):
    response = client_for(centre.member).get(reverse("bookings:detail", args=[slot.pk]))
    assert response.status_code == 200
    assert f'id="arrival-code">{shown_code(slot)}<' in response.content.decode()


def test_a_room_booking_page_has_no_appointment_code(centre, client_for):
    booking = _book(centre, centre.open_room(code="ROOM"), "2026-12-01 10:00")
    response = client_for(centre.member).get(reverse("bookings:detail", args=[booking.pk]))
    assert 'id="arrival-code"' not in response.content.decode()
