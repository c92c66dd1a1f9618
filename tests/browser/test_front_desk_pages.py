"""The pages issue 14 changed for the front desk and its visitors, in headless Chromium and in
Chinese, checked with axe-core (no serious or critical finding): the events list with a signup
not open yet and an event's agenda, the counter console's window picker, the devices page as
window staff see it, and the kiosk with a service no window serves."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest
from django.urls import reverse
from django_scopes import scopes_disabled
from playwright.sync_api import Page, expect

from linli.core import clock
from linli.frontoffice.events.models import Event
from linli.frontoffice.queue.models import Service
from tests.browser.conftest import OFFSITE
from tests.factories import SubdistrictFactory
from tests.queue.conftest import build_hall

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

pytestmark = [pytest.mark.browser]

PASSWORD = "correct-horse-battery"  # what UserFactory sets
AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"


def _serious_violations(page: Page) -> list[str]:
    page.add_script_tag(content=AXE.read_text(encoding="utf-8"))
    found = page.evaluate("async () => (await axe.run(document)).violations")
    return [
        f"{v['id']}: {[n['target'] for n in v['nodes']]}"
        for v in found
        if v["impact"] in ("serious", "critical")
    ]


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


def _page(browser, base_url: str, username: str = "") -> Page:
    context = browser.new_context(
        viewport={"width": 1100, "height": 800}, locale="zh-CN", bypass_csp=True
    )
    context.add_cookies([{"name": "django_language", "value": "zh-hans", "url": base_url}])
    context.route(OFFSITE, lambda route: route.abort())
    page = context.new_page()
    page.set_default_timeout(15_000)
    if username:
        page.goto(base_url + reverse("login"))
        page.fill("#id_username", username)
        page.fill("#id_password", PASSWORD)
        with page.expect_navigation():
            page.locator("main form button[type=submit]").click()
    return page


def test_front_desk_pages_read_well_and_pass_axe(hallway, browser, live_server):
    base = live_server.url
    clerk = _page(browser, base, hallway.colleague.username)

    clerk.goto(base + reverse("events:list"))
    expect(clerk.locator(".signup-not_open")).to_have_count(1)
    assert _serious_violations(clerk) == []
    with clerk.expect_navigation():
        clerk.get_by_role("link", name="数据合规讲座").click()
    expect(clerk.locator("ol.agenda li")).to_have_count(2)
    assert _serious_violations(clerk) == []

    clerk.goto(base + reverse("queue:console"))
    expect(clerk.locator("[data-services]").first).to_contain_text("A")
    assert _serious_violations(clerk) == []
    with clerk.expect_navigation():
        clerk.click("#devices-link")
    assert _serious_violations(clerk) == []
    kiosk_url = clerk.locator("dd a").first.get_attribute("href")
    assert kiosk_url is not None

    kiosk = _page(browser, base)
    kiosk.goto(kiosk_url)
    expect(kiosk.locator('button[data-service="D"]')).to_be_disabled()
    assert _serious_violations(kiosk) == []
