"""A grid worker on a phone (in English: the Chinese of the new pages is filled in with the
message catalogue) runs a patrol: starts it, checks in at two points with the
phone's position (one at the point, one from too far away), turns a finding into a case with a
photo in one step, ends the patrol; the case is then on the worker's workbench and on the case
map.

Set LINLI_SCREENSHOTS=docs/img to keep the screenshots the patrol guide shows (docs/patrols.md).
"""

from __future__ import annotations

import pytest
from django.urls import reverse
from django_scopes import scope, scopes_disabled

from linli.cases.models import Case, Category
from linli.core.access import Access
from linli.core.models import Organisation
from linli.governance.patrols import services
from linli.governance.patrols.models import CheckIn
from linli.governance.patrols.services import PointSpec
from tests.browser.session import AREA, PHONE, keep_screenshot, log_in, new_page, png, script_errors
from tests.factories import (
    GridFactory,
    MembershipFactory,
    OrganisationFactory,
    SubdistrictFactory,
    UserFactory,
)

pytestmark = [pytest.mark.browser]

GATE = (121.4550, 31.2350)
MARKET = (121.4600, 31.2380)


@pytest.fixture
def beat(transactional_db, settings, tmp_path):
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
        OrganisationFactory(
            subdistrict=street, kind=Organisation.Kind.DISPATCH_CENTRE, name="城运中心"
        )
        Category.objects.create(
            subdistrict=street, code="INC-SANI", name="环境卫生", kind=Category.Kind.INCIDENT
        )
        grid = GridFactory(
            subdistrict=street, name="康定网格", polygon={"type": "Polygon", "coordinates": [AREA]}
        )
        worker = UserFactory(username="zhou.gw", display_name="周网格员")
        admin = UserFactory(username="admin.jd")
        MembershipFactory(user=worker, subdistrict=street, role="grid_worker", grid=grid)
        MembershipFactory(user=admin, subdistrict=street, role="subdistrict_admin")
        plan = services.create_plan(
            actor=Access.for_user(admin, street),
            grid=grid,
            name="康定网格日巡",
            points=[
                PointSpec("梅园小区东门", *GATE, kind="gate"),
                PointSpec("康定路菜场", *MARKET, kind="market"),
                PointSpec("梅园小区3号楼", 121.4570, 31.2360, kind="building"),
            ],
        )
    return {"street": street, "plan": plan}


def test_a_grid_worker_patrols_checks_in_and_a_finding_becomes_a_case(beat, browser, live_server):
    page = new_page(
        browser,
        live_server.url,
        viewport=PHONE,
        language="en",
        device_scale_factor=1,
        permissions=["geolocation"],
        geolocation={"longitude": GATE[0] + 0.0001, "latitude": GATE[1]},
    )
    log_in(page, live_server.url, "zhou.gw")
    page.goto(live_server.url + reverse("patrols:home"))
    with page.expect_navigation():
        page.get_by_role("button", name="Start patrol").click()
    assert page.locator(".patrol-point").count() == 3

    # At the gate: the phone's position is 10 m from it.
    with page.expect_navigation():
        page.get_by_role("button", name="Check in at 梅园小区东门").click()
    assert "1 of 3" in page.inner_text("#patrol-progress")
    gate = page.locator(".patrol-point", has_text="梅园小区东门")
    assert "At the point" in gate.inner_text()

    # The market, checked in from the gate still: recorded, but away.
    with page.expect_navigation():
        page.get_by_role("button", name="Check in at 康定路菜场").click()
    market = page.locator(".patrol-point", has_text="康定路菜场")
    assert "Away from the point" in market.inner_text()
    keep_screenshot(page, "patrol-phone")

    # A finding at the gate becomes a case in one step.
    page.locator(".patrol-point", has_text="梅园小区东门").get_by_role("link").click()
    page.select_option("#id_category", "INC-SANI")
    page.set_input_files(
        "#id_photos", files=[{"name": "gate.png", "mimeType": "image/png", "buffer": png("red")}]
    )
    page.fill("#id_description", "梅园小区东门口堆放建筑垃圾，占用通道。")
    page.get_by_role("button", name="Use my position").click()
    page.wait_for_function("document.getElementById('id_lon').value !== ''")
    with page.expect_navigation():
        page.get_by_role("button", name="Open a case").click()
    with scope(subdistrict=beat["street"]):
        case = Case.objects.get()
        results = dict(CheckIn.objects.values_list("point__name", "result"))
        assert case.patrol_finding.patrol.plan == beat["plan"]
        assert case.attachments.count() == 1
    assert results == {"梅园小区东门": "at_point", "康定路菜场": "away"}
    assert case.number in page.inner_text("main")
    with page.expect_navigation():
        page.get_by_role("button", name="End patrol").click()

    # On the workbench (the home page's panels): reported on today's patrol.
    page.goto(live_server.url + reverse("home"))
    assert case.number in page.inner_text("main")

    # On the case map, listed below it.
    page.goto(live_server.url + reverse("cases:map"))
    page.wait_for_selector('#case-map[data-state="ready"]')
    listed = page.locator("#map-feature-list")
    assert "(1)" in listed.inner_text()
    assert case.number in (listed.text_content() or "")
    assert script_errors(page) == []
