"""Workbenches and phone layouts in headless Chromium: the header of a 390×844 phone stays a
compact bar, a table of enterprises turns into labelled cards that leave a company's name the
phone's width, the workbench's lists become cards, and the Park Assistant uses a desk's width
with its notices newest first.

Set LINLI_SCREENSHOTS=docs/img to refresh the workbench screenshots of the user guide.
"""

from __future__ import annotations

import datetime as dt
import os
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
NOTICES = [("周五停水通知", 20), ("本月消防演练", 2), ("电梯维保安排", 9)]


@dataclass
class Office:
    subdistrict: Subdistrict
    users: dict[str, User]


def build_office() -> Office:
    sd = SubdistrictFactory(code="310106031", name="静安寺街道")
    users: dict[str, User] = {}
    with scopes_disabled(), scope(subdistrict=sd):
        centre = OrganisationFactory(
            subdistrict=sd, kind=Organisation.Kind.DISPATCH_CENTRE, code="DC", name="街道城运中心"
        )
        dept = OrganisationFactory(subdistrict=sd, code="URB", name="城管执法中队")
        tower = BuildingFactory(subdistrict=sd, name="锦绣大厦")
        alpha = EnterpriseFactory(subdistrict=sd, building=tower, name=LONG_NAME)
        for n in range(3):
            EnterpriseFactory(
                subdistrict=sd, building=tower, name=f"{LONG_NAME[:4]}贸易{n}号有限公司"
            )
        for username, name, role, links in (
            ("dispatcher", "赵敏", "handler", {"organisation": centre}),
            ("handler", "钱伟", "handler", {"organisation": dept}),
            ("leader", "孙丽", "leader", {}),
            ("resident", "李明", "resident", {}),
            ("manager", "周强", "building_manager", {"building": tower}),
            ("member", "吴芳", "enterprise_member", {"enterprise": alpha}),
        ):
            users[username] = UserFactory(username=f"wb.{username}", display_name=name)
            MembershipFactory(user=users[username], subdistrict=sd, role=role, **links)
        category = Category.objects.create(
            subdistrict=sd, code="INC", name="楼道堆物", kind=Category.Kind.INCIDENT
        )
        as_ = {name: Access.for_user(user, sd) for name, user in users.items()}
        texts = [
            "3楼楼道里堆满自行车和纸箱，影响通行",
            "5号楼后面垃圾桶满溢",
            "弄堂拐角路灯不亮",
            "非机动车棚顶棚漏水",
        ]
        cases = [
            submit_case(actor=as_["resident"], category=category, channel="web", description=t)
            for t in texts
        ]
        for case in cases[:3]:
            register_case(case, actor=as_["dispatcher"])
            dispatch_case(case, dept, actor=as_["dispatcher"])
        return_case(cases[0], actor=as_["handler"], reason="属房管办职责")
        manager = as_["manager"]
        for title, days_ago in NOTICES:
            notice = publish_notice(tower, actor=manager, title=title, body=f"{title}.")
            Notice.objects.filter(pk=notice.pk).update(
                published_at=clock.now() - dt.timedelta(days=days_ago)
            )
    return Office(sd, users)


def _screenshot(tab, name: str) -> None:
    """The page as the guide shows it: in Chinese, the site's main language (the assertions
    read it in English); the page is back in English afterwards."""
    if not os.environ.get("LINLI_SCREENSHOTS"):
        return
    for language in ("zh-hans", "en"):
        tab.context.add_cookies(
            [{"name": "django_language", "value": language, "url": tab.base_url}]
        )
        tab.page.reload()
        if language != "en":
            keep_screenshot(tab.page, name)


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
    _screenshot(tab, "workbench-handler-phone.png")

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
    assert "堆满自行车和纸箱" in returned.inner_text()
    assert "顶棚漏水" in new.inner_text()
    with page.expect_navigation():
        new.get_by_role("link").first.click()
    assert "顶棚漏水" in page.locator("main").inner_text()
    tab.goto(reverse("home"))
    _screenshot(tab, "workbench-dispatcher.png")
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
    _screenshot(tab, "workbench-leader.png")
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
