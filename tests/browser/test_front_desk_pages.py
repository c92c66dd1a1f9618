"""The pages issue 14 changed for the front desk and its visitors, in headless Chromium and in
Chinese, checked with axe-core (no serious or critical finding): the events list with a signup
not open yet and an event's agenda, the counter console's window picker, the devices page as
window staff see it, and the kiosk with a service no window serves."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django_scopes import scopes_disabled
from playwright.sync_api import expect

from linli.core import clock
from linli.frontoffice.events.models import Event
from linli.frontoffice.queue.models import Service
from tests.browser.session import new_page, serious_violations, sign_in
from tests.factories import SubdistrictFactory
from tests.queue.conftest import build_hall

pytestmark = [pytest.mark.browser]

DESKTOP = {"width": 1100, "height": 800}


@pytest.fixture
def hallway(transactional_db):
    with scopes_disabled():
        street = SubdistrictFactory(code="310106019", name="静安示范街道")
        hallway = build_hall(street)
        Service.objects.create(subdistrict=street, hall=hallway.hall, prefix="D", name="公证咨询")
        now = clock.now()
        start = now + dt.timedelta(days=20)
        Event.objects.create(
            subdistrict=street,
            kind="lecture",
            title="数据合规讲座",
            description="新规要点。\n\n欢迎带着问题来。",
            agenda=[{"time": "14:00", "title": "签到入场"}, {"time": "14:15", "title": "政策解读"}],
            place=hallway.centre,
            starts_at=start,
            ends_at=start + dt.timedelta(hours=2),
            capacity=40,
            registration_opens_at=now + dt.timedelta(days=5),
            registration_closes_at=start - dt.timedelta(hours=2),
        )
        return hallway


def test_front_desk_pages_read_well_and_pass_axe(hallway, browser, live_server):
    base = live_server.url
    clerk = sign_in(browser, base, hallway.colleague.username, viewport=DESKTOP, bypass_csp=True)

    clerk.goto(base + reverse("events:list"))
    expect(clerk.locator(".signup-not_open")).to_have_count(1)
    assert serious_violations(clerk) == []
    with clerk.expect_navigation():
        clerk.get_by_role("link", name="数据合规讲座").click()
    expect(clerk.locator("ol.agenda li")).to_have_count(2)
    assert serious_violations(clerk) == []

    clerk.goto(base + reverse("queue:console"))
    expect(clerk.locator("[data-services]").first).to_contain_text("A")
    assert serious_violations(clerk) == []
    with clerk.expect_navigation():
        clerk.click("#devices-link")
    assert serious_violations(clerk) == []
    kiosk_url = clerk.locator("dd a").first.get_attribute("href")
    assert kiosk_url is not None

    kiosk = new_page(browser, base, viewport=DESKTOP, bypass_csp=True)
    kiosk.goto(kiosk_url)
    expect(kiosk.locator('button[data-service="D"]')).to_be_disabled()
    assert serious_violations(kiosk) == []
