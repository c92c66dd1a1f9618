"""A leader, in Chinese, in headless Chromium: opens the cockpit, clicks the overdue figure,
then a grid, arrives at that grid's overdue cases, and downloads the Excel, whose head names
those filters.

Set LINLI_SCREENSHOTS=docs/img to keep the screenshots the leader's guide shows.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterator

import pytest
from django.urls import reverse
from django.utils import translation
from django_scopes import scope, scopes_disabled
from openpyxl import load_workbook

from linli.cases import services
from linli.cases.models import Case, Category
from linli.core import clock
from linli.core.access import Access
from linli.core.models import Organisation
from tests.browser.session import AREA, keep_screenshot, script_errors, sign_in
from tests.factories import (
    GridFactory,
    MembershipFactory,
    OrganisationFactory,
    SubdistrictFactory,
    UserFactory,
)

pytestmark = [pytest.mark.browser]

DESKTOP = {"width": 1280, "height": 860}
WEST = [
    [121.450, 31.230],
    [121.459, 31.230],
    [121.459, 31.244],
    [121.450, 31.244],
    [121.450, 31.230],
]
EAST = [
    [121.459, 31.230],
    [121.468, 31.230],
    [121.468, 31.244],
    [121.459, 31.244],
    [121.459, 31.230],
]


@pytest.fixture
def street(transactional_db, monkeypatch) -> Iterator[dict]:
    with scopes_disabled():
        sd = SubdistrictFactory(
            code="310106019",
            name="静安寺街道",
            boundary={"type": "Polygon", "coordinates": [AREA]},
            center_lon=121.459,
            center_lat=31.237,
        )
        centre = OrganisationFactory(
            subdistrict=sd,
            code="CYZX",
            kind=Organisation.Kind.DISPATCH_CENTRE,
            name="网格化综合管理中心",
        )
        urban = OrganisationFactory(subdistrict=sd, code="CGZD", name="城管执法中队")
        GridFactory(
            subdistrict=sd,
            code="G01",
            name="梅园网格",
            polygon={"type": "Polygon", "coordinates": [WEST]},
        )
        GridFactory(
            subdistrict=sd,
            code="G02",
            name="康定网格",
            polygon={"type": "Polygon", "coordinates": [EAST]},
        )
        category = Category.objects.create(
            subdistrict=sd, code="INC", name="城市运行事件", kind=Category.Kind.INCIDENT
        )
        users = {}
        for name, role, links in (
            ("li.ming", "resident", {}),
            ("zhao.dispatch", "handler", {"organisation": centre}),
            ("chen.leader", "leader", {}),
        ):
            users[name] = UserFactory(username=name)
            MembershipFactory(user=users[name], subdistrict=sd, role=role, **links)
    # Three weeks ago: every case dispatched then is long past its 1-hour acceptance limit.
    past = clock.now() - dt.timedelta(days=21)
    monkeypatch.setattr(clock, "now", lambda: past)
    with scope(subdistrict=sd), translation.override("zh-hans"):
        resident = Access.for_user(users["li.ming"], sd)
        dispatcher = Access.for_user(users["zhao.dispatch"], sd)
        cases: dict[str, list[Case]] = {"G01": [], "G02": []}
        for grid, lon, n in (("G01", 121.452, 2), ("G02", 121.465, 3)):
            for i in range(n):
                case = services.submit_case(
                    actor=resident,
                    category=category,
                    channel="web",
                    description=f"楼道堆物第{i + 1}处，影响通行。",
                    lon=lon,
                    lat=31.237,
                )
                services.register_and_dispatch(case, urban, actor=dispatcher)
                cases[grid].append(case)
    monkeypatch.undo()
    yield {"sd": sd, "cases": cases}


def test_a_leader_drills_from_the_overdue_figure_to_a_grids_list_and_its_excel(
    street, browser, live_server
):
    page = sign_in(browser, live_server.url, "chen.leader", viewport=DESKTOP)
    page.goto(live_server.url + reverse("cockpit:overview"))
    overdue = page.locator('li.figure[data-key="cases.overdue"]')
    assert overdue.locator(".value").inner_text() == "5"
    keep_screenshot(page, "cockpit-overview.png")

    with page.expect_navigation():
        overdue.locator("a").click()
    row = page.get_by_role("link", name="G02 康定网格")
    assert row.locator("xpath=ancestor::tr").locator("td").inner_text() == "3"
    keep_screenshot(page, "cockpit-overdue-by-grid.png")
    with page.expect_navigation():
        row.click()

    numbers = page.locator("table.cases-table tbody tr")
    shown = sorted(numbers.nth(i).get_attribute("data-key") for i in range(numbers.count()))
    assert shown == sorted(c.number for c in street["cases"]["G02"])
    assert page.locator("#f-grid").input_value() == "G02"

    with page.expect_download() as caught:
        page.get_by_role("link", name="导出Excel").click()
    sheet = load_workbook(io.BytesIO(caught.value.path().read_bytes())).active
    head = " ".join(
        str(v) for row in sheet.iter_rows(max_row=3, values_only=True) for v in row if v
    )
    assert "静安寺街道" in head and "超期" in head and "G02 康定网格" in head
    assert script_errors(page) == []
