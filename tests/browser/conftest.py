"""Headless Debian Chromium for the browser tests, launched once per module."""

from __future__ import annotations

import os
import re
from collections.abc import Iterator

import pytest
from django_scopes import scopes_disabled
from playwright.sync_api import sync_playwright

from tests.core.matrix import contributed_rows
from tests.core.world import World, build_world

# Playwright's sync API runs an event loop in the test thread; the tests' own ORM calls would
# otherwise be refused as "async unsafe".
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
# Everything but the live server is refused, so a tile setting cannot reach the internet.
OFFSITE = re.compile(r"^(?!https?://(localhost|127\.0\.0\.1|\[::1\])[:/]).*")


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


@pytest.fixture
def open_page(browser, live_server) -> Iterator:
    """Opens English tabs (``session.Tab``) on the live server, closed after the test."""
    from tests.browser.session import DESKTOP, Tab  # here: session imports OFFSITE from us

    tabs: list[Tab] = []

    def make(viewport: dict[str, int] = DESKTOP, *, javascript: bool = True) -> Tab:
        tabs.append(Tab(browser, live_server.url, viewport, javascript=javascript))
        return tabs[-1]

    yield make
    for tab in tabs:
        tab.close()


@pytest.fixture
def world(transactional_db) -> World:
    """Every role's world (tests/core/world.py) with the rows each app adds to it."""
    built = build_world()
    _, populators = contributed_rows()
    with scopes_disabled():
        for populate in populators:
            populate(built)
    return built
