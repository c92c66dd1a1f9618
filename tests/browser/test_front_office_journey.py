"""The front-office journey in headless Chromium (issue #4): (1) an enterprise books a
negotiation room of the Enterprise Service Centre, (2) gets the booking's QR code and checks in
with it; (3) the centre's kiosk issues a number, (4) window staff call it from the counter
console, and (5) the hall's calling screen, already open, shows and announces it by itself.

Set LINLI_SCREENSHOTS=docs/img to keep screenshots of the main steps.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator

import pytest
from django.urls import reverse
from django_scopes import scopes_disabled
from playwright.sync_api import Page, expect

from linli.core import clock
from linli.core.calendar import local_zone
from linli.frontoffice.bookings.models import Booking, Resource
from linli.frontoffice.bookings.models import State as BookingState
from linli.frontoffice.queue.models import Ticket, TicketState
from tests.browser.session import PHONE, keep_screenshot, log_in, new_page, script_errors
from tests.factories import EnterpriseFactory, MembershipFactory, SubdistrictFactory, UserFactory
from tests.queue.conftest import build_hall

pytestmark = [pytest.mark.browser]

DESKTOP = {"width": 1280, "height": 900}
KIOSK = {"width": 1080, "height": 1920}
ALWAYS_OPEN = {str(day): [["00:00", "23:59"]] for day in range(7)}
SCREEN = {"width": 1920, "height": 1080}
# Headless Chromium has no voices: record what the screen asks the browser to say instead.
SPEECH_RECORDER = """
window.spoken = [];
window.speechSynthesis.speak = (u) => window.spoken.push({text: u.text, lang: u.lang});
window.speechSynthesis.cancel = () => {};
"""


@pytest.fixture
def hallway(transactional_db):
    with scopes_disabled():
        street = SubdistrictFactory(code="310106019", name="Jing'an Demo Street")
        return build_hall(street)


@pytest.fixture
def room_and_member(hallway):
    """A negotiation room of the same centre, open around the clock, and an enterprise member."""
    with scopes_disabled():
        room = Resource.objects.create(
            subdistrict=hallway.subdistrict,
            kind="negotiation_room",
            code="QT-A",
            name="Negotiation room A",
            place=hallway.centre,
            opening_hours=ALWAYS_OPEN,
            open_on_non_working_days=True,
            min_notice_minutes=0,
        )
        enterprise = EnterpriseFactory(subdistrict=hallway.subdistrict, name="Acme Ltd")
        member = UserFactory(username="acme-member")
        MembershipFactory(
            user=member,
            subdistrict=hallway.subdistrict,
            role="enterprise_member",
            enterprise=enterprise,
        )
    return room, member


@pytest.fixture
def unscoped() -> Iterator[None]:
    with scopes_disabled():
        yield


class Tab:
    """One device's browser, collecting script errors; signed in when a username is given."""

    def __init__(self, browser, base_url: str, viewport: dict[str, int], username: str = ""):
        self.page: Page = new_page(browser, base_url, viewport=viewport, language="en")
        self.base_url = base_url
        self.errors = script_errors(self.page)
        if username:
            log_in(self.page, base_url, username)

    def goto(self, path: str) -> None:
        self.page.goto(self.base_url + path)


def test_book_check_in_take_a_number_and_be_called(
    hallway, room_and_member, unscoped, browser, live_server
):
    now = clock.now().astimezone(local_zone())
    if now.hour == 23 and now.minute > 20:
        pytest.skip("the booking would cross midnight, when every room closes")
    room, member = room_and_member
    key = hallway.hall.device_key

    # (1) An enterprise member books the negotiation room on a phone.
    phone = Tab(browser, live_server.url, PHONE, member.username)
    phone.goto(reverse("bookings:grid"))
    with phone.page.expect_navigation():
        phone.page.locator(f'a[data-resource="{room.code}"]').click()
    with phone.page.expect_navigation():
        phone.page.click("#book-link")
    start = now + dt.timedelta(minutes=5)
    phone.page.fill("#id_date", start.date().isoformat())
    phone.page.fill("#id_start_time", start.strftime("%H:%M"))
    phone.page.fill("#id_end_time", (start + dt.timedelta(minutes=30)).strftime("%H:%M"))
    phone.page.fill("#id_purpose", "Contract talks")
    with phone.page.expect_navigation():
        phone.page.click("#book-submit")
    assert phone.page.get_attribute("#booking-state", "data-state") == BookingState.CONFIRMED

    # (2) The booking page has the QR code; checking in with it.
    expect(phone.page.locator("#booking-qr svg")).to_be_visible()
    with phone.page.expect_navigation():
        phone.page.click("#checkin-link")
    with phone.page.expect_navigation():
        phone.page.click("#checkin-submit")
    assert phone.page.get_attribute("#booking-state", "data-state") == BookingState.CHECKED_IN
    assert Booking.objects.get().state == BookingState.CHECKED_IN
    keep_screenshot(phone.page, "front-office-checked-in.png", full_page=True)

    # The calling screen is open in the hall before anyone takes a number.
    screen = Tab(browser, live_server.url, SCREEN)
    screen.page.add_init_script(SPEECH_RECORDER)
    screen.goto(reverse("queue:screen", args=[key]))
    expect(screen.page.locator("h1")).to_have_text("Main hall")
    expect(screen.page.locator(".announcement")).to_have_text("")
    screen.page.get_by_role("button", name="Turn on voice").click()
    expect(screen.page.locator("[data-voice-toggle]")).to_have_attribute("aria-pressed", "true")

    # (3) A visitor takes a priority number for company registration at the kiosk.
    kiosk = Tab(browser, live_server.url, KIOSK)
    kiosk.goto(reverse("queue:kiosk", args=[key]))
    # A bare device has no Chinese font: the kiosk brings its own, served from our host.
    loaded = kiosk.page.evaluate(
        """async () => (await document.fonts.load('16px "Noto Sans SC"', '取号办事'))
             .map(face => face.family)"""
    )
    assert loaded and set(loaded) == {"Noto Sans SC"}
    kiosk.page.get_by_label("Elderly").check()
    kiosk.page.locator("button.kiosk-service", has_text="Company registration").click()
    expect(kiosk.page.locator("[data-ticket-code]")).to_have_text("A001")
    expect(kiosk.page.locator(".ticket-qr svg")).to_be_visible()
    expect(kiosk.page.locator(".estimate")).to_contain_text("You are next.")
    keep_screenshot(kiosk.page, "queue-kiosk-ticket.png", full_page=True)
    ticket = Ticket.objects.get()
    assert (ticket.kind, ticket.state) == ("priority", TicketState.ISSUED)

    # (4) The clerk at window 1 calls the next number from the counter console.
    clerk = Tab(browser, live_server.url, DESKTOP, hallway.clerk.username)
    clerk.goto(reverse("queue:console"))
    clerk.page.get_by_role("link", name=re.compile("Window 1")).click()
    with clerk.page.expect_navigation():
        clerk.page.get_by_role("button", name="Call next").click()
    expect(clerk.page.locator("[data-current]")).to_have_text("A001")
    keep_screenshot(clerk.page, "queue-counter-console.png", full_page=True)

    # (5) The calling screen shows it and has the sentence to read aloud, without a reload.
    announcement = screen.page.locator(".announcement[aria-live]")
    expect(announcement).to_have_text("Number A001, please go to window 1.", timeout=10_000)
    expect(screen.page.locator(".board-windows tr.latest")).to_contain_text("A001")
    spoken = screen.page.evaluate("window.spoken")
    assert spoken == [{"text": "Number A001, please go to window 1.", "lang": "en"}]
    keep_screenshot(screen.page, "queue-calling-screen.png", full_page=True)

    # Serving it through to the end.
    with clerk.page.expect_navigation():
        clerk.page.get_by_role("button", name="Start service").click()
    with clerk.page.expect_navigation():
        clerk.page.get_by_role("button", name="Finish").click()
    ticket.refresh_from_db()
    assert ticket.state == TicketState.DONE
    assert ticket.called_at and ticket.started_at and ticket.finished_at

    for tab in (phone, screen, kiosk, clerk):
        assert not tab.errors, tab.errors
        tab.page.context.close()
