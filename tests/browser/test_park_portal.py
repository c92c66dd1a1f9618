"""The Park Assistant on a phone (390 px): the building manager publishes a notice, an
enterprise reads it and asks for help, and the manager sees the receipt and forwards the
request as a case in one step, answering the category's own question that htmx brings in."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.urls import reverse
from django_scopes import scopes_disabled
from playwright.sync_api import Page

from linli.cases.models import Case, Category, CategoryField, Channel
from linli.enterprise.park.models import BuildingRequest, NoticeReceipt
from tests.browser.session import PHONE, script_errors, sign_in
from tests.factories import (
    BuildingFactory,
    EnterpriseFactory,
    MembershipFactory,
    SubdistrictFactory,
    UserFactory,
)

pytestmark = [pytest.mark.browser]


@pytest.fixture
def tower(transactional_db) -> Iterator[dict]:
    with scopes_disabled():
        sd = SubdistrictFactory(code="310106021", name="Park Demo Street")
        jade = BuildingFactory(subdistrict=sd, name="Jade Tower")
        alpha = EnterpriseFactory(subdistrict=sd, building=jade, name="Alpha Software Ltd")
        EnterpriseFactory(subdistrict=sd, building=jade, name="Beta Trading Ltd")
        manager = UserFactory(username="li.manager", display_name="Li Manager")
        MembershipFactory(user=manager, subdistrict=sd, role="building_manager", building=jade)
        member = UserFactory(username="chen.alpha", display_name="Chen")
        MembershipFactory(user=member, subdistrict=sd, role="enterprise_member", enterprise=alpha)
        lift = Category.objects.create(
            subdistrict=sd, code="BLD-LIFT", name="Lift out of order", kind=Category.Kind.INCIDENT
        )
        CategoryField.objects.create(
            subdistrict=sd, category=lift, key="lift", label="Which lift", required=True
        )
        yield {"building": jade}


class Phone:
    def __init__(self, browser, base_url: str, username: str) -> None:
        self.page: Page = sign_in(browser, base_url, username, viewport=PHONE, language="en")
        self.errors = script_errors(self.page)
        nav = self.page.get_by_role("navigation", name="Main menu")
        nav.locator("summary").click()
        with self.page.expect_navigation():
            nav.get_by_role("link", name="Park Assistant").click()

    def click(self, role: str, name: str) -> None:
        with self.page.expect_navigation():
            self.page.get_by_role(role, name=name).first.click()

    def fits(self) -> bool:
        return bool(self.page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"))


def test_notice_receipt_and_request_forwarded_on_a_phone(tower, browser, live_server):
    with scopes_disabled():
        manager = Phone(browser, live_server.url, "li.manager")
        page = manager.page
        assert page.url.endswith(reverse("park:building", kwargs={"pk": tower["building"].pk}))
        manager.click("link", "New notice")
        page.fill("#id_title", "Water off on Friday")
        page.fill("#id_body", "From 9 to 12.")
        assert manager.fits(), "the notice form is wider than the phone"
        manager.click("button", "Publish")
        assert "Read by 0 of 2 enterprises" in page.content()

        member = Phone(browser, live_server.url, "chen.alpha")
        assert "Water off on Friday" in member.page.content()
        assert manager.fits() and member.fits()
        member.click("link", "Water off on Friday")
        assert NoticeReceipt.objects.count() == 1
        member.page.go_back()
        member.click("link", "Ask the building manager")
        member.page.fill("#id_title", "Lift 3 stuck")
        member.page.fill("#id_description", "Since 8:00 this morning.")
        member.click("button", "Send")
        assert "Waiting for the building manager" in member.page.content()

        page.reload()
        assert "Read by 1 of 2 enterprises" in page.content()
        assert "Chen" in page.content()
        manager.click("link", "Requests")
        manager.click("link", "Forward or answer")
        question = page.locator("#id_extra_lift")
        assert not question.count()
        page.select_option("#id_category", "BLD-LIFT")
        question.wait_for()
        question.fill("Lift 3")
        page.fill("#id_note", "Thirty floors, urgent.")
        assert manager.fits(), "the forwarding form is wider than the phone"
        manager.click("button", "Forward as a case")

        case = Case.objects.get()
        assert case.channel == Channel.BUILDING_MANAGER and case.extra == {"lift": "Lift 3"}
        assert BuildingRequest.objects.get().case == case
        assert case.number in page.content()
        assert not manager.errors and not member.errors, manager.errors + member.errors
