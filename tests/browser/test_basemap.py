"""The offline base map and the place search in headless Chromium: with no tile setting, the
registry map draws the sub-district's streets under our layers with their names, and a place
typed as pinyin initials is found and flown to. Nothing is fetched from outside.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path
from xml.sax.saxutils import quoteattr

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django_scopes import scope

from linli.core.access import Access
from linli.lifecircle import services
from tests.browser.scene import build_scene
from tests.browser.session import DESKTOP, Tab
from tests.factories import BuildingFactory

pytestmark = [pytest.mark.browser]

LOCAL = re.compile(r"^https?://(localhost|127\.0\.0\.1|\[::1\])[:/]")

# A small OpenStreetMap extract over the browser scene's boundary (lon 121.449–121.469).
STREETS = [
    ("南京西路", "primary", [(121.4470, 31.2300), (121.4710, 31.2300)]),
    ("新闸路", "secondary", [(121.4470, 31.2360), (121.4710, 31.2360)]),
    ("北京西路", "tertiary", [(121.4470, 31.2410), (121.4710, 31.2410)]),
    ("江宁路", "secondary", [(121.4570, 31.2270), (121.4570, 31.2450)]),
    ("泰兴路", "residential", [(121.4620, 31.2270), (121.4620, 31.2450)]),
    ("石门二路", "residential", [(121.4520, 31.2270), (121.4520, 31.2450)]),
]
AREAS = [
    ({"natural": "water", "name": "苏州河"}, (121.4470, 31.2445, 121.4710, 31.2460)),
    ({"leisure": "park", "name": "静安雕塑公园"}, (121.4625, 31.2365, 121.4665, 31.2405)),
    ({"building": "yes", "name": "静安大厦"}, (121.4640, 31.2318, 121.4648, 31.2326)),
    ({"building": "yes"}, (121.4580, 31.2310, 121.4590, 31.2318)),
    ({"building": "yes"}, (121.4530, 31.2370, 121.4540, 31.2378)),
]


def scene_osm() -> bytes:
    nodes: list[tuple[float, float]] = []
    ways: list[tuple[list[int], dict[str, str]]] = []

    def node(lon: float, lat: float) -> int:
        nodes.append((lon, lat))
        return len(nodes)

    for name, highway, points in STREETS:
        ways.append(([node(*p) for p in points], {"highway": highway, "name": name}))
    for tags, (w, s, e, n) in AREAS:
        ring = [node(w, s), node(e, s), node(e, n), node(w, n)]
        ways.append(([*ring, ring[0]], tags))
    out = ['<?xml version="1.0" encoding="UTF-8"?>', '<osm version="0.6" generator="test">']
    for i, (lon, lat) in enumerate(nodes, start=1):
        out.append(f' <node id="{i}" version="1" lat="{lat:.7f}" lon="{lon:.7f}"/>')
    for wid, (refs, tags) in enumerate(ways, start=1):
        out.append(f' <way id="{wid}" version="1">')
        out.extend(f'  <nd ref="{r}"/>' for r in refs)
        out.extend(f"  <tag k={quoteattr(k)} v={quoteattr(v)}/>" for k, v in tags.items())
        out.append(" </way>")
    out.append("</osm>")
    return ("\n".join(out) + "\n").encode()


@pytest.fixture
def tab(browser, live_server, settings) -> Iterator[Tab]:
    settings.MAP_TILES = "none"
    page = Tab(browser, live_server.url, DESKTOP)
    yield page
    page.close()


def test_base_map_under_our_layers_with_names_and_a_place_search(transactional_db, tab):
    scene = build_scene("handler")
    subdistrict = scene.subdistrict
    BuildingFactory(
        subdistrict=subdistrict,
        name="静安大厦",
        address="南京西路1601号",
        lon=121.4644,
        lat=31.2322,
    )
    with scope(subdistrict=subdistrict):
        services.import_network(
            subdistrict,
            SimpleUploadedFile("scene.osm", scene_osm()),
            kind="osm_xml",
            actor=Access.system(subdistrict),
        )
    page = tab.page
    offsite: list[str] = []
    page.on("request", lambda r: None if LOCAL.match(r.url) else offsite.append(r.url))
    tab.sign_in(scene.user.username)
    tab.goto(reverse("registry:map"))
    tab.wait_for_map()
    page.wait_for_selector('#area-map[data-basemap="ready"], #area-map[data-basemap="error"]')
    assert page.get_attribute("#area-map", "data-basemap") == "ready", tab.errors

    # Streets are drawn, in a pane below the one our own layers are drawn in.
    streets = page.locator("#area-map .leaflet-basemap-pane path.basemap-street")
    assert streets.count() >= len(STREETS)
    assert page.locator("#area-map .leaflet-basemap-pane path.basemap-street-casing").count()
    assert page.locator("#area-map .leaflet-basemap-pane path.basemap-green").count() == 1
    assert page.locator("#area-map .leaflet-overlay-pane path.quarters").count() == 3
    z = page.evaluate(
        """() => ['basemap', 'overlay'].map((name) => Number(getComputedStyle(
            document.querySelector(`#area-map .leaflet-${name}-pane`)).zIndex))"""
    )
    assert z[0] < z[1]

    # A street's name is written on the map at this zoom.
    page.evaluate("document.getElementById('area-map').linliMap.map.setZoom(16, {animate: false})")
    label = page.locator("#area-map .basemap-label-street span", has_text="江宁路")
    assert label.first.is_visible()

    # Pinyin initials find the building; choosing it with the keyboard flies the map there.
    box = page.get_by_role("combobox", name="Find a place")
    box.fill("jads")  # 静安大厦: jìng'ān dàshà
    option = page.get_by_role("option", name=re.compile("静安大厦"))
    option.first.wait_for()
    box.press("ArrowDown")
    assert box.get_attribute("aria-activedescendant") == option.first.get_attribute("id")
    box.press("Enter")
    page.wait_for_selector('#area-map[data-place-found="静安大厦"]')
    page.wait_for_function(
        """() => {
            const map = document.getElementById('area-map').linliMap.map;
            const c = map.getCenter();
            return Math.abs(c.lat - 31.2322) < 0.0003 && Math.abs(c.lng - 121.4644) < 0.0003
                && map.getZoom() >= 17;
        }"""
    )

    # In Chinese, the site's main language: the search and what it finds read in Chinese.
    tab.context.add_cookies([{"name": "django_language", "value": "zh-hans", "url": tab.base_url}])
    tab.goto(reverse("registry:map"))
    tab.wait_for_map()
    page.wait_for_selector('#area-map[data-basemap="ready"]')
    box = page.get_by_role("combobox", name="查找地点")
    box.fill("jads")
    option = page.get_by_role("option", name=re.compile("静安大厦"))
    option.first.wait_for()
    assert not re.search(r"[A-Za-z]{3,}", option.first.inner_text()), option.first.inner_text()
    screenshots = os.environ.get("LINLI_SCREENSHOTS")
    if screenshots:
        page.locator("#area-map").screenshot(path=str(Path(screenshots) / "basemap.png"))
    assert not offsite, offsite
    assert not tab.errors, tab.errors
