"""The bookings API: list, a day's slots, book (refusals in the project error shape),
mine, cancel and check in."""

from __future__ import annotations

import datetime as dt
import json

from django.urls import reverse

from linli.core import clock
from linli.frontoffice.bookings.models import Booking, State


def post(client, url, body=None):
    return client.post(url, json.dumps(body or {}), content_type="application/json")


def test_book_through_the_api(centre, client_for):
    room = centre.open_room(name="API room", max_duration_minutes=60)
    client = client_for(centre.member)
    listed = client.get(reverse("api:list_booking_resources")).json()
    assert [r["name"] for r in listed] == ["API room"]
    start = clock.now().replace(microsecond=0) + dt.timedelta(minutes=3)
    created = post(
        client,
        reverse("api:create_booking"),
        {
            "resource_id": room.pk,
            "start": start.isoformat(),
            "end": (start + dt.timedelta(minutes=30)).isoformat(),
        },
    )
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["state"] == "confirmed" and body["enterprise_id"] == centre.acme.pk

    clash = post(
        client,
        reverse("api:create_booking"),
        {
            "resource_id": room.pk,
            "start": start.isoformat(),
            "end": (start + dt.timedelta(minutes=90)).isoformat(),
        },
    )
    assert clash.status_code == 400
    error = clash.json()
    assert error["code"] == "invalid"
    assert "Maximum duration" in error["fields"]["end"][0]
    assert "Already booked" in error["fields"]["start"][0]

    day = client.get(
        reverse("api:get_booking_day", kwargs={"pk": room.pk}) + f"?date={start.date()}"
    ).json()
    assert "mine" in {slot["status"] for slot in day["slots"]}

    mine = client.get(reverse("api:list_my_bookings")).json()
    assert [b["id"] for b in mine] == [body["id"]]
    checked = post(client, reverse("api:check_in_booking", kwargs={"pk": body["id"]}))
    assert checked.status_code == 200 and checked.json()["state"] == "checked_in"
    too_late = post(client, reverse("api:cancel_booking", kwargs={"pk": body["id"]}))
    assert too_late.status_code == 400
    assert Booking.objects.get().state == State.CHECKED_IN


def test_someone_elses_booking_is_not_found(centre, client_for):
    room = centre.open_room()
    start = clock.now() + dt.timedelta(hours=3)
    booking = Booking.objects.create(
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
    other = client_for(centre.beta_member)
    response = post(other, reverse("api:cancel_booking", kwargs={"pk": booking.pk}))
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


def test_a_day_far_away_is_refused_by_the_api_and_ignored_by_the_page(centre, client_for):
    room = centre.open_room()
    client = client_for(centre.member)
    far = client.get(reverse("api:get_booking_day", kwargs={"pk": room.pk}) + "?date=9999-12-31")
    assert far.status_code == 400
    assert "date" in far.json()["fields"]
    page = client.get(reverse("bookings:grid") + "?date=9999-12-31")
    assert page.status_code == 200
    assert page.context["grid"].day == clock.today()
