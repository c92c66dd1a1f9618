"""A butler's visit in headless Chromium: the butler logs it on a phone, a demand raised there
becomes an enterprise-appeal case in the same step, and the enterprise finds that case on the
timeline of its own profile.

Set LINLI_SCREENSHOTS=docs/img to keep screenshots of the main steps.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.urls import reverse
from django_scopes import scopes_disabled
from playwright.sync_api import Page

from linli.cases.models import Case, Category, CategoryField, Channel
from linli.core.models import Organisation
from linli.core.pii import encrypt, lookup_hash
from linli.enterprise.retention.models import Visit
from tests.browser.session import PHONE, keep_screenshot, script_errors, sign_in
from tests.factories import (
    BuildingFactory,
    EnterpriseFactory,
    MembershipFactory,
    OrganisationFactory,
    SubdistrictFactory,
    UserFactory,
)

pytestmark = [pytest.mark.browser]

DESKTOP = {"width": 1280, "height": 900}


@pytest.fixture
def street(transactional_db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    with scopes_disabled():
        sd = SubdistrictFactory(code="310106019", name="Jing'an Demo Street")
        OrganisationFactory(subdistrict=sd, kind=Organisation.Kind.DISPATCH_CENTRE, name="Centre")
        office = OrganisationFactory(subdistrict=sd, name="Enterprise Service Centre")
        tower = BuildingFactory(subdistrict=sd, name="Jade Tower")
        butler = UserFactory(username="wang.butler", display_name="Wang Butler")
        MembershipFactory(user=butler, subdistrict=sd, role="butler", organisation=office)
        jade = EnterpriseFactory(
            subdistrict=sd,
            name="Jade Software Ltd",
            building=tower,
            butler=butler,
            tags=["key"],
            contact_name="Ms Chen",
            contact_phone_cipher=encrypt("13812345678"),
            contact_phone_hash=lookup_hash("13812345678"),
        )
        member = UserFactory(username="chen.jade", display_name="Chen")
        MembershipFactory(user=member, subdistrict=sd, role="enterprise_member", enterprise=jade)
        licence = Category.objects.create(
            subdistrict=sd,
            code="APP-LIC",
            name="Licence guidance",
            kind=Category.Kind.ENTERPRISE_APPEAL,
        )
        CategoryField.objects.create(
            subdistrict=sd, category=licence, key="licence", label="Licence", required=True
        )
        Category.objects.create(
            subdistrict=sd, code="APP-FIN", name="Financing", kind=Category.Kind.ENTERPRISE_APPEAL
        )
    return {"enterprise": jade, "licence": licence}


@pytest.fixture
def unscoped() -> Iterator[None]:
    with scopes_disabled():
        yield


class Tab:
    def __init__(self, browser, base_url: str, username: str, viewport: dict[str, int]) -> None:
        self.page: Page = sign_in(browser, base_url, username, viewport=viewport, language="en")
        self.errors = script_errors(self.page)

    def open_menu(self, name: str) -> None:
        nav = self.page.get_by_role("navigation", name="Main menu")
        summary = nav.locator("summary")
        if summary.is_visible():
            summary.click()
        with self.page.expect_navigation():
            nav.get_by_role("link", name=name).click()


def test_a_visit_demand_becomes_a_case_the_enterprise_sees(street, unscoped, browser, live_server):
    jade = street["enterprise"]

    # 1. The butler logs the visit on a phone.
    butler = Tab(browser, live_server.url, "wang.butler", PHONE)
    page = butler.page
    butler.open_menu("Enterprise service")
    with page.expect_navigation():
        page.get_by_role("link", name="Jade Software Ltd").click()
    assert "13812345678" not in page.content() and "138****5678" in page.content()
    with page.expect_navigation():
        page.get_by_role("link", name="Log a visit").click()
    page.fill("#id_people_met", "Ms Chen (CEO)")
    page.fill("#id_topics", "New canteen, hiring")
    page.fill("#id_notes", "Growing; wants to stay in the tower.")

    # 2. The visit raises a demand: its category's own question appears once it is chosen.
    extra = page.locator(f"#id_demands-0-c{street['licence'].pk}-extra_licence")
    assert not extra.is_visible()
    page.select_option("#id_demands-0-category", str(street["licence"].pk))
    assert extra.is_visible()
    extra.fill("Food-service licence")
    page.fill("#id_demands-0-description", "Needs a food-service licence for the new canteen.")
    fits = page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    assert fits, "the visit log is wider than the phone"
    keep_screenshot(page, "retention-visit.png", full_page=True)
    with page.expect_navigation():
        page.get_by_role("button", name="Save the visit").click()

    case = Case.objects.get()
    assert case.enterprise == jade and case.channel == Channel.BUTLER_VISIT
    assert case.category.kind == Category.Kind.ENTERPRISE_APPEAL
    assert case.extra == {"licence": "Food-service licence"}
    assert Visit.objects.get().demands.get().case == case
    message = page.locator("ul.messages").inner_text()
    assert case.number in message
    assert not butler.errors, butler.errors

    # 3. The enterprise sees the case on its own profile's timeline.
    member = Tab(browser, live_server.url, "chen.jade", DESKTOP)
    member.open_menu("Enterprise service")
    assert member.page.url.endswith(reverse("retention:profile", kwargs={"pk": jade.pk}))
    timeline = member.page.locator("ol.enterprise-timeline").inner_text()
    assert f"Appeal {case.number}" in timeline
    assert "Butler visit by Wang Butler" in timeline
    assert "Relocation risk" not in member.page.content()
    keep_screenshot(member.page, "retention-profile.png", full_page=True)
    assert not member.errors, member.errors
