"""The closed loop of one case in headless Chromium (发现→立案→派遣→处置→核查→结案→评价):
a resident reports with a photo, the dispatch centre registers and dispatches it, a handler
accepts and handles it, a grid worker verifies it on a phone, the callback is recorded and the
case closed, and the resident sees it closed and rates it.

Set LINLI_SCREENSHOTS=docs/img to keep screenshots of the main steps.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from django.urls import reverse
from django_scopes import scopes_disabled
from playwright.sync_api import Page

from linli.cases.models import Case, CaseEvent, Category, CategoryField, State
from linli.core.models import Organisation
from tests.browser.session import AREA, PHONE, keep_screenshot, png, script_errors, sign_in
from tests.factories import (
    GridFactory,
    MembershipFactory,
    OrganisationFactory,
    SubdistrictFactory,
    UserFactory,
)

pytestmark = [pytest.mark.browser]

DESKTOP = {"width": 1280, "height": 900}


@pytest.fixture
def people(transactional_db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    with scopes_disabled():
        street = SubdistrictFactory(
            code="310106019",
            name="Jing'an Demo Street",
            boundary={"type": "Polygon", "coordinates": [AREA]},
            center_lon=121.459,
            center_lat=31.237,
        )
        centre = OrganisationFactory(
            subdistrict=street, kind=Organisation.Kind.DISPATCH_CENTRE, name="Operations Centre"
        )
        urban = OrganisationFactory(subdistrict=street, name="Urban Management Office")
        grid = GridFactory(
            subdistrict=street,
            code="G01",
            name="Plum grid",
            polygon={"type": "Polygon", "coordinates": [AREA]},
        )
        battery = Category.objects.create(
            subdistrict=street,
            code="INC-EBIKE",
            name="E-bike batteries charged indoors",
            kind=Category.Kind.INCIDENT,
            allows_anonymous=True,
            canned_replies=["Wire removed; residents shown the charging shed."],
        )
        CategoryField.objects.create(
            subdistrict=street,
            category=battery,
            key="floor",
            label="Floor",
            type=CategoryField.Type.NUMBER,
            required=True,
        )
        users = {}
        for name, role, links in (
            ("li.ming", "resident", {}),
            ("zhao.dispatch", "handler", {"organisation": centre}),
            ("chen.urban", "handler", {"organisation": urban}),
            ("wu.grid", "grid_worker", {"grid": grid}),
        ):
            users[name] = UserFactory(username=name, display_name=name.title())
            MembershipFactory(user=users[name], subdistrict=street, role=role, **links)
    return users


@pytest.fixture
def unscoped() -> Iterator[None]:
    """The test reads the database directly, outside any request's sub-district scope."""
    with scopes_disabled():
        yield


class Tab:
    """One person's browser: a context of their own, signed in, collecting script errors."""

    def __init__(self, browser, base_url: str, username: str, viewport: dict[str, int]) -> None:
        self.page: Page = sign_in(browser, base_url, username, viewport=viewport, language="en")
        self.base_url = base_url
        self.errors = script_errors(self.page)

    def goto(self, path: str) -> None:
        self.page.goto(self.base_url + path)

    def act(self, action: str, fill: dict[str, str] | None = None) -> None:
        """Open an action on the case page, fill it in and send it."""
        panel = self.page.locator(f"#action-{action}")
        panel.locator("summary").click()
        for selector, value in (fill or {}).items():
            panel.locator(selector).fill(value)
        with self.page.expect_navigation():
            panel.locator("button[type=submit]").click()
        self.expect_message("Done:")

    def expect_message(self, text: str) -> None:
        messages = self.page.locator("ul.messages")
        assert text in messages.inner_text(), messages.inner_text()


def test_a_case_goes_round_the_whole_loop(people, unscoped, browser, live_server):
    tabs: list[Tab] = []

    def sign_in(username: str, viewport: dict[str, int] = DESKTOP) -> Tab:
        tabs.append(Tab(browser, live_server.url, username, viewport))
        return tabs[-1]

    # 1. A resident reports on a phone, with a photo and a pin on the map.
    resident = sign_in("li.ming", PHONE)
    page = resident.page
    nav = page.get_by_role("navigation", name="Main menu")
    nav.locator("summary").click()
    with page.expect_navigation():
        nav.get_by_role("link", name="Report a problem").click()
    page.select_option("#id_category", "INC-EBIKE")
    page.locator("#id_extra_floor").wait_for()  # htmx brought the category's questions
    page.fill("#id_extra_floor", "4")
    page.fill("#id_description", "Batteries charged on the 4th floor landing over a wire.")
    page.wait_for_selector('#pin-map[data-state="ready"]')
    page.locator("#pin-map").click()
    assert page.input_value("#id_lon") and page.input_value("#id_lat")
    page.set_input_files(
        "#id_photos", files=[{"name": "landing.png", "mimeType": "image/png", "buffer": png("red")}]
    )
    keep_screenshot(page, "case-report.png", full_page=True)
    with page.expect_navigation():
        page.get_by_role("button", name="Send").click()
    assert "Thank you, your report is in." in page.locator("h1").inner_text()
    case = Case.objects.get()
    assert case.number in page.locator("main").inner_text()
    assert case.grid is not None and case.attachments.count() == 1
    case_path = reverse("cases:detail", kwargs={"number": case.number})

    # 2. The dispatch centre registers it and dispatches it to the routed office.
    dispatcher = sign_in("zhao.dispatch")
    dispatcher.goto(reverse("cases:workbench"))
    with dispatcher.page.expect_navigation():
        dispatcher.page.get_by_role("link", name=case.number).click()
    assert dispatcher.page.locator("img[alt='Photo']").count() == 1
    dispatcher.act("register")
    dispatcher.page.locator("#action-dispatch summary").click()
    urban = Organisation.objects.get(name="Urban Management Office")
    dispatcher.page.select_option("#id_dispatch_organisation", str(urban.pk))
    with dispatcher.page.expect_navigation():
        dispatcher.page.locator("#action-dispatch button[type=submit]").click()
    dispatcher.expect_message("Done:")

    # 3. The handler accepts it, works on it and submits the result with a photo.
    handler = sign_in("chen.urban")
    handler.goto(reverse("inbox"))
    with handler.page.expect_navigation():
        handler.page.get_by_role("link", name=re.compile(case.number)).first.click()
    assert handler.page.url.endswith(case_path)
    handler.act("accept")
    handler.act("start_handling")
    panel = handler.page.locator("#action-submit_for_verification")
    panel.locator("summary").click()
    panel.locator(".chip").first.click()  # the category's canned reply
    assert "charging shed" in panel.locator("textarea").input_value()
    panel.locator("#id_submit_for_verification_after").set_input_files(
        files=[{"name": "after.png", "mimeType": "image/png", "buffer": png("green")}]
    )
    with handler.page.expect_navigation():
        panel.locator("button[type=submit]").click()
    handler.expect_message("Done:")

    # 4. The grid worker checks on site, on a phone.
    grid = sign_in("wu.grid", PHONE)
    grid.goto(case_path)
    assert grid.page.locator("img[alt='After handling']").count() == 1
    grid.act("verify", {"textarea": "Landing clear, wire gone."})

    # 5. The dispatch centre calls the resident back and closes the case.
    dispatcher.goto(case_path)
    panel = dispatcher.page.locator("#action-record_callback")
    panel.locator("summary").click()
    panel.get_by_label("Satisfied", exact=True).check()
    panel.locator("select").select_option("yes")
    with dispatcher.page.expect_navigation():
        panel.locator("button[type=submit]").click()
    dispatcher.act("close")
    keep_screenshot(dispatcher.page, "case-staff.png", full_page=True)
    timeline = dispatcher.page.locator("ol.timeline").inner_text()
    for step in ("Reported", "Registered", "Dispatched", "Accepted", "Verified on site", "Closed"):
        assert step in timeline, step

    # 6. The resident finds it closed in plain words and rates it.
    resident.goto(reverse("cases:mine"))
    card = page.locator(".case-card", has_text=case.number)
    assert "Closed" in card.inner_text()
    with page.expect_navigation():
        card.click()
    story = page.locator("ol.timeline").inner_text()
    assert "The case was closed." in story
    assert "Chen.Urban" not in story  # reporters see offices, not civil servants
    page.get_by_label("Satisfied", exact=True).check()
    page.fill("#id_comment", "Fixed within a day, thank you.")
    with page.expect_navigation():
        page.get_by_role("button", name="Send my rating").click()
    resident.expect_message("Thank you for rating")
    assert "Fixed within a day" in page.locator(".rated").inner_text()
    keep_screenshot(page, "case-reporter.png", full_page=True)

    case.refresh_from_db()
    assert case.state == State.CLOSED and case.satisfaction == "satisfied"
    actions = list(CaseEvent.objects.filter(case=case).values_list("action", flat=True))
    assert actions == [
        "submit",
        "register",
        "dispatch",
        "accept",
        "start_handling",
        "submit_for_verification",
        "verify",
        "record_callback",
        "close",
        "rate",
    ]
    for tab in tabs:
        assert not tab.errors, tab.errors
        tab.page.context.close()
