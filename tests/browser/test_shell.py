"""The main journey in headless Chromium: sign in, open the map, switch the language.

Set LINLI_SCREENSHOTS=docs/img to refresh the screenshots in the documentation.
"""

from __future__ import annotations

import re

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from linli.core.geo import wgs84_to_gcj02
from tests.browser.scene import BUILDINGS, FACILITIES, GRIDS, QUARTERS, build_scene
from tests.browser.session import PHONE, keep_screenshot

pytestmark = [pytest.mark.browser]


def _zh(message: str) -> str:
    with translation.override("zh-hans"):
        return gettext(message)


def test_sign_in_open_the_map_and_switch_the_language(transactional_db, open_page):
    scene = build_scene()
    tab = open_page()
    page = tab.page

    tab.sign_in(scene.user.username)
    assert page.url.endswith(reverse("home"))
    for role in ("banner", "navigation", "main", "contentinfo"):
        assert page.get_by_role(role).count() >= 1, role

    nav = page.get_by_role("navigation", name="Main menu")
    with page.expect_navigation():
        nav.get_by_role("link", name="Map", exact=True).click()
    tab.wait_for_map()
    assert page.locator("h1").inner_text().startswith("Map")
    assert page.get_attribute("#area-map", "data-tiles-active") == "none"

    # Every layer is drawn: polygons as SVG paths, points as markers, one legend entry each.
    assert page.locator("path.linli-shape.boundary").count() == 1
    assert page.locator("path.linli-shape.grids").count() == len(GRIDS)
    assert page.locator("path.linli-shape.quarters").count() == len(QUARTERS)
    assert page.locator(".leaflet-marker-icon.building").count() == len(BUILDINGS)
    assert page.locator(".leaflet-marker-icon.hundred-million").count() == len(
        scene.hundred_million
    )
    entrances = sum(len(e) for *_, e in FACILITIES)
    assert page.locator(".leaflet-marker-icon.facility").count() == entrances
    legend = page.locator(".map-legend")
    assert legend.locator("input[type=checkbox]").count() == 5

    # A layer can be turned off and on again from the legend.
    grids = legend.get_by_label(re.compile("^Grids"))
    grids.uncheck()
    assert page.locator("path.linli-shape.grids").count() == 0
    grids.check()
    assert page.locator("path.linli-shape.grids").count() == len(GRIDS)

    # The accessible list carries the same places, with links.
    places = page.locator("#map-feature-list")
    places.locator("summary", has_text="Buildings and parks").click()
    assert places.get_by_role("link", name="Jade Tower").is_visible()

    # A 100-million-yuan building's popup names it and links to its page.
    jade = scene.buildings["Jade Tower"]
    page.locator(".leaflet-marker-icon.hundred-million[title='Jade Tower']").click()
    popup = page.locator(".leaflet-popup-content")
    popup.wait_for()
    assert "Jade Tower" in popup.inner_text()
    assert "100-million-yuan building" in popup.inner_text()
    link = popup.get_by_role("link")
    detail_url = reverse("registry:detail", kwargs={"kind": "building", "pk": jade.pk})
    assert link.get_attribute("href") == detail_url
    page.evaluate("window.scrollTo(0, 0)")
    page.wait_for_timeout(400)  # let the popup finish fading in
    keep_screenshot(page, "map.png")
    with page.expect_navigation():
        link.click()
    assert page.locator("h1").inner_text() == "Jade Tower"

    # English → 中文 on the map page: the language sticks and the page speaks it.
    tab.goto(reverse("registry:map"))
    tab.wait_for_map()
    tab.switch_language("zh-hans")
    tab.wait_for_map()
    assert page.get_attribute("html", "lang") == "zh-hans"
    assert page.locator("#language-switch").input_value() == "zh-hans"
    assert page.locator("h1").inner_text().startswith(_zh("Map"))
    nav_zh = page.get_by_role("navigation", name=_zh("Main menu"))
    assert nav_zh.get_by_role("link", name=_zh("Facilities"), exact=True).count() == 1
    assert legend.get_by_text(_zh("Residential quarters")).count() == 1

    # …and the sign-in page after signing out is in Chinese too (Django's own catalog).
    with page.expect_navigation():
        page.locator("form.logout button").click()
    assert page.locator("label[for=id_username]").inner_text().startswith("用户名")
    assert page.locator("label[for=id_password]").inner_text().startswith("密码")

    # 中文 → English.
    tab.switch_language("en")
    assert page.get_attribute("html", "lang") == "en"
    assert page.locator("label[for=id_username]").inner_text().startswith("Username")
    assert page.locator("label[for=id_password]").inner_text().startswith("Password")
    assert tab.errors == []


def test_on_a_phone_the_menu_folds_and_the_map_still_draws(transactional_db, open_page):
    scene = build_scene(role="grid_worker", username="li.grid")
    tab = open_page(PHONE)
    page = tab.page
    tab.sign_in(scene.user.username)

    nav = page.get_by_role("navigation", name="Main menu")
    map_link = nav.get_by_role("link", name="Map", exact=True)
    assert not map_link.is_visible()
    nav.locator("summary").click()
    assert map_link.is_visible()
    with page.expect_navigation():
        map_link.click()
    tab.wait_for_map()
    # The legend starts folded on a phone so it does not cover the map.
    assert page.locator(".map-legend").get_attribute("open") is None
    assert page.locator(".leaflet-marker-icon.building").count() == len(BUILDINGS)
    # Nothing sticks out sideways: the page is no wider than the phone.
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    keep_screenshot(page, "map-mobile.png")
    assert tab.errors == []


def test_without_javascript_the_menu_and_the_lists_still_work(transactional_db, open_page):
    scene = build_scene(role="leader", username="zhao.leader")
    tab = open_page(javascript=False)
    page = tab.page
    tab.sign_in(scene.user.username)

    nav = page.get_by_role("navigation", name="Main menu")
    assert nav.get_by_role("link", name="Map", exact=True).is_visible()
    tab.goto(reverse("registry:map"))
    assert page.locator("#area-map noscript").count() == 1
    lists = page.locator("#map-places")
    with page.expect_navigation():
        lists.get_by_role("link", name="Buildings", exact=True).click()
    assert page.locator("h1").inner_text() == "Buildings and parks"
    assert page.get_by_role("cell", name="Jade Tower").count() == 1


def test_gcj02_tiles_shift_what_we_draw(transactional_db, open_page, settings):
    # The policy is built at start-up from LINLI_MAP_TILES; an operator choosing AMap gets both.
    settings.MAP_TILES = "amap"
    directives = settings.CONTENT_SECURITY_POLICY["DIRECTIVES"]
    settings.CONTENT_SECURITY_POLICY = {
        "DIRECTIVES": {
            **directives,
            "img-src": [*directives["img-src"], *settings.TILE_HOSTS["amap"]],
        }
    }
    scene = build_scene()
    tab = open_page()
    page = tab.page
    tab.sign_in(scene.user.username)
    tab.goto(reverse("registry:map"))
    tab.wait_for_map()
    assert page.get_attribute("#area-map", "data-tiles-active") == "amap"

    drawn = page.evaluate(
        """() => document.getElementById('area-map').linliMap.layers.get('buildings')
              .layer.getLayers().map(m => [m.feature.properties.name, m.getLatLng().lng,
                                          m.getLatLng().lat])"""
    )
    assert len(drawn) == len(BUILDINGS)
    for name, lon, lat in drawn:
        building = scene.buildings[name]
        expected = wgs84_to_gcj02(building.lon, building.lat)
        assert (lon, lat) == pytest.approx(expected, abs=1e-9)
        assert lon - building.lon > 0.004  # moved, not left on the WGS84 spot

    # The browser's transform is the Python one, digit for digit, in and outside China.
    points = [(121.5272106, 31.1774276), (116.404, 39.915), (-0.1276, 51.5072)]
    in_js = page.evaluate(
        """async (points) => {
             const m = await import('/static/linli/map.js');
             return points.map(([lon, lat]) => m.wgs84ToGcj02(lon, lat));
           }""",
        points,
    )
    for (lon, lat), js in zip(points, in_js, strict=True):
        assert js == pytest.approx(wgs84_to_gcj02(lon, lat), abs=1e-12)
    assert tab.errors == []
