"""In headless Chromium: an enterprise member books a room from the day grid, gets the QR code
and checks in with it, then a second booking is checked in with the code on the door."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django_scopes import scopes_disabled

from linli.core import clock
from linli.core.calendar import local_zone
from linli.frontoffice.bookings.models import Booking, Resource, State
from tests.browser.session import PHONE, script_errors, sign_in
from tests.factories import (
    EnterpriseFactory,
    MembershipFactory,
    OrganisationFactory,
    SubdistrictFactory,
    UserFactory,
)

pytestmark = [pytest.mark.browser]
ALWAYS_OPEN = {str(day): [["00:00", "23:59"]] for day in range(7)}


def scene():
    with scopes_disabled():
        sd = SubdistrictFactory(code="310106013", name="Demo Street")
        centre = OrganisationFactory(subdistrict=sd, kind="service_centre", name="Centre")
        room = Resource.objects.create(
            subdistrict=sd,
            kind="negotiation_room",
            code="QT-A",
            name="Negotiation room A",
            place=centre,
            opening_hours=ALWAYS_OPEN,
            open_on_non_working_days=True,
            min_notice_minutes=0,
        )
        enterprise = EnterpriseFactory(subdistrict=sd, name="Acme Ltd")
        member = UserFactory(username="acme-member")
        MembershipFactory(
            user=member, subdistrict=sd, role="enterprise_member", enterprise=enterprise
        )
    return room, member


def test_book_get_the_qr_code_and_check_in(transactional_db, browser, live_server):
    now = clock.now().astimezone(local_zone())
    if now.hour == 23 and now.minute > 20:
        pytest.skip("the booking would cross midnight, when every room closes")
    room, member = scene()
    page = sign_in(browser, live_server.url, member.username, viewport=PHONE, language="en")

    page.goto(live_server.url + reverse("bookings:grid"))
    with page.expect_navigation():
        page.locator(f'a[data-resource="{room.code}"]').click()
    with page.expect_navigation():
        page.click("#book-link")
    start = now + dt.timedelta(minutes=5)
    page.fill("#id_date", start.date().isoformat())
    page.fill("#id_start_time", start.strftime("%H:%M"))
    page.fill("#id_end_time", (start + dt.timedelta(minutes=30)).strftime("%H:%M"))
    page.fill("#id_purpose", "Contract talks")
    with page.expect_navigation():
        page.click("#book-submit")

    assert page.get_attribute("#booking-state", "data-state") == State.CONFIRMED
    assert page.locator("#booking-qr svg").count() == 1
    with page.expect_navigation():
        page.click("#checkin-link")
    with page.expect_navigation():
        page.click("#checkin-submit")
    assert page.get_attribute("#booking-state", "data-state") == State.CHECKED_IN
    with scopes_disabled():
        assert Booking.objects.get().state == State.CHECKED_IN

    # The code on the door: a second booking, checked in by scanning the room's code.
    with scopes_disabled():
        first = Booking.objects.get()
        Booking.objects.filter(pk=first.pk).update(state=State.COMPLETED)
        begin = clock.now() + dt.timedelta(minutes=2)
        second = Booking.objects.create(
            subdistrict=room.subdistrict,
            resource=room,
            booker=member,
            start=begin,
            end=begin + dt.timedelta(minutes=30),
            blocked_start=begin,
            blocked_end=begin + dt.timedelta(minutes=30),
            state=State.CONFIRMED,
        )
    page.goto(live_server.url + reverse("bookings:checkin_door", kwargs={"token": room.door_token}))
    with page.expect_navigation():
        page.click("#checkin-submit")
    assert page.url.endswith(reverse("bookings:detail", kwargs={"pk": second.pk}))
    assert page.get_attribute("#booking-state", "data-state") == State.CHECKED_IN
    assert not script_errors(page)
    page.context.close()
