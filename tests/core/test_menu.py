"""The menu offers only what the person may open: every role follows every link of its menu
and lands on a page, never on a refusal or a missing page."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from django.urls import reverse

from tests.core.matrix import populated_world
from tests.core.world import ROLES, World

MENU = re.compile(r'<nav class="mainnav".*?</nav>', re.S)
LINK = re.compile(r'<a href="([^"]+)"')


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker) -> Iterator[World]:
    with populated_world(django_db_blocker) as built:
        yield built


@pytest.mark.parametrize("role", ROLES)
def test_every_menu_link_opens_for_its_role(db, world: World, role: str) -> None:
    client = world.client(role)
    home = client.get(reverse("home"))
    assert home.status_code == 200
    nav = MENU.search(home.content.decode())
    assert nav is not None
    links = LINK.findall(nav.group(0))
    assert links, f"{role} has an empty menu"
    refused = {}
    for url in links:
        response = client.get(url, follow=True)  # a link may forward, e.g. to one's own enterprise
        if response.status_code != 200:
            refused[url] = response.status_code
    assert refused == {}, f"{role} is offered links that answer {refused}"
