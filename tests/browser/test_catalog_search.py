"""In headless Chromium: an enterprise member types pinyin initials into the catalog's search,
sees the licence items appear without a page load, opens one and follows "Apply online" to the
cases form with the item's category chosen."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django_scopes import scope, scopes_disabled

from linli.cases.models import Category
from linli.core.access import Access
from linli.frontoffice.catalog.models import Affairs
from linli.frontoffice.catalog.services import create_item
from tests.browser.session import PHONE, script_errors, sign_in
from tests.factories import MembershipFactory, OrganisationFactory, SubdistrictFactory, UserFactory

pytestmark = [pytest.mark.browser]


def scene():
    with scopes_disabled():
        sd = SubdistrictFactory(code="310106013", name="Demo Street")
        market = OrganisationFactory(subdistrict=sd, name="市场监管所")
        category = Category.objects.create(
            subdistrict=sd, code="APP-LIC", name="证照办理", kind="enterprise_appeal"
        )
        member = UserFactory(username="acme-member")
        MembershipFactory(user=member, subdistrict=sd, role="enterprise_member")
    with scope(subdistrict=sd):
        for code, name, name_en in (
            ("BL-NEW", "营业执照设立登记", "Business licence: new company"),
            ("BL-CHANGE", "营业执照变更登记", "Business licence: changes"),
            ("ROOM", "会议室预约", "Meeting rooms"),
        ):
            create_item(
                actor=Access.system(sd),
                code=code,
                name=name,
                name_en=name_en,
                affairs=Affairs.GOVERNMENT,
                conditions="本街道企业。",
                materials=["申请书"],
                steps=["递交材料", "领取结果"],
                legal_days=3,
                promised_days=1,
                fee="免费",
                by_online=True,
                category=category,
                department=market,
                centre_place="1号窗口",
            )
    return member


def test_live_search_then_apply_online(transactional_db, browser, live_server):
    member = scene()
    page = sign_in(browser, live_server.url, member.username, viewport=PHONE, language="en")

    page.goto(live_server.url + reverse("catalog:home"))
    home_url = page.url
    page.fill("#catalog-q", "yyzz")
    results = page.locator("#results .catalog-item a")
    results.first.wait_for()
    assert sorted(results.all_inner_texts()) == [
        "Business licence: changes",
        "Business licence: new company",
    ]
    assert page.url == home_url  # the results came in place, without a page load

    with page.expect_navigation():
        page.locator("#results").get_by_role("link", name="Business licence: changes").click()
    with page.expect_navigation():
        page.get_by_role("link", name="Apply online").click()
    assert page.url.endswith(reverse("cases:report") + "?category=APP-LIC")
    assert page.input_value("#id_category") == "APP-LIC"
    assert script_errors(page) == []
