"""A caring-visit volunteer on a phone (390×844): opens the list of people to visit, logs a
visit with a concern; the concern becomes a case dispatched to the elder's residents'
committee, whose staff member finds it on the cases workbench."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
from django.urls import reverse
from django_scopes import scope, scopes_disabled

from linli.cases.models import Case, State
from linli.core.access import Access
from linli.core.models import Organisation
from linli.livelihood.caring import services
from linli.livelihood.caring.models import CaringPlan, CaringVisit
from linli.people import services as people
from linli.people.models import PersonTag, TagKind
from tests.browser.session import PHONE, script_errors, sign_in
from tests.factories import (
    GridFactory,
    MembershipFactory,
    OrganisationFactory,
    QuarterFactory,
    SubdistrictFactory,
    UserFactory,
)

pytestmark = [pytest.mark.browser]


@pytest.fixture
def street(transactional_db) -> Iterator[dict]:
    with scopes_disabled():
        sd = SubdistrictFactory(code="310106019", name="静安寺街道")
        committee = OrganisationFactory(
            subdistrict=sd, code="JW01", kind=Organisation.Kind.COMMITTEE, name="梅园居民区居委会"
        )
        OrganisationFactory(
            subdistrict=sd, code="CYZX", kind=Organisation.Kind.DISPATCH_CENTRE, name="网格中心"
        )
        grid = GridFactory(subdistrict=sd, code="G01", name="梅园网格")
        quarter = QuarterFactory(subdistrict=sd, grid=grid, committee=committee, name="梅园小区")
        users = {}
        for name, display, role in (
            ("wang.volunteer", "王阿姨", "volunteer"),
            ("li.committee", "李主任", "handler"),
        ):
            users[name] = UserFactory(username=name, display_name=display)
            MembershipFactory(user=users[name], subdistrict=sd, role=role, organisation=committee)
    with scope(subdistrict=sd):
        system = Access.system(sd)
        building = people.record_building(
            system, quarter=quarter, code="MY3", number="3号楼", floors=6
        )
        dwelling = people.record_dwelling(
            system, building=building, unit="2单元", number="401", floor=4, floor_area_m2="45"
        )
        elder = people.register_person(
            system, name="张老伯", on=dt.date(2026, 1, 1), dwelling=dwelling
        )
        people.set_tag(
            system,
            elder,
            kind=TagKind.objects.get(code="living_alone"),
            source=PersonTag.Source.SURVEY,
            valid_from=dt.date(2026, 1, 1),
            reason="居委会走访",
        )
        plan = services.create_plan(
            system,
            person=elder,
            reason=CaringPlan.Reason.LIVING_ALONE,
            visitor=users["wang.volunteer"],
        )
    yield {"sd": sd, "plan": plan, "committee": committee}


def test_a_volunteer_logs_a_concern_that_reaches_the_committee(street, browser, live_server):
    page = sign_in(browser, live_server.url, "wang.volunteer", viewport=PHONE, language="en")
    page.goto(live_server.url + reverse("caring:mine"))
    card = page.locator(".caring-list li").filter(has_text="张老伯")
    assert card.count() == 1
    assert "梅园小区 3号楼 2单元 401" in card.inner_text()
    # Made for the phone: nothing wider than the screen.
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]

    with page.expect_navigation():
        card.get_by_role("link", name="Log a visit").click()
    page.get_by_label("Concerns").check()
    page.fill("#id_note", "家里暖气坏了，老人说晚上很冷。")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    with page.expect_navigation():
        page.get_by_role("button", name="Save the visit").click()
    with scopes_disabled():
        visit = CaringVisit.objects.get()
        case = Case.objects.get(pk=visit.case_id)
    assert case.state == State.DISPATCHED and case.lead_organisation == street["committee"]
    assert case.number in page.locator(".messages").inner_text()
    assert script_errors(page) == []

    staff = sign_in(browser, live_server.url, "li.committee", viewport=PHONE, language="en")
    staff.goto(live_server.url + reverse("cases:workbench"))
    assert staff.get_by_text(case.number).count() >= 1
    with staff.expect_navigation():
        staff.get_by_text(case.number).first.click()
    assert "家里暖气坏了" in staff.content()
