"""What the browser journeys share: a signed-in page of its own, kept screenshots and axe-core.

``sign_in`` opens a new context (its own cookies), refuses every request that leaves the live
server, collects the page's script errors (``script_errors``) and signs in through the login
form. ``keep_screenshot`` saves a PNG reduced to a palette under ``$LINLI_SCREENSHOTS`` when it
is set (``LINLI_SCREENSHOTS=docs/img`` refreshes the user guide's pictures). ``serious_violations``
runs axe-core from node_modules and keeps its serious and critical findings.
"""

from __future__ import annotations

import io
import os
from pathlib import Path
from typing import Any

from django.urls import reverse
from PIL import Image
from playwright.sync_api import Page

from tests.browser.conftest import OFFSITE
from tests.conftest import PASSWORD

DESKTOP = {"width": 1280, "height": 860}
PHONE = {"width": 390, "height": 844}
AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
MAX_PNG = 200_000
# The browser's locale for each of the site's languages (the Accept-Language it sends).
LOCALES = {"zh-hans": "zh-CN", "en": "en-US"}
# A square the journeys' sub-districts, grids and maps share (lon, lat), around Jing'an.
AREA = [
    [121.450, 31.230],
    [121.468, 31.230],
    [121.468, 31.244],
    [121.450, 31.244],
    [121.450, 31.230],
]


def new_page(
    browser: Any,
    base_url: str,
    *,
    viewport: dict[str, int],
    language: str = "zh-hans",
    bypass_csp: bool = False,
    **context_options: Any,
) -> Page:
    """A page in a context of its own, in ``language`` (the browser's locale and the
    django_language cookie), not signed in. ``context_options`` go to ``browser.new_context``.

    ``bypass_csp`` turns the site's CSP off, as the booking, policy and front-desk journeys have
    always run; ``serious_violations`` does not need it. Everywhere else the site runs under its
    CSP (tests/core/test_headers.py checks the header).
    """
    context = browser.new_context(
        viewport=viewport, locale=LOCALES[language], bypass_csp=bypass_csp, **context_options
    )
    context.add_cookies([{"name": "django_language", "value": language, "url": base_url}])
    context.route(OFFSITE, lambda route: route.abort())
    page = context.new_page()
    page.set_default_timeout(15_000)
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.script_errors = errors  # type: ignore[attr-defined]
    return page


def script_errors(page: Page) -> list[str]:
    """The script errors the page raised since ``new_page`` made it."""
    return page.script_errors  # type: ignore[attr-defined,no-any-return]


def log_in(page: Page, base_url: str, username: str) -> None:
    """Sign in through the login form, as a person would."""
    page.goto(base_url + reverse("login"))
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()


def sign_in(
    browser: Any,
    base_url: str,
    username: str,
    *,
    viewport: dict[str, int],
    language: str = "zh-hans",
    bypass_csp: bool = False,
) -> Page:
    """A new context's page, signed in as ``username`` (see ``new_page``)."""
    page = new_page(browser, base_url, viewport=viewport, language=language, bypass_csp=bypass_csp)
    log_in(page, base_url, username)
    return page


class Tab:
    """An English page of its own with the script errors and console errors it raised."""

    def __init__(
        self, browser: Any, base_url: str, viewport: dict[str, int], *, javascript: bool = True
    ) -> None:
        self.page = new_page(
            browser, base_url, viewport=viewport, language="en", java_script_enabled=javascript
        )
        self.context = self.page.context
        self.base_url = base_url
        self.errors = script_errors(self.page)
        self.page.on(
            "console",
            lambda msg: (
                self.errors.append(msg.text)
                if msg.type == "error" and "Failed to load resource" not in msg.text
                else None
            ),
        )

    def goto(self, path: str) -> None:
        self.page.goto(self.base_url + path)

    def sign_in(self, username: str) -> None:
        log_in(self.page, self.base_url, username)

    def wait_for_map(self) -> None:
        self.page.wait_for_selector('#area-map[data-state="ready"], #area-map[data-state="error"]')
        assert self.page.get_attribute("#area-map", "data-state") == "ready", self.errors

    def switch_language(self, code: str) -> None:
        with self.page.expect_navigation():
            self.page.select_option("#language-switch", code)

    def close(self) -> None:
        self.context.close()


def keep_screenshot(page: Page, name: str, *, full_page: bool = False) -> None:
    """Save what the page shows as ``$LINLI_SCREENSHOTS/name``, under 200 KB; nothing if unset."""
    target = os.environ.get("LINLI_SCREENSHOTS")
    if not target:
        return
    shot = Image.open(io.BytesIO(page.screenshot(full_page=full_page)))
    small = shot.convert("RGB").quantize(colors=128, method=Image.Quantize.MEDIANCUT)
    path = Path(target) / name
    path.parent.mkdir(parents=True, exist_ok=True)
    small.save(path, format="PNG", optimize=True)
    assert path.stat().st_size < MAX_PNG, f"{name} is {path.stat().st_size} bytes"


def serious_violations(page: Page, *, run_only: list[str] | None = None) -> list[str]:
    """axe-core's serious and critical findings on the page as it stands.

    ``run_only``: the rule tags to run (e.g. ``["wcag2a", "wcag2aa"]``); all rules without it.
    """
    page.evaluate(AXE.read_text(encoding="utf-8") + "\n;undefined")
    found = page.evaluate(
        "async (runOnly) => (await axe.run(document, runOnly ? {runOnly} : {})).violations",
        run_only,
    )
    return [
        f"{v['id']}: {[n['target'] for n in v['nodes']]}"
        for v in found
        if v["impact"] in ("serious", "critical")
    ]


def png(colour: str) -> bytes:
    """A small PNG of one colour, for a photo field."""
    out = io.BytesIO()
    Image.new("RGB", (32, 24), colour).save(out, format="PNG")
    return out.getvalue()
