"""A leader opens the building dashboards from the menu, sorts the ranking, and opens one
building: both ECharts charts draw, without a script error."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

import pytest
from django_scopes import scopes_disabled

from linli.core.roles import Role
from linli.registry.models import BuildingTaxYear
from tests.browser.session import DESKTOP, Tab
from tests.factories import (
    BuildingFactory,
    EnterpriseFactory,
    MembershipFactory,
    SubdistrictFactory,
    UserFactory,
)

pytestmark = [pytest.mark.browser]


@pytest.fixture
def tab(browser, live_server) -> Iterator[Tab]:
    page = Tab(browser, live_server.url, DESKTOP)
    yield page
    page.close()


def test_ranking_and_building_charts(transactional_db, tab):
    subdistrict = SubdistrictFactory(code="310106021", name="Chart Street")
    user = UserFactory(username="qian.leader")
    with scopes_disabled():
        MembershipFactory(user=user, subdistrict=subdistrict, role=Role.LEADER)
        for name, taxes in (("Tower One", (8000, 11000)), ("Tower Two", (900, 950))):
            building = BuildingFactory(subdistrict=subdistrict, name=name)
            EnterpriseFactory(subdistrict=subdistrict, building=building, industry_code="J6620")
            for year, tax in zip((2024, 2025), taxes, strict=True):
                BuildingTaxYear.objects.create(
                    subdistrict=subdistrict, building=building, year=year, tax=Decimal(tax)
                )
    page = tab.page
    tab.sign_in(user.username)

    nav = page.get_by_role("navigation", name="Main menu")
    with page.expect_navigation():
        nav.get_by_role("link", name="Building dashboards", exact=True).click()
    rows = page.locator("main table tbody tr")
    assert rows.first.inner_text().startswith("Tower One")
    with page.expect_navigation():
        page.get_by_role("link", name="Growth").click()
    assert rows.first.inner_text().startswith("Tower One")  # +37.5 % against +5.6 %

    with page.expect_navigation():
        page.get_by_role("link", name="Tower One").click()
    page.wait_for_selector("#tax-chart canvas")
    page.wait_for_selector("#industry-chart canvas")
    assert "A 100-million-yuan building in: 2025." in page.content()
    assert tab.errors == []
