"""In headless Chromium: an enterprise member registers for an event and gets the QR code;
window staff check the code in at the door (green), and a second scan shows amber."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django_scopes import scopes_disabled

from linli.core import clock
from linli.frontoffice.events.models import Event, Registration, State
from tests.browser.session import PHONE, script_errors, sign_in
from tests.factories import (
    EnterpriseFactory,
    MembershipFactory,
    OrganisationFactory,
    SubdistrictFactory,
    UserFactory,
)

pytestmark = [pytest.mark.browser]


def scene():
    now = clock.now()
    with scopes_disabled():
        sd = SubdistrictFactory(code="310106013", name="Demo Street")
        centre = OrganisationFactory(subdistrict=sd, kind="service_centre", name="Centre")
        event = Event.objects.create(
            subdistrict=sd,
            kind="training",
            title="Tax filing training",
            place=centre,
            starts_at=now + dt.timedelta(minutes=30),
            ends_at=now + dt.timedelta(hours=2),
            capacity=20,
            registration_opens_at=now - dt.timedelta(days=1),
            registration_closes_at=now + dt.timedelta(minutes=25),
        )
        enterprise = EnterpriseFactory(subdistrict=sd, name="Acme Ltd")
        member = UserFactory(username="acme-member")
        MembershipFactory(
            user=member, subdistrict=sd, role="enterprise_member", enterprise=enterprise
        )
        staff = UserFactory(username="window")
        MembershipFactory(user=staff, subdistrict=sd, role="window_staff")
    return event, member, staff


def test_register_show_the_qr_and_check_in(transactional_db, browser, live_server):
    event, member, staff = scene()
    page = sign_in(browser, live_server.url, member.username, viewport=PHONE, language="en")
    page.goto(live_server.url + reverse("events:list"))
    with page.expect_navigation():
        page.click("text=Tax filing training")
    with page.expect_navigation():
        page.click("button:has-text('Register')")
    assert page.locator(".messages").inner_text() == "Your seat is confirmed."
    with page.expect_navigation():
        page.click("text=Show my QR code")
    assert page.locator(".events-ticket svg").count() == 1
    with scopes_disabled():
        code = Registration.objects.get(event=event, user=member).code
    assert code in page.locator(".events-ticket figcaption").inner_text()

    door = sign_in(browser, live_server.url, staff.username, viewport=PHONE, language="en")
    door.goto(live_server.url + reverse("events:check_in", args=[event.pk]))
    door.fill("#id_code", code)
    door.press("#id_code", "Enter")
    result = door.locator(".events-result")
    result.wait_for()
    assert "Checked in. Welcome!" in result.inner_text()
    assert "events-result-ok" in (result.get_attribute("class") or "")
    door.fill("#id_code", code)
    door.press("#id_code", "Enter")
    door.locator(".events-result-warn").wait_for()
    assert "Already checked in." in door.locator(".events-result").inner_text()
    with scopes_disabled():
        assert Registration.objects.get(event=event, user=member).state == State.CHECKED_IN
    assert not script_errors(page) + script_errors(door)
