"""axe-core (npm ``axe-core``, from node_modules) on every role's home page and the main forms:
no serious or critical violation, in Chinese (the main language)."""

from __future__ import annotations

import os

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from linli.core.roles import Role
from tests.browser.conftest import OFFSITE
from tests.browser.session import AXE
from tests.core.world import ROLES, World

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

pytestmark = [pytest.mark.browser]

DESKTOP = {"width": 1280, "height": 800}
BLOCKING = {"serious", "critical"}
RUN_AXE = """async () => {
  const result = await axe.run(document);
  return {
    passes: result.passes.length,
    violations: result.violations.map((v) => ({
      id: v.id, impact: v.impact, help: v.help,
      nodes: v.nodes.slice(0, 3).map((n) => n.target.join(' ')),
    })),
  };
}"""

# Violations on pages other helpers are changing at the same time (the case page, the front
# office, the home page and base.html): listed so the check holds everything else now; the lead
# empties this after merging their branches. Key: (rule id, page); value: why it is left here.
KNOWN_ELSEWHERE: dict[tuple[str, str], str] = {}


def forms(world: World) -> dict[str, tuple[str, str]]:
    """The main forms: name → (role that fills it in, URL)."""
    a = world.a.records
    extra = world.extra
    return {
        "reporting": (Role.RESIDENT, reverse("cases:report")),
        "booking": (
            Role.ENTERPRISE_MEMBER,
            reverse("bookings:book", kwargs={"pk": extra["bookings"]["room"].pk}),
        ),
        "event registration": (
            Role.ENTERPRISE_MEMBER,
            reverse("events:detail", kwargs={"pk": extra["events"]["public"]}),
        ),
        "policy apply": (
            Role.ENTERPRISE_MEMBER,
            reverse("policies:enterprise", kwargs={"pk": a["enterprise"].pk}),
        ),
        "case dispatch": (
            Role.SUBDISTRICT_ADMIN,
            reverse("cases:detail", kwargs={"number": extra["cases"]["received"].number}),
        ),
        "inspection visit": (
            Role.SUBDISTRICT_ADMIN,
            reverse("inspections:visit", kwargs={"pk": extra["inspections"]["visit"]}),
        ),
        "registry enterprise edit": (
            Role.SUBDISTRICT_ADMIN,
            reverse("registry:edit", kwargs={"kind": "enterprise", "pk": a["enterprise"].pk}),
        ),
    }


def test_home_pages_and_main_forms_have_no_serious_violation(world, browser, live_server):
    assert AXE.exists(), "npm install puts axe-core in node_modules"
    pages = [(f"home of {role}", role, "/") for role in ROLES]
    pages += [(name, role, url) for name, (role, url) in forms(world).items()]
    contexts = {}
    found = []
    try:
        for name, role, url in pages:
            if role not in contexts:
                client = Client()
                client.force_login(world.users[role])
                # axe is injected as an inline script, which the page's CSP would refuse.
                context = browser.new_context(viewport=DESKTOP, bypass_csp=True)
                context.route(OFFSITE, lambda route: route.abort())
                context.add_cookies(
                    [
                        {
                            "name": settings.SESSION_COOKIE_NAME,
                            "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                            "url": live_server.url,
                        },
                        {
                            "name": settings.LANGUAGE_COOKIE_NAME,
                            "value": "zh-hans",
                            "url": live_server.url,
                        },
                    ]
                )
                contexts[role] = context.new_page()
            page = contexts[role]
            response = page.goto(live_server.url + url)
            assert response is not None and response.status == 200, (name, url)
            page.add_script_tag(path=str(AXE))
            result = page.evaluate(RUN_AXE)
            assert result["passes"] > 10, (name, result)  # axe ran its rules
            for v in result["violations"]:
                if v["impact"] in BLOCKING and (v["id"], name) not in KNOWN_ELSEWHERE:
                    found.append(
                        f"{v['id']} ({v['impact']}) on {name} {url}: {v['help']} {v['nodes']}"
                    )
    finally:
        for page in contexts.values():
            page.context.close()
    for line in found:
        print(line)
    assert found == []
