"""The secret-URL calendar feeds parse with icalendar, hold every confirmed booking at the
right Shanghai time, mark withdrawn ones CANCELLED, leave pending requests out, and stop
working when the token is rotated."""

from __future__ import annotations

import datetime as dt

import icalendar
from django.test import Client
from django.urls import reverse

from linli.frontoffice.bookings import services as s
from linli.frontoffice.bookings.models import Booking, State
from tests.bookings.conftest import SHANGHAI, local


def make(centre, room, start: str, state: str, *, booker=None) -> Booking:
    begin = local(start)
    return Booking.objects.create(
        subdistrict=centre.subdistrict,
        resource=room,
        booker=booker or centre.member,
        enterprise=centre.acme,
        start=begin,
        end=begin + dt.timedelta(hours=1),
        blocked_start=begin,
        blocked_end=begin + dt.timedelta(hours=1),
        state=state,
    )


def events(response) -> dict[str, icalendar.Event]:
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    calendar = icalendar.Calendar.from_ical(response.content)
    return {str(e["uid"]): e for e in calendar.walk("VEVENT")}


def test_user_feed(centre, settings):
    settings.ALLOWED_HOSTS = ["testserver"]
    room = centre.room(name="Negotiation room A")
    future = (dt.datetime.now(SHANGHAI) + dt.timedelta(days=3)).strftime("%Y-%m-%d")
    confirmed = make(centre, room, f"{future} 10:00", State.CONFIRMED)
    checked_in = make(centre, room, f"{future} 12:00", State.CHECKED_IN)
    cancelled = make(centre, room, f"{future} 14:00", State.CANCELLED)
    pending = make(centre, room, f"{future} 16:00", State.PENDING_APPROVAL)
    someone_else = make(centre, room, f"{future} 08:00", State.CONFIRMED, booker=centre.staff)
    token = s.feed_token(centre.access(centre.member)).token

    found = events(Client().get(reverse("bookings:user_feed", kwargs={"token": token})))
    assert set(found) == {f"booking-{b.pk}@linli" for b in (confirmed, checked_in, cancelled)}
    event = found[f"booking-{confirmed.pk}@linli"]
    start = event.decoded("dtstart")
    assert start == confirmed.start and str(start.tzinfo) == "Asia/Shanghai"
    assert start.hour == 10 and event.decoded("dtend").hour == 11
    assert str(event["summary"]) == "Negotiation room A"
    assert str(event["status"]) == "CONFIRMED"
    assert str(found[f"booking-{cancelled.pk}@linli"]["status"]) == "CANCELLED"
    assert f"booking-{pending.pk}@linli" not in found
    assert f"booking-{someone_else.pk}@linli" not in found


def test_resource_feed_and_token_rotation(centre, settings):
    room = centre.room(name="Desk 7", kind="desk")
    future = (dt.datetime.now(SHANGHAI) + dt.timedelta(days=2)).strftime("%Y-%m-%d")
    mine = make(centre, room, f"{future} 09:00", State.CONFIRMED)
    theirs = make(centre, room, f"{future} 13:00", State.COMPLETED, booker=centre.beta_member)
    url = reverse("bookings:resource_feed", kwargs={"token": room.feed_token})
    found = events(Client().get(url))
    assert set(found) == {f"booking-{mine.pk}@linli", f"booking-{theirs.pk}@linli"}
    assert "Acme Ltd" in str(found[f"booking-{mine.pk}@linli"]["summary"])

    s.rotate_resource_tokens(room, actor=centre.access(centre.admin))
    assert Client().get(url).status_code == 404
    new_url = reverse("bookings:resource_feed", kwargs={"token": room.feed_token})
    assert Client().get(new_url).status_code == 200


def test_rotating_the_personal_token_breaks_the_old_url(centre):
    access = centre.access(centre.member)
    old = s.feed_token(access).token
    assert s.feed_token(access).token == old  # stable until rotated
    new = s.rotate_feed_token(actor=access).token
    assert new != old
    assert Client().get(reverse("bookings:user_feed", kwargs={"token": old})).status_code == 404
    assert Client().get(reverse("bookings:user_feed", kwargs={"token": new})).status_code == 200
