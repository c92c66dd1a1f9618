"""The coverage map in headless Chromium: layers drawn, then one what-if (click the map, choose a
type, read the change).

Set LINLI_SCREENSHOTS=docs/img to refresh the screenshot in the documentation.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from django.urls import reverse

from linli.core.roles import Role
from tests.browser.session import DESKTOP, Tab, keep_screenshot
from tests.factories import MembershipFactory, SubdistrictFactory, UserFactory
from tests.lifecircle.helpers import build_street, lonlat

pytestmark = [pytest.mark.browser]


@pytest.fixture
def tab(browser, live_server) -> Iterator[Tab]:
    page = Tab(browser, live_server.url, DESKTOP)
    yield page
    page.close()


def test_coverage_map_and_one_what_if(transactional_db, tab):
    from django_scopes import scopes_disabled

    from linli.lifecircle import analysis

    analysis.clear_cache()
    subdistrict = SubdistrictFactory(
        code="310106019", name="Creekside Street", center_lon=121.4633, center_lat=31.237
    )
    build_street(subdistrict)
    user = UserFactory(username="zhao.leader")
    with scopes_disabled():
        MembershipFactory(user=user, subdistrict=subdistrict, role=Role.LEADER)
    page = tab.page
    tab.sign_in(user.username)

    nav = page.get_by_role("navigation", name="Main menu")
    with page.expect_navigation():
        nav.get_by_role("link", name="Life circle", exact=True).click()
    page.wait_for_selector('#lc-map[data-state="ready"], #lc-map[data-state="error"]')
    assert page.get_attribute("#lc-map", "data-state") == "ready", tab.errors

    # Choose the kindergarten: the page reloads with its service area and coverage.
    with page.expect_navigation():
        page.select_option("#lc-type", "kindergarten")
    page.wait_for_selector('#lc-map[data-state="ready"]')
    assert "33.3%" in page.locator("#lc-summary").inner_text()
    assert page.locator("path.linli-shape.coverage").count() == 3
    assert page.locator("path.linli-shape.service_area").count() == 4  # one per distance band
    assert page.locator(".leaflet-marker-icon.lc-focus").count() == 1

    # What if a kindergarten were built at the street's east end? Click there on the map.
    page.select_option("#what-if-type", "kindergarten")
    page.locator("#lc-map").scroll_into_view_if_needed()
    page.locator(".map-legend summary").click()  # fold the legend off the street's east end
    lon, lat = lonlat(900)
    point = page.evaluate(
        "([lon, lat]) => { const m = document.getElementById('lc-map').linliMap;"
        " const p = m.map.latLngToContainerPoint(m.toLatLng(lon, lat)); return [p.x, p.y]; }",
        [lon, lat],
    )
    box = page.locator("#lc-map").bounding_box()
    page.mouse.click(box["x"] + point[0], box["y"] + point[1])
    page.wait_for_selector(
        '#what-if-result[data-state="done"], #what-if-result[data-state="error"]'
    )
    result = page.locator("#what-if-result")
    assert result.get_attribute("data-state") == "done", result.inner_text()
    text = result.inner_text()
    assert re.search(r"33\.3%\s*→\s*83\.3%", text), text
    assert "East Court: +300" in text
    assert page.locator(".leaflet-marker-icon.lc-site").count() == 1
    assert page.locator("path.linli-shape.what_if_new").count() == 1
    assert float(page.input_value("#what-if-lon")) == pytest.approx(lon, abs=2e-5)

    keep_screenshot(page, "lifecircle-what-if.png")
    assert tab.errors == []
    assert reverse("lifecircle:map") in page.url
