"""The large screen in headless Chromium at the command centre's 1920×1080: a leader opens it
and it fits the screen with nothing to scroll, on a dark background, in Chinese."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from tests.browser.session import keep_screenshot, script_errors, sign_in
from tests.browser.test_cockpit_journey import street  # noqa: F401 - five overdue cases in two grids

pytestmark = [pytest.mark.browser]

WALL = {"width": 1920, "height": 1080}


def luminance(css_colour: str) -> float:
    red, green, blue = (int(v) for v in re.findall(r"\d+", css_colour)[:3])
    return (0.2126 * red + 0.7152 * green + 0.0722 * blue) / 255


def test_the_large_screen_fits_1920_by_1080_dark_without_scrolling(street, browser, live_server):  # noqa: F811
    page = sign_in(browser, live_server.url, "chen.leader", viewport=WALL)
    page.goto(live_server.url + reverse("cockpit:screen"))
    assert page.locator('.tile[data-key="cases.overdue"] .value').inner_text() == "5"
    assert "康定网格" in page.locator('.top[data-key="cases.overdue"]').inner_text()
    size = page.evaluate(
        "() => ({h: document.scrollingElement.scrollHeight,"
        " w: document.scrollingElement.scrollWidth})"
    )
    assert size["h"] <= 1080 and size["w"] <= 1920
    background = page.evaluate("() => getComputedStyle(document.body).backgroundColor")
    assert luminance(background) < 0.2, background
    keep_screenshot(page, "cockpit-screen.png")
    assert script_errors(page) == []
