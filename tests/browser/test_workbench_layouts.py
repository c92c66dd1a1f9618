"""Workbenches and phone layouts in headless Chromium: the header of a 390×844 phone stays a
compact bar, a table of enterprises turns into labelled cards that leave a company's name the
phone's width, the workbench's lists become cards, and the Park Assistant uses a desk's width
with its notices newest first.

Set LINLI_SCREENSHOTS=docs/img to refresh the workbench screenshots of the user guide.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest
from django.urls import reverse
from django_scopes import scope, scopes_disabled

from linli.cases.models import Category
from linli.cases.services import dispatch_case, register_case, return_case, submit_case
from linli.cases.tasks import sweep
from linli.core import clock
from linli.core.access import Access
from linli.core.models import Organisation, Subdistrict, User
from linli.enterprise.park.models import Notice
from linli.enterprise.park.services import publish_notice
from tests.browser.session import DESKTOP, PHONE, keep_screenshot
from tests.factories import (
    BuildingFactory,
    EnterpriseFactory,
    MembershipFactory,
    OrganisationFactory,
    SubdistrictFactory,
    UserFactory,
)

pytestmark = [pytest.mark.browser]

LONG_NAME = "上海锦绣前程信息科技有限公司"
NOTICES = [("Water off on Friday", 20), ("Fire drill this month", 2), ("Lift maintenance", 9)]


@dataclass
class Office:
    subdistrict: Subdistrict
    users: dict[str, User]


def build_office() -> Office:
    sd = SubdistrictFactory(code="310106031", name="Workbench Street")
    users: dict[str, User] = {}
    with scopes_disabled(), scope(subdistrict=sd):
        centre = OrganisationFactory(
            subdistrict=sd, kind=Organisation.Kind.DISPATCH_CENTRE, code="DC", name="City centre"
        )
        dept = OrganisationFactory(subdistrict=sd, code="URB", name="Urban management")
        tower = BuildingFactory(subdistrict=sd, name="Jade Tower")
        alpha = EnterpriseFactory(subdistrict=sd, building=tower, name=LONG_NAME)
        for n in range(3):
            EnterpriseFactory(
                subdistrict=sd, building=tower, name=f"{LONG_NAME[:4]}贸易{n}号有限公司"
            )
        for username, role, links in (
            ("dispatcher", "handler", {"organisation": centre}),
            ("handler", "handler", {"organisation": dept}),
            ("leader", "leader", {}),
            ("resident", "resident", {}),
            ("manager", "building_manager", {"building": tower}),
            ("member", "enterprise_member", {"enterprise": alpha}),
        ):
            users[username] = UserFactory(username=f"wb.{username}", display_name=username)
            MembershipFactory(user=users[username], subdistrict=sd, role=role, **links)
        category = Category.objects.create(
            subdistrict=sd, code="INC", name="Stairwell clutter", kind=Category.Kind.INCIDENT
        )
        as_ = {name: Access.for_user(user, sd) for name, user in users.items()}
        texts = [
            "Bicycles and boxes block the stairwell on the 3rd floor",
            "Overflowing bins behind building 5",
            "Street light out on the corner of the lane",
            "Water leaking from the ceiling of the bike shed",
        ]
        cases = [
            submit_case(actor=as_["resident"], category=category, channel="web", description=t)
            for t in texts
        ]
        for case in cases[:3]:
            register_case(case, actor=as_["dispatcher"])
            dispatch_case(case, dept, actor=as_["dispatcher"])
        return_case(cases[0], actor=as_["handler"], reason="Belongs to the housing office")
        manager = as_["manager"]
        for title, days_ago in NOTICES:
            notice = publish_notice(tower, actor=manager, title=title, body=f"{title}.")
            Notice.objects.filter(pk=notice.pk).update(
                published_at=clock.now() - dt.timedelta(days=days_ago)
            )
    return Office(sd, users)


def test_phone_header_table_cards_and_workbench_cards(transactional_db, open_page):
    office = build_office()
    tab = open_page(PHONE)
    page = tab.page
    tab.sign_in("wb.handler")

    # The header is one compact bar: brand, inbox and the menu's button.
    main_top = page.evaluate("document.querySelector('main').getBoundingClientRect().top")
    assert main_top <= 0.12 * PHONE["height"], main_top
    nav = page.get_by_role("navigation", name="Main menu")
    assert not page.locator("#language-switch").is_visible()
    nav.locator("summary").click()
    assert nav.get_by_role("link", name="Enterprises", exact=True).is_visible()
    assert page.locator("#language-switch").is_visible()  # behind the same button
    nav.locator("summary").click()

    # The handler's workbench: the cases dispatched to the department, as cards.
    panel = page.locator("#wb-cases-deadlines")
    assert panel.locator(".wb-item").count() == 2
    card = panel.locator(".wb-item").first
    assert card.evaluate("e => getComputedStyle(e).borderTopStyle") == "solid"
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    keep_screenshot(page, "workbench-handler-phone.png")

    # A table of enterprises (six columns) reads as cards: the name keeps the phone's width.
    tab.goto(reverse("registry:list", kwargs={"kind": "enterprise"}))
    table = page.locator("main table")
    assert table.get_attribute("data-cards") == "on"
    first = table.locator("tbody tr").first.locator("td").first
    assert first.get_attribute("data-label") == "Name"
    name = first.locator("a")
    width = name.evaluate("e => e.getBoundingClientRect().width")
    font = name.evaluate("e => parseFloat(getComputedStyle(e).fontSize)")
    assert width >= 8 * font, (width, font)
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    assert tab.errors == []
    assert office.users


def test_dispatcher_and_leader_workbenches_on_a_desk(transactional_db, open_page, monkeypatch):
    build_office()
    tab = open_page(DESKTOP)
    page = tab.page
    tab.sign_in("wb.dispatcher")
    triage = page.locator("#wb-cases-triage")
    returned, new = triage.locator(".wb-list").nth(0), triage.locator(".wb-list").nth(1)
    assert "Bicycles and boxes" in returned.inner_text()
    assert "Water leaking" in new.inner_text()
    with page.expect_navigation():
        new.get_by_role("link").first.click()
    assert "Water leaking" in page.locator("main").inner_text()
    tab.goto(reverse("home"))
    keep_screenshot(page, "workbench-dispatcher.png")
    with page.expect_navigation():
        page.locator("form.logout button").click()

    # Three days on, the dispatched cases are overdue and under supervision (督办).
    later = clock.now() + dt.timedelta(days=3)
    monkeypatch.setattr(clock, "now", lambda: later)
    sweep()
    tab.sign_in("wb.leader")
    panel = page.locator("#wb-cases-supervision")
    assert panel.locator(".wb-figures li").count() == 5
    assert panel.locator(".wb-list .wb-item").count() == 4
    assert panel.locator(".wb-list .wb-badge").first.inner_text() == "Supervised"
    keep_screenshot(page, "workbench-leader.png")
    assert tab.errors == []


def test_the_park_assistant_uses_a_desks_width_with_notices_newest_first(
    transactional_db, open_page
):
    build_office()
    tab = open_page(DESKTOP)
    page = tab.page
    tab.sign_in("wb.member")
    tab.goto(reverse("park:home"))
    assert page.locator(".park").evaluate("e => e.getBoundingClientRect().width") > 800
    main = page.locator(".park-main").bounding_box()
    side = page.locator(".park-side").bounding_box()
    assert main is not None and side is not None
    assert side["x"] > main["x"] + main["width"] - 1  # side by side
    titles = page.locator("#notices-h + .park-list strong").all_inner_texts()
    by_age = [title for title, _days in sorted(NOTICES, key=lambda n: n[1])]
    assert titles == by_age
    assert tab.errors == []
