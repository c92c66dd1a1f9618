"""An enterprise books a room from a date, in Chinese (issue 14), in headless Chromium: it picks
the day on the booking grid (htmx redraws the grid), clicks a free slot at 10:00, finds the
date and times filled in (an ISO date the browser accepts, the end from the room's usual
duration) and books. Window staff then book for an enterprise they find by typing its name.

The day is two days ahead, so the journey never depends on the hour it runs at. Set
LINLI_SCREENSHOTS=docs/img to keep the screenshots the user guide shows (PNG, reduced to a
palette to stay small).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
from django.urls import reverse
from django_scopes import scopes_disabled
from playwright.sync_api import expect

from linli.core import clock
from linli.core.models import Organisation
from linli.frontoffice.bookings.models import Booking, Resource, State
from tests.browser.session import keep_screenshot, script_errors, serious_violations, sign_in
from tests.factories import (
    EnterpriseFactory,
    MembershipFactory,
    OrganisationFactory,
    SubdistrictFactory,
    UserFactory,
)

pytestmark = [pytest.mark.browser]

DESKTOP = {"width": 1100, "height": 760}
ALWAYS_OPEN = {str(day): [["08:00", "20:00"]] for day in range(7)}


@pytest.fixture
def centre(transactional_db) -> Iterator[dict]:
    with scopes_disabled():
        street = SubdistrictFactory(code="310106019", name="静安示范街道")
        place = OrganisationFactory(
            subdistrict=street,
            kind=Organisation.Kind.SERVICE_CENTRE,
            code="QYFW",
            name="企业服务中心",
        )
        room = Resource.objects.create(
            subdistrict=street,
            kind="meeting_room",
            code="HY-2",
            name="小会议室",
            place=place,
            location="3F 305",
            capacity=12,
            equipment=["投影仪", "白板", "视频会议"],
            opening_hours=ALWAYS_OPEN,
            open_on_non_working_days=True,
            default_duration_minutes=60,
        )
        Resource.objects.create(
            subdistrict=street,
            kind="desk",
            code="GW-01",
            name="共享工位01",
            place=place,
            equipment=["显示器"],
            opening_hours=ALWAYS_OPEN,
            open_on_non_working_days=True,
        )
        acme = EnterpriseFactory(subdistrict=street, name="上海青禾信息科技有限公司")
        EnterpriseFactory(subdistrict=street, name="上海蓝湾贸易有限公司")
        member = UserFactory(username="qinghe")
        MembershipFactory(
            user=member, subdistrict=street, role="enterprise_member", enterprise=acme
        )
        clerk = UserFactory(username="window-clerk")
        MembershipFactory(user=clerk, subdistrict=street, role="window_staff")
        yield {"room": room, "acme": acme, "member": member, "clerk": clerk}


def test_an_enterprise_books_a_room_from_a_date_in_chinese(centre, browser, live_server):
    day = clock.today() + dt.timedelta(days=2)
    room = centre["room"]
    page = sign_in(
        browser, live_server.url, centre["member"].username, viewport=DESKTOP, bypass_csp=True
    )
    page.goto(live_server.url + reverse("bookings:grid"))
    assert page.locator("html").get_attribute("lang") == "zh-hans"

    # Only rooms for ten people or more, on the day chosen: htmx redraws the grid.
    page.select_option("#grid-kind", "meeting_room")
    page.fill("#grid-capacity", "10")
    page.locator("#grid-capacity").dispatch_event("change")
    expect(page.locator('a[data-resource="GW-01"]')).to_have_count(0)
    page.fill("#grid-date", day.isoformat())
    expect(page.locator("#grid-day")).to_contain_text(day.isoformat())
    assert f"date={day.isoformat()}" in page.url
    row = page.locator("tr", has=page.locator(f'a[data-resource="{room.code}"]'))
    expect(row).to_contain_text("投影仪")
    keep_screenshot(page, "booking-grid-zh.png")
    assert serious_violations(page) == []

    with page.expect_navigation():
        row.locator('a[href*="time=10:00"]').click()
    # The date the browser shows is the ISO value it accepts; the end comes from the room's
    # usual hour.
    assert page.input_value("#id_date") == day.isoformat()
    assert page.evaluate("document.querySelector('#id_date').valueAsNumber") > 0
    assert page.input_value("#id_start_time") == "10:00"
    assert page.input_value("#id_end_time") == "11:00"
    expect(page.locator("#resource-equipment")).to_contain_text("视频会议")
    page.fill("#id_purpose", "客户洽谈")
    keep_screenshot(page, "booking-form-zh.png")
    assert serious_violations(page) == []
    with page.expect_navigation():
        page.click("#book-submit")
    assert page.get_attribute("#booking-state", "data-state") == State.CONFIRMED
    keep_screenshot(page, "booking-confirmed-zh.png")
    with scopes_disabled():
        booking = Booking.objects.get()
    assert booking.enterprise == centre["acme"]
    assert clock.local(booking.start).replace(tzinfo=None) == dt.datetime.combine(day, dt.time(10))
    assert booking.end - booking.start == dt.timedelta(hours=1)
    assert script_errors(page) == []


def test_window_staff_find_the_enterprise_by_typing_its_name(centre, browser, live_server):
    day = clock.today() + dt.timedelta(days=2)
    room = centre["room"]
    page = sign_in(
        browser, live_server.url, centre["clerk"].username, viewport=DESKTOP, bypass_csp=True
    )
    page.goto(
        live_server.url
        + reverse("bookings:book", kwargs={"pk": room.pk})
        + f"?date={day.isoformat()}&time=14:00"
    )
    assert page.input_value("#id_end_time") == "15:00"
    # Moving the start moves the end with it: the room's usual hour.
    page.fill("#id_start_time", "15:30")
    expect(page.locator("#id_end_time")).to_have_value("16:30")
    page.fill("#id_enterprise", "青禾")
    match = page.locator('input[name="enterprise"][data-enterprise]')
    expect(match).to_have_count(1)
    match.check()
    assert serious_violations(page) == []
    with page.expect_navigation():
        page.click("#book-submit")
    assert page.get_attribute("#booking-state", "data-state") == State.CONFIRMED
    with scopes_disabled():
        booking = Booking.objects.get()
    assert booking.enterprise == centre["acme"]
    assert clock.local(booking.start).strftime("%H:%M") == "15:30"
    assert clock.local(booking.end).strftime("%H:%M") == "16:30"
    assert script_errors(page) == []
