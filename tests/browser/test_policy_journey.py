"""An enterprise applies for a policy in Chinese (issue 14), in headless Chromium: the Apply
button does nothing until the confirmation is ticked, a policy still missing data warns before
the application, the application is filed as a case, and the same application sent again from
a second tab that still shows the button is refused, with one application kept.

Set LINLI_SCREENSHOTS=docs/img to keep the screenshots the enterprise's guide shows.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.urls import reverse
from django_scopes import scope, scopes_disabled
from playwright.sync_api import Page, expect

from linli.policies.models import Application
from tests.browser.session import keep_screenshot, script_errors, serious_violations, sign_in
from tests.factories import EnterpriseFactory, MembershipFactory, SubdistrictFactory, UserFactory
from tests.policies.support import load, screen, three_policies

pytestmark = [pytest.mark.browser]

DESKTOP = {"width": 1100, "height": 760}


@pytest.fixture
def firm(transactional_db, tmp_path) -> Iterator[dict]:
    with scopes_disabled():
        street = SubdistrictFactory(code="310106019", name="静安示范街道")
        firm = EnterpriseFactory(
            subdistrict=street, name="上海青禾信息科技有限公司", headcount=20, tags=["high_tech"]
        )
        member = UserFactory(username="qinghe")
        MembershipFactory(
            user=member, subdistrict=street, role="enterprise_member", enterprise=firm
        )
    load(three_policies(tmp_path))
    screen(street)
    yield {"street": street, "firm": firm, "member": member}


def _apply_form(page: Page, policy_id: str):
    return page.locator(f"form.apply[action$='/apply/{policy_id}/']")


def test_an_enterprise_confirms_its_application_and_a_second_one_is_refused(
    firm, browser, live_server
):
    page = sign_in(
        browser, live_server.url, firm["member"].username, viewport=DESKTOP, bypass_csp=True
    )
    enterprise_page = live_server.url + reverse("policies:enterprise", args=[firm["firm"].pk])
    page.goto(enterprise_page)
    assert page.locator("html").get_attribute("lang") == "zh-hans"
    eligible = _apply_form(page, "test-eligible")
    maybe = _apply_form(page, "test-maybe")
    expect(eligible).to_be_visible()
    # A policy that still lacks data says so before anyone applies; an eligible one does not.
    expect(maybe.locator(".warning")).to_contain_text("部分数据尚缺")
    expect(eligible.locator(".warning")).to_have_count(0)
    assert serious_violations(page) == []

    # A second tab opened now keeps the Apply button after the first tab has applied.
    second = page.context.new_page()
    second.goto(enterprise_page)

    # Without the tick the browser does not send the form.
    eligible.get_by_role("button").click()
    assert page.url == enterprise_page
    with scope(subdistrict=firm["street"]):
        assert not Application.objects.exists()
    keep_screenshot(page, "policy-apply-confirm-zh.png")

    eligible.get_by_role("checkbox").check()
    with page.expect_navigation():
        eligible.get_by_role("button").click()
    with scope(subdistrict=firm["street"]):
        application = Application.objects.get()
    expect(page.locator(".messages")).to_contain_text(application.case_number)
    expect(page.get_by_text(f"已申请：工单 {application.case_number}")).to_be_visible()
    keep_screenshot(page, "policy-applied-zh.png")

    stale = _apply_form(second, "test-eligible")
    stale.get_by_role("checkbox").check()
    with second.expect_navigation():
        stale.get_by_role("button").click()
    expect(second.locator(".messages")).to_contain_text(application.case_number)
    expect(second.locator(".messages")).to_contain_text("已有办理中的申请")
    with scope(subdistrict=firm["street"]):
        assert Application.objects.count() == 1
    keep_screenshot(second, "policy-duplicate-refused-zh.png")
    assert script_errors(page) == []
