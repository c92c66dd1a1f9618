"""A grid worker inspects a suspected group rental on a phone (390×844), in headless Chromium:
opens the lead from the list, records the rooms — two bedrooms of 8 m² with two people each
and a balcony someone sleeps on — and sees each breach with its room and rule."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django_scopes import scope, scopes_disabled

from linli.core.access import Access
from linli.core.roles import Role
from linli.governance.rentals import services
from linli.governance.rentals.models import GroupRental
from tests.browser.session import PHONE, script_errors, sign_in
from tests.factories import MembershipFactory, SubdistrictFactory, UserFactory
from tests.people.helpers import build_neighbourhood

pytestmark = [pytest.mark.browser]


@pytest.fixture
def lead(transactional_db):
    with scopes_disabled():
        sub = SubdistrictFactory(code="310106013", name="Demo Street")
        hood = build_neighbourhood(sub)
        user = UserFactory(username="grid-rentals")
        MembershipFactory(user=user, subdistrict=sub, role=Role.GRID_WORKER, grid=hood.grids[0])
    with scope(subdistrict=sub):
        return services.record_lead(
            hood.dwellings[0],
            actor=Access.system(sub),
            source=GroupRental.Source.PATROL,
            description="晚上很多人进出",
            reported_on=dt.date(2026, 9, 1),
        )


def test_a_grid_worker_inspects_on_a_phone(browser, live_server, lead):
    page = sign_in(browser, live_server.url, "grid-rentals", viewport=PHONE, language="en")
    page.goto(live_server.url + reverse("rentals:list"))
    page.locator(f"tr[data-key='{lead.pk}'] a").click()
    page.get_by_role("link", name="Inspect").click()
    rooms = (("bedroom", "8", "2"), ("bedroom", "8", "2"), ("balcony", "4", "1"))
    for n, (kind, area, sleepers) in enumerate(rooms):
        page.select_option(f"#id_rooms-{n}-kind", kind)
        page.fill(f"#id_rooms-{n}-area_m2", area)
        page.fill(f"#id_rooms-{n}-sleepers", sleepers)
    # The form fits the phone: no sideways scrolling.
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    with page.expect_navigation():
        page.get_by_role("button", name="Check and save").click()
    breaches = page.locator("ul.breaches li")
    assert breaches.count() == 2
    text = " ".join(breaches.all_inner_texts())
    assert "A room not designed for living is let" in text and "room 3 (Balcony)" in text
    assert "Too little living area per person" in text and "the whole dwelling" in text
    assert "16 m² of original living area for 5 people: 3.2 m² each" in text
    assert page.locator("[data-stage]").get_attribute("data-stage") == "inspected"
    assert script_errors(page) == []
