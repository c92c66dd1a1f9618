"""A dispatcher at the sub-district's 网格化综合管理中心, in Chinese, in headless Chromium: opens a
new case from the triage queue (returned cases on top, then the newest), sees where it is on the
map and its photo, narrows the organisation picker by typing, takes a quick reply as the
instruction and registers and dispatches the case with one submit.

Set LINLI_SCREENSHOTS=docs/img to keep the screenshots the dispatcher's guide shows.
"""

from __future__ import annotations

import io
from collections.abc import Iterator

import pytest
from django.urls import reverse
from django.utils import translation
from django_scopes import scope, scopes_disabled

from linli.cases import services
from linli.cases.models import Case, CaseEvent, Category, RoutingRule, State
from linli.cases.replies import STEP_PHRASES
from linli.core.access import Access
from linli.core.models import Organisation
from tests.browser.session import (
    AREA,
    keep_screenshot,
    script_errors,
    serious_violations,
    sign_in,
)
from tests.factories import (
    GridFactory,
    MembershipFactory,
    OrganisationFactory,
    SubdistrictFactory,
    UserFactory,
)

pytestmark = [pytest.mark.browser]

DESKTOP = {"width": 1280, "height": 860}
K = Organisation.Kind
OFFICES = [
    ("DZB", K.DEPARTMENT, "党政办公室"),
    ("SQGL", K.DEPARTMENT, "社区管理办公室"),
    ("PAB", K.DEPARTMENT, "社区平安办公室"),
    ("YSB", K.DEPARTMENT, "营商办公室"),
    ("SWSL", K.SERVICE_CENTRE, "社区事务受理服务中心"),
    ("JW01", K.COMMITTEE, "梅园居民区居委会"),
    ("JW02", K.COMMITTEE, "康定居民区居委会"),
    ("WG01", K.GRID_STATION, "第1网格工作站"),
    ("SCJG", K.AGENCY, "静安寺市场监管所"),
    ("XFZ", K.AGENCY, "静安寺消防救援站"),
    ("CGZD", K.AGENCY, "静安寺城管执法中队"),
]


def photo() -> io.BytesIO:
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (640, 480), "#d9d4c7")
    draw = ImageDraw.Draw(image)
    draw.rectangle((180, 160, 460, 420), fill="#2f4f6f")  # an e-bike by the stairs
    draw.line((460, 200, 630, 40), fill="#111111", width=6)  # the wire from a window
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=80)
    out.seek(0)
    out.name = "stairwell.jpg"
    return out


@pytest.fixture
def street(transactional_db, settings, tmp_path) -> Iterator[dict]:
    settings.MEDIA_ROOT = tmp_path / "media"
    with scopes_disabled():
        sd = SubdistrictFactory(
            code="310106019",
            name="静安寺街道",
            boundary={"type": "Polygon", "coordinates": [AREA]},
            center_lon=121.459,
            center_lat=31.237,
        )
        centre = OrganisationFactory(
            subdistrict=sd, code="CYZX", kind=K.DISPATCH_CENTRE, name="网格化综合管理中心"
        )
        offices = {
            code: OrganisationFactory(subdistrict=sd, code=code, kind=kind, name=name)
            for code, kind, name in OFFICES
        }
        GridFactory(
            subdistrict=sd,
            code="G01",
            name="梅园网格",
            polygon={"type": "Polygon", "coordinates": [AREA]},
        )
        parent = Category.objects.create(
            subdistrict=sd, code="INC", name="城市运行事件", kind=Category.Kind.INCIDENT
        )
        battery = Category.objects.create(
            subdistrict=sd,
            code="INC-EBIKE",
            name="电动自行车违规充电",
            kind=Category.Kind.INCIDENT,
            parent=parent,
            allows_anonymous=True,
            canned_replies=["已会同物业清理楼道内电动自行车并拆除私拉电线。"],
        )
        RoutingRule.objects.create(
            subdistrict=sd,
            name="违规充电：城管执法",
            category=battery,
            organisation=offices["CGZD"],
        )
        users = {}
        for name, display, role, links in (
            ("li.ming", "李明", "resident", {}),
            ("zhao.dispatch", "赵敏", "handler", {"organisation": centre}),
            ("wang.sc", "王芳", "handler", {"organisation": offices["SCJG"]}),
        ):
            users[name] = UserFactory(username=name, display_name=display)
            MembershipFactory(user=users[name], subdistrict=sd, role=role, **links)
    # A Chinese resident reports in Chinese: what routing writes on the case reads in Chinese.
    with scope(subdistrict=sd), translation.override("zh-hans"):
        resident = Access.for_user(users["li.ming"], sd)
        dispatcher = Access.for_user(users["zhao.dispatch"], sd)

        def report(text: str, **more) -> Case:
            return services.submit_case(
                actor=resident,
                category=battery,
                channel="web",
                description=text,
                lon=121.4592,
                lat=31.2371,
                address="梅园小区3号楼2单元",
                **more,
            )

        older = report("3号楼楼道里有电动车在充电，电线从二楼窗口拉下来。")
        returned = report("5号楼一楼过道停满电动车，晚上一直插着电。")
        services.register_and_dispatch(returned, offices["SCJG"], actor=dispatcher)
        services.return_case(
            returned,
            actor=Access.for_user(users["wang.sc"], sd),
            reason="不属于本单位职责范围，请改派城管执法中队。",
        )
        newest = report(
            "2单元楼道内电动自行车充电，飞线从四楼窗口拉下，存在火灾隐患。",
            photos=[services.Photo(photo())],
        )
    yield {"sd": sd, "newest": newest, "older": older, "returned": returned, "offices": offices}


WCAG_A_AA = ["wcag2a", "wcag2aa"]


def test_a_dispatcher_registers_and_dispatches_a_new_case_in_one_step(street, browser, live_server):
    page = sign_in(browser, live_server.url, "zhao.dispatch", viewport=DESKTOP)
    assert page.get_attribute("html", "lang") == "zh-hans"

    # The workbench opens on the triage queue: the returned case on top, then the newest.
    page.goto(live_server.url + reverse("cases:workbench"))
    rows = page.locator("table.cases-table tbody tr")
    numbers = [rows.nth(i).get_attribute("data-key") for i in range(rows.count())]
    newest, older, returned = street["newest"], street["older"], street["returned"]
    assert numbers == [returned.number, newest.number, older.number]
    assert rows.first.get_attribute("class") == "returned"
    keep_screenshot(page, "dispatch-triage.png")

    with page.expect_navigation():
        rows.nth(1).get_by_role("link", name=newest.number).click()
    form = page.locator("#action-register_dispatch")
    assert form.get_attribute("open") is not None  # open, nothing to click first
    page.wait_for_selector('#case-point-map[data-state="ready"]')
    assert page.locator("#case-point-map .leaflet-interactive, #case-point-map path").count() >= 1
    thumbnail = page.locator("ul.photos.gallery img")
    assert thumbnail.count() == 1
    assert thumbnail.evaluate("img => img.complete && img.naturalWidth") == 640

    # The routing rule's organisation is preselected, in its group; typing narrows the list.
    picker = page.locator("#id_register_dispatch_organisation")
    cgzd = street["offices"]["CGZD"]
    assert picker.input_value() == str(cgzd.pk)
    assert picker.locator("optgroup").count() >= 5
    assert picker.locator("option[value='']").count() == 0
    page.fill("#id_register_dispatch_organisation-filter", "平安")
    visible = picker.locator("option:not([hidden])")
    assert sorted(visible.all_inner_texts()) == sorted(["社区平安办公室", "静安寺城管执法中队"])
    page.fill("#id_register_dispatch_organisation-filter", "")
    picker.select_option(str(cgzd.pk))
    deadline = page.input_value("#id_register_dispatch_deadline")
    assert len(deadline) == 16 and deadline[10] == "T"  # ISO, which the browser accepts
    chips = form.locator(".chip")
    assert "已会同物业" not in " ".join(chips.all_inner_texts())
    chips.first.click()
    with translation.override("zh-hans"):
        instruction = str(STEP_PHRASES["register_dispatch"][0])
    assert page.input_value("#id_register_dispatch_note") == instruction
    # The whole step at once for the guide: the case's head, its facts and the open form.
    page.set_viewport_size({"width": DESKTOP["width"], "height": 1100})
    page.evaluate("window.scrollTo(0, 0)")
    keep_screenshot(page, "dispatch-one-step.png")
    page.set_viewport_size(DESKTOP)
    assert serious_violations(page, run_only=WCAG_A_AA) == []

    with page.expect_navigation():
        form.locator("button[type=submit]").click()
    with scopes_disabled():
        case = Case.objects.get(pk=newest.pk)
        assert case.state == State.DISPATCHED and case.lead_organisation_id == cgzd.pk
        assert list(
            CaseEvent.objects.filter(case=case).order_by("id").values_list("action", flat=True)
        ) == ["submit", "register", "dispatch"]
        assert case.resolve_deadline is not None
    assert page.locator("ol.timeline li").count() == 3
    # From the photos to the end of the record, nothing cut at the top.
    page.set_viewport_size({"width": DESKTOP["width"], "height": 1100})
    page.locator("#photos-heading").evaluate("e => e.scrollIntoView({block: 'start'})")
    keep_screenshot(page, "dispatch-done.png")
    page.set_viewport_size(DESKTOP)
    assert not script_errors(page), script_errors(page)
    page.context.close()
