"""A resident reports from the map on a phone, in Chinese: puts the pin, reads the place in
words and the open report already made there, finds 环境卫生 by typing 楼道堆物, adds two photos
in the one photo field and sends; then anyone sees the report on the public map, without what
the resident wrote.

Set LINLI_SCREENSHOTS=docs/img to keep the screenshots the resident's guide shows
(docs/user-guide/resident.md): phone width, each under 200 KB.
"""

from __future__ import annotations

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django_scopes import scope, scopes_disabled

from linli.cases import services
from linli.cases.models import Case, Category, CategoryField
from linli.core.access import Access
from linli.core.models import Organisation
from linli.lifecircle.services import import_network
from tests.browser.session import (
    AREA,
    PHONE,
    keep_screenshot,
    log_in,
    new_page,
    png,
    script_errors,
)
from tests.browser.test_basemap import scene_osm
from tests.factories import (
    MembershipFactory,
    OrganisationFactory,
    QuarterFactory,
    SubdistrictFactory,
    UserFactory,
)

pytestmark = [pytest.mark.browser]

QUARTER = [
    [121.455, 31.234],
    [121.463, 31.234],
    [121.463, 31.240],
    [121.455, 31.240],
    [121.455, 31.234],
]
WRITTEN = "康定路88弄3号楼二楼楼道堆满纸箱和旧家具，挡住了通道。"


@pytest.fixture
def street(transactional_db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.MAP_TILES = "none"
    with scopes_disabled():
        street = SubdistrictFactory(
            code="310106019",
            name="静安示范街道",
            boundary={"type": "Polygon", "coordinates": [AREA]},
            center_lon=121.459,
            center_lat=31.237,
        )
    with scope(subdistrict=street):
        # Its streets, for the offline base map under every map, the public one too.
        import_network(
            street,
            SimpleUploadedFile("street.osm", scene_osm()),
            kind="osm_xml",
            actor=Access.system(street),
        )
        OrganisationFactory(
            subdistrict=street, kind=Organisation.Kind.DISPATCH_CENTRE, name="城运中心"
        )
        incidents = Category.objects.create(
            subdistrict=street, code="INC", name="城市运行事件", kind=Category.Kind.INCIDENT
        )
        sanitation = Category.objects.create(
            subdistrict=street,
            code="INC-SANI",
            name="环境卫生",
            name_en="Sanitation",
            kind=Category.Kind.INCIDENT,
            parent=incidents,
            public_display=True,
            allows_anonymous=True,
            synonyms="楼道堆物, 乱堆物, 堆物堆料, 垃圾满溢",
        )
        CategoryField.objects.create(
            subdistrict=street,
            category=sanitation,
            key="photo",
            label="现场照片",
            type=CategoryField.Type.PHOTO,
        )
        battery = Category.objects.create(
            subdistrict=street,
            code="INC-EBIKE",
            name="电动自行车违规充电",
            kind=Category.Kind.INCIDENT,
            parent=incidents,
            public_display=True,
            allows_anonymous=True,
            synonyms="飞线充电",
        )
        Category.objects.create(
            subdistrict=street,
            code="APP-FIN",
            name="融资需求",
            kind=Category.Kind.ENTERPRISE_APPEAL,
        )
        QuarterFactory(
            subdistrict=street,
            name="梅园小区",
            address="康定路88弄",
            polygon={"type": "Polygon", "coordinates": [QUARTER]},
        )
        resident = UserFactory(username="li.ming", display_name="李明")
        neighbour = UserFactory(username="wang.fang", display_name="王芳")
        for user in (resident, neighbour):
            MembershipFactory(user=user, subdistrict=street, role="resident")
        known = services.submit_case(
            actor=Access.for_user(neighbour, street),
            category=battery,
            channel="web",
            description="王芳：3号楼楼道里有人飞线充电",
            lon=121.4586,
            lat=31.2373,
        )
    return {"street": street, "known": known}


def _top(page, selector: str) -> None:
    """Scroll the element to the top of the screen, for the screenshot that follows."""
    page.locator(selector).evaluate("(e) => e.scrollIntoView({block: 'start'})")


def test_a_resident_reports_from_the_map_and_anyone_sees_it_on_the_public_map(
    street, browser, live_server
):
    page = new_page(browser, live_server.url, viewport=PHONE, device_scale_factor=1)
    log_in(page, live_server.url, "li.ming")
    page.goto(live_server.url + reverse("cases:report"))

    # Residents are not offered enterprises' appeals.
    options = page.locator("#id_category option").all_inner_texts()
    assert "环境卫生" in options and "融资需求" not in options

    # 1. The place first: a tap on the map, the place in words, the report already made there.
    page.wait_for_selector('#pin-map[data-state="ready"]')
    page.locator("#pin-map").click()
    page.locator("#place-words").wait_for()
    assert "梅园小区" in page.locator("#place-words").inner_text()
    assert "121.45" not in page.locator("#nearby").inner_text()  # never raw coordinates
    nearby = page.locator("#nearby .nearby-list li")
    nearby.first.wait_for()
    assert nearby.count() == 1 and "电动自行车违规充电" in nearby.inner_text()
    assert "王芳" not in page.locator("#nearby").inner_text()
    _top(page, "#pin-map")
    keep_screenshot(page, "report-map-nearby.png")

    # 2. What: typing 楼道堆物 finds 环境卫生 by its other words.
    page.locator("#category-search").fill("楼道堆物")
    hit = page.locator('#category-hits button[data-code="INC-SANI"]')
    hit.wait_for()
    assert "楼道堆物" in hit.inner_text()
    _top(page, "fieldset.what")
    keep_screenshot(page, "report-category-search.png")
    hit.click()
    assert page.input_value("#id_category") == "INC-SANI"
    page.locator("#extra-fields #id_anonymous").wait_for(state="attached")

    # 3. The details, with two photos in the one photo field, and send.
    assert page.locator("input[type=file]").count() == 1
    page.fill("#id_description", WRITTEN)
    page.set_input_files(
        "#id_photos",
        files=[
            {"name": "landing.png", "mimeType": "image/png", "buffer": png("red")},
            {"name": "boxes.png", "mimeType": "image/png", "buffer": png("blue")},
        ],
    )
    with page.expect_navigation():
        page.locator("form.intake button[type=submit]").click()
    with scopes_disabled():
        case = Case.objects.get(category__code="INC-SANI")
        assert case.number in page.locator("main").inner_text()
        assert sorted(case.attachments.values_list("field_key", flat=True)) == ["photo", "photo"]
    assert script_errors(page) == []
    page.context.close()

    # 4. Anyone, not signed in, sees it on the public map: what and where, not what was written.
    code = street["street"].code
    page = new_page(browser, live_server.url, viewport=PHONE, device_scale_factor=1)
    page.goto(live_server.url + reverse("cases:public_map", kwargs={"code": code}))
    page.wait_for_selector('#public-map[data-state="ready"]')
    # The base map is drawn for a signed-out visitor too: the street's own streets.
    page.wait_for_selector('#public-map[data-basemap="ready"], #public-map[data-basemap="error"]')
    assert page.get_attribute("#public-map", "data-basemap") == "ready"
    assert page.locator("#public-map .leaflet-basemap-pane path.basemap-street").count() >= 3
    card = page.locator(f"#report-{case.number}")
    assert "环境卫生" in card.inner_text() and "梅园小区" in card.inner_text()
    body = page.locator("body").inner_text()
    assert "纸箱" not in body and "王芳" not in body and "李明" not in body
    # Both reports stand at the quarter's point: one dot, saying there are two.
    assert page.locator(".leaflet-interactive").count() == 1
    dots = json.loads(page.locator("#public-reports-data").text_content())["features"]
    assert [d["properties"]["name"] for d in dots] == ["梅园小区 · 2条反映"]
    keep_screenshot(page, "public-map.png", full_page=True)
    assert script_errors(page) == []
    page.context.close()
