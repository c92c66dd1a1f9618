"""PII scan: no elderly-care page or export shows the elder's or an emergency contact's mobile
in full, to any role; care staff see the contact's mobile masked."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.urls import reverse

from linli.core.pii import mask_mobile
from linli.core.roles import ADMINS
from tests.core.matrix import populated_world
from tests.core.world import COLUMNS, World
from tests.eldercare.permission_rows import CONTACT_MOBILE, ELDER_MOBILE, ENDPOINTS
from tests.eldercare.test_pages import sheet_text


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker) -> Iterator[World]:
    with populated_world(django_db_blocker) as built:
        yield built


@pytest.mark.parametrize("who", COLUMNS)
def test_no_surface_shows_a_full_mobile(db, world: World, who: str) -> None:
    client = world.client(who)
    masked = False
    urls = [row.url(world, who) for row in ENDPOINTS if row.method == "GET"]
    for url in urls:
        text = client.get(url).content.decode()
        assert ELDER_MOBILE not in text and CONTACT_MOBILE not in text, (who, url)
        masked |= mask_mobile(CONTACT_MOBILE) in text
    for name in ("eldercare:hours", "eldercare:statistics"):
        response = client.get(reverse(name), {"export": "xlsx"})
        if response.status_code == 200:
            text = sheet_text(response.content)
            assert ELDER_MOBILE not in text and CONTACT_MOBILE not in text, (who, name)
    assert masked == (who in ADMINS)
