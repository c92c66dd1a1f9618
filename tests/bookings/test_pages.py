"""The pages: the day grid (htmx moves days), booking a room and getting its QR code, checking
in at the door, a series' conflict report, the approval queue and resource administration."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import reverse

from linli.core import clock
from linli.frontoffice.bookings.checks import local as shanghai
from linli.frontoffice.bookings.models import Booking, Resource, State


@pytest.fixture
def member(centre, client_for):
    return client_for(centre.member)


def form_for(start: dt.datetime, minutes: int = 60, **extra) -> dict:
    begin = shanghai(start)
    end = begin + dt.timedelta(minutes=minutes)
    return {
        "date": begin.date().isoformat(),
        "start_time": begin.strftime("%H:%M"),
        "end_time": end.strftime("%H:%M"),
        "purpose": "Negotiation",
        **extra,
    }


def a_later_day(hour: int = 10) -> dt.datetime:
    """Tomorrow at ``hour`` (Shanghai) if that leaves enough notice."""
    day = clock.today() + dt.timedelta(days=2)
    return dt.datetime.combine(day, dt.time(hour), shanghai(clock.now()).tzinfo)


def test_grid_shows_free_taken_and_closed_and_moves_days_with_htmx(centre, member):
    room = centre.open_room(name="Room Grid")
    start = a_later_day(10)
    Booking.objects.create(
        subdistrict=centre.subdistrict,
        resource=room,
        booker=centre.beta_member,
        enterprise=centre.beta,
        start=start,
        end=start + dt.timedelta(hours=1),
        blocked_start=start,
        blocked_end=start + dt.timedelta(hours=1),
        state=State.CONFIRMED,
    )
    url = reverse("bookings:grid") + f"?date={start.date().isoformat()}"
    page = member.get(url)
    assert page.status_code == 200
    html = page.content.decode()
    assert "Room Grid" in html and 'class="slot busy"' in html and 'class="slot free"' in html
    assert "Beta" not in html  # the grid names nobody
    partial = member.get(url, headers={"HX-Request": "true"})
    body = partial.content.decode()
    assert body.lstrip().startswith('<section id="booking-grid"') and "<html" not in body
    assert 'id="grid-next"' in body


def test_todays_slots_that_have_begun_are_not_offered(centre, member, monkeypatch):
    centre.open_room(name="Room Today")
    noon = a_later_day(12)
    monkeypatch.setattr(clock, "now", lambda: noon)
    html = member.get(reverse("bookings:grid") + f"?date={noon.date().isoformat()}").text
    assert 'class="slot past"' in html and 'class="slot free"' in html
    assert "time=11:30" not in html  # no booking link for a slot already begun
    assert "time=12:00" in html


def test_book_get_the_qr_code_and_check_in_at_the_door(centre, member):
    room = centre.open_room()
    now = clock.now()
    response = member.post(
        reverse("bookings:book", kwargs={"pk": room.pk}),
        form_for(now + dt.timedelta(minutes=5), enterprise=centre.acme.pk),
    )
    booking = Booking.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("bookings:detail", kwargs={"pk": booking.pk})
    detail = member.get(response["Location"]).content.decode()
    assert 'id="booking-qr"' in detail and "<svg" in detail
    assert booking.checkin_token in detail
    door = reverse("bookings:checkin_door", kwargs={"token": room.door_token})
    page = member.get(door).content.decode()
    assert 'id="checkin-submit"' in page
    done = member.post(door)
    assert done["Location"] == reverse("bookings:detail", kwargs={"pk": booking.pk})
    booking.refresh_from_db()
    assert booking.state == State.CHECKED_IN
    # The per-booking link now shows the state and no button.
    again = member.get(reverse("bookings:checkin_booking", kwargs={"token": booking.checkin_token}))
    assert 'data-state="checked_in"' in again.content.decode()


def test_refusals_come_back_next_to_their_field(centre, member):
    room = centre.room(
        max_duration_minutes=30,
        open_on_non_working_days=True,
        opening_hours={str(d): [["08:00", "20:00"]] for d in range(7)},
    )
    response = member.post(
        reverse("bookings:book", kwargs={"pk": room.pk}),
        form_for(a_later_day(10), 60, enterprise=centre.acme.pk),
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert "Maximum duration" in errors["end_time"][0]
    assert not Booking.objects.exists()


def test_series_shows_the_conflict_report_then_books_the_free_dates(centre, member):
    room = centre.open_room(window_days=60)
    start = a_later_day(10)
    blocker = start + dt.timedelta(weeks=1)
    Booking.objects.create(
        subdistrict=centre.subdistrict,
        resource=room,
        booker=centre.beta_member,
        enterprise=centre.beta,
        start=blocker,
        end=blocker + dt.timedelta(hours=1),
        blocked_start=blocker,
        blocked_end=blocker + dt.timedelta(hours=1),
        state=State.CONFIRMED,
    )
    data = form_for(start, enterprise=centre.acme.pk, repeat="weekly", repeat_count=3)
    url = reverse("bookings:book", kwargs={"pk": room.pk})
    preview = member.post(url, data)
    html = preview.content.decode()
    assert 'id="series-report"' in html and "Already booked" in html
    assert re.search(r"2 of 3 dates are free", html)
    assert Booking.objects.count() == 1
    done = member.post(url, {**data, "confirm": "1"})
    assert done["Location"] == reverse("bookings:mine")
    assert Booking.objects.filter(enterprise=centre.acme, state=State.CONFIRMED).count() == 2


def test_cancel_from_the_booking_page(centre, member):
    room = centre.open_room()
    member.post(
        reverse("bookings:book", kwargs={"pk": room.pk}),
        form_for(a_later_day(10), enterprise=centre.acme.pk),
    )
    booking = Booking.objects.get()
    member.post(reverse("bookings:cancel", kwargs={"pk": booking.pk}))
    booking.refresh_from_db()
    assert booking.state == State.CANCELLED
    mine = member.get(reverse("bookings:mine")).content.decode()
    assert "Cancelled" in mine


def test_approval_queue(centre, member, client_for):
    room = centre.open_room(approval_required=True)
    member.post(
        reverse("bookings:book", kwargs={"pk": room.pk}),
        form_for(a_later_day(10), enterprise=centre.acme.pk),
    )
    booking = Booking.objects.get()
    assert booking.state == State.PENDING_APPROVAL
    staff = client_for(centre.staff)
    queue = staff.get(reverse("bookings:approvals")).content.decode()
    assert f'id="pending-{booking.pk}"' in queue and "Acme Ltd" in queue
    staff.post(reverse("bookings:approve", kwargs={"pk": booking.pk}))
    booking.refresh_from_db()
    assert booking.state == State.CONFIRMED


def test_resource_admin_creates_a_resource_and_prints_its_door_code(centre, client_for):
    admin = client_for(centre.admin)
    response = admin.post(
        reverse("bookings:resource_create"),
        {
            "code": "LEGAL-1",
            "name": "Legal advisor",
            "kind": "advisor",
            "advisor_field": "legal",
            "place": centre.subcentre.pk,
            "capacity": 1,
            "is_active": "on",
            "opening_hours": '{"1": [["14:00", "17:00"]]}',
            "slot_minutes": 30,
            "min_notice_minutes": 1440,
            "window_days": 14,
            "max_duration_minutes": 30,
            "default_duration_minutes": 30,
            "buffer_before_minutes": 0,
            "buffer_after_minutes": 10,
            "quota_per_week": 1,
            "cancel_cutoff_minutes": 1440,
            "checkin_opens_minutes": 10,
            "release_after_minutes": 10,
        },
    )
    resource = Resource.objects.get(code="LEGAL-1")
    assert response["Location"] == reverse("bookings:resource", kwargs={"pk": resource.pk})
    assert resource.opening_hours == {"1": [["14:00", "17:00"]]}
    door = admin.get(reverse("bookings:door", kwargs={"pk": resource.pk})).content.decode()
    assert "<svg" in door and resource.door_token in door
    bad = admin.post(
        reverse("bookings:resource_create"),
        {
            "code": "X",
            "name": "X",
            "kind": "advisor",
            "place": centre.centre.pk,
            "opening_hours": '{"9": []}',
        },
    )
    errors = bad.context["form"].errors
    assert "opening_hours" in errors and "advisor_field" in errors


def test_list_pages_keep_to_a_query_budget(centre, member, django_assert_max_num_queries):
    start = a_later_day(10)
    for n in range(12):
        room = centre.open_room(
            name=f"Room {n}", place=centre.subcentre if n % 2 else centre.centre
        )
        Booking.objects.create(
            subdistrict=centre.subdistrict,
            resource=room,
            booker=centre.member,
            enterprise=centre.acme,
            start=start,
            end=start + dt.timedelta(hours=1),
            blocked_start=start,
            blocked_end=start + dt.timedelta(hours=1),
            state=State.CONFIRMED,
        )
    member.get(reverse("bookings:grid"))  # the work calendar's year is loaded once
    with django_assert_max_num_queries(16):
        page = member.get(reverse("bookings:grid") + f"?date={start.date().isoformat()}")
    assert page.content.decode().count('class="slot mine"') == 12 * 2
    with django_assert_max_num_queries(10):
        assert member.get(reverse("bookings:mine")).status_code == 200
